"""``intimacy-course check`` for a clicked quiz: marked from its answers file, in a moment.

A clicked quiz's answers are data in ``answers.json`` beside the notebook, so no kernel and no
nbgrader run is needed: the practice key (the public bank in the clone) marks them directly,
with the same code as the notebook's own self-check, and the learner's feedback page is
written beside the quiz. Without a key on this machine (a cohort), it says the instructor marks
the quiz.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from intimacy_course.errors import CourseError
from intimacy_course.quiz.bank import BankError, load_bank
from intimacy_course.quiz.feedback_page import render_feedback
from intimacy_course.quiz.marking import mark
from intimacy_course.quiz.paper import PRACTICE, PRACTICE_SECRET, practice_sheet
from intimacy_course.quiz.stored_answers import read_answers

FEEDBACK_FILE = "feedback.html"


class ClickedCheckError(CourseError):
    """The quiz cannot be checked here; the message says why."""


def clicked_paper(data: dict[str, Any]) -> dict[str, Any] | None:
    """The paper of a clicked quiz notebook (its JSON), or None for an older quiz."""
    meta = data.get("metadata")
    paper = meta.get("intimacy_course", {}).get("paper") if isinstance(meta, dict) else None
    return paper if isinstance(paper, dict) and isinstance(paper.get("module"), str) else None


def check_clicked(
    path: Path,
    paper: dict[str, Any],
    bank_dir: Path,
    *,
    reveal: bool = False,
    feedback_path: Path | None = None,
) -> tuple[Any, Path | None]:
    """Mark the clicked quiz at ``path``; return (CheckResult, feedback page path)."""
    from intimacy_course.grading.check import CheckResult, ItemResult

    if paper.get("mode") != PRACTICE:
        raise ClickedCheckError(
            "This quiz is marked by your instructor after you submit it; there is no self-check for it."
        )
    try:
        bank = load_bank(bank_dir / f"{paper['module']}.toml")
    except BankError as error:
        raise ClickedCheckError(
            f"This quiz is marked by your instructor: there is no answer key on this machine ({error})."
        ) from None
    stored = read_answers(path.parent, paper["module"], str(paper.get("release", "")))
    results = mark(bank, PRACTICE_SECRET, practice_sheet(bank), stored)
    check = CheckResult(quiz=paper["module"], title=str(paper.get("title", paper["module"])))
    for r in results:
        if r.item.auto:
            status = (
                "not answered"
                if r.chosen is None
                else ("right" if r.chosen.correct else "not right")
            )
            show = r.chosen is not None or reveal
            explanation = r.item.explanation if show else ""
            if show and r.chosen is None and r.right_option:
                explanation = f"The answer is: {r.right_option.text}. {explanation}"
            check.items.append(
                ItemResult(
                    f"q{r.number}", r.item.kind, r.item.objective, 1, r.score, status, explanation
                )
            )
        else:
            status = "by hand" if r.answered else "not answered"
            check.items.append(
                ItemResult(
                    f"q{r.number}",
                    "short_answer",
                    r.item.objective,
                    r.points,
                    None,
                    status,
                    "Compare your answer with the rubric on the feedback page."
                    if r.answered
                    else "",
                )
            )
    target = feedback_path or path.parent / FEEDBACK_FILE
    page = render_feedback(check.title, results, practice=True, reveal_unanswered=reveal)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        check.feedback = target.resolve()
    except OSError:
        check.feedback = None
    return check, check.feedback
