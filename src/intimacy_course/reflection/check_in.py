"""What a reflection form shows at once when the learner says they feel unsettled.

Every reflection starts with the same check-in, ``how_settled``: a 1-5 scale from "Very
unsettled" to "Very settled". Choosing 1 or 2 opens a panel inside the form, right under
the check-in: the grounding steps the page itself teaches, then the course's one "If you
need help now" section (``source_texts/help_now.md``). Nothing is blocked: the questions
stay open, and the panel closes again if the learner picks 3 or more or clears the choice.

Why 1 *and* 2: 1 and 2 are the two unsettled points of the scale (3 is the middle). A
one-off rating is a rough measure, and people who are struggling often pick the second
worst point rather than the worst. The panel costs a settled reader one glance and blocks
nothing, while missing someone who is struggling costs far more, so the panel errs towards
showing. The words differ: 1 is named "very unsettled", 2 "on the unsettled side".

The panel is widget state, like the answers: it is never printed into a cell output, so
neither the rating nor the fact that help was shown is saved in the notebook file.
"""

from __future__ import annotations

import html
import re

import ipywidgets as widgets

from intimacy_course.content.help_now import HELP_NOW, HelpTextError, grounding_steps
from intimacy_course.content.prompts import Prompt

__all__ = [
    "CHECK_IN_PROMPT",
    "SUPPORT_CLASS",
    "UNSETTLED_POINTS",
    "CheckInSupport",
    "markdown_html",
]

#: The prompt id of the check-in every reflection starts with (workbook/README.md).
CHECK_IN_PROMPT = "how_settled"
#: How many points from the bottom of the scale open the panel: 1 and 2 on a 1-5 scale.
UNSETTLED_POINTS = 2
#: CSS class of the panel, for browser tests.
SUPPORT_CLASS = "reflection-check-in-support"

_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")
_BULLET = re.compile(r"^[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\d+\.\s+(.*)$")


def _inline(text: str) -> str:
    escaped = html.escape(text, quote=True)
    linked = _LINK.sub(r'<a href="\2" target="_blank" rel="noopener">\1</a>', escaped)
    return _ITALIC.sub(r"<em>\1</em>", _BOLD.sub(r"<strong>\1</strong>", linked))


def markdown_html(markdown: str) -> str:
    """The course's help texts as HTML: paragraphs, lists, bold, italics and web links.

    A deliberately small reader for the few marks ``help_now.md`` and the grounding steps
    use; everything is escaped first, so no text can become markup.
    """
    parts: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""

    def flush() -> None:
        nonlocal list_tag
        if paragraph:
            parts.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            parts.append(f"<{list_tag}>{''.join(items)}</{list_tag}>")
            items.clear()
            list_tag = ""

    for raw in markdown.splitlines():
        line = raw.strip()
        bullet = _BULLET.match(line)
        item = bullet or _NUMBERED.match(line)
        if not line:
            flush()
        elif item:
            tag = "ul" if bullet else "ol"
            if paragraph or (items and tag != list_tag):
                flush()
            list_tag = tag
            items.append(f"<li>{_inline(item.group(1))}</li>")
        elif items:
            items[-1] = items[-1][: -len("</li>")] + f" {_inline(line)}</li>"
        else:
            paragraph.append(line)
    flush()
    return "".join(parts)


class CheckInSupport:
    """The panel under the check-in: hidden until the rating is unsettled (see module doc)."""

    def __init__(self, prompt: Prompt, module: str) -> None:
        self.prompt = prompt
        self.module = module
        self.widget = widgets.HTML("", layout=widgets.Layout(display="none"))
        self.widget.add_class(SUPPORT_CLASS)
        self._body: str | None = None

    @property
    def visible(self) -> bool:
        return self.widget.layout.display != "none"

    def shows_for(self, value: object) -> bool:
        """Whether a rating opens the panel: the lowest ``UNSETTLED_POINTS`` of the scale."""
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and self.prompt.min <= value < self.prompt.min + UNSETTLED_POINTS
        )

    def update(self, value: object) -> None:
        """Show the panel for an unsettled rating, hide it for any other or none."""
        if not self.shows_for(value):
            self.widget.layout.display = "none"
            self.widget.value = ""
            return
        assert isinstance(value, int)
        if value == self.prompt.min:
            chose = f"You chose {value}, {self.prompt.min_label.lower()}."
        else:
            chose = f"You chose {value}, on the unsettled side."
        self.widget.value = (
            f'<div role="region" aria-label="Support for right now" '
            f'style="border-left:4px solid #1565c0;padding:0.3em 0.9em;margin:0.2em 0 1em 0">'
            f'<p aria-live="polite"><strong>{html.escape(chose)}</strong> Thank you for '
            "checking in with yourself. You can stop here, take a break, or go on: the "
            "questions below stay open, and nothing is saved until you press Save.</p>"
            f"{self._support_html()}</div>"
        )
        self.widget.layout.display = ""

    @property
    def text(self) -> str:
        """The panel as plain text (what a reader sees), empty while hidden."""
        if not self.visible:
            return ""
        text = re.sub(r"<(?:p|li|h4)[^>]*>", "\n", self.widget.value)
        return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()

    def _support_html(self) -> str:
        if self._body is None:
            steps = grounding_steps(self.module)
            grounding = (
                "<p><strong>Try these grounding steps</strong> (the same as at the top of "
                f"this page):</p>{markdown_html(steps)}"
                if steps
                else "<p>Try the grounding exercise at the top of this page.</p>"
            )
            try:
                lines = HELP_NOW.text().splitlines()
                help_now = (
                    f"<h4 style='margin:0.6em 0 0.2em 0'>{html.escape(lines[0].lstrip('# '))}"
                    f"</h4>{markdown_html(chr(10).join(lines[1:]))}"
                )
            except HelpTextError:
                help_now = "<p>Help lines are at the end of this page.</p>"
            self._body = grounding + help_now
        return self._body

    def close(self) -> None:
        self.widget.close()
