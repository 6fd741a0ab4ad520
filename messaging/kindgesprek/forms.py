import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import WEEKDAYS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    attachments = MultipleFileField(
        label=_("Photos or documents (optional)"),
        required=False,
        help_text=_("Photos (JPEG, PNG) or PDF documents, at most 10 MB each."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    photos = MultipleFileField(
        label=_("Photos to share (optional)"),
        required=False,
        help_text=_(
            "JPEG, PNG or WebP. Shown only in this conversation, without location or camera "
            "details."
        ),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    send_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def hidden_fields(self):
        # send_at is the value of the "send on Monday at 08:00" button; an empty hidden input
        # in the same form would compete with it.
        return [field for field in super().hidden_fields() if field.name != "send_at"]


class AvailabilityForm(forms.Form):
    """Start and end per weekday; leave both empty for a day off."""

    def __init__(self, *args, hours=None, **kwargs):
        super().__init__(*args, **kwargs)
        hours = hours or {}
        for day, label in WEEKDAYS:
            span = hours.get(day)
            self.fields[f"start_{day}"] = forms.TimeField(
                label=_("%(day)s from") % {"day": label},
                required=False,
                initial=span[0] if span else None,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
            self.fields[f"end_{day}"] = forms.TimeField(
                label=_("%(day)s until") % {"day": label},
                required=False,
                initial=span[1] if span else None,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )

    def clean(self):
        data = super().clean()
        for day, _label in WEEKDAYS:
            start, end = data.get(f"start_{day}"), data.get(f"end_{day}")
            if (start is None) != (end is None):
                self.add_error(f"end_{day}", _("Fill in both times, or neither for a day off."))
            elif start is not None and end is not None and not start < end:
                self.add_error(f"end_{day}", _("The end time must be after the start time."))
        return data

    def hours(self) -> dict[int, tuple[datetime.time, datetime.time] | None]:
        data = self.cleaned_data
        result = {}
        for day, _label in WEEKDAYS:
            start, end = data.get(f"start_{day}"), data.get(f"end_{day}")
            result[day] = (start, end) if start and end else None
        return result
