from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from groups.models import WEEKDAYS

from . import selectors, services
from .forms import AvailabilityForm, MessageForm


@require_GET
def index(request):
    group_id = request.GET.get("group")
    groups = list(selectors.staff_groups(request.user))
    if group_id and not any(str(group.pk) == group_id for group in groups):
        group_id = None
    needs_reply = request.GET.get("needs_reply") == "1"
    context = {
        "children": selectors.parent_threads(request.user),
        "groups": groups,
        "inbox": selectors.staff_inbox(
            request.user, group_id=int(group_id) if group_id else None, needs_reply=needs_reply
        )
        if groups
        else [],
        "selected_group": group_id,
        "needs_reply": needs_reply,
    }
    return render(request, "messaging/kindgesprek/index.html", context)


def _compose_context(request, child, form, *, now):
    side = selectors.side_of(request.user, child)
    return {
        "child": child,
        "form": form,
        "side": side,
        "notice": selectors.availability_notice(child, now=now) if side == "parent" else None,
        "send_later": selectors.send_later_moment(request.user, child, now=now)
        if side == "staff"
        else None,
    }


def _send(request, child, form):
    """Send from a bound form; returns the thread or None with errors added to the form."""
    if not form.is_valid():
        return None
    try:
        message = services.message_send(
            actor=request.user,
            child=child,
            body=form.cleaned_data["body"],
            attachments=request.FILES.getlist("attachments"),
            photos=request.FILES.getlist("photos"),
            send_at=form.cleaned_data["send_at"],
        )
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return None
    if message.is_scheduled:
        messages.success(request, _("Your message will be sent at the start of your hours."))
    return message.thread


@require_http_methods(["GET", "POST"])
def child_thread(request, child_id):
    """The current year's kindgesprek of a child; before the first message, a compose page."""
    child = selectors.writable_child(request.user, child_id)
    thread = selectors.thread_for(child)
    if request.method == "GET" and thread is not None:
        return redirect("kindgesprek:thread", thread.pk)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        sent = _send(request, child, form)
        if sent is not None:
            return redirect("kindgesprek:thread", sent.pk)
    context = _compose_context(request, child, form, now=timezone.now())
    return render(request, "messaging/kindgesprek/thread.html", context)


@require_http_methods(["GET", "POST"])
def thread_detail(request, thread_id):
    thread = selectors.access_thread(request.user, thread_id)
    child = thread.child
    writable = thread.school_year == child.group.school_year
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not writable:
            raise Http404
        if _send(request, child, form) is not None:
            return redirect("kindgesprek:thread", thread.pk)
    now = timezone.now()
    services.thread_mark_read(actor=request.user, thread=thread, now=now)
    context = _compose_context(request, child, form, now=now) if writable else {"child": child}
    context.update(
        thread=thread,
        page=selectors.thread_messages(request.user, thread, now=now),
        writable=writable,
    )
    return render(request, "messaging/kindgesprek/thread.html", context)


@require_GET
def attachment(request, key):
    item = selectors.access_attachment(request.user, key)
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=not item.is_image,
        filename=item.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def coach(request):
    if not selectors.staff_groups(request.user).exists():
        raise Http404
    rows = selectors.coach_rows(request.user)
    return render(
        request,
        "messaging/kindgesprek/coach.html",
        {"rows": rows, "overdue": [row for row in rows if row.overdue]},
    )


@require_http_methods(["GET", "POST"])
def availability(request):
    schools = list(selectors.staff_schools(request.user))
    if not schools:
        raise Http404
    school = next((s for s in schools if str(s.pk) == request.GET.get("school")), schools[0])
    form = AvailabilityForm(request.POST or None, hours=selectors.staff_hours(request.user, school))
    if request.method == "POST" and form.is_valid():
        services.availability_set(actor=request.user, school=school, hours=form.hours())
        messages.success(request, _("Your reading hours are saved."))
        return redirect(f"{request.path}?school={school.pk}")
    rows = [(label, (form[f"start_{day}"], form[f"end_{day}"])) for day, label in WEEKDAYS]
    return render(
        request,
        "messaging/kindgesprek/availability.html",
        {"form": form, "rows": rows, "school": school, "schools": schools},
    )
