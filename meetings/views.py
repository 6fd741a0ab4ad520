"""Pages for meetings, help requests and the agenda. Thin: parse, one call, render."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups import selectors as group_selectors
from groups.models import School

from . import ics, selectors
from .forms import (
    AgendaItemForm,
    HelpRequestForm,
    RoundForm,
    SlotPlanFormSet,
    parse_day,
)
from .services import agenda as agenda_services
from .services import help as help_services
from .services import rounds as round_services
from .services.rounds import SlotPlan, SlotTaken


def _error_text(exc):
    return " ".join(exc.messages)


def index(request):
    user = request.user
    return render(
        request,
        "meetings/index.html",
        {
            "rounds": selectors.rounds_overview(user),
            "help_requests": list(selectors.visible_help_requests(user)[:50]),
            "can_plan": selectors.manageable_groups(user).exists(),
        },
    )


# --- Rounds ---------------------------------------------------------------------------------


def round_create(request):
    groups = selectors.manageable_groups(request.user).order_by("grade", "name")
    if not groups.exists():
        raise PermissionDenied
    staff = selectors.school_staff(groups.values("school_id"))
    data = request.POST if request.method == "POST" else None
    form = RoundForm(data, groups=groups)
    plans = SlotPlanFormSet(data, groups=groups, staff=staff, prefix="slots")
    if data is not None and form.is_valid() and plans.is_valid():
        cleaned = form.cleaned_data
        try:
            round_ = round_services.round_create(
                actor=request.user,
                school=cleaned["school"],
                title=cleaned["title"],
                purpose=cleaned["purpose"],
                duration_minutes=cleaned["duration_minutes"],
                groups=cleaned["groups"],
                children=cleaned["children"],
                opens_at=cleaned["opens_at"],
                early_opens_at=cleaned["early_opens_at"],
                closes_at=cleaned["closes_at"],
                plans=[
                    SlotPlan(
                        group=plan.cleaned_data["group"],
                        staff=plan.cleaned_data["staff"],
                        room=plan.cleaned_data["room"],
                        day=plan.cleaned_data["day"],
                        start=plan.cleaned_data["start"],
                        end=plan.cleaned_data["end"],
                        breaks=plan.breaks(),
                    )
                    for plan in plans
                    if plan.has_changed() and plan.cleaned_data
                ],
            )
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("The round is planned and the families are invited."))
            return redirect("meetings:schedule", pk=round_.pk)
    status = 400 if data is not None else 200
    return render(
        request, "meetings/round_form.html", {"form": form, "plans": plans}, status=status
    )


def _family_page(request, round_, taken=None, status=200):
    page = selectors.family_page(request.user, round_)
    return render(
        request,
        "meetings/round_detail.html",
        {
            "page": page,
            "window_error": selectors.booking_window_error(request.user, round_, timezone.now()),
            "taken": taken,
            "tz": round_.school.time_zone,
        },
        status=status,
    )


def round_detail(request, pk):
    round_ = selectors.access_round(request.user, pk)
    if not selectors.family_children(request.user, round_).exists():
        return redirect("meetings:schedule", pk=round_.pk)
    return _family_page(request, round_)


@require_POST
def book(request, pk):
    round_ = selectors.access_round(request.user, pk)
    child = selectors.access_family_child(request.user, round_, request.POST.get("child"))
    slot = selectors.access_round_slot(round_, request.POST.get("slot"))
    try:
        round_services.booking_book(actor=request.user, slot=slot, child=child)
    except SlotTaken as exc:
        return _family_page(request, round_, taken={"error": exc, "child": child}, status=409)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The meeting for %(child)s is booked.") % {"child": child})
    return redirect("meetings:round", pk=round_.pk)


@require_POST
def booking_cancel(request, pk):
    booking = selectors.access_family_booking(request.user, pk)
    try:
        round_services.booking_cancel(actor=request.user, booking=booking)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The meeting is cancelled."))
    return redirect("meetings:round", pk=booking.round_id)


def booking_ics(request, pk):
    booking = selectors.access_family_booking(request.user, pk)
    return ics.response([ics.booking_event(booking)], f"gesprek-{booking.pk}.ics")


def schedule(request, pk):
    round_ = selectors.access_managed_round(request.user, pk)
    day = parse_day(request.GET.get("day"))
    return render(
        request,
        "meetings/schedule.html",
        {
            "schedule": selectors.schedule(request.user, round_, day=day),
            "day": day,
            "tz": round_.school.time_zone,
        },
    )


def schedule_csv(request, pk):
    round_ = selectors.access_managed_round(request.user, pk)
    day = parse_day(request.GET.get("day"))
    plan = selectors.schedule(request.user, round_, day=day)
    tz = round_.school.tz
    reply = HttpResponse(content_type="text/csv; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="gesprekken-{round_.pk}.csv"'
    writer = csv.writer(reply)
    writer.writerow(
        [_("Date"), _("Start"), _("End"), _("Staff member"), _("Room"), _("Group"), _("Child")]
    )
    for slot in plan.slots:
        start, end = slot.starts_at.astimezone(tz), slot.ends_at.astimezone(tz)
        child = slot.booking.child.full_name if slot.booking else ""
        texts = [slot.staff.full_name, slot.room, slot.group.name, child]
        writer.writerow(
            [f"{start:%Y-%m-%d}", f"{start:%H:%M}", f"{end:%H:%M}"]
            + [_csv_safe(text) for text in texts]
        )
    return reply


def _csv_safe(text):
    """Spreadsheets run cells that start with = + - @ as formulas."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


