"""Bank text to safe HTML: escaped first, then a few Markdown marks (bold, italics, paragraphs).

Stems and options are written by authors, and answers by trainees; whatever the source, text
is escaped before it reaches a page, so nothing typed can become markup or script.
"""

from __future__ import annotations

import html
import re

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


def inline_html(text: str) -> str:
    """One line of bank text as HTML: escaped, with **bold** and *italics*."""
    escaped = html.escape(text, quote=True)
    return _ITALIC.sub(r"<em>\1</em>", _BOLD.sub(r"<strong>\1</strong>", escaped))


def paragraphs_html(text: str) -> str:
    """Bank or trainee text as HTML paragraphs; blank lines separate paragraphs."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]
    return "".join(f"<p>{inline_html(block).replace(chr(10), '<br>')}</p>" for block in blocks)
