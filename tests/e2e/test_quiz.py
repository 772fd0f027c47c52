"""Journey 5: a learner answers a clicked quiz with the keyboard only and checks it themselves.

The copy is ``my_work/01_attachment_injury/quiz.ipynb``, made by ``intimacy-course setup``
as for a new learner. A learner's real copy may live there: it is set aside before the
journey and put back, untouched, after it.

The learner runs all cells, then, with the keyboard only, tabs to each question's radio
group and picks an option with the arrow keys (every clicked question right except
question 2), and types a written answer. Then:

- every answer is in ``answers.json`` at once, with no notebook save;
- the accessibility tree shows one radio group per question, named by its heading, with
  the chosen option checked (the snapshot is kept in test-artifacts/e2e/);
- axe finds nothing serious or critical in the quiz;
- after a page reload and Run All, and again after a kernel restart and Run All, every
  choice is still checked and the written answer still there;
- the self-check says "N of M clicked questions right" for what was chosen;
- its link opens the feedback page as a page of its own (not inside JupyterLab): the
  verdicts match, the written answer is shown as text (escaped), and axe finds nothing
  serious or critical there either.

Screenshots of the answered quiz and of the feedback page go to test-artifacts/e2e/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from intimacy_course.quiz.bank import load_bank
from intimacy_course.quiz.paper import PRACTICE_SECRET, right_option_id, sheet_for
from tests.e2e.e2e_axe import assert_accessible, axe_document, axe_notebook
from tests.e2e.e2e_lab import error_outputs, open_notebook, run_all, wait_for_notebook
from tests.e2e.e2e_server import REPO, VENV_BIN, LabServer, require

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]  # one JupyterLab and browser

MODULE = "01_attachment_injury"
QUIZ = f"my_work/{MODULE}/quiz.ipynb"
ITEMS = REPO / "grading" / "items" / f"{MODULE}.toml"
ARTIFACTS = REPO / "test-artifacts" / "e2e"
SELF_CHECK_TIMEOUT_S = 120

#: The written answer, typed with the keyboard: two lines, and markup that must stay text.
WRITTEN = (
    "His childhood can make some things more likely, <b>not</b> certain & the choices are his.",
    "Mood, drink and stress may play a part too.",
)
WRONG_QUESTION = 2


@pytest.fixture
def learner_quiz_folder(lab_server: LabServer):
    """A fresh learner copy made by ``intimacy-course setup``; any existing one comes back after.

    A learner's own folder is renamed aside inside my_work/ (same file system, so the
    rename is atomic and the work is never outside the clone, even if the run is killed),
    set-up makes a new copy as it does for a new learner, and afterwards the journey's
    folder is deleted and the learner's folder renamed back.
    """
    folder = REPO / "my_work" / MODULE
    aside = folder.with_name(f".e2e-aside-{MODULE}-{os.getpid()}")
    had_own = folder.exists()
    if had_own:
        folder.rename(aside)
        print(f"\n[my_work] the existing {folder.name} is kept aside as {aside.name} meanwhile")
    try:
        setup = subprocess.run(
            [str(VENV_BIN / "intimacy-course"), "setup"],
            cwd=REPO,
            env=lab_server.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert setup.returncode == 0, (
            f"intimacy-course setup failed:\n{setup.stdout}\n{setup.stderr}"
        )
        require(QUIZ)
        yield folder
    finally:
        if folder.exists():
            shutil.rmtree(folder)
        if had_own:
            aside.rename(folder)


@dataclass(frozen=True)
class Question:
    """One question as the learner's copy shows it, and what the journey answers."""

    number: int
    item_id: str
    kind: str
    heading: str
    options: tuple[tuple[str, str], ...]  # (option id, text) in the order shown
    right: int | None  # index of the right option (None: written)
    choose: int | None  # index the learner picks (None: written)

    @property
    def clicked(self) -> bool:
        return self.kind != "short_answer"


