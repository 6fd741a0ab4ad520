from django.urls import path

from . import api, views

app_name = "messaging"

urlpatterns = [
    path("", views.feed, name="feed"),
    path("read/", views.mark_read, name="mark-read"),
    path("new/", views.post_create, name="post-create"),
    path("moderation/", views.moderation, name="moderation"),
    path("reports/<int:pk>/resolve/", views.report_resolve, name="report-resolve"),
    path("<int:pk>/", views.post_detail, name="post-detail"),
    path("<int:pk>/edit/", views.post_edit, name="post-edit"),
    path("<int:pk>/delete/", views.post_delete, name="post-delete"),
    path("<int:pk>/reads/", views.post_reads, name="post-reads"),
    path("<int:pk>/comments/", views.comment_create, name="comment-create"),
    path("<int:pk>/report/", views.report_post, name="report-post"),
    path("comments/<int:pk>/hide/", views.comment_hide, name="comment-hide"),
    path("comments/<int:pk>/report/", views.report_comment, name="report-comment"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]

api_urlpatterns = [
    path("posts/", api.PostList.as_view(), name="api-post-list"),
    path("posts/read/", api.PostMarkRead.as_view(), name="api-post-read"),
    path("posts/<int:pk>/", api.PostDetail.as_view(), name="api-post-detail"),
    path("posts/<int:pk>/reads/", api.PostReceipts.as_view(), name="api-post-reads"),
    path("posts/<int:pk>/comments/", api.CommentList.as_view(), name="api-comment-list"),
    path("reports/", api.ReportList.as_view(), name="api-report-list"),
    path("reports/<int:pk>/resolve/", api.ReportResolve.as_view(), name="api-report-resolve"),
]
