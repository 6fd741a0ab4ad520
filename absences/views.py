import csv
import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from groups import selectors as audience

from . import selectors, services
from .forms import AbsenceReportForm, DayFilterForm, PhoneReportForm


def _parse_day(value, default):
    try:
        return datetime.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _report_into(form, **arguments):
    """Call the service; its ValidationErrors become the form's errors, nothing is saved."""
    try:
        return services.absence_report(**arguments)
    except ValidationError as error:
        form.add_error(None, error)
        return None


def hub(request):
    return render(request, "absences/hub.html", {"hub": selectors.absences_hub(request.user)})


def report_new(request):
    children = list(audience.children_of_guardian(request.user).order_by("first_name"))
    if not children:
        raise Http404
    form = AbsenceReportForm(
        request.POST or None,
        children=children,
        initial={"start": selectors.today_in(children[0].school)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reports = _report_into(
            form,
            actor=request.user,
            children=data["children"],
            kind=data["kind"],
            start=data["start"],
            end=data["end"],
            part=data["part"],
            note=data["note"],
        )
        if reports is not None:
            names = ", ".join(r.child.first_name for r in reports)
            messages.success(request, _("Absence reported for %(names)s.") % {"names": names})
            late = [r for r in reports if r.is_late]
            if late:
                messages.warning(
                    request,
                    ngettext(
                        "The teacher will not see this report in time. Please phone the "
                        "administration: %(phone)s.",
                        "The teachers will not see these reports in time. Please phone the "
                        "administration: %(phone)s.",
                        len(late),
                    )
                    % {"phone": late[0].child.school.administration_phone},
                )
            return redirect("absences:hub")
    context = {"form": form, "notices": selectors.reporting_notices(children)}
    return render(request, "absences/report_form.html", context)


@require_POST
def report_withdraw(request, pk):
    try:
        report = services.absence_withdraw(actor=request.user, report_id=pk)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The report for %(name)s is withdrawn.") % {"name": report.child.first_name}
        )
    return redirect("absences:hub")


def today_panel(request):
    """The "absent today" panel that the home page loads for teachers and assistants."""
    today = selectors.absent_today_for_staff(request.user)
    # htmx asks for the panel alone; without JavaScript the link opens it as a page.
    template = (
        "absences/_today_panel.html" if request.headers.get("HX-Request") else "absences/today.html"
    )
    return render(request, template, {"reports": today.reports, "groups": today.groups})


def group_week(request, group_id):
    week = selectors.group_week(request.user, group_id, _parse_day(request.GET.get("day"), None))
    return render(request, "absences/group_week.html", {"week": week})


def _day_filter(request, school_id):
    """The administration's day and filters; 404 for anyone else's school."""
    school = selectors.administered_school(request.user, school_id)
    groups = list(selectors.school_groups(school))
    today = selectors.today_in(school)
    form = DayFilterForm(request.GET or None, groups=groups, initial={"day": today})
    data = form.cleaned_data if form.is_valid() else {}
    day = data.get("day") or today
    return school, form, day, data.get("group"), data.get("kind") or None


def school_day(request, school_id):
    school, form, day, group_id, kind = _day_filter(request, school_id)
    school, reports = selectors.school_day_reports(
        request.user, school.pk, day, group_id=group_id, kind=kind
    )
    context = {
        "school": school,
        "form": form,
        "day": day,
        "reports": reports,
        "query": request.GET.urlencode(),
    }
    return render(request, "absences/school_day.html", context)


def _csv_cell(value):
    """Spreadsheets run cells that start like a formula; a quote keeps them text."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def school_day_csv(request, school_id):
    school, _form, day, group_id, kind = _day_filter(request, school_id)
    school, reports = selectors.school_day_reports(
        request.user, school.pk, day, group_id=group_id, kind=kind
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="absences-{school.slug}-{day}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Day"),
            _("Group"),
            _("First name"),
            _("Last name"),
            _("Reason"),
            _("Part of the day"),
            _("First day"),
            _("Last day"),
            _("Reported by"),
            _("By phone"),
            _("Reported at"),
            _("Late"),
            _("Note"),
        ]
    )
    yes, no = _("yes"), _("no")
    for report in reports:
        reporter = report.on_behalf_of or report.reported_by
        created = timezone.localtime(report.created_at, school.tz)
        writer.writerow(
            _csv_cell(value)
            for value in [
                day.isoformat(),
                report.child.group.name,
                report.child.first_name,
                report.child.last_name,
                report.get_kind_display(),
                report.get_part_display(),
                report.start.isoformat(),
                report.end.isoformat(),
                reporter.full_name if reporter else "",
                yes if report.by_phone else no,
                created.strftime("%Y-%m-%d %H:%M"),
                yes if report.is_late else no,
                report.note,
            ]
        )
    return response


def phone_report(request, school_id):
    school = selectors.administered_school(request.user, school_id)
    form = PhoneReportForm(
        request.POST or None,
        guardianships=selectors.phone_entry_choices(school),
        initial={"start": selectors.today_in(school)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reports = _report_into(
            form,
            actor=request.user,
            children=[data["guardianship"].child_id],
            on_behalf_of=data["guardianship"].guardian,
            kind=data["kind"],
            start=data["start"],
            end=data["end"],
            part=data["part"],
            note=data["note"],
        )
        if reports is not None:
            messages.success(
                request,
                _("Phone report for %(name)s recorded.") % {"name": reports[0].child.first_name},
            )
            return redirect("absences:school-day", school_id=school.pk)
    return render(request, "absences/phone_report.html", {"school": school, "form": form})