def quiz_plan(copy: Path) -> tuple[str, list[Question]]:
    """The release id and the questions of the copy, each with the option to pick."""
    paper = json.loads(copy.read_text(encoding="utf-8"))["metadata"]["intimacy_course"]["paper"]
    bank = load_bank(ITEMS)
    sheet, _known = sheet_for(paper, "learner")  # practice: one sheet for everyone
    questions = []
    for number, slot in enumerate(sheet.slots, start=1):
        item = paper["items"][slot.item_id]
        heading = f"Question {number} · objective {int(item['objective'])}: {item['title']}"
        if item["kind"] == "short_answer":
            questions.append(Question(number, slot.item_id, item["kind"], heading, (), None, None))
            continue
        labels = dict(item["options"])
        options = tuple((oid, labels[oid]) for oid in slot.option_ids)
        key = right_option_id(PRACTICE_SECRET, bank.item(slot.item_id))
        right = [oid for oid, _ in options].index(key)
        choose = (right + 1) % len(options) if number == WRONG_QUESTION else right
        questions.append(
            Question(number, slot.item_id, item["kind"], heading, options, right, choose)
        )
    return paper["release"], questions


_ACTIVE = """() => {
  const e = document.activeElement;
  if (!e) return {tag: null};
  const group = (e.getAttribute('name') || '').match(/^ic-group-.*-(\\d+)$/);
  const text = e.closest('.widget-textarea[class*="ic-for-"]');
  const textFor = text ? Array.from(text.classList).find(c => c.startsWith('ic-for-')) : null;
  return {
    tag: e.tagName,
    type: e.getAttribute('type'),
    group: group ? Number(group[1]) : null,
    index: e.getAttribute('type') === 'radio' ? Number(e.value) : null,
    checked: !!e.checked,
    textQuestion: textFor ? Number(textFor.split('-').pop()) : null,
    selfCheck: !!e.closest('.ic-self-check'),
  };
}"""


def active(page) -> dict:
    return page.evaluate(_ACTIVE)


def tab_until(page, wanted, what: str, limit: int = 40) -> dict:
    """Press Tab until the focused element is what ``wanted`` accepts (as a learner would)."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = active(page)
        if wanted(now):
            return now
        seen.append(now)
    raise AssertionError(f"{limit} presses of Tab never reached {what}; focus went to {seen}")


def question_box(page, release: str, number: int):
    return page.locator(f".ic-quiz-question:has(.ic-for-{release}-{number})")


def wait_saved(page, release: str, number: int) -> None:
    """Wait until the question's status line says its answer was just saved."""
    question_box(page, release, number).locator(".ic-quiz-status").filter(
        has_text="Saved at"
    ).wait_for(timeout=30_000)


def choose_with_arrows(page, release: str, question: Question) -> None:
    """From the focused radio, reach the wanted option with the arrow keys only."""
    now = active(page)
    assert now["group"] == question.number and now["index"] is not None, now
    start = now["index"]
    target = question.choose
    assert target is not None
    if target == start:  # arrive on it by moving away and back, so it is chosen
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowUp")
    else:
        key = "ArrowDown" if target > start else "ArrowUp"
        for _ in range(abs(target - start)):
            page.keyboard.press(key)
    now = active(page)
    assert now["group"] == question.number and now["index"] == target and now["checked"], (
        f"question {question.number}: after the arrow keys the focus is on {now}, "
        f"expected option {target} checked"
    )
    wait_saved(page, release, question.number)


def answer_with_keyboard(page, release: str, questions: list[Question]) -> None:
    """Tab to each question in turn; arrows pick an option, typing fills the written one."""
    page.evaluate(
        """() => { const w = window.jupyterapp.shell.currentWidget;
                   w.content.activeCellIndex = 0; w.content.mode = 'command';
                   w.content.activeCell.node.focus(); }"""
    )  # focus where a freshly opened notebook has it: the first cell, command mode
    for question in questions:
        if question.clicked:
            tab_until(
                page,
                lambda a, n=question.number: a["group"] == n,
                f"question {question.number}'s radio group",
            )
            choose_with_arrows(page, release, question)
        else:
            tab_until(
                page,
                lambda a, n=question.number: a["textQuestion"] == n,
                f"question {question.number}'s text box",
            )
            page.keyboard.type(WRITTEN[0])
            page.keyboard.press("Enter")  # a new line inside the answer, not a notebook command
            page.keyboard.type(WRITTEN[1])
            wait_saved(page, release, question.number)


def shown_answers(page, release: str, questions: list[Question]) -> dict[int, object]:
    """What each question shows now: the checked option's index, or the text typed."""
    shown: dict[int, object] = {}
    for question in questions:
        box = question_box(page, release, question.number)
        if question.clicked:
            radios = box.locator("input[type=radio]")
            checked = [i for i in range(radios.count()) if radios.nth(i).is_checked()]
            shown[question.number] = checked[0] if len(checked) == 1 else checked
        else:
            shown[question.number] = box.locator("textarea").input_value()
    return shown


