"""The encart's markup rendered as escaped HTML, for the preview pages and the fiche's PDF."""

from django import template
from django.utils.html import format_html, format_html_join

from procurement.specifications.docx.markup import Span, parse

register = template.Library()


@register.filter
def encart_html(source: str) -> str:
    """Escaped HTML for the preview: paragraphs and `<ul>` lists, `<strong>`, `<a>`."""
    parts = []
    items: list[str] = []
    for block in parse(source):
        inline = _inline_html(block.spans)
        if block.is_list_item:
            items.append(inline)
            continue
        if items:
            parts.append(_list_html(items))
            items = []
        parts.append(format_html("<p>{}</p>", inline))
    if items:
        parts.append(_list_html(items))
    return format_html_join("\n", "{}", ((part,) for part in parts))


def _list_html(items: list[str]) -> str:
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((item,) for item in items)))


def _inline_html(spans: tuple[Span, ...]) -> str:
    def one(span: Span) -> str:
        html = format_html("{}", span.text)
        if span.href:
            html = format_html('<a href="{}" rel="noopener">{}</a>', span.href, html)
        if span.bold:
            html = format_html("<strong>{}</strong>", html)
        return html

    return format_html_join("", "{}", ((one(span),) for span in spans))
