"""API: the same selectors and services as the pages."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from groups import selectors as group_selectors

from . import selectors, services
from .serializers import (
    CommentSerializer,
    MarkReadSerializer,
    PostSerializer,
    PostUpdateSerializer,
    PostWriteSerializer,
    ReceiptsSerializer,
    ReportCreateSerializer,
    ReportSerializer,
    ResolveSerializer,
)


def _validation(error: DjangoValidationError):
    detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
    return serializers.ValidationError(detail)


class FeedPageSerializer(serializers.Serializer):
    results = PostSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True)


class PostList(APIView):
    @extend_schema(
        operation_id="posts_list",
        summary="The person's feed",
        description=(
            "Posts the person may see, newest first: for parents the groups of their "
            "children and school-wide posts of their schools (published, not hidden); for "
            "staff also scheduled posts of their groups. Keyset-paginated: pass the "
            "`next_cursor` of a page as `after` to get the next (older) page."
        ),
        parameters=[
            OpenApiParameter("after", str, description="`next_cursor` of the previous page"),
            OpenApiParameter("child", int, description="Only posts concerning this child"),
        ],
        responses=FeedPageSerializer,
    )
    def get(self, request):
        page = selectors.feed_page(
            request.user,
            child_id=request.query_params.get("child") or None,
            cursor=request.query_params.get("after"),
            with_attachments=True,
        )
        return Response(
            {
                "results": PostSerializer([item.post for item in page.items], many=True).data,
                "next_cursor": page.next_cursor,
            }
        )

    @extend_schema(
        summary="Publish or schedule a post",
        description=(
            "Teachers and assistants post to groups they work in; direction and administration "
            "to any groups of their school or, with `school_wide`, to all of them. Without "
            "`publish_at` the post is published now; a moment in the past is refused. "
            "Attachments are uploaded through the web page."
        ),
        request=PostWriteSerializer,
        responses={201: PostSerializer},
    )
    def post(self, request):
        data = PostWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        school = group_selectors.led_schools(request.user).filter(pk=values["school"]).first()
        if school is None:
            group = (
                selectors.postable_groups(request.user).filter(school_id=values["school"]).first()
            )
            if group is None:
                raise Http404
            school = group.school
        try:
            post = services.post_publish(
                actor=request.user,
                school=school,
                title=values["title"],
                body=values["body"],
                group_ids=values["group_ids"],
                school_wide=values["school_wide"],
                allow_reactions=values["allow_reactions"],
                publish_at=values["publish_at"],
                media_ids=values["media_ids"],
            )
        except DjangoValidationError as error:
            raise _validation(error) from None
        post.visible_media = selectors.post_media(request.user, post)
        return Response(PostSerializer(post).data, status=status.HTTP_201_CREATED)


class PostDetail(APIView):
    @extend_schema(
        summary="One post",
        description="Opening a post marks it read. 404 when missing or not visible.",
        responses=PostSerializer,
    )
    def get(self, request, pk):
        post = selectors.access_post(request.user, pk)
        services.post_mark_read(actor=request.user, post_ids=[post.pk])
        post.visible_media = selectors.post_media(request.user, post)
        return Response(PostSerializer(post).data)

    @extend_schema(
        summary="Edit a post",
        description="Only the author.",
        request=PostUpdateSerializer,
        responses=PostSerializer,
    )
    def patch(self, request, pk):
        post = selectors.access_own_post(request.user, pk)
        data = PostUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.post_update(actor=request.user, post=post, **data.validated_data)
        except DjangoValidationError as error:
            raise _validation(error) from None
        post.visible_media = selectors.post_media(request.user, post)
        return Response(PostSerializer(post).data)

    @extend_schema(summary="Delete a post", description="Only the author.", responses={204: None})
    def delete(self, request, pk):
        post = selectors.access_own_post(request.user, pk)
        services.post_delete(actor=request.user, post=post)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PostMarkRead(APIView):
    @extend_schema(
        summary="Mark posts read",
        description="Idempotent; ids of posts the person cannot see are ignored.",
        request=MarkReadSerializer,
        responses={204: None},
    )
    def post(self, request):
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.post_mark_read(actor=request.user, post_ids=data.validated_data["ids"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class PostReceipts(APIView):
    @extend_schema(
        summary="Read receipts of a post",
        description=(
            "For the staff of the post's groups and the school's direction: read by X of Y "
            "families, and per child the guardians of families that have not read it."
        ),
        responses=ReceiptsSerializer,
    )
    def get(self, request, pk):
        post = selectors.access_moderated_post(request.user, pk)
        return Response(ReceiptsSerializer(selectors.read_receipts(post)).data)


class CommentList(APIView):
    @extend_schema(
        summary="Comments of a post",
        description="Hidden comments are listed only for moderators.",
        responses=CommentSerializer(many=True),
    )
    def get(self, request, pk):
        post = selectors.access_post(request.user, pk)
        return Response(
            CommentSerializer(selectors.comments_of(request.user, post), many=True).data
        )

    @extend_schema(
        summary="Comment on a post",
        description="Only where the post allows reactions, only for its audience.",
        request=CommentSerializer,
        responses={201: CommentSerializer},
    )
    def post(self, request, pk):
        post = selectors.access_post(request.user, pk)
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            comment = services.comment_add(
                actor=request.user, post=post, body=data.validated_data["body"]
            )
        except DjangoValidationError as error:
            raise _validation(error) from None
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class ReportList(APIView):
    @extend_schema(
        summary="Open reports",
        description="The moderation list: open reports on posts the person moderates.",
        responses=ReportSerializer(many=True),
    )
    def get(self, request):
        return Response(ReportSerializer(selectors.open_reports(request.user), many=True).data)

    @extend_schema(
        summary="Report a post or a comment",
        description=(
            "Give either `post` or `comment`. Once per person per post or comment; the "
            "group's teachers and the school's direction are told."
        ),
        request=ReportCreateSerializer,
        responses={201: ReportSerializer},
    )
    def post(self, request):
        data = ReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        post = comment = None
        if values["comment"] is not None:
            comment = selectors.access_comment(request.user, values["comment"])
        elif values["post"] is not None:
            post = selectors.access_post(request.user, values["post"])
        try:
            report = services.report_create(
                actor=request.user, post=post, comment=comment, reason=values["reason"]
            )
        except DjangoValidationError as error:
            raise _validation(error) from None
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ReportResolve(APIView):
    @extend_schema(
        summary="Hide the reported content or dismiss the report",
        description="For the staff of the post's groups and the school's direction.",
        request=ResolveSerializer,
        responses=ReportSerializer,
    )
    def post(self, request, pk):
        report = selectors.access_open_report(request.user, pk)
        data = ResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            report = services.report_resolve(
                actor=request.user, report=report, hide=data.validated_data["action"] == "hide"
            )
        except DjangoPermissionDenied:
            raise Http404 from None
        return Response(ReportSerializer(report).data)
