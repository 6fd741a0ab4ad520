from django.urls import path

from . import views

urlpatterns = [
    path("<str:token>/", views.accept, name="invitation_accept"),
]
