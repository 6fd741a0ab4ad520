from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from groups import selectors as audience

from . import selectors, services, serving
from .forms import TagForm, UploadForm
from .models import MediaItem

ALBUM_PAGE_SIZE = 24


def _staff_group(user, group_id):
    group = audience.access_group(user, group_id)
    if not audience.is_group_staff(user, group):
        raise Http404
    return group


def _error_list(error: ValidationError) -> list[str]:
    return [message for messages_ in error.message_dict.values() for message in messages_]


@require_GET
def albums(request):
    return render(
        request, "media_sharing/albums.html", {"index": selectors.album_index(request.user)}
    )


@require_GET
def album(request, group_id):
    group = audience.access_group(request.user, group_id)
    page = Paginator(selectors.group_album(request.user, group), ALBUM_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    is_staff = audience.is_group_staff(request.user, group)
    context = {
        "group": group,
        "page": page,
        "is_staff": is_staff,
        "may_download": group.school.allow_photo_download,
    }
    if is_staff:
        context["upload_form"] = UploadForm()
        context["choices"] = selectors.tag_choices(group)
    return render(request, "media_sharing/album.html", context)


@require_POST
def upload(request, group_id):
    group = _staff_group(request.user, group_id)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = services.media_upload(
                actor=request.user, group=group, files=form.cleaned_data["files"]
            )
        except ValidationError as error:
            for message in _error_list(error):
                messages.error(request, message)
        else:
            for rejection in result.rejections:
                messages.error(request, str(rejection))
            if result.items:
                messages.success(request, _("Uploaded. Tag the children, then publish."))
    else:
        for message in form.errors.get("files", []):
            messages.error(request, message)
    album_url = reverse("media_sharing:album", args=[group.pk])
    if request.headers.get("X-Media-Upload"):
        # The upload script follows this itself, so the messages are shown on that page.
        return JsonResponse({"redirect": album_url})
    return redirect(album_url)


@require_POST
def tags(request, item_id):
    item = selectors.editable_media(request.user, item_id)
    group = item.group or item.child.group
    form = TagForm(request.POST, choices=selectors.tag_choices(group))
    if form.is_valid():
        try:
            services.media_tags_set(
                actor=request.user,
                item=item,
                child_ids=form.cleaned_data["children"],
                confirmed_no_recognisable_children=form.cleaned_data[
                    "confirmed_no_recognisable_children"
                ],
            )
        except ValidationError as error:
            for message in _error_list(error):
                messages.error(request, message)
        else:
            messages.success(request, _("Tags saved."))
            # Tell at once which children would block publishing, not only at publish time.
            children = [tag.child for tag in item.tags.select_related("child")]
            for problem in selectors.gate_errors(item, children):
                messages.warning(request, problem)
    else:
        messages.error(request, _("Tag only children of this group."))
    return redirect(reverse("media_sharing:album", args=[group.pk]) + f"#media-{item.pk}")


@require_POST
def publish(request, group_id):
    group = _staff_group(request.user, group_id)
    # One's own drafts only: a colleague's may be meant for a post they are writing.
    drafts = selectors.draft_media(request.user).filter(group=group)
    try:
        published = services.media_publish(actor=request.user, items=drafts)
    except ValidationError as error:
        for message in _error_list(error):
            messages.error(request, message)
    else:
        if published:
            messages.success(request, _("Published for the families of this group."))
    return redirect("media_sharing:album", group_id=group.pk)


@require_POST
def delete(request, item_id):
    item = selectors.editable_media(request.user, item_id)
    group_id = item.audience_group_id
    try:
        services.media_delete(actor=request.user, item=item)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Removed."))
    return redirect("media_sharing:album", group_id=group_id)


VARIANTS = ("original", "display", "thumbnail", "download")


@require_GET
def media_file(request, item_id, variant):
    if variant not in VARIANTS:
        raise Http404
    item = selectors.access_media(request.user, item_id)
    field = "original" if variant == "download" else variant
    if variant == "download" and not item.school.allow_photo_download:
        raise Http404
    # The full-size photo is a download in all but name: families get it only where the
    # school allows downloads (videos have no other size).
    if (
        item.is_photo
        and field == "original"
        and not item.school.allow_photo_download
        and not selectors.is_item_staff(request.user, item)
    ):
        raise Http404
    if item.kind == MediaItem.Kind.VIDEO and field != "original":
        raise Http404
    name = getattr(item, field)
    if not name:
        raise Http404  # a photo still processing has no display size or thumbnail yet
    extension = name.rsplit(".", 1)[-1]
    content_type = item.content_type if field == "original" else f"image/{extension}"
    if content_type == "image/jpg":
        content_type = "image/jpeg"
    return serving.file_response(
        name,
        content_type=content_type,
        filename=f"{item.kind}-{item.pk}.{extension}",
        attachment=variant == "download",
    )
