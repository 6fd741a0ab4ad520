from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NOTE_MAX_LENGTH, AbsenceReport


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class _AbsenceFields(forms.Form):
    kind = forms.ChoiceField(
        label=_("Reason"), choices=AbsenceReport.Kind.choices, widget=forms.RadioSelect
    )
    start = forms.DateField(label=_("First day"), widget=DateInput())
    end = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for a single day."),
    )
    part = forms.ChoiceField(
        label=_("Part of the day"),
        choices=AbsenceReport.Part.choices,
        initial=AbsenceReport.Part.WHOLE,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the teacher (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("No medical details needed."),
    )


class AbsenceReportForm(_AbsenceFields):
    field_order = ["children", "kind", "start", "end", "part", "note"]

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices from the already loaded children: no second query to render or validate.
        self.fields["children"] = forms.TypedMultipleChoiceField(
            label=_("Child"),
            choices=[(c.pk, f"{c.full_name} ({c.group.name})") for c in children],
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("Choose at least one child.")},
        )
        self.order_fields(self.field_order)
        if len(children) == 1:
            self.fields["children"].initial = [children[0].pk]


class _GuardianshipChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.child.full_name} ({obj.child.group.name}) – {obj.guardian.full_name}"


class PhoneReportForm(_AbsenceFields):
    field_order = ["guardianship", "kind", "start", "end", "part", "note"]

    def __init__(self, *args, guardianships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardianship"] = _GuardianshipChoice(
            label=_("Child and the guardian who phoned"), queryset=guardianships
        )
        self.fields["note"].label = _("Note for the teacher")
        self.order_fields(self.field_order)


class DayFilterForm(forms.Form):
    day = forms.DateField(label=_("Day"), required=False, widget=DateInput())
    group = forms.TypedChoiceField(label=_("Group"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label=_("Reason"),
        required=False,
        choices=[("", _("All reasons")), *AbsenceReport.Kind.choices],
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All groups"))] + [(g.pk, g.name) for g in groups]
