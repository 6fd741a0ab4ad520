"""Pages of the feed: thin, every decision is in selectors and services."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .forms import CommentForm, PostEditForm, PostForm, ReportForm

MAX_READ_IDS = 100


def _form_errors(form, error: ValidationError):
    """Put a service's ValidationError on the form: field errors on their field when the form
    has it, the rest at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _outside_hours_offer(user):
    """(school, next staff-hours start) when writing now is outside the school's hours."""
    group = selectors.postable_groups(user).select_related("school").first()
    if group is None:
        return None, None
    now = timezone.now()
    if not services.is_outside_staff_hours(group.school, now):
        return group.school, None
    return group.school, services.next_staff_hours_start(group.school, now)


@require_GET
def feed(request):
    page = selectors.feed_page(
        request.user, child_id=request.GET.get("child") or None, cursor=request.GET.get("after")
    )
    context = {"page": page}
    if request.headers.get("HX-Request"):
        return render(request, "messaging/_feed_items.html", context)
    return render(request, "messaging/feed.html", context)


@require_POST
def mark_read(request):
    """The feed's script reports the posts that were on screen."""
    try:
        ids = [int(pk) for pk in json.loads(request.body or b"{}").get("ids", [])][:MAX_READ_IDS]
    except (ValueError, TypeError, AttributeError):
        return HttpResponseBadRequest()
    services.post_mark_read(actor=request.user, post_ids=ids)
    return HttpResponse(status=204)


@require_GET
def post_detail(request, pk):
    post = selectors.access_post(request.user, pk)
    services.post_mark_read(actor=request.user, post_ids=[post.pk])
    can_moderate = selectors.may_moderate(request.user, post)
    return render(
        request,
        "messaging/post_detail.html",
        {
            "post": post,
            "comments": selectors.comments_of(request.user, post),
            "media": selectors.post_media(request.user, post),
            "can_moderate": can_moderate,
            "receipts": selectors.read_receipts(post) if can_moderate else None,
            "comment_form": CommentForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def post_create(request):
    school, offer = _outside_hours_offer(request.user)
    if school is None:
        raise Http404
    form = PostForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        publish_at = data.get("publish_at")
        if request.POST.get("action") == "schedule_next":
            publish_at = services.next_staff_hours_start(data["school"], timezone.now())
        try:
            post = services.post_publish(
                actor=request.user,
                school=data["school"],
                title=data["title"],
                body=data["body"],
                group_ids=[group.pk for group in data["groups"]],
                school_wide=data.get("whole_school") is not None,
                allow_reactions=data["allow_reactions"],
                publish_at=publish_at,
                attachments=data["attachments"],
                media_ids=[item.pk for item in data.get("media") or []],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if post.published:
                messages.success(request, _("Your post has been published."))
            else:
                moment = timezone.localtime(post.publish_at, post.school.tz)
                messages.success(
                    request,
                    _("Your post will be published on %(moment)s.")
                    % {"moment": moment.strftime("%d-%m-%Y %H:%M")},
                )
            return redirect("messaging:post-detail", pk=post.pk)
    return render(
        request,
        "messaging/post_form.html",
        {"form": form, "school": school, "offer": offer, "creating": True},
    )


@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = selectors.access_own_post(request.user, pk)
    initial = {
        "title": post.title,
        "body": post.body,
        "allow_reactions": post.allow_reactions,
        "publish_at": timezone.localtime(post.publish_at, post.school.tz).replace(tzinfo=None),
    }
    form = PostEditForm(request.POST or None, initial=initial, post=post)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        publish_at = data.pop("publish_at", None)
        try:
            with transaction.atomic():
                services.post_update(actor=request.user, post=post, **data)
                if publish_at is not None and publish_at != post.publish_at:
                    services.post_schedule(actor=request.user, post=post, publish_at=publish_at)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your post has been saved."))
            return redirect("messaging:post-detail", pk=post.pk)
    return render(
        request, "messaging/post_form.html", {"form": form, "school": post.school, "post": post}
    )


@require_http_methods(["GET", "POST"])
def post_delete(request, pk):
    post = selectors.access_own_post(request.user, pk)
    if request.method == "POST":
        services.post_delete(actor=request.user, post=post)
        messages.success(request, _("Your post has been deleted."))
        return redirect("messaging:feed")
    return render(request, "messaging/post_confirm_delete.html", {"post": post})


@require_GET
def post_reads(request, pk):
    post = selectors.access_moderated_post(request.user, pk)
    return render(
        request,
        "messaging/post_reads.html",
        {"post": post, "receipts": selectors.read_receipts(post)},
    )


@require_POST
def comment_create(request, pk):
    post = selectors.access_post(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(actor=request.user, post=post, body=form.cleaned_data["body"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your comment has been placed."))
            return redirect("messaging:post-detail", pk=post.pk)
    return render(
        request,
        "messaging/post_detail.html",
        {
            "post": post,
            "comments": selectors.comments_of(request.user, post),
            "can_moderate": selectors.may_moderate(request.user, post),
            "comment_form": form,
        },
        status=400,
    )


@require_POST
def comment_hide(request, pk):
    comment = selectors.access_comment(request.user, pk)
    try:
        services.comment_hide(actor=request.user, comment=comment)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The comment has been hidden."))
    return redirect("messaging:post-detail", pk=comment.post_id)


def _report(request, *, post=None, comment=None):
    form = ReportForm(request.POST or None)
    target_post = post or comment.post
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                actor=request.user, post=post, comment=comment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you. Your report was received; the group's staff will look at it."),
            )
            return redirect("messaging:post-detail", pk=target_post.pk)
    return render(
        request,
        "messaging/report_form.html",
        {"form": form, "post": target_post, "comment": comment},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def report_post(request, pk):
    return _report(request, post=selectors.access_post(request.user, pk))


@require_http_methods(["GET", "POST"])
def report_comment(request, pk):
    return _report(request, comment=selectors.access_comment(request.user, pk))


@require_GET
def moderation(request):
    if not selectors.postable_groups(request.user).exists():
        raise Http404
    return render(
        request, "messaging/moderation.html", {"reports": selectors.open_reports(request.user)}
    )


@require_POST
def report_resolve(request, pk):
    report = selectors.access_open_report(request.user, pk)
    action = request.POST.get("action")
    if action not in ("hide", "dismiss"):
        return HttpResponseBadRequest()
    services.report_resolve(actor=request.user, report=report, hide=action == "hide")
    messages.success(
        request,
        _("The content has been hidden.") if action == "hide" else _("The report was dismissed."),
    )
    return redirect("messaging:moderation")


@require_GET
def attachment_download(request, pk):
    attachment = selectors.access_attachment(request.user, pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.display_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
