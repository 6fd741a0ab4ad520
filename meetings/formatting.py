from django.utils import formats, timezone


def local_text(value, tz):
    """A datetime as the school's wall-clock time, formatted for the active language."""
    return formats.date_format(timezone.localtime(value, tz), "DATETIME_FORMAT")
