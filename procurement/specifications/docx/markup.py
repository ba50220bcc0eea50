"""The restricted markup of the encart and of the base-vie article.

Staff type plain text in a text area; three things are understood, nothing else:

- `**bold**`;
- a line starting with `- ` (or `* `) is a bullet list item;
- `[text](https://...)` is a link (https, http or mailto only).

Every other line is a paragraph of its own. Nothing is ever passed through as HTML or XML: the
HTML preview escapes every character typed and the DOCX rendering writes text nodes.
"""

import re
from dataclasses import dataclass

LINK_SCHEMES = ("https://", "http://", "mailto:")
_TOKEN = re.compile(r"\*\*|\[(?P<text>[^\[\]\n]+)\]\((?P<url>[^()\s]+)\)")
# Anything that looks like a link, even with an address our links refuse (spaces, brackets, other schemes).
_LINK_ATTEMPT = re.compile(r"\[[^\[\]\n]+\]\((?P<url>[^)\n]*)\)?")
_BULLET = re.compile(r"^\s*[-*]\s+")


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    href: str = ""


@dataclass(frozen=True)
class Block:
    spans: tuple[Span, ...]
    is_list_item: bool = False

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


def is_allowed_link(url: str) -> bool:
    return url.lower().startswith(LINK_SCHEMES) and len(url) > len("mailto:")


def link_errors(source: str) -> list[str]:
    """Links whose address would not be kept, as French sentences (for form validation)."""
    return [
        f"Le lien «\u00a0{match.group('url') or '(vide)'}\u00a0» doit commencer par https://, http:// ou mailto:."
        for match in _LINK_ATTEMPT.finditer(source)
        if not is_allowed_link(match.group("url"))
    ]


def parse(source: str) -> list[Block]:
    blocks = []
    for raw_line in source.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw_line.strip()
        if not line:
            continue
        is_item = bool(_BULLET.match(line))
        if is_item:
            line = _BULLET.sub("", line, count=1)
        spans = parse_inline(line)
        if spans:
            blocks.append(Block(spans=tuple(spans), is_list_item=is_item))
    return blocks


def parse_inline(line: str) -> list[Span]:
    # An unpaired `**` is literal text: only the first (count - count % 2) markers toggle bold.
    markers_left = line.count("**") - line.count("**") % 2
    spans: list[Span] = []
    bold = False
    position = 0

    def add(text: str, href: str = "") -> None:
        if text:
            spans.append(Span(text=text, bold=bold, href=href))

    for match in _TOKEN.finditer(line):
        if match.group(0) == "**":
            if markers_left <= 0:
                continue
            add(line[position : match.start()])
            bold = not bold
            markers_left -= 1
        else:
            add(line[position : match.start()])
            url = match.group("url")
            if is_allowed_link(url):
                add(match.group("text"), href=url)
            else:
                add(match.group(0))
        position = match.end()
    add(line[position:])
    return _merge(spans)


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in spans:
        if merged and merged[-1].bold == span.bold and merged[-1].href == span.href:
            merged[-1] = Span(text=merged[-1].text + span.text, bold=span.bold, href=span.href)
        else:
            merged.append(span)
    return merged


def to_plain_text(source: str) -> str:
    lines = []
    for block in parse(source):
        text = "".join(span.text + (f" ({span.href})" if span.href else "") for span in block.spans)
        lines.append(f"• {text}" if block.is_list_item else text)
    return "\n".join(lines)
