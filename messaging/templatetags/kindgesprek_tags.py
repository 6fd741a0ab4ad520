from django import template

from messaging.kindgesprek import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def kindgesprek_unread(context):
    """Unread kindgesprek messages for the navigation: one query."""
    request = context.get("request")
    return selectors.unread_count(getattr(request, "user", None))
