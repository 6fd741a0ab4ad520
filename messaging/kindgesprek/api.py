"""Kindgesprek API: the same selectors decide access, the same services write."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from media_sharing.api import MediaSerializer, UploadField

from . import selectors, services


class ChildSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    group = serializers.CharField(source="group.name")


class ThreadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    child = ChildSummarySerializer()
    school_year = serializers.IntegerField()
    last_at = serializers.DateTimeField(allow_null=True)
    unread = serializers.IntegerField(help_text="Messages from the other side you have not read.")


class AttachmentSerializer(serializers.Serializer):
    class Meta:
        # The feed has an attachment serializer too; the schema needs distinct names.
        ref_name = "KindgesprekAttachment"

    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return reverse("kindgesprek:attachment", args=[obj.key])


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    author = serializers.CharField(source="author.full_name", read_only=True)
    author_side = serializers.CharField(read_only=True)
    body = serializers.CharField(max_length=5000)
    sent_at = serializers.DateTimeField(read_only=True)
    is_scheduled = serializers.BooleanField(read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    photos = MediaSerializer(
        source="media",
        many=True,
        read_only=True,
        help_text="The message's photos you may see now: checked at every request against the "
        "current consent of each child tagged in them. Photos still being processed are left "
        "out for families until they are ready.",
    )


class MessageWriteSerializer(serializers.Serializer):
    """What a new message may carry: text, documents and photos (files as multipart)."""

    body = serializers.CharField(max_length=5000)
    attachments = serializers.ListField(
        child=UploadField(),
        required=False,
        help_text="Up to 5 documents or photos (PDF, JPEG, PNG), kept with the message.",
    )
    photos = serializers.ListField(
        child=UploadField(),
        required=False,
        help_text="Photos for the child's own family and staff (JPEG, PNG or WebP; repeat the "
        "field for several). They are checked by content and re-encoded without metadata. All "
        "or nothing: if one is refused, the answer is 400 naming the file and nothing is sent.",
    )


def _raise_api(error: ValidationError):
    raise ApiValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)


@extend_schema_view(
    get=extend_schema(
        summary="Your kindgesprekken",
        description="One thread per child and school year, with the latest activity and the "
        "number of messages from the other side you have not read.",
    )
)
class ThreadList(generics.ListAPIView):
    """Your kindgesprekken: your children's and, for staff, those of your groups' children."""

    serializer_class = ThreadSerializer

    def get_queryset(self):
        return selectors.api_threads(self.request.user)


def _send(request, child):
    try:
        message = services.message_send(
            actor=request.user,
            child=child,
            body=request.data.get("body", ""),
            attachments=request.FILES.getlist("attachments"),
            photos=request.FILES.getlist("photos"),
        )
    except ValidationError as error:
        _raise_api(error)
    [message] = selectors.media_attach(request.user, [message])
    return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


SEND_DESCRIPTION = (
    "Text in `body`; as multipart, optional documents in `attachments` and photos in `photos` "
    "(several files: repeat the field). A refused file gives 400 naming it, and nothing is sent."
)


@extend_schema_view(
    get=extend_schema(
        summary="Messages of a kindgesprek",
        description="Oldest first; 404 when the thread is missing or not yours. Each message "
        "lists its `photos` you may see at this request: a photo whose tagged child's consent "
        "was withdrawn is left out for families and marked `consent_hidden` for staff.",
    )
)
class MessageList(generics.ListAPIView):
    """Messages of one kindgesprek, oldest first; 404 when it is not yours. POST writes a new
    message (text in `body`, optional files in `attachments` and `photos` as multipart)."""

    serializer_class = MessageSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def _thread(self):
        return selectors.access_thread(self.request.user, self.kwargs["pk"])

    def get_queryset(self):
        return selectors.api_messages(self.request.user, self._thread())

    def list(self, request, *args, **kwargs):
        # The photos are looked up for the page only, in a fixed number of queries.
        page = selectors.media_attach(request.user, self.paginate_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=MessageWriteSerializer,
        responses={201: MessageSerializer},
        summary="Write in a kindgesprek",
        description="Only in the current school year's thread. Staff e-mails wait for the "
        "recipients' working hours; parents are e-mailed at once. " + SEND_DESCRIPTION,
    )
    def post(self, request, pk):
        thread = self._thread()
        if thread.school_year != thread.child.group.school_year:
            raise NotFound
        return _send(request, thread.child)


class MessageCreate(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        request=MessageWriteSerializer,
        responses={201: MessageSerializer},
        summary="Write in a child's kindgesprek",
        description="Creates this school year's kindgesprek on the first message. 404 when "
        "the child is not yours or not in your group. " + SEND_DESCRIPTION,
    )
    def post(self, request, child_id):
        return _send(request, child_id)


class MarkRead(APIView):
    @extend_schema(
        request=None,
        responses={
            200: inline_serializer("MarkReadResult", {"marked": serializers.IntegerField()})
        },
        summary="Mark a kindgesprek as read",
        description="Adds your read receipt to every message you can see in the thread.",
    )
    def post(self, request, pk):
        thread = selectors.access_thread(request.user, pk)
        return Response({"marked": services.thread_mark_read(actor=request.user, thread=thread)})
