"""Reflection forms: one module's prompts as ipywidgets, saved to the private journal.

Use in a workbook notebook::

    from intimacy_course.reflection.form import reflection_form
    form = reflection_form("01_attachment_injury")

Design decisions, each made so that nothing a learner writes is ever lost or leaked:

- The form never clears what was typed. A failed check, a damaged or unwritable journal
  and an unexpected bug all leave every answer in place and say in the status line what
  happened and what to do.
- Running the form's cell again carries unsaved answers over into the new form.
- The journal is opened for each load and each save and closed straight after, so a
  journal that is repaired (``intimacy-course journal recover``) or fixed while the
  notebook stays open is picked up by the next Save without restarting anything.
- Saving writes only answers that differ from the last saved version: pressing Save
  twice, or saving after changing one answer, adds no duplicate rows. Every save of a
  changed answer is a new version; earlier versions stay in the journal. An optional
  answer that was saved and is later emptied is saved as empty, so reopening the form
  shows what the learner last chose to keep.
- Answers live in widget state while the notebook is open and nowhere else but the
  journal: the form displays with a fixed plain-text stand-in (see ``PrivateDisplay``),
  status messages never quote answers, and set-up stops JupyterLab saving widget state.
"""

from __future__ import annotations

import contextlib
import html
import re
import traceback
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path

import ipywidgets as widgets

from intimacy_course.content.prompts import ModulePrompts, PromptFileError, load_prompts
from intimacy_course.journal import Entry, Journal, JournalError
from intimacy_course.reflection.answers import empty_value, is_empty
from intimacy_course.reflection.check_in import CHECK_IN_PROMPT, CheckInSupport
from intimacy_course.reflection.notices import journal_notes, notes_html
from intimacy_course.reflection.private import PrivateDisplay
from intimacy_course.reflection.settle import SettledAction
from intimacy_course.reflection.validation import (
    check_answer,
    unknown_prompt_message,
    validate_answers,
)
from intimacy_course.reflection.widgets import (
    ERRORS_CLASS,
    FORM_CLASS,
    FORM_STYLE,
    SAVE_CLASS,
    STATUS_CLASS,
    PromptInput,
    build_input,
)

__all__ = ["NOTEBOOK_SAVE_NOTE", "ReflectionForm", "describe_time", "reflection_form"]

#: Said after every save: JupyterLab marks a notebook as changed as soon as its kernel
#: starts (it writes the kernel's language details into the notebook) and whenever a cell
#: runs, so closing the tab asks "Save or Discard?" however the answers were saved. A
#: widget's change alone does not (widget state is never saved). Neither choice touches
#: the journal, and saving a workbook notebook writes it back without outputs
#: (``lab.save_hook``), so the learner may pick either.
NOTEBOOK_SAVE_NOTE = (
    "You do not need to save this notebook: your answers are in your private journal, and "
    "the notebook's own Save or Discard does not change them."
)


def describe_time(moment: datetime, now: datetime | None = None) -> str:
    """``at 14:32`` for today, ``on 3 March 2026 at 14:32`` otherwise, in local time."""
    local = moment.astimezone()
    today = (now or datetime.now().astimezone()).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return f"at {clock}"
    return f"on {local.day} {local:%B %Y} at {clock}"


def _versions(entries: list[Entry]) -> str:
    numbers = sorted({entry.version for entry in entries})
    if len(numbers) == 1:
        return f"version {numbers[0]}"
    return f"versions {numbers[0]} to {numbers[-1]}"


def _answers(count: int) -> str:
    return f"{count} answer{'s' if count != 1 else ''}"


