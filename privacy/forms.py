from django import forms
from django.contrib.auth import get_user_model
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


class PaperDecisionForm(forms.Form):
    """Administration records a guardian's decision from a paper form or an import."""

    purpose = forms.ModelChoiceField(label=_("purpose"), queryset=ConsentPurpose.objects.none())
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=ConsentEvent.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose to grant or to refuse.")},
    )
    on_behalf_of = forms.ModelChoiceField(
        label=_("guardian who decided"),
        queryset=get_user_model().objects.none(),
        error_messages={"invalid_choice": _("Choose one of the child's guardians.")},
    )
    source = forms.ChoiceField(
        label=_("source"),
        choices=[
            (ConsentEvent.Source.PAPER.value, ConsentEvent.Source.PAPER.label),
            (ConsentEvent.Source.IMPORT.value, ConsentEvent.Source.IMPORT.label),
        ],
        initial=ConsentEvent.Source.PAPER.value,
    )
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: paper form handed in on 3 September, filed in the pupil file."),
        error_messages={"required": _("Give a reason, for example: paper form of 3 September.")},
    )

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].queryset = ConsentPurpose.objects.filter(
            school_id=child.school_id
        ).order_by("ordering", "pk")
        self.fields["on_behalf_of"].queryset = get_user_model().objects.filter(
            guardianships__child=child
        )


class DeletionRequestForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand that my account and my personal data will be deleted once the "
            "administration confirms."
        ),
        error_messages={"required": _("Tick the box to confirm your request.")},
    )
