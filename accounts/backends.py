"""Login lockout (django-axes) for every login form: the site, the admin and the API token."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import ngettext


def lockout_username(request, credentials=None):
    """Count attempts per e-mail address as the login matches it: case-insensitively."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username", "")
    return (username or "").strip().lower()


class LoginLockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check, skipped for authenticate() calls without a request.

    Only code calls authenticate() without a request (the shell, the test client's login());
    every login that arrives over HTTP passes one, so it is counted and can be locked.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_minutes():
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message():
    return ngettext(
        "Too many failed attempts to log in to this account from here. "
        "Try again in %(minutes)d minute, or reset your password.",
        "Too many failed attempts to log in to this account from here. "
        "Try again in %(minutes)d minutes, or reset your password.",
        lockout_minutes(),
    ) % {"minutes": lockout_minutes()}


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page (AXES_LOCKOUT_CALLABLE): translated, with the way out."""
    return render(
        request,
        "accounts/locked_out.html",
        {"message": lockout_message()},
        status=429,
    )