class ReflectionForm(PrivateDisplay):
    """The reflection form of one module: its widgets, handlers, status line and error area.

    ``journal_folder`` overrides where the journal lives (default: ``INTIMACY_COURSE_DATA``,
    else the platform's user data folder); ``prompts_folder`` where the prompt files are
    read from (default: ``workbook/prompts``). The public widgets are ``widget`` (the whole
    form), ``save_button``, ``status`` and ``errors``; ``input_widget(prompt_id)`` gives
    one prompt's input for tests and browser automation.
    """

    def __init__(
        self,
        module: str,
        journal_folder: Path | None = None,
        prompts_folder: Path | None = None,
    ) -> None:
        self.module = module
        self.journal_folder = Path(journal_folder) if journal_folder else None
        self.prompts: ModulePrompts | None = None
        self.inputs: dict[str, PromptInput] = {}
        self.check_in: CheckInSupport | None = None
        self._saved: dict[str, object] = {}
        self._notes: list[str] = []
        self._closed = False

        self.status = widgets.HTML("")
        self.status.add_class(STATUS_CLASS)
        self.errors = widgets.Output()
        self.errors.add_class(ERRORS_CLASS)
        self.save_button = widgets.Button(
            description="Save my answers",
            button_style="primary",
            icon="save",
            tooltip="Save these answers to your private journal on this computer",
            layout=widgets.Layout(width="auto", min_width="12em"),
        )
        self.save_button.add_class(SAVE_CLASS)
        # A click saves once the answers typed last have reached the kernel (settle.py).
        self._settled_save = SettledAction(self.save)
        self.save_button.on_click(self._on_save_clicked)
        self._title = widgets.HTML("")
        self._style = widgets.HTML(FORM_STYLE)

        try:
            self.prompts = load_prompts(module, prompts_folder)
        except PromptFileError as problem:
            self.save_button.disabled = True
            self._set_status(
                "error",
                f"This form cannot be shown: {problem} Nothing has been saved or changed.",
            )
        else:
            self._title.value = (
                f"<h3 style='margin:0.3em 0'>Reflection: {html.escape(self.prompts.title)}</h3>"
                f"<p>{html.escape(self.prompts.intro)}</p>"
            )
            for number, prompt in enumerate(self.prompts.prompts, start=1):
                self.inputs[prompt.id] = build_input(prompt, number)
                for part in self.inputs[prompt.id].all_widgets():
                    if part.has_trait("value"):
                        part.observe(self._settled_save.touched, names="value")
            self._add_check_in_support()
        self.widget = widgets.VBox(
            [
                self._style,
                self._title,
                *self._prompt_boxes(),
                self.save_button,
                self.status,
                self.errors,
            ],
            layout=widgets.Layout(max_width="52em"),
        )
        self.widget.add_class(FORM_CLASS)
        title = self.prompts.title if self.prompts else module
        super().__init__(
            self.widget,
            f"Reflection form: {title} (answers are kept in your private journal, "
            "never in this notebook)",
        )
        if self.prompts is not None:
            self.reload()

    def _add_check_in_support(self) -> None:
        """Under the check-in rating, grounding steps and help lines for 1 or 2 (check_in)."""
        item = self.inputs.get(CHECK_IN_PROMPT)
        if item is None or item.prompt.kind != "scale":
            return
        self.check_in = CheckInSupport(item.prompt, self.module)
        check_in = self.check_in

        def _on_rating(change: dict[str, object]) -> None:
            with self._guard():
                check_in.update(change["new"])

        item.input.observe(_on_rating, names="value")

    def _prompt_boxes(self) -> list[widgets.Widget]:
        boxes: list[widgets.Widget] = []
        for pid, item in self.inputs.items():
            boxes.append(item.box)
            if pid == CHECK_IN_PROMPT and self.check_in is not None:
                boxes.append(self.check_in.widget)
        return boxes

    # --- reading -----------------------------------------------------------------

    def input_widget(self, prompt_id: str) -> widgets.Widget:
        """The input widget of ``prompt_id`` (it carries ``reflection-input-<id>``)."""
        return self.inputs[prompt_id].input

    def values(self) -> dict[str, object]:
        """What the form holds now, as the journal would store it, before checking."""
        return {pid: item.get() for pid, item in self.inputs.items()}

    def unsaved_values(self) -> dict[str, object]:
        """Answers on screen that differ from what this form last loaded or saved."""
        unsaved: dict[str, object] = {}
        for pid, item in self.inputs.items():
            raw = item.get()
            clean, _problem = check_answer(item.prompt, raw)
            if clean != self._saved.get(pid, empty_value(item.prompt)):
                unsaved[pid] = raw
        return unsaved

    def carry_over(self, earlier: ReflectionForm) -> int:
        """Take over ``earlier``'s unsaved answers (same module); return how many.

        Running the form's cell again replaces the form on screen. Without this, anything
        typed but not yet saved in the old form would vanish with it.
        """
        if self.prompts is None or earlier.module != self.module:
            return 0
        unsaved = {
            pid: value for pid, value in earlier.unsaved_values().items() if pid in self.inputs
        }
        for pid, value in unsaved.items():
            try:
                self.inputs[pid].set(value)
            except Exception:  # a value the new widget cannot hold stays out
                unsaved.pop(pid, None)
        if unsaved:
            self._set_status(
                "info",
                f"{_answers(len(unsaved))} you had not saved yet "
                f"{'were' if len(unsaved) != 1 else 'was'} kept from the form you had open "
                "before. Press Save to keep them in your journal.",
            )
        return len(unsaved)

    @property
    def status_text(self) -> str:
        """The status line as plain text (what a screen reader announces)."""
        text = re.sub(r"<li>", "\n- ", self.status.value)
        return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()

    def _open_journal(self) -> Journal:
        with journal_notes() as notes:
            journal = Journal(self.journal_folder)
        self._notes = notes  # shown under the status line, not as a raw warning
        return journal

    def reload(self) -> None:
        """Show the latest saved answers, replacing what is on screen.

        Called when the form opens. A journal fault leaves the inputs as they are and
        explains itself in the status line; typing can go on and Save tries again.
        """
        with self._guard():
            assert self.prompts is not None
            try:
                with self._open_journal() as journal:
                    latest = journal.latest(self.module)
            except JournalError as problem:
                self._set_status(
                    "error",
                    f"Your earlier answers could not be loaded. {problem} You can still "
                    "write here; your words stay in this form while the notebook is open.",
                )
                return
            shown: list[Entry] = []
            skipped = 0
            for pid, item in self.inputs.items():
                entry = latest.get(pid)
                if entry is None:
                    continue
                value, mismatch = check_answer(item.prompt, entry.value)
                if mismatch and not is_empty(entry.value):
                    skipped += 1  # the question changed since; the answer stays in the journal
                    continue
                item.set(value)
                self._saved[pid] = value
                shown.append(entry)
            if not shown:
                self._set_status(
                    "info",
                    "Nothing saved for this module yet. When you press Save, your answers "
                    "go to your private journal on this computer.",
                )
            else:
                newest = max(entry.created for entry in shown)
                note = (
                    f" {skipped} earlier answer{'s' if skipped != 1 else ''} did not fit a "
                    "question that has changed since; they stay in your journal, unshown."
                    if skipped
                    else ""
                )
                self._set_status(
                    "info",
                    f"Showing your answers last saved {describe_time(newest)}. Change "
                    "anything and press Save to keep a new version; earlier versions stay "
                    f"in your journal.{note}",
                )

    # --- writing -----------------------------------------------------------------

    def fill(self, answers: Mapping[str, object]) -> bool:
        """Put answers into the inputs, as typing and clicking would; nothing is saved.

        Refuses, with a status message and without changing anything, answers that no
        input could hold: an unknown prompt id, a rating off the scale, a choice that is
        not an option. Text is put in as given; Save checks it.
        """
        with self._guard():
            if self.prompts is None:
                return False
            unknown = [pid for pid in answers if pid not in self.inputs]
            if unknown:
                self._set_status("error", unknown_prompt_message(self.prompts, unknown))
                return False
            for pid, value in answers.items():
                item = self.inputs[pid]
                if item.prompt.kind != "free_text":
                    _clean, problem = check_answer(item.prompt, value)
                    if problem:
                        self._set_status("error", f"Not filled in: {problem}")
                        return False
            for pid, value in answers.items():
                self.inputs[pid].set(value)
            return True
        return False

    def save(self) -> list[Entry] | None:
        """Check every answer and save the changed ones; return the new entries.

        Returns ``None`` when nothing was saved (a check failed, nothing changed, or the
        journal could not be written); the status line says which and what to do.
        """
        with self._guard():
            if self.prompts is None or self._closed:
                return None
            result = validate_answers(self.prompts, self.values())
            for pid, item in self.inputs.items():
                item.show_error(result.errors.get(pid))
            if result.errors:
                count = len(result.errors)
                items = "".join(
                    f"<li>{html.escape(message)}</li>" for message in result.errors.values()
                )
                self._set_status(
                    "error",
                    f"Not saved yet: {count} answer{'s need' if count != 1 else ' needs'} "
                    f"attention. Everything you wrote is still here.<ul>{items}</ul>",
                    escape=False,
                )
                return None
            changed = {
                pid: value
                for pid, value in result.values.items()
                if value != self._saved.get(pid, empty_value(self.inputs[pid].prompt))
            }
            if not changed:
                if self._saved:
                    self._set_status(
                        "info",
                        "Nothing new to save: every answer matches what is already in your "
                        f"journal. {NOTEBOOK_SAVE_NOTE}",
                    )
                else:
                    self._set_status(
                        "info", "Nothing to save yet: write or choose an answer first."
                    )
                return None
            try:
                with self._open_journal() as journal:
                    entries = journal.save(self.module, changed)
            except JournalError as problem:
                self._set_status(
                    "error",
                    f"Not saved: {problem} Your answers are still in this form; nothing you "
                    "typed was lost. Press Save again once this is fixed.",
                )
                return None
            self._saved.update(changed)
            unchanged = sum(
                1
                for pid, value in result.values.items()
                if pid not in changed and not is_empty(value)
            )
            extra = (
                f" {_answers(unchanged)} had not changed and "
                f"{'were' if unchanged != 1 else 'was'} already saved."
                if unchanged
                else ""
            )
            self._set_status(
                "ok",
                f"Saved {_answers(len(entries))} {describe_time(entries[0].created)} "
                f"({_versions(entries)}).{extra} Earlier versions stay in your journal. "
                f"{NOTEBOOK_SAVE_NOTE}",
            )
            return entries
        return None

    def _on_save_clicked(self, _button: widgets.Button) -> None:
        self._settled_save.request()

    # --- status and errors -------------------------------------------------------

    def _set_status(self, kind: str, message: str, escape: bool = True) -> None:
        """Show ``message`` in the status line; ``kind`` is ok, info or error."""
        colours = {"ok": "#1b5e20", "info": "inherit", "error": "#a40000"}
        prefix = {"ok": "\u2714 ", "info": "", "error": "\u26a0 "}[kind]
        body = html.escape(message) if escape else message
        notes = notes_html(self._notes, "reflection-note")
        self.status.value = (
            f'<div role="status" aria-live="polite" class="reflection-status-{kind}" '
            f'style="color:{colours[kind]}">{prefix}{body}{notes}</div>'
        )

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """Show unexpected errors in the form instead of losing them in the kernel log."""
        try:
            yield
        except Exception:  # anything else would vanish in JupyterLab
            # append_stderr works with or without a running kernel (tests, scripts).
            self.errors.append_stderr(traceback.format_exc())
            self._set_status(
                "error",
                "Something unexpected went wrong, so nothing was saved. Your answers are "
                "still in the form. The details are shown below; please copy them into a "
                "bug report (leave out anything private).",
            )

    # --- lifetime ----------------------------------------------------------------

    def close(self) -> None:
        """Remove the form's widgets from the page and the kernel; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        parts: list[widgets.Widget] = [
            self.widget,
            self._style,
            self._title,
            self.save_button,
            self.status,
            self.errors,
        ]
        for item in self.inputs.values():
            parts.extend(item.all_widgets())
        if self.check_in is not None:
            parts.append(self.check_in.widget)
        for part in parts:
            part.close()


def reflection_form(
    module: str,
    journal_folder: Path | None = None,
    prompts_folder: Path | None = None,
) -> ReflectionForm:
    """Build the reflection form for ``module``, display it, and return it.

    Calling it again for the same module (running the cell a second time) replaces the
    earlier form: its unsaved answers move into the new one and the old widgets close.
    """
    from IPython.display import display

    form = ReflectionForm(module, journal_folder, prompts_folder)
    earlier = _OPEN_FORMS.get(module)
    if earlier is not None and not earlier._closed:
        form.carry_over(earlier)
        earlier.close()
    _OPEN_FORMS[module] = form
    display(form)
    return form


#: The form most recently opened for each module in this kernel, for ``reflection_form``.
_OPEN_FORMS: dict[str, ReflectionForm] = {}