def expected_answers(questions: list[Question]) -> dict[int, object]:
    return {q.number: q.choose if q.clicked else "\n".join(WRITTEN) for q in questions}


def first_code_count(page) -> int | None:
    return page.evaluate(
        """() => { const w = window.jupyterapp.shell.currentWidget;
                   const c = w.content.widgets.find(c => c.model.type === 'code');
                   return c.model.executionCount; }"""
    )


def restart_kernel(page) -> None:
    """Restart the notebook's kernel (as Kernel > Restart Kernel does) and wait for it."""
    page.evaluate(
        """async () => { const w = window.jupyterapp.shell.currentWidget;
                         await w.sessionContext.session.kernel.restart(); }"""
    )
    page.wait_for_function(
        """() => { const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
                   return k && k.connectionStatus === 'connected' && k.status === 'idle'; }""",
        timeout=60_000,
    )


def screenshot(page, name: str, locator=None) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    if locator is None:
        page.screenshot(path=str(path), full_page=True)
    else:
        locator.screenshot(path=str(path))
    print(f"[screenshot] {path}")
    return path


def check_aria_tree(page, release: str, questions: list[Question]) -> str:
    """One named radio group per clicked question, with the chosen option checked."""
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
    groups = notebook.get_by_role("radiogroup")
    clicked = [q for q in questions if q.clicked]
    assert groups.count() == len(clicked), (
        f"{groups.count()} radio groups on the page for {len(clicked)} clicked questions"
    )
    snapshots = []
    for question in clicked:
        group = notebook.get_by_role("radiogroup", name=question.heading, exact=True)
        assert group.count() == 1, f"no single radio group named {question.heading!r}"
        snapshot = group.aria_snapshot()
        snapshots.append(snapshot)
        lines = snapshot.splitlines()
        # YAML: a name holding ":" is quoted, e.g. - 'radiogroup "Question 1 · ...: ..."':
        assert re.match(rf"^- '?radiogroup \"Question {question.number} ", lines[0]), snapshot
        radios = [line for line in lines[1:] if re.match(r"^\s+- '?radio \"", line)]
        assert len(radios) == len(question.options), snapshot
        checked = [i for i, line in enumerate(radios) if "[checked]" in line]
        assert checked == [question.choose], (
            f"question {question.number}: checked in the accessibility tree {checked}, "
            f"chosen {question.choose}:\n{snapshot}"
        )
    text = "\n".join(snapshots)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "quiz-aria-snapshot.yml").write_text(text + "\n", encoding="utf-8")
    return text


