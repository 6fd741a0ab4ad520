from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import selectors, services
from .forms import GuardianInviteForm, NewAccountForm


def _unusable(request):
    return render(request, "invitations/unusable.html", status=410)


@login_not_required
@never_cache
def accept(request, token):
    """The page behind the link in the invitation e-mail."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        return _unusable(request)
    context = {"invitation": invitation}
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.invitation_accept_existing_account(token=token, actor=request.user)
            except services.InvitationUnusable:
                return _unusable(request)
            messages.success(request, _("Welcome! The invitation is accepted."))
            return redirect("home")
        return render(request, "invitations/accept_existing.html", context)

    if selectors.account_exists(invitation.email):
        context["login_url"] = f"{reverse('login')}?next={request.path}"
        return render(request, "invitations/log_in_first.html", context)

    form = NewAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept_new_account(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationUnusable:
            return _unusable(request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect("home")
    context["form"] = form
    return render(request, "invitations/accept_new.html", context)


def invite_guardian(request):
    """Teachers invite parents of their own group's children (administration: any child)."""
    children = selectors.invitable_children(request.user)
    if not children.exists():
        raise Http404
    form = GuardianInviteForm(request.POST or None, children=children)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request.user,
                email=form.cleaned_data["email"],
                child=form.cleaned_data["child"],
                language=form.cleaned_data["language"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s for %(child)s.")
                % {"email": invitation.email, "child": invitation.child.first_name},
            )
            return redirect("invitation_new")
    context = {"form": form, "invitations": selectors.guardian_invitations_of(children)}
    return render(request, "invitations/invite_guardian.html", context)
