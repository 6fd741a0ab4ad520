from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups import selectors as group_selectors

from . import selectors, services
from .forms import DecisionForm, DeletionRequestForm
from .models import DataExport


def index(request):
    """Guardians: their children's privacy pages. Group staff: the "no photos" marks."""
    return render(
        request,
        "privacy/index.html",
        {
            "children": group_selectors.children_of_guardian(request.user).order_by(
                "first_name", "last_name"
            ),
            "staff_groups": selectors.staff_photo_marks(request.user),
            "latest_export": selectors.latest_data_export(request.user),
            "deletion_request": selectors.open_deletion_request(request.user),
            "deletion_form": DeletionRequestForm(),
        },
    )


def child_privacy(request, child_id):
    child = selectors.access_guardian_child(request.user, child_id)
    services.consent_purposes_ensure(child.school)
    consent = selectors.child_consent(child, viewer=request.user)
    return render(request, "privacy/child.html", {"consent": consent, "child": child})


@require_POST
def child_decide(request, child_id):
    child = selectors.access_guardian_child(request.user, child_id)
    form = DecisionForm(request.POST, child=child)
    if form.is_valid():
        purpose, decision = form.cleaned_data["purpose"], form.cleaned_data["decision"]
        services.consent_record(actor=request.user, child=child, purpose=purpose, decision=decision)
        if decision == "granted":
            text = _("You gave consent for “%(purpose)s”.")
        else:
            text = _("You refused consent for “%(purpose)s”.")
        messages.success(request, text % {"purpose": purpose.name})
    else:
        errors = " ".join(error for errors in form.errors.values() for error in errors)
        messages.error(request, _("Your choice was not saved. %(errors)s") % {"errors": errors})
    return redirect("privacy-child", child_id=child.pk)


@require_POST
def export_request(request):
    services.data_export_request(
        actor=request.user,
        download_base_url=request.build_absolute_uri(reverse("privacy-export")),
    )
    messages.success(
        request,
        _("We are preparing a copy of your data. You will receive an e-mail with a download link."),
    )
    return redirect("privacy-index")


def export_download(request, token):
    try:
        filename, content = services.data_export_claim(actor=request.user, token=token)
    except DataExport.DoesNotExist:
        raise Http404 from None
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def deletion_request(request):
    form = DeletionRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["confirm"]))
        return redirect("privacy-index")
    try:
        services.account_deletion_request(actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your request has been sent to the school's administration. They will confirm it."),
        )
    return redirect("privacy-index")
