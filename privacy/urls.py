from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="privacy-index"),
    path("children/<int:child_id>/", views.child_privacy, name="privacy-child"),
    path("children/<int:child_id>/decide/", views.child_decide, name="privacy-decide"),
    path("delete-account/", views.deletion_request, name="privacy-delete-account"),
    path("export/", views.export_request, name="privacy-export"),
    path("export/<str:token>/", views.export_download, name="privacy-export-download"),
]
