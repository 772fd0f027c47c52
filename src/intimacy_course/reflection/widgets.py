"""The ipywidgets for one reflection prompt, and a display that keeps answers out of outputs.

Each prompt kind gets the plainest widget that a keyboard and a screen reader handle well:
a Textarea (Enter starts a new line and never submits), a row of toggle buttons with
labelled ends, radio buttons, or one checkbox per option. The visible question is an HTML
heading with help text; the same words are also the input's own ``description`` (plain
text, never HTML), which the browser binds to the input as its accessible name. A small
style rule hides that second copy from sight only, so sighted users do not read the
question twice and screen readers still announce it on the input.

Widget state is where answers live while the notebook is open, so nothing here prints an
answer into a cell output: outputs are saved in the notebook file, widget state is not
(set-up turns JupyterLab's ``saveState`` off).
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from intimacy_course.content.prompts import Prompt
from intimacy_course.reflection.answers import empty_value

#: CSS class names that browser tests and the style rule below rely on.
FORM_CLASS = "reflection-form"
SAVE_CLASS = "reflection-save"
STATUS_CLASS = "reflection-status"
ERRORS_CLASS = "reflection-errors"
PROMPT_CLASS = "reflection-prompt"
ERROR_CLASS = "reflection-error"
COUNT_CLASS = "reflection-count"
HIDDEN_DESCRIPTION_CLASS = "reflection-described"

#: Visually hides an input's own description (its accessible name) inside our forms only.
FORM_STYLE = f"""<style>
.{FORM_CLASS} .{HIDDEN_DESCRIPTION_CLASS} > .widget-label {{
  position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; margin: 0; padding: 0;
}}
.{FORM_CLASS} .{PROMPT_CLASS} {{ margin-bottom: 0.9em; }}
.{FORM_CLASS} .reflection-help {{ color: var(--jp-ui-font-color1, #333); margin: 0 0 0.3em 0; }}
.{FORM_CLASS} .{ERROR_CLASS} {{ color: #a40000; font-weight: 600; }}
</style>"""


def input_class(prompt_id: str) -> str:
    """The stable CSS class of a prompt's input: ``reflection-input-<prompt_id>``."""
    return f"reflection-input-{prompt_id}"


def heading_html(prompt: Prompt, number: int) -> str:
    """The visible question, its help text and whether it may be skipped."""
    marker = " <em>(optional)</em>" if prompt.optional else ""
    help_html = f'<p class="reflection-help">{html.escape(prompt.help)}</p>' if prompt.help else ""
    return (
        f'<p class="reflection-label" style="margin:0.2em 0"><strong>{number}. '
        f"{html.escape(prompt.label)}</strong>{marker}</p>{help_html}"
    )


class PromptInput:
    """The widgets of one prompt: heading with help, the input, and an error line.

    ``input`` is the widget carrying the class ``reflection-input-<id>``; ``get()`` and
    ``set()`` read and write the answer in the journal's form (text, int, option, list).
    """

    def __init__(self, prompt: Prompt, number: int) -> None:
        self.prompt = prompt
        self.heading = widgets.HTML(heading_html(prompt, number))
        self.error = widgets.HTML("")
        self.error.add_class(ERROR_CLASS)
        self.input = self._build()
        self.input.add_class(input_class(prompt.id))
        self.box = widgets.VBox([self.heading, *self._body(), self.error])
        self.box.add_class(PROMPT_CLASS)

    def _common(self) -> dict[str, Any]:
        return {
            "description": self.prompt.label,
            "description_allow_html": False,
            "tooltip": self.prompt.help or None,
        }

    def _build(self) -> widgets.Widget:
        raise NotImplementedError

    def _body(self) -> list[widgets.Widget]:
        return [self.input]

    def get(self) -> object:
        raise NotImplementedError

    def set(self, value: object) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        self.set(empty_value(self.prompt))

    def show_error(self, message: str | None) -> None:
        self.error.value = f'<span role="alert">{html.escape(message)}</span>' if message else ""

    def all_widgets(self) -> list[widgets.Widget]:
        return [self.box, self.heading, self.error, self.input]


class FreeTextInput(PromptInput):
    """A Textarea with a live character count against the prompt's limit."""

    def _build(self) -> widgets.Widget:
        area = widgets.Textarea(
            value="",
            rows=self.prompt.lines,
            placeholder=(
                "Write here. Enter starts a new line; nothing is sent until you press Save."
            ),
            layout=widgets.Layout(width="98%"),
            **self._common(),
        )
        area.add_class(HIDDEN_DESCRIPTION_CLASS)
        self.count = widgets.HTML(self._count_text(""))
        self.count.add_class(COUNT_CLASS)
        area.observe(self._update_count, names="value")
        return area

    def _count_text(self, text: str) -> str:
        length = len(text.strip())
        limit = self.prompt.max_chars
        colour = ' style="color:#a40000"' if length > limit else ""
        return f"<small{colour}>{length} / {limit} characters</small>"

    def _update_count(self, change: dict[str, Any]) -> None:
        self.count.value = self._count_text(change["new"] or "")

    def _body(self) -> list[widgets.Widget]:
        return [self.input, self.count]

    def get(self) -> object:
        return self.input.value

    def set(self, value: object) -> None:
        self.input.value = "" if value is None else str(value)

    def all_widgets(self) -> list[widgets.Widget]:
        return [*super().all_widgets(), self.count]


class ScaleInput(PromptInput):
    """One toggle button per point, between labels naming the two ends.

    Toggle buttons rather than a slider: a slider always holds some value, so it cannot
    tell "not answered yet" from an answer, and a required rating must be a real choice.
    """

    def _build(self) -> widgets.Widget:
        points = range(self.prompt.min, self.prompt.max + 1)
        tooltips = [str(point) for point in points]
        tooltips[0] = f"{self.prompt.min}: {self.prompt.min_label}"
        tooltips[-1] = f"{self.prompt.max}: {self.prompt.max_label}"
        toggles = widgets.ToggleButtons(
            options=[(str(point), point) for point in points],
            value=None,
            tooltips=tooltips,
            style={"button_width": "3em"},
            description=self.prompt.label,
            description_allow_html=False,
        )
        toggles.add_class(HIDDEN_DESCRIPTION_CLASS)
        self.low = widgets.HTML(f"<span>{html.escape(self.prompt.min_label)}</span>")
        self.high = widgets.HTML(f"<span>{html.escape(self.prompt.max_label)}</span>")
        return toggles

    def _body(self) -> list[widgets.Widget]:
        self.row = widgets.HBox(
            [self.low, self.input, self.high],
            layout=widgets.Layout(align_items="center", flex_flow="row wrap"),
        )
        return [self.row]

    def get(self) -> object:
        return self.input.value

    def set(self, value: object) -> None:
        self.input.value = value

    def all_widgets(self) -> list[widgets.Widget]:
        return [*super().all_widgets(), self.row, self.low, self.high]


class SingleChoiceInput(PromptInput):
    """Radio buttons, starting with nothing chosen so a choice is always deliberate."""

    def _build(self) -> widgets.Widget:
        radios = widgets.RadioButtons(
            options=list(self.prompt.options),
            value=None,
            layout=widgets.Layout(width="auto"),
            description=self.prompt.label,
            description_allow_html=False,
        )
        radios.add_class(HIDDEN_DESCRIPTION_CLASS)
        return radios

    def get(self) -> object:
        return self.input.value

    def set(self, value: object) -> None:
        self.input.value = value


class ChecklistInput(PromptInput):
    """One labelled checkbox per option; the answer is the list of ticked options."""

    def _build(self) -> widgets.Widget:
        self.checkboxes = [
            widgets.Checkbox(
                value=False,
                description=option,
                description_allow_html=False,
                indent=False,
                layout=widgets.Layout(width="auto"),
            )
            for option in self.prompt.options
        ]
        for checkbox in self.checkboxes:
            checkbox.add_class("reflection-option")
        return widgets.VBox(self.checkboxes)

    def get(self) -> object:
        return [box.description for box in self.checkboxes if box.value]

    def set(self, value: object) -> None:
        ticked = set(value) if isinstance(value, list | tuple | set) else set()
        for box in self.checkboxes:
            box.value = box.description in ticked

    def all_widgets(self) -> list[widgets.Widget]:
        return [*super().all_widgets(), *self.checkboxes]


_INPUTS: dict[str, type[PromptInput]] = {
    "free_text": FreeTextInput,
    "scale": ScaleInput,
    "single_choice": SingleChoiceInput,
    "checklist": ChecklistInput,
}


def build_input(prompt: Prompt, number: int) -> PromptInput:
    """The widgets for ``prompt``, numbered as the learner sees it."""
    return _INPUTS[prompt.kind](prompt, number)
