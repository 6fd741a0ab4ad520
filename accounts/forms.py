from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        # One answer for unknown e-mail and wrong password: no hint which addresses exist.
        "invalid_login": _("That e-mail address and password do not match an active account."),
        "inactive": _("That e-mail address and password do not match an active account."),
    }


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = [
            "full_name",
            "preferred_language",
            "digest_enabled",
            "post_notifications",
            "message_notifications",
        ]
        widgets = {
            "post_notifications": forms.RadioSelect,
            "message_notifications": forms.RadioSelect,
        }
