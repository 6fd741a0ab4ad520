"""Media API: the same selectors decide access, the same services write. Files themselves
are fetched through the protected file URLs given in each item."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from groups import selectors as audience

from . import selectors, services


class MediaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="photo or video")
    state = serializers.CharField(help_text="processing, ready or rejected")
    group = serializers.IntegerField(source="group_id", allow_null=True)
    child = serializers.IntegerField(source="child_id", allow_null=True)
    created_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    consent_hidden = serializers.BooleanField(
        help_text="Staff only ever see true: a tagged child's consent was withdrawn, so "
        "families no longer see this item."
    )
    files = serializers.SerializerMethodField()

    def get_files(self, obj) -> dict[str, str]:
        variants = [] if obj.is_photo else ["original"]
        if obj.is_photo and obj.is_ready:
            variants += ["display", "thumbnail"]
        if obj.school.allow_photo_download:
            variants += ["original", "download"] if obj.is_photo else ["download"]
        return {v: reverse("media_sharing:file", args=[obj.pk, v]) for v in variants}


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """A file sent as multipart; the schema says binary (the default would say a URL)."""


class RejectionSerializer(serializers.Serializer):
    name = serializers.CharField()
    reason = serializers.CharField()


def _raise_api(error: ValidationError):
    raise ApiValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)


class MediaList(generics.ListAPIView):
    serializer_class = MediaSerializer

    @extend_schema(
        summary="Photos and videos you may see",
        description="Newest first. Each item is checked against its audience and against the "
        "current consent of every tagged child at this request.",
        parameters=[OpenApiParameter("group", int, description="Only this group's items.")],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        items = selectors.visible_media(self.request.user)
        group = self.request.query_params.get("group")
        if group:
            items = items.filter(group_id=audience.access_group(self.request.user, group).pk)
        return items


class MediaDetail(APIView):
    @extend_schema(
        summary="One photo or video",
        description="404 for a missing item, one that is not yours, and one whose tagged "
        "child no longer allows it (families).",
        responses=MediaSerializer,
    )
    def get(self, request, pk):
        return Response(MediaSerializer(selectors.access_media(request.user, pk)).data)


class MediaUpload(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Upload photos and videos",
        description="Staff upload to a group of theirs (`group`); staff and guardians to one "
        "child's kindgesprek (`child`). Each file is checked by content; rejected files are "
        "listed with the reason and the rest is kept. Photos are `processing` until their "
        "variants are made.",
        request=inline_serializer(
            "MediaUploadRequest",
            {
                "group": serializers.IntegerField(required=False),
                "child": serializers.IntegerField(required=False),
                "files": serializers.ListField(child=UploadField()),
            },
        ),
        responses={
            201: inline_serializer(
                "MediaUploadResult",
                {
                    "items": MediaSerializer(many=True),
                    "rejections": RejectionSerializer(many=True),
                },
            )
        },
    )
    def post(self, request):
        group_id, child_id = request.data.get("group"), request.data.get("child")
        if bool(group_id) == bool(child_id):
            raise ApiValidationError({"group": [_("Give either a group or a child.")]})
        try:
            target = (
                {"group": audience.access_group(request.user, group_id)}
                if group_id
                else {"child": audience.access_child(request.user, child_id)}
            )
            result = services.media_upload(
                actor=request.user, files=request.FILES.getlist("files"), **target
            )
        except PermissionDenied:
            raise NotFound from None
        except ValidationError as error:
            _raise_api(error)
        ids = [item.pk for item in result.items]
        items = selectors.visible_media(request.user).filter(pk__in=ids)
        return Response(
            {
                "items": MediaSerializer(items, many=True).data,
                "rejections": RejectionSerializer(result.rejections, many=True).data,
            },
            status=status.HTTP_201_CREATED,
        )


class TagsSerializer(serializers.Serializer):
    children = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)
    confirmed_no_recognisable_children = serializers.BooleanField(default=False)
    publish = serializers.BooleanField(
        default=False, help_text="Publish after tagging; refused if a tagged child blocks it."
    )


class MediaTags(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Tag the children in a photo (and publish it)",
        description="Staff of the item's group only. Tagging a child without consent for "
        "the item's purpose blocks publishing; the message names the children.",
        request=TagsSerializer,
        responses=MediaSerializer,
    )
    def put(self, request, pk):
        item = selectors.editable_media(request.user, pk)
        data = TagsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.media_tags_set(
                actor=request.user,
                item=item,
                child_ids=data.validated_data["children"],
                confirmed_no_recognisable_children=data.validated_data[
                    "confirmed_no_recognisable_children"
                ],
            )
            if data.validated_data["publish"]:
                services.media_publish(actor=request.user, items=[item])
        except ValidationError as error:
            _raise_api(error)
        return Response(MediaSerializer(selectors.access_media(request.user, pk)).data)
