from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ConsentEvent, ConsentPurpose


class DecisionForm(forms.Form):
    """A guardian's one-click choice for one purpose."""

    purpose = forms.ModelChoiceField(
        label=_("purpose"),
        queryset=ConsentPurpose.objects.none(),
        error_messages={
            "required": _("Choose one of the school's purposes."),
            "invalid_choice": _("Choose one of the school's purposes."),
        },
    )
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=ConsentEvent.Decision.choices,
        error_messages={
            "required": _("Choose to grant or to refuse."),
            "invalid_choice": _("Choose to grant or to refuse."),
        },
    )

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].queryset = ConsentPurpose.objects.filter(school_id=child.school_id)
