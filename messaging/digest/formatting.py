"""The newsletter's small formatting subset: paragraphs, bold, italics, lists, headings and
links. Everything else is removed by nh3, whatever the administration pastes in."""

import html
import re

import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "h2", "h3", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
BLOCK_RE = re.compile(r"<(p|ul|ol|h2|h3)\b", re.IGNORECASE)


def sanitize(text: str) -> str:
    """Clean HTML to store. Text without block tags gets paragraphs from blank lines and line
    breaks from single ones, so plain typing looks as typed."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not BLOCK_RE.search(text):
        paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
        text = "".join("<p>" + part.replace("\n", "<br>") + "</p>" for part in paragraphs)
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def as_html(clean: str) -> str:
    return mark_safe(clean)  # noqa: S308 -- stored only after nh3.clean (sanitize above)


def as_text(clean: str) -> str:
    """Plain text of the cleaned HTML for the e-mail's text part and the feed post: blocks
    become lines, list items get a dash, links keep their address."""
    text = re.sub(r'<a href="([^"]*)"[^>]*>(.*?)</a>', r"\2 (\1)", clean, flags=re.S)
    text = re.sub(r"<li>", "- ", text)
    text = re.sub(r"<br>", "\n", text)
    text = re.sub(r"</(p|h2|h3|ul|ol)>", "\n\n", text)
    text = re.sub(r"</li>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
