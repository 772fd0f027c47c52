"""The quiz as a learner meets it: click an option, type a short answer, check yourself.

A quiz notebook holds one hidden set-up cell (``quiz = open_quiz(PAPER)``) and, per question,
a cell calling :meth:`QuizView.ask`. Every click or edit is written at once to the answers
file beside the notebook (:mod:`intimacy_course.quiz.stored_answers`), so answers survive a
page reload, a kernel restart and a server restart, and the notebook's own Save/Discard never
touches them. Self-check re-reads that file, so it marks exactly what is on screen.
"""

from __future__ import annotations

import getpass
import html
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from IPython.display import HTML, Javascript, display

from intimacy_course import settings
from intimacy_course.quiz.paper import PRACTICE, Sheet, sheet_for
from intimacy_course.quiz.stored_answers import StoredAnswers, read_answers, write_answers
from intimacy_course.quiz.text import inline_html, paragraphs_html

#: Makes each ipywidgets radio list one named radio group: a shared ``name`` (so arrow keys
#: move within it and Tab leaves it) and role/label for screen readers (named by the
#: question's heading, described by its text). ipywidgets 8 renders radio inputs without
#: either. Two more fixes for JupyterLab:
#: - keys pressed on a radio stay with it: JupyterLab's command-mode shortcuts match any
#:   focused element that is not a text field, so without this ArrowDown selects the next
#:   cell instead of the next option (and "m", "y", "x" would act on the cell). Tab, Escape
#:   and combinations with Ctrl, Alt or Meta (Ctrl+S) still reach JupyterLab. Chromium then
#:   fires a click on the option the arrow key checked, which ipywidgets turns into a change.
#: - an option's text may wrap: ipywidgets gives every label one line's fixed height, so
#:   long options overlapped; here a label grows with its text (and the question's text
#:   gets ordinary line spacing instead of the widgets' 28-pixel lines). The self-check
#:   button is as wide as its words ("Check my ans..." was cut off).
_RADIO_GROUPS_JS = """
(function () {
  if (window.__icRadioGroups) { return; }
  window.__icRadioGroups = true;
  var style = document.createElement('style');
  style.id = 'ic-quiz-style';
  style.textContent =
    '.ic-quiz-choice.widget-radio { width: auto; max-width: 100%; }' +
    '.ic-quiz-question .widget-html-content { line-height: 1.5; }' +
    '.ic-self-check.widget-button { width: auto; padding: 0 1em; }' +
    '.ic-quiz-choice .widget-radio-box label { display: flex; flex-direction: row-reverse;' +
    ' justify-content: flex-end; align-items: flex-start; height: auto; line-height: 1.45;' +
    ' padding: 0.2em 0; white-space: normal; }' +
    '.ic-quiz-choice .widget-radio-box input { float: none; flex: none; height: 1.45em;' +
    ' margin: 0 0.6em 0 1px; }';
  document.head.appendChild(style);
  function keepKeys(event) {
    if (event.ctrlKey || event.altKey || event.metaKey) { return; }
    if (event.key === 'Tab' || event.key === 'Escape') { return; }
    if (event.shiftKey && event.key === 'Enter') { return; }
    event.stopPropagation();
  }
  // Named by the question's heading, described by the question's text.
  function label(control, uid) {
    var stem = document.getElementById('ic-stem-' + uid);
    var heading = stem && stem.querySelector('h1, h2, h3, h4');
    if (!heading) { control.setAttribute('aria-labelledby', 'ic-stem-' + uid); return; }
    heading.id = heading.id || 'ic-head-' + uid;
    control.setAttribute('aria-labelledby', heading.id);
    var described = [];
    Array.from(stem.children).forEach(function (part, index) {
      if (part === heading) { return; }
      part.id = part.id || 'ic-text-' + uid + '-' + index;
      described.push(part.id);
    });
    if (described.length) { control.setAttribute('aria-describedby', described.join(' ')); }
  }
  function uidOf(el) {
    return Array.from(el.classList).find(function (c) { return c.indexOf('ic-for-') === 0; }).slice(7);
  }
  function fix(root) {
    root.querySelectorAll('.widget-radio[class*="ic-for-"]').forEach(function (el) {
      var uid = uidOf(el);
      var box = el.querySelector('.widget-radio-box');
      if (!box) { return; }
      box.setAttribute('role', 'radiogroup');
      label(box, uid);
      if (!box.__icKeys) { box.__icKeys = true; box.addEventListener('keydown', keepKeys); }
      box.querySelectorAll('input[type="radio"]').forEach(function (input) { input.name = 'ic-group-' + uid; });
    });
    root.querySelectorAll('.widget-textarea[class*="ic-for-"] textarea').forEach(function (area) {
      label(area, uidOf(area.closest('.widget-textarea')));
    });
  }
  fix(document);
  new MutationObserver(function () { fix(document); }).observe(document.body, {childList: true, subtree: true});
})();
"""

SAVED_NOTE = (
    "Saved in this quiz's answers file. You do not need to save the notebook: its Save and "
    "Discard buttons do not touch your answers."
)


def current_student() -> str:
    """The account this kernel belongs to: the hub's user name, else the login name."""
    try:
        return settings.hub_user() or getpass.getuser()
    except (KeyError, OSError):  # an account with no name (e.g. in a sandbox)
        return "learner"


def _grading() -> bool:
    return settings.under_nbgrader()


