import datetime

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from . import periods
from .models import NEWSLETTER_BODY_MAX, NEWSLETTER_TITLE_MAX

MONTHS_AHEAD = 12


def month_choices(school, now):
    """The coming months whose newsletter day is still ahead, as (YYYY-MM-01, label)."""
    first = now.astimezone(school.tz).date().replace(day=1)
    choices = []
    for offset in range(MONTHS_AHEAD + 1):
        year, month = divmod(first.month - 1 + offset, 12)
        month_start = datetime.date(first.year + year, month + 1, 1)
        moment = periods.newsletter_moment(school, month_start)
        if moment > now:
            label = formats.date_format(moment.astimezone(school.tz), "j F Y")
            choices.append((month_start.isoformat(), label))
    return choices


class NewsletterForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=NEWSLETTER_TITLE_MAX)
    body = forms.CharField(
        label=_("Text"),
        max_length=NEWSLETTER_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "A blank line starts a new paragraph. You may use &lt;strong&gt;, &lt;em&gt;, "
            "&lt;h2&gt;, &lt;h3&gt;, lists (&lt;ul&gt;, &lt;ol&gt;, &lt;li&gt;) and links "
            "(&lt;a href&gt;); anything else is removed."
        ),
    )
    month = forms.TypedChoiceField(
        label=_("Send on"),
        coerce=datetime.date.fromisoformat,
        help_text=_("The school's newsletter day of that month."),
    )
    attachment = forms.FileField(
        label=_("Attachment (PDF, optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    remove_attachment = forms.BooleanField(label=_("Remove the attachment"), required=False)

    def __init__(self, *args, schools, school, now, has_attachment=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["month"].choices = month_choices(school, now)
        if len(schools) < 2:
            # Administration of one school writes for that school; nothing to choose.
            del self.fields["school"]
        if not has_attachment:
            del self.fields["remove_attachment"]
