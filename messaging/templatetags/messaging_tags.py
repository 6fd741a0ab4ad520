from django import template

from ..rendering import render_text

register = template.Library()


@register.filter
def as_text_html(value):
    """A person's plain text as safe HTML: paragraphs, line breaks and links only."""
    return render_text(value or "")