def test_journey_5_quiz_answered_by_keyboard_survives_reload_and_restart_and_self_checks(
    lab_page, lab_server, workspace, learner_quiz_folder, axe_js
):
    if not ITEMS.exists():
        pytest.skip(f"{ITEMS.relative_to(REPO)} is not built yet")
    release, questions = quiz_plan(REPO / QUIZ)
    clicked = [q for q in questions if q.clicked]
    assert clicked and any(not q.clicked for q in questions), "the quiz needs both kinds"
    answers_file = learner_quiz_folder / "answers.json"
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.accept()

    lab_page.on("dialog", on_dialog)

    open_notebook(lab_page, lab_server, QUIZ, workspace)
    print(f"[run all] {run_all(lab_page):.1f} s")
    problems = error_outputs(lab_page)
    assert not problems, "the quiz shows error output:\n" + "\n".join(map(str, problems))
    assert not answers_file.exists(), "answers were stored before anything was chosen"

    answer_with_keyboard(lab_page, release, questions)
    assert shown_answers(lab_page, release, questions) == expected_answers(questions)

    stored = json.loads(answers_file.read_text(encoding="utf-8"))["answers"]
    for q in questions:
        want = {"choice": q.options[q.choose][0]} if q.clicked else {"text": "\n".join(WRITTEN)}
        assert stored.get(q.item_id) == want, (
            f"answers.json holds {stored.get(q.item_id)} for question {q.number}, expected {want}"
        )
    assert answers_file.stat().st_mode & 0o777 == 0o600

    print("[aria]\n" + check_aria_tree(lab_page, release, clicked))
    assert_accessible(axe_notebook(lab_page, axe_js), QUIZ + " (answered)")
    box = question_box(lab_page, release, 1)
    box.scroll_into_view_if_needed()
    screenshot(lab_page, "quiz-question-1.png", box)
    screenshot(lab_page, "quiz-window.png")

    # A reload: the page forgets everything; Run All draws the questions from answers.json.
    lab_page.reload()
    wait_for_notebook(lab_page, QUIZ)
    run_all(lab_page)
    assert shown_answers(lab_page, release, questions) == expected_answers(questions), (
        "after a reload and Run All the answers are not shown as chosen"
    )
    count_before_restart = first_code_count(lab_page)

    # A kernel restart: the kernel forgets everything; Run All again.
    restart_kernel(lab_page)
    run_all(lab_page)
    assert first_code_count(lab_page) == 1 < (count_before_restart or 0), (
        "the kernel did not restart"
    )
    assert shown_answers(lab_page, release, questions) == expected_answers(questions), (
        "after a kernel restart and Run All the answers are not shown as chosen"
    )

    # Self-check, with the keyboard: focus the button, press Enter.
    lab_page.locator(".ic-self-check button, button.ic-self-check").first.focus()
    lab_page.keyboard.press("Enter")
    output = lab_page.locator(".ic-self-check-output")
    output.filter(has_text="clicked questions right").wait_for(timeout=SELF_CHECK_TIMEOUT_S * 1000)
    shown = output.inner_text()
    print(f"[self-check]\n{shown}")
    output.scroll_into_view_if_needed()
    screenshot(
        lab_page, "quiz-self-check.png", lab_page.locator(".jp-Cell:has(.ic-self-check)").last
    )
    right = sum(1 for q in clicked if q.choose == q.right)
    assert right == len(clicked) - 1
    assert f"{right} of {len(clicked)} clicked questions right ({len(clicked)} answered)" in shown
    for q in questions:
        verdict = (
            ("right" if q.choose == q.right else "not right")
            if q.clicked
            else "written answer: compare it with the rubric on the feedback page"
        )
        assert re.search(rf"^Question {q.number}: {re.escape(verdict)}\.$", shown, re.M), (
            f"the self-check does not say '{verdict}' for question {q.number}:\n{shown}"
        )

    # The feedback page opens from the link as a page of its own, outside JupyterLab.
    tabs_before = lab_page.evaluate(
        "() => Array.from(window.jupyterapp.shell.widgets('main')).length"
    )
    link = output.get_by_role("link", name="Open your feedback page")
    href = link.get_attribute("href")
    assert href == f"/files/my_work/{MODULE}/feedback.html", href
    link.focus()
    with lab_page.context.expect_page(timeout=30_000) as opened:
        lab_page.keyboard.press("Enter")
    feedback = opened.value
    feedback.wait_for_load_state()
    assert feedback.url.startswith(f"{lab_server.base_url}/files/my_work/{MODULE}/feedback.html")
    assert feedback.evaluate("() => !document.querySelector('.jp-LabShell')")
    assert (
        lab_page.evaluate("() => Array.from(window.jupyterapp.shell.widgets('main')).length")
        == tabs_before
    ), "the link opened a tab inside JupyterLab"
    assert feedback.title().startswith("Feedback")
    sections = feedback.locator("section.question")
    assert sections.count() == len(questions)
    for q in questions:
        section = sections.nth(q.number - 1)
        assert section.locator("h2").inner_text().startswith(f"Question {q.number} ")
        if q.clicked:
            want = "right" if q.choose == q.right else "wrong"
            assert section.locator(f".verdict.{want}").count() == 1, (
                f"the feedback page's verdict for question {q.number} is not '{want}'"
            )
            mine = section.locator("li", has_text="(your answer").or_(
                section.locator("li", has_text="your answer, the right answer")
            )
            assert mine.count() == 1, f"question {q.number}: the learner's answer is not marked"
            assert q.options[q.choose][1][:40] in mine.inner_text()
            assert section.get_by_text("Why:").count() == 1, "no explanation shown"
        else:
            quoted = section.locator("blockquote").first.inner_text()
            assert WRITTEN[0] in quoted and WRITTEN[1] in quoted, quoted
            assert section.locator("blockquote b").count() == 0, "typed markup became HTML"
    body = feedback.locator("body").inner_text()
    for hidden in ("assert", "Traceback", "BEGIN MARK SCHEME", "### BEGIN"):
        assert hidden not in body, f"the feedback page shows {hidden!r}"
    feedback.set_viewport_size({"width": 1100, "height": 900})
    screenshot(feedback, "quiz-feedback-page.png")
    assert_accessible(axe_document(feedback, axe_js), "the feedback page")
    feedback.close()
    print(f"[dialogs] {dialogs or 'none'}")
