"""Bank text to safe HTML: escaped first, then a few Markdown marks (bold, italics, paragraphs).

Stems and options are written by authors, and answers by trainees; whatever the source, text
is escaped before it reaches a page, so nothing typed can become markup or script.
"""

from __future__ import annotations

import html
import re

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


def inline_html(text: str) -> str:
    """One line of bank text as HTML: escaped, with **bold** and *italics*."""
    escaped = html.escape(text, quote=True)
    linked = _LINK.sub(r'<a href="\2">\1</a>', escaped)
    return _ITALIC.sub(r"<em>\1</em>", _BOLD.sub(r"<strong>\1</strong>", linked))


def section_html(markdown: str) -> str:
    """A short Markdown section (headings, bullet lists, paragraphs) as HTML, text escaped.

    Enough for the course's own generated texts, such as the help section; links are kept
    only when they point to http(s) addresses.
    """
    parts: list[str] = []
    items: list[str] = []

    def close_list() -> None:
        if items:
            parts.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items.clear()

    for block in re.split(r"\n\s*\n", markdown.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines or lines[0].startswith("<!--"):
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", lines[0])
        if heading:
            close_list()
            level = min(6, len(heading.group(1)))
            parts.append(f"<h{level}>{inline_html(heading.group(2))}</h{level}>")
            lines = lines[1:]
        if lines and all(line.startswith("- ") for line in lines):
            items.extend(inline_html(line[2:]) for line in lines)
            continue
        if lines:
            close_list()
            parts.append(f"<p>{inline_html(' '.join(lines))}</p>")
    close_list()
    return "".join(parts)


def paragraphs_html(text: str) -> str:
    """Bank or trainee text as HTML paragraphs; blank lines separate paragraphs."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]
    return "".join(f"<p>{inline_html(block).replace(chr(10), '<br>')}</p>" for block in blocks)
