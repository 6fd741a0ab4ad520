from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups import selectors as group_selectors
from media_sharing import selectors as media_selectors

from . import selectors
from .models import BODY_MAX, COMMENT_MAX, REASON_MAX, TITLE_MAX


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class CheckboxGroup(forms.CheckboxSelectMultiple):
    """Checkboxes announced as one named group: the field's <label> cannot point at a set of
    inputs, so screen readers get the name from the group itself."""

    template_name = "messaging/widgets/checkbox_group.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Only the wrapper carries the group's name, not each checkbox.
        for _group, options, _index in context["widget"]["optgroups"]:
            for option in options:
                option["attrs"].pop("aria_group_label", None)
        return context


class MediaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _("%(kind)s %(number)s of %(group)s, uploaded %(date)s") % {
            "kind": obj.get_kind_display(),
            "number": obj.pk,
            "group": obj.group.name,
            "date": timezone.localtime(obj.created_at, obj.group.school.tz).strftime(
                "%d-%m-%Y %H:%M"
            ),
        }


class PostForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text. Empty lines start a new paragraph; web addresses become links."),
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Groups"),
        queryset=None,
        required=False,
        widget=CheckboxGroup(attrs={"aria_group_label": _("Groups")}),
    )
    whole_school = forms.ModelChoiceField(
        label=_("Whole school"),
        queryset=None,
        required=False,
        empty_label=_("No, only the groups chosen"),
    )
    allow_reactions = forms.BooleanField(label=_("Parents may react"), required=False)
    publish_at = forms.DateTimeField(
        label=_("Publish at (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to publish now."),
    )
    attachments = MultipleFileField(
        label=_("Attachments (PDF or office documents)"),
        required=False,
        widget=MultipleFileInput(
            attrs={
                "accept": ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp",
            }
        ),
    )

    media = MediaChoiceField(
        label=_("Photos and videos"),
        queryset=None,
        required=False,
        widget=CheckboxGroup(attrs={"aria_group_label": _("Photos and videos")}),
        help_text=_(
            "Your new photos and videos, uploaded and tagged in the group's album. Each goes "
            "only to the families of its own group."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["groups"].queryset = selectors.postable_groups(user)
        drafts = media_selectors.draft_media(user)
        self.fields["media"].queryset = drafts
        if not drafts.exists():
            del self.fields["media"]
        led = group_selectors.led_schools(user)
        self.fields["whole_school"].queryset = led
        self.fields["allow_reactions"].initial = True
        if not led.exists():
            del self.fields["whole_school"]

    def clean(self):
        data = super().clean()
        school = data.get("whole_school")
        groups = list(data.get("groups") or [])
        if school is None and not groups:
            self.add_error("groups", _("Choose at least one group."))
            return data
        schools = {group.school for group in groups}
        if school is None and len(schools) > 1:
            self.add_error("groups", _("Choose groups of one school per post."))
            return data
        data["school"] = school or schools.pop()
        if data.get("publish_at"):
            # The form field read the time in the active time zone; it means the school's.
            naive = timezone.make_naive(data["publish_at"])
            data["publish_at"] = naive.replace(tzinfo=data["school"].tz)
        return data


class PostEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Text"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )
    allow_reactions = forms.BooleanField(label=_("Parents may react"), required=False)
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = post.school
        if post.published:
            # A published post stays where it is in the feed; only a scheduled one moves.
            del self.fields["publish_at"]

    def clean_publish_at(self):
        value = self.cleaned_data["publish_at"]
        return timezone.make_naive(value).replace(tzinfo=self.school.tz)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this inappropriate?"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
