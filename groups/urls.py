from django.urls import path

from . import api, views

urlpatterns = [
    path("", views.home, name="home"),
]

api_urlpatterns = [
    path("me/", api.MeView.as_view(), name="api-me"),
    path("groups/", api.GroupList.as_view(), name="api-group-list"),
    path("groups/<int:pk>/", api.GroupDetail.as_view(), name="api-group-detail"),
    path("children/", api.ChildList.as_view(), name="api-child-list"),
    path("children/<int:pk>/", api.ChildDetail.as_view(), name="api-child-detail"),
]
