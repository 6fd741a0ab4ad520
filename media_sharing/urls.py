from django.urls import path

from . import api, views

app_name = "media_sharing"

urlpatterns = [
    path("", views.albums, name="albums"),
    path("groups/<int:group_id>/", views.album, name="album"),
    path("groups/<int:group_id>/upload/", views.upload, name="upload"),
    path("groups/<int:group_id>/publish/", views.publish, name="publish"),
    path("<int:item_id>/tags/", views.tags, name="tags"),
    path("<int:item_id>/delete/", views.delete, name="delete"),
    path(
        "<int:item_id>/<str:variant>/",
        views.media_file,
        name="file",
    ),
]

api_urlpatterns = [
    path("media/", api.MediaList.as_view(), name="api-media-list"),
    path("media/upload/", api.MediaUpload.as_view(), name="api-media-upload"),
    path("media/<int:pk>/", api.MediaDetail.as_view(), name="api-media-detail"),
    path("media/<int:pk>/tags/", api.MediaTags.as_view(), name="api-media-tags"),
]