@require_POST
def assign(request, pk):
    round_ = selectors.access_managed_round(request.user, pk)
    child = selectors.access_invited_child(round_, request.POST.get("child"))
    slot = selectors.access_round_slot(round_, request.POST.get("slot"))
    try:
        round_services.booking_assign(actor=request.user, slot=slot, child=child)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The meeting for %(child)s is planned.") % {"child": child})
    return redirect("meetings:schedule", pk=round_.pk)


@require_POST
def staff_move(request, pk):
    booking = selectors.access_managed_booking(request.user, pk)
    slot = selectors.access_round_slot(booking.round, request.POST.get("slot"))
    try:
        round_services.booking_staff_move(
            actor=request.user, booking=booking, slot=slot, reason=request.POST.get("reason")
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The meeting is moved and the family is told."))
    return redirect("meetings:schedule", pk=booking.round_id)


@require_POST
def staff_cancel(request, pk):
    booking = selectors.access_managed_booking(request.user, pk)
    try:
        round_services.booking_staff_cancel(
            actor=request.user, booking=booking, reason=request.POST.get("reason")
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The meeting is cancelled and the family is told."))
    return redirect("meetings:schedule", pk=booking.round_id)


# --- Help requests --------------------------------------------------------------------------


def help_create(request):
    groups = selectors.manageable_groups(request.user).order_by("grade", "name")
    if not groups.exists():
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = HelpRequestForm(data, groups=groups)
    if data is not None and form.is_valid():
        try:
            help_request = help_services.help_request_create(
                actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("The help request is posted."))
            return redirect("meetings:help", pk=help_request.pk)
    status = 400 if data is not None else 200
    return render(request, "meetings/help_form.html", {"form": form}, status=status)


def help_detail(request, pk):
    help_request = selectors.access_help_request(request.user, pk)
    return render(
        request,
        "meetings/help_detail.html",
        {
            "help_request": help_request,
            "roles": selectors.help_roles(help_request, request.user),
            "is_staff": selectors.can_manage_help_request(request.user, help_request),
            "is_parent": selectors.is_parent_in_group(request.user, help_request.group),
            "is_open": timezone.now() < help_request.closes_at,
            "tz": help_request.school.time_zone,
        },
    )


@require_POST
def help_signup(request, pk):
    role = selectors.access_help_role(request.user, pk)
    try:
        help_services.help_signup(actor=request.user, role=role)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Thank you! You are signed up as %(role)s.") % {"role": role})
    return redirect("meetings:help", pk=role.request_id)


@require_POST
def help_withdraw(request, pk):
    signup = selectors.access_own_signup(request.user, pk)
    try:
        help_services.help_withdraw(actor=request.user, signup=signup)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("You are no longer signed up."))
    return redirect("meetings:help", pk=signup.role.request_id)


# --- Agenda ---------------------------------------------------------------------------------


def agenda(request):
    since = timezone.localdate()
    return render(
        request,
        "meetings/agenda.html",
        {
            "items": list(selectors.agenda_for_user(request.user, since=since)[:200]),
            "has_children": group_selectors.children_of_guardian(request.user).exists(),
            "has_token": selectors.has_agenda_token(request.user),
            "can_plan": selectors.manageable_groups(request.user).exists(),
        },
    )


def agenda_create(request):
    groups = selectors.manageable_groups(request.user).order_by("grade", "name")
    if not groups.exists():
        raise PermissionDenied
    schools = School.objects.filter(id__in=groups.values("school_id"))
    data = request.POST if request.method == "POST" else None
    form = AgendaItemForm(data, groups=groups, schools=schools)
    if data is not None and form.is_valid():
        try:
            agenda_services.agenda_item_create(actor=request.user, **form.cleaned_data)
        except PermissionDenied:
            form.add_error("group", _("Only direction can add items for the whole school."))
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("The agenda item is added."))
            return redirect("meetings:agenda")
    status = 400 if data is not None else 200
    return render(request, "meetings/agenda_form.html", {"form": form}, status=status)


@require_POST
def agenda_token(request):
    if not group_selectors.children_of_guardian(request.user).exists():
        raise PermissionDenied
    raw = agenda_services.agenda_token_issue(actor=request.user)
    url = request.build_absolute_uri(reverse("meetings:agenda-feed", args=[raw]))
    return render(request, "meetings/agenda_token.html", {"url": url})


@require_POST
def agenda_token_revoke(request):
    agenda_services.agenda_token_revoke(actor=request.user)
    messages.success(request, _("The calendar link no longer works."))
    return redirect("meetings:agenda")


@login_not_required
def agenda_feed(request, token):
    """Calendar apps cannot log in: the private token in the URL is the credential."""
    user = selectors.user_for_agenda_token(token)
    events = [ics.agenda_event(item) for item in selectors.agenda_for_parent_feed(user)]
    events += [ics.booking_event(booking) for booking in selectors.family_bookings(user)]
    return ics.response(events, "schoolbrug.ics", name=_("School agenda"))
