from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import selectors, services
from .forms import NewAccountForm


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
