from django.urls import path

from . import views

app_name = "digest"

urlpatterns = [
    path("newsletters/", views.newsletter_list, name="newsletters"),
    path("newsletters/new/", views.newsletter_create, name="newsletter-create"),
    path("newsletters/<int:pk>/", views.newsletter_detail, name="newsletter"),
    path("newsletters/<int:pk>/edit/", views.newsletter_edit, name="newsletter-edit"),
    path("newsletters/<int:pk>/schedule/", views.newsletter_schedule, name="newsletter-schedule"),
    path(
        "newsletters/<int:pk>/attachment/",
        views.newsletter_attachment,
        name="newsletter-attachment",
    ),
    path("reminders/", views.reminders, name="reminders"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
