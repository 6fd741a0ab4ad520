import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Child, Group

from .models import AgendaItem


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def in_school_time(value, school):
    """Browsers send wall-clock times; read them on the school's clock, not the server's."""
    if value is None:
        return None
    naive = timezone.make_naive(value, timezone.get_current_timezone())
    return naive.replace(tzinfo=school.tz)


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    purpose = forms.CharField(
        label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    duration_minutes = forms.IntegerField(
        label=_("Minutes per meeting"), min_value=5, max_value=120, initial=10
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Groups"), queryset=Group.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    children = forms.ModelMultipleChoiceField(
        label=_("Only these children"),
        queryset=Child.objects.none(),
        required=False,
        help_text=_("Leave empty to invite every family of the chosen groups."),
    )
    opens_at = forms.DateTimeField(label=_("Booking opens"), widget=DateTimeLocalInput())
    early_opens_at = forms.DateTimeField(
        label=_("Early opening for families with children in several groups"),
        widget=DateTimeLocalInput(),
        required=False,
    )
    closes_at = forms.DateTimeField(label=_("Booking closes"), widget=DateTimeLocalInput())

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = groups
        self.fields["children"].queryset = Child.objects.filter(
            group__in=groups.values("id")
        ).select_related("group")

    def clean(self):
        data = super().clean()
        groups = data.get("groups") or []
        schools = {group.school for group in groups}
        if len(schools) > 1:
            raise forms.ValidationError(_("Choose groups of one school."))
        data["school"] = next(iter(schools), None)
        if data["school"]:
            for name in ("opens_at", "early_opens_at", "closes_at"):
                data[name] = in_school_time(data.get(name), data["school"])
        return data


class SlotPlanForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.none())
    staff = forms.ModelChoiceField(
        label=_("Staff member"), queryset=get_user_model().objects.none()
    )
    room = forms.CharField(label=_("Room"), max_length=64, required=False)
    day = forms.DateField(label=_("Day"), widget=DateInput())
    start = forms.TimeField(label=_("From"), widget=TimeInput())
    end = forms.TimeField(label=_("Until"), widget=TimeInput())
    break_start = forms.TimeField(label=_("Break from"), widget=TimeInput(), required=False)
    break_end = forms.TimeField(label=_("Break until"), widget=TimeInput(), required=False)

    def __init__(self, *args, groups, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda user: user.full_name or user.email

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start >= end:
            self.add_error("end", _("The end must come after the start."))
        b_start, b_end = data.get("break_start"), data.get("break_end")
        if bool(b_start) != bool(b_end):
            raise forms.ValidationError(_("Give both the start and the end of the break."))
        if b_start and b_end and b_start >= b_end:
            self.add_error("break_end", _("The break must end after it starts."))
        return data

    def breaks(self):
        data = self.cleaned_data
        if data.get("break_start"):
            return ((data["break_start"], data["break_end"]),)
        return ()


class BaseSlotPlanFormSet(forms.BaseFormSet):
    def __init__(self, *args, groups, staff, **kwargs):
        self._groups, self._staff = groups, staff
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"groups": self._groups, "staff": self._staff}


SlotPlanFormSet = forms.formset_factory(
    SlotPlanForm, formset=BaseSlotPlanFormSet, extra=2, min_num=1, validate_min=True
)


class HelpRequestForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.none())
    title = forms.CharField(label=_("Title"), max_length=150)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    closes_at = forms.DateTimeField(label=_("Sign-up closes"), widget=DateTimeLocalInput())
    roles = forms.CharField(
        label=_("Roles"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('One role per line with the number needed, e.g. "4 escorts".'),
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups

    def clean_roles(self):
        roles = []
        for line in self.cleaned_data["roles"].splitlines():
            line = line.strip()
            if not line:
                continue
            number, _space, name = line.partition(" ")
            if not number.isdigit() or not name.strip():
                raise forms.ValidationError(
                    _('Write each role as a number and a name, e.g. "2 drivers".')
                )
            roles.append((name.strip(), int(number)))
        return roles

    def clean(self):
        data = super().clean()
        if data.get("group") and data.get("closes_at"):
            data["closes_at"] = in_school_time(data["closes_at"], data["group"].school)
        return data


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["group", "date", "end_date", "title", "kind", "description"]
        widgets = {"date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, groups, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["group"].required = False
        self.fields["school"] = forms.ModelChoiceField(label=_("School"), queryset=schools)
        self.order_fields(["school", *self.Meta.fields])

    def clean(self):
        data = super().clean()
        group, school = data.get("group"), data.get("school")
        if group and school and group.school_id != school.pk:
            self.add_error("group", _("The group must belong to the school."))
        return data


def parse_day(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
