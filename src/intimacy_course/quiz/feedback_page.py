"""The feedback page a learner reads: per question, their answer, the verdict and why.

Written for learners, not graders: no code, tests or hidden mark schemes; explanations for
right answers too (a lucky guess should still teach); every piece of text escaped. In a
cohort, written answers say they are marked by the instructor until a score exists; in
practice (no instructor), an answered written question shows its rubric as a checklist and
the model answer, and an unanswered one shows neither.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from intimacy_course.quiz.marking import ItemResult, total
from intimacy_course.quiz.text import inline_html, paragraphs_html, section_html

FALLBACK_HELP = (
    "## If you need help now\n\nIf this quiz stirred up something heavy, it is fine to stop. In the US "
    "call or text 988, or call 911 in immediate danger; in the UK and Ireland call Samaritans on "
    "116 123; elsewhere see [findahelpline.com](https://findahelpline.com)."
)


def help_now_html() -> str:
    """The course's one help section (source_texts/help_now.md), as on every other page."""
    from intimacy_course.content.help_now import HELP_NOW, HelpTextError

    try:
        text = HELP_NOW.text()
    except (HelpTextError, OSError):
        text = FALLBACK_HELP  # a page written where the course's texts are not
    return f'<section class="help">{section_html(text)}</section>'


_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 46rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.55; color: #1b1b1b; background: #fff; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
a { color: #1a4f8b; text-decoration: underline; }
.question { border-top: 1px solid #8a8a8a; padding-top: 0.5rem; }
.verdict { font-weight: 700; }
.right { color: #1d6b2f; } .wrong { color: #a1260d; } .pending { color: #4a4a4a; }
ul.options li { margin: 0.2rem 0; }
.chosen { font-weight: 700; }
.note { background: #f3f3f3; padding: 0.5rem 0.75rem; border-left: 4px solid #5a5a5a; }
blockquote { border-left: 4px solid #8a8a8a; margin: 0.5rem 0; padding: 0.25rem 0.75rem; background: #fafafa; }
"""


def _choice_section(result: ItemResult, reveal: bool) -> str:
    parts = []
    if result.chosen is None and not reveal:
        return '<p class="verdict pending">Not answered. The answer stays hidden, so you can try this one again.</p>'
    if result.chosen is None:
        parts.append('<p class="verdict pending">Not answered.</p>')
    elif result.chosen.correct:
        parts.append('<p class="verdict right">Right.</p>')
    else:
        parts.append('<p class="verdict wrong">Not right this time.</p>')
    rows = []
    for option in result.options:
        marks = []
        if result.chosen is not None and option.option_id == result.chosen.option_id:
            marks.append("your answer")
        if option.correct:
            marks.append("the right answer")
        label = f" <em>({', '.join(marks)})</em>" if marks else ""
        css = ' class="chosen"' if marks else ""
        letter = "" if result.item.kind == "true_false" else f"{html.escape(option.letter)}) "
        rows.append(
            f"<li{css}>{letter}{inline_html(option.text)}{label}<br><small>{inline_html(option.why)}</small></li>"
        )
    parts.append(f'<ul class="options">{"".join(rows)}</ul>')
    parts.append(f"<p><strong>Why:</strong> {inline_html(result.item.explanation)}</p>")
    return "".join(parts)


def _written_section(result: ItemResult, practice: bool, score: float | None) -> str:
    if not result.answered:
        return '<p class="verdict pending">Not answered.</p>'
    parts = [f"<p>Your answer:</p><blockquote>{paragraphs_html(result.text)}</blockquote>"]
    if not practice:
        if score is None:
            parts.append('<p class="verdict pending">Marked by your instructor; no score yet.</p>')
        else:
            parts.append(
                f'<p class="verdict">Score from your instructor: {score:g} of {result.points}.</p>'
            )
        return "".join(parts)
    checklist = "".join(
        f"<li>{inline_html(c.name)}: {inline_html(c.description)}</li>"
        for c in result.item.criteria
    )
    parts.append(
        '<p class="note">Practice quizzes have no marker for written answers. Check your answer '
        f"against the rubric (one point per line):</p><ul>{checklist}</ul>"
        f"<p>A full-marks answer might read:</p><blockquote>{paragraphs_html(result.item.model_answer)}</blockquote>"
    )
    return "".join(parts)


def render_feedback(
    title: str,
    results: list[ItemResult],
    *,
    practice: bool,
    reveal_unanswered: bool = False,
    written_scores: Mapping[str, float | None] | None = None,
    student: str = "",
) -> str:
    """The whole feedback page as an HTML document."""
    score, maximum = total(results)
    scores = written_scores or {}
    sections = []
    for result in results:
        heading = (
            f"Question {result.number} &middot; objective {result.item.objective}: "
            f"{inline_html(result.item.title)}"
        )
        body = (
            _choice_section(result, reveal_unanswered)
            if result.item.auto
            else _written_section(result, practice, scores.get(result.item.id))
        )
        sections.append(
            f'<section class="question"><h2>{heading}</h2>{paragraphs_html(result.item.stem)}{body}</section>'
        )
    who = f" for {html.escape(student)}" if student else ""
    written = [r for r in results if not r.item.auto]
    summary = f"Clicked questions: {score:g} of {maximum} right."
    if written:
        summary += (
            " Written answers: see each question below."
            if practice
            else " Written answers are marked by your instructor."
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Feedback: {html.escape(title)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{_STYLE}</style></head><body><main>"
        f"<h1>Feedback{who}: {html.escape(title)}</h1><p>{summary}</p>{''.join(sections)}"
        f"{help_now_html()}"
        "</main></body></html>"
    )
