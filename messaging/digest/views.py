from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups import selectors as audience
from groups.models import School

from . import selectors, services
from .formatting import as_html
from .forms import NewsletterForm


def _add_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _schools(request):
    schools = audience.administered_schools(request.user).order_by("name")
    if not schools:
        raise Http404
    return schools


@require_GET
def newsletter_list(request):
    schools = _schools(request)
    newsletters = selectors.newsletters_for(request.user)
    return render(
        request,
        "messaging/digest/newsletter_list.html",
        {"newsletters": newsletters, "schools": schools},
    )


@require_http_methods(["GET", "POST"])
def newsletter_create(request):
    schools = _schools(request)
    now = timezone.now()
    school = schools[0]
    posted_school = request.POST.get("school", "")
    if request.method == "POST" and posted_school.isdigit():
        # Month choices follow the chosen school's newsletter day; the form validates it.
        school = schools.filter(pk=posted_school).first() or school
    form = NewsletterForm(
        request.POST or None,
        request.FILES or None,
        schools=schools,
        school=school,
        now=now,
        initial={"school": school},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            newsletter = services.newsletter_create(
                actor=request.user,
                school=data.get("school", school),
                title=data["title"],
                body=data["body"],
                month=data["month"],
                attachment=data["attachment"],
                now=now,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("digest:newsletter", pk=newsletter.pk)
    return render(request, "messaging/digest/newsletter_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def newsletter_edit(request, pk):
    newsletter = selectors.access_newsletter(request.user, pk)
    if not newsletter.editable:
        messages.error(request, _("Only a draft can be changed. A correction is a new message."))
        return redirect("digest:newsletter", pk=newsletter.pk)
    now = timezone.now()
    form = NewsletterForm(
        request.POST or None,
        request.FILES or None,
        schools=School.objects.filter(pk=newsletter.school_id),
        school=newsletter.school,
        now=now,
        has_attachment=bool(newsletter.attachment),
        initial={
            "school": newsletter.school,
            "title": newsletter.title,
            "body": newsletter.body,
            "month": newsletter.month.isoformat(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.newsletter_update(
                actor=request.user,
                newsletter=newsletter,
                title=data["title"],
                body=data["body"],
                month=data["month"],
                attachment=data["attachment"],
                remove_attachment=data.get("remove_attachment", False),
                now=now,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("digest:newsletter", pk=newsletter.pk)
    return render(
        request, "messaging/digest/newsletter_form.html", {"form": form, "newsletter": newsletter}
    )


@require_GET
def newsletter_detail(request, pk):
    """The preview: the newsletter as parents will see it, with schedule actions."""
    newsletter = selectors.access_newsletter(request.user, pk)
    return render(
        request,
        "messaging/digest/newsletter_detail.html",
        {"newsletter": newsletter, "body_html": as_html(newsletter.body)},
    )


@require_POST
def newsletter_schedule(request, pk):
    newsletter = selectors.access_newsletter(request.user, pk)
    try:
        if request.POST.get("action") == "unschedule":
            services.newsletter_unschedule(actor=request.user, newsletter=newsletter)
            messages.success(request, _("The newsletter is a draft again."))
        else:
            services.newsletter_schedule(actor=request.user, newsletter=newsletter)
            messages.success(request, _("The newsletter is scheduled."))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("digest:newsletter", pk=newsletter.pk)


@require_GET
def newsletter_attachment(request, pk):
    newsletter = selectors.access_newsletter(request.user, pk)
    if not newsletter.attachment:
        raise Http404
    return FileResponse(
        newsletter.attachment.open("rb"),
        as_attachment=True,
        filename=newsletter.attachment_name,
        content_type="application/pdf",
    )


@require_GET
def reminders(request):
    """The group-message reminders the home page loads for teachers and assistants."""
    if not audience.staffed_groups(request.user).exists():
        raise Http404
    found = selectors.open_cadence_reminders(request.user, now=timezone.now())
    # htmx asks for the panel alone; without JavaScript the link opens it as a page.
    template = (
        "messaging/digest/_reminders.html"
        if request.headers.get("HX-Request")
        else "messaging/digest/reminders.html"
    )
    return render(request, template, {"reminders": found})


# RFC 8058 one-click: the mail program POSTs without a session or CSRF token; the signed,
# expiring token in the URL is the proof instead.
@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        person = selectors.unsubscribe_user(token)
    except signing.BadSignature:
        return render(request, "messaging/digest/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        services.digest_unsubscribe(token=token)
        return render(request, "messaging/digest/unsubscribe_done.html", {"person": person})
    return render(request, "messaging/digest/unsubscribe.html", {"person": person})
