import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from . import services
from .forms import PreferencesForm


@login_not_required
@require_POST
def language_switch(request):
    """Django's set_language, plus remembering the choice on the account."""
    # An unknown language is ignored, as set_language itself does, and the page reloads.
    if request.user.is_authenticated:
        with contextlib.suppress(ValidationError):
            services.user_set_language(actor=request.user, language=request.POST.get("language"))
    return set_language(request)


def preferences(request):
    """A person's own settings: name, language, and how they hear about new messages."""
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_preferences(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            translation.activate(request.user.preferred_language)
            messages.success(request, _("Your settings are saved."))
            return redirect("preferences")
    if form.is_bound:
        # Whatever was posted, nothing of it stays on the account until it is valid.
        request.user.refresh_from_db()
    return render(request, "accounts/preferences.html", {"form": form})
