from django.urls import path

from . import views

urlpatterns = [
    # Before the token pattern; a real token is 43 characters, never "new".
    path("new/", views.invite_guardian, name="invitation_new"),
    path("<str:token>/", views.accept, name="invitation_accept"),
]
