from django.urls import reverse
from rest_framework import serializers

from .models import BODY_MAX, COMMENT_MAX, REASON_MAX, TITLE_MAX, Comment, Post, Report


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, attachment) -> str:
        return reverse("messaging:attachment", args=[attachment.pk])


class PostSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    group_ids = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)
    unread = serializers.SerializerMethodField()
    media_ids = serializers.SerializerMethodField(
        help_text="The post's photos and videos you may see now (consent checked at this "
        "request); fetch them through /api/v1/media/<id>/."
    )

    class Meta:
        model = Post
        fields = [
            "id",
            "school",
            "title",
            "body",
            "author",
            "group_ids",
            "is_school_wide",
            "allow_reactions",
            "publish_at",
            "edited_at",
            "attachments",
            "unread",
            "media_ids",
        ]

    def get_author(self, post) -> str | None:
        # The feed reads only the author's name, as `author_name`, not the whole account.
        if hasattr(post, "author_name"):
            return post.author_name
        return post.author.full_name if post.author else None

    def get_group_ids(self, post) -> list[int]:
        # The feed reads them in one query for the whole page and sets them on each post.
        ids = getattr(post, "audience_group_ids", None)
        return ids if ids is not None else [row.group_id for row in post.audience.all()]

    def get_unread(self, post) -> bool | None:
        return None if getattr(post, "is_read", None) is None else not post.is_read

    def get_media_ids(self, post) -> list[int]:
        return [item.pk for item in getattr(post, "visible_media", [])]


class PostWriteSerializer(serializers.Serializer):
    school = serializers.IntegerField(help_text="The school's id.")
    title = serializers.CharField(max_length=TITLE_MAX)
    body = serializers.CharField(max_length=BODY_MAX)
    group_ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    school_wide = serializers.BooleanField(required=False, default=False)
    allow_reactions = serializers.BooleanField(required=False, allow_null=True, default=None)
    publish_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    media_ids = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="Your own unpublished photos and videos (uploaded and tagged through "
        "/api/v1/media/) of the post's groups; a tagged child without consent refuses the post.",
    )


class PostUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX)
    body = serializers.CharField(max_length=BODY_MAX)
    allow_reactions = serializers.BooleanField(required=False, allow_null=True, default=None)


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.full_name", read_only=True)
    hidden = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "created_at", "hidden"]
        read_only_fields = ["id", "author", "created_at", "hidden"]
        extra_kwargs = {"body": {"max_length": COMMENT_MAX}}

    def get_hidden(self, comment) -> bool:
        return comment.hidden_at is not None


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), max_length=100)


class ReceiptChildSerializer(serializers.Serializer):
    child = serializers.CharField(source="child.full_name")
    guardians = serializers.SerializerMethodField()

    def get_guardians(self, receipt) -> list[str]:
        return [guardian.full_name for guardian, _read in receipt.guardians]


class ReceiptsSerializer(serializers.Serializer):
    read_families = serializers.IntegerField()
    total_families = serializers.IntegerField()
    unread_children = ReceiptChildSerializer(many=True)


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Report
        fields = ["id", "post", "comment", "reason", "state", "created_at"]
        read_only_fields = fields


class ReportCreateSerializer(serializers.Serializer):
    post = serializers.IntegerField(required=False, allow_null=True, default=None)
    comment = serializers.IntegerField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=REASON_MAX)


class ResolveSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["hide", "dismiss"])
