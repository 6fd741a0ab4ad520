import contextlib

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from . import services


@login_not_required
@require_POST
def language_switch(request):
    """Django's set_language, plus remembering the choice on the account."""
    # An unknown language is ignored, as set_language itself does, and the page reloads.
    if request.user.is_authenticated:
        with contextlib.suppress(ValidationError):
            services.user_set_language(actor=request.user, language=request.POST.get("language"))
    return set_language(request)
