from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Many files in one field; each is checked by the upload service, not here."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Photos and videos"),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,video/*"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limit is a setting and counts the drafts already waiting, not one upload.
        self.fields["files"].help_text = _(
            "JPEG, PNG or WebP photos, MP4, MOV or WebM videos; at most %(max)s per post."
        ) % {"max": settings.MEDIA_MAX_FILES}


class TagForm(forms.Form):
    children = forms.TypedMultipleChoiceField(
        label=_("Children in this photo"), coerce=int, required=False
    )
    confirmed_no_recognisable_children = forms.BooleanField(
        label=_("No child can be recognised in this photo"), required=False
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].choices = [(child.pk, child.full_name) for child, _ok in choices]