class QuizView:
    """One quiz notebook's questions, answers file and self-check."""

    def __init__(
        self, paper: dict[str, Any], folder: Path | None = None, student: str | None = None
    ) -> None:
        self.paper = paper
        self.folder = folder or Path.cwd()
        self.student = student or current_student()
        self.sheet, self.known = sheet_for(paper, self.student)
        self.stored = read_answers(self.folder, paper["module"], paper["release"])
        self.stored.release = paper["release"]
        self._uid = paper["release"]
        self._script_shown = False

    @property
    def practice(self) -> bool:
        return self.paper.get("mode") == PRACTICE

    def _question_header(self, number: int) -> tuple[dict[str, Any], str, str]:
        slot = self.sheet.slots[number - 1]
        item = self.paper["items"][slot.item_id]
        uid = f"{self._uid}-{number}"
        heading = (
            f'<div class="ic-question" id="ic-stem-{uid}">'
            f"<h3>Question {number} &middot; objective {int(item['objective'])}: "
            f"{inline_html(item['title'])}</h3>{paragraphs_html(item['stem'])}</div>"
        )
        return item, heading, uid

    def ask(self, number: int) -> widgets.Widget | None:
        """Show question ``number`` of this learner's sheet with its answer control."""
        if not 1 <= number <= len(self.sheet.slots):
            display(HTML(f"<p>This quiz has no question {int(number)}.</p>"))
            return None
        item, heading, uid = self._question_header(number)
        item_id = self.sheet.slots[number - 1].item_id
        if _grading():
            display(HTML(heading + "<p><em>Marked from the stored answer.</em></p>"))
            return None
        if not self._script_shown:
            display(Javascript(_RADIO_GROUPS_JS))
            self._script_shown = True
        if number == 1 and not self.known:
            display(
                HTML(
                    "<p><strong>Note:</strong> this quiz was not prepared for the account "
                    f"{html.escape(self.student)}. Ask your instructor to release it again.</p>"
                )
            )
        status = widgets.HTML(layout=widgets.Layout(min_height="1.5em"))
        status.add_class("ic-quiz-status")
        if item["kind"] == "short_answer":
            control: widgets.Widget = self._text_control(item_id, item, status)
        else:
            control = self._choice_control(item_id, item, number, status)
        control.add_class(f"ic-for-{uid}")
        box = widgets.VBox([widgets.HTML(heading), control, status])
        box.add_class("ic-quiz-question")
        # Not display()ed here: the cell ``quiz.ask(N)`` shows the returned box. Both would
        # draw the question twice, and two radio groups sharing one name uncheck each other.
        return box

    def _choice_control(
        self, item_id: str, item: dict[str, Any], number: int, status: widgets.HTML
    ) -> widgets.Widget:
        labels = dict(item["options"])
        order = self.sheet.slots[number - 1].option_ids
        options = [(labels[oid], oid) for oid in order if oid in labels]
        chosen = self.stored.choices.get(item_id)
        radio = widgets.RadioButtons(
            options=options,
            value=chosen if chosen in labels else None,
            layout=widgets.Layout(width="auto"),
        )
        radio.add_class("ic-quiz-choice")
        status.value = self._status_text(chosen is not None)

        def on_change(change: dict[str, Any]) -> None:
            if change["new"] is not None:
                self._save(lambda: self.stored.choices.__setitem__(item_id, change["new"]), status)

        radio.observe(on_change, names="value")
        return radio

    def _text_control(
        self, item_id: str, item: dict[str, Any], status: widgets.HTML
    ) -> widgets.Widget:
        area = widgets.Textarea(
            value=self.stored.texts.get(item_id, ""),
            placeholder="Type your answer here. It is saved as you type.",
            layout=widgets.Layout(width="100%", height="10em"),
            continuous_update=True,
        )
        area.add_class("ic-quiz-text")
        status.value = self._status_text(bool(area.value.strip()))

        def on_change(change: dict[str, Any]) -> None:
            self._save(lambda: self.stored.texts.__setitem__(item_id, change["new"]), status)

        area.observe(on_change, names="value")
        return area

    def _status_text(self, answered: bool) -> str:
        return "<span>Answer saved.</span>" if answered else "<span>Not answered yet.</span>"

    def _save(self, update: Callable[[], None], status: widgets.HTML) -> None:
        update()
        try:
            write_answers(self.folder, self.stored)
        except OSError as error:
            reason = (
                "the disk is full"
                if getattr(error, "errno", 0) == 28
                else (error.strerror or str(error))
            )
            status.value = (
                f'<span class="ic-quiz-error" role="alert">Not saved: {html.escape(reason)}. Your choice is '
                "still on screen; free some space or ask for help, then choose again.</span>"
            )
            return
        stamp = datetime.now().strftime("%H:%M:%S")
        status.value = f'<span role="status">Saved at {stamp}. {SAVED_NOTE}</span>'

    def marked_later(self, number: int) -> None:
        """The grader's place for question ``number``'s verdict; shows nothing to the learner.

        Grading writes the verdict into this cell's output, over whatever ran here. On screen
        the learner already sees their saved answer under the question, so the cell stays quiet.
        """

    def answers(self) -> StoredAnswers:
        """The answers as stored now (re-read from the file, so they match the screen)."""
        return read_answers(self.folder, self.paper["module"], self.paper["release"])

    def sheet_for_me(self) -> Sheet:
        return self.sheet

    def self_check(self) -> None:
        """Show the self-check button (practice quizzes); nothing while nbgrader runs the quiz."""
        if _grading():
            return
        from intimacy_course.quiz.selfcheck_view import show_self_check

        show_self_check(self)


def open_quiz(paper: dict[str, Any]) -> QuizView:
    """The quiz of this notebook: the set-up cell's one line."""
    return QuizView(paper)
