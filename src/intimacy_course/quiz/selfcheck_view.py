"""Self-check inside a practice quiz: marks the answers on screen and writes the feedback page.

It re-reads the answers file (every click is already there), so it never marks a stale copy.
It explains every question the learner answered, right or wrong, and keeps the answer to an
unanswered question hidden unless the learner asks for it.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import ipywidgets as widgets
from IPython.display import HTML, display

from intimacy_course import settings
from intimacy_course.quiz.practice_key import PracticeKeyMissing, practice_marking

if TYPE_CHECKING:
    from intimacy_course.quiz.view import QuizView

FEEDBACK_FILE = "feedback.html"


def feedback_link(path: Path) -> str:
    """A link that opens the page in a new browser tab, outside JupyterLab's viewer."""
    root = settings.server_root()
    prefix = settings.hub_prefix()
    if root:
        try:
            relative = path.resolve().relative_to(root.resolve())
            return f"{prefix.rstrip('/')}/files/{relative.as_posix()}"
        except ValueError:
            pass
    return FEEDBACK_FILE


def show_self_check(view: QuizView) -> None:
    if not view.practice:
        display(HTML("<p>This quiz is marked by your instructor after you submit it.</p>"))
        return
    button = widgets.Button(description="Check my answers", button_style="primary", icon="check")
    button.add_class("ic-self-check")
    reveal = widgets.Checkbox(
        value=False, description="Also show answers to questions I skipped", indent=False
    )
    reveal.add_class("ic-reveal")
    out = widgets.Output()
    out.add_class("ic-self-check-output")

    def run(_: object = None) -> None:
        out.clear_output()
        with out:
            try:
                results, page = practice_marking(view, reveal=reveal.value)
            except PracticeKeyMissing as missing:
                display(HTML(f"<p>{html.escape(str(missing))}</p>"))
                return
            path = view.folder / FEEDBACK_FILE
            try:
                path.write_text(page, encoding="utf-8")
                link = (
                    f' <a href="{html.escape(feedback_link(path))}" target="_blank" '
                    'rel="noopener">Open your feedback page</a>.'
                )
            except OSError as error:
                reason = html.escape(error.strerror or str(error))
                link = f" (The feedback page could not be written: {reason}.)"
            right = sum(1 for r in results if r.item.auto and r.score)
            auto = [r for r in results if r.item.auto]
            answered = sum(1 for r in auto if r.answered)
            lines = [
                f"<p><strong>{right} of {len(auto)} clicked questions right</strong> "
                f"({answered} answered).{link}</p><ul>"
            ]
            for r in results:
                if r.item.auto:
                    if r.chosen is None:  # noqa: SIM108 - three outcomes read better as branches
                        verdict = "not answered"
                    else:
                        verdict = "right" if r.chosen.correct else "not right"
                else:
                    verdict = (
                        "written answer: compare it with the rubric on the feedback page"
                        if r.answered
                        else "not answered"
                    )
                lines.append(f"<li>Question {r.number}: {verdict}.</li>")
            lines.append("</ul>")
            display(HTML("".join(lines)))

    button.on_click(run)
    display(widgets.VBox([widgets.HBox([button, reveal]), out]))
