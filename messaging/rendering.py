"""Plain text from people becomes HTML with line breaks and links, and nothing else."""

import re

import nh3
from django.utils.html import escape
from django.utils.safestring import mark_safe

# Found in the raw text; trailing punctuation belongs to the sentence, not the link.
URL_RE = re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")

ALLOWED_TAGS = {"a", "br", "p"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def _linkify(paragraph: str) -> str:
    parts, last = [], 0
    for match in URL_RE.finditer(paragraph):
        url = escape(match.group(0))
        parts += [escape(paragraph[last : match.start()]), f'<a href="{url}">{url}</a>']
        last = match.end()
    parts.append(escape(paragraph[last:]))
    return "".join(parts)


def render_text(text: str) -> str:
    """Escape everything, turn URLs into links and line breaks into <br>/<p>; nh3 then
    guarantees that only those tags, http(s) links and safe rel attributes remain."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    html = "".join(
        "<p>" + _linkify(paragraph).replace("\n", "<br>") + "</p>"
        for paragraph in paragraphs
        if paragraph.strip()
    )
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 -- escaped above and sanitized by nh3
