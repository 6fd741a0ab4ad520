from django.urls import path

from . import api, views

app_name = "kindgesprek"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:thread_id>/", views.thread_detail, name="thread"),
    path("child/<int:child_id>/", views.child_thread, name="child"),
    path("attachment/<str:key>/", views.attachment, name="attachment"),
    path("coach/", views.coach, name="coach"),
    path("hours/", views.availability, name="availability"),
]

api_urlpatterns = [
    path("kindgesprek/threads/", api.ThreadList.as_view(), name="api-kindgesprek-thread-list"),
    path(
        "kindgesprek/threads/<int:pk>/messages/",
        api.MessageList.as_view(),
        name="api-kindgesprek-message-list",
    ),
    path(
        "kindgesprek/threads/<int:pk>/read/",
        api.MarkRead.as_view(),
        name="api-kindgesprek-mark-read",
    ),
    path(
        "kindgesprek/children/<int:child_id>/messages/",
        api.MessageCreate.as_view(),
        name="api-kindgesprek-message-create",
    ),
]
