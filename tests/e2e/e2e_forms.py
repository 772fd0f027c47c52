"""Filling a workbook reflection form in the browser the way a learner does.

The form (``intimacy_course.reflection.form``) marks itself with stable classes: ``reflection-form``,
one ``reflection-prompt`` box per question holding an input ``reflection-input-<id>``,
the ``reflection-save`` button and the ``reflection-status`` line. The prompts are found
from the page, not from the prompt files, so the test fills exactly what a learner sees.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Locator, Page

_PROMPTS = """(formSelector) => {
  const root = window.jupyterapp.shell.currentWidget.content.node;
  const form = root.querySelector(formSelector);
  if (!form) return [];
  return Array.from(form.querySelectorAll('.reflection-prompt')).map(box => {
    const input = box.querySelector('[class*="reflection-input-"]');
    const id = Array.from(input.classList).find(c => c.startsWith('reflection-input-'))
      .slice('reflection-input-'.length);
    let kind = 'unknown';
    if (input.querySelector('textarea')) kind = 'free_text';
    else if (input.querySelector('input[type=radio]')) kind = 'single_choice';
    else if (input.querySelector('input[type=checkbox]')) kind = 'checklist';
    else if (input.classList.contains('widget-toggle-buttons') ||
             input.querySelector('.widget-toggle-button')) kind = 'scale';
    const heading = box.querySelector('.reflection-label');
    return {id: id, kind: kind,
            optional: !!heading && heading.textContent.includes('(optional)'),
            label: heading ? heading.textContent.trim() : ''};
  });
}"""


@dataclass(frozen=True)
class FormPrompt:
    """One question of the form as the learner sees it."""

    id: str
    kind: str
    optional: bool
    label: str


def current_form(page: Page) -> Locator:
    """The reflection form in the notebook in front (waits until it is drawn)."""
    widget_id = page.evaluate("() => window.jupyterapp.shell.currentWidget.id")
    form = page.locator(f'[id="{widget_id}"] .reflection-form')
    form.wait_for(state="visible", timeout=60_000)
    return form


def form_prompts(page: Page) -> list[FormPrompt]:
    """The questions of the form in front, in order."""
    current_form(page)
    return [FormPrompt(**p) for p in page.evaluate(_PROMPTS, ".reflection-form")]


def prompt_input(form: Locator, prompt: FormPrompt) -> Locator:
    return form.locator(f".reflection-input-{prompt.id}")


def sample_text(prompt: FormPrompt, round_: str) -> tuple[str, str]:
    """Two lines a learner might write; the Enter between them must stay a line break."""
    return (
        f"{round_} answer to {prompt.id}: a calm café morning",
        "and a second line after pressing Enter",
    )


def fill(page: Page, form: Locator, prompt: FormPrompt, round_: str = "E2E") -> object:
    """Answer one question by typing or clicking; return the answer as the journal stores it."""
    element = prompt_input(form, prompt)
    if prompt.kind == "free_text":
        area = element.locator("textarea")
        area.click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        first, second = sample_text(prompt, round_)
        page.keyboard.type(first)
        page.keyboard.press("Enter")  # inside a textarea: a new line, never a submit
        page.keyboard.type(second)
        return f"{first}\n{second}"
    if prompt.kind == "scale":
        buttons = element.locator("button")
        choice = buttons.nth(buttons.count() - 2)  # "settled", not an end of the scale
        text = choice.inner_text().strip()
        choice.click()
        return int(text)
    if prompt.kind == "single_choice":
        options = element.locator("label:has(input)")
        choice = options.nth(1 if options.count() > 1 else 0)
        text = choice.inner_text().strip()
        choice.click()
        return text
    if prompt.kind == "checklist":
        boxes = element.locator("label:has(input)")
        picked = [0, 2] if boxes.count() > 2 else [0]
        texts = []
        for index in picked:
            texts.append(boxes.nth(index).inner_text().strip())
            boxes.nth(index).click()
        return texts
    raise AssertionError(f"question {prompt.id} has an input the test does not know: {prompt}")


def clear(page: Page, form: Locator, prompt: FormPrompt) -> None:
    """Empty a free-text answer with the keyboard."""
    assert prompt.kind == "free_text", prompt
    prompt_input(form, prompt).locator("textarea").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")


def shown_value(form: Locator, prompt: FormPrompt) -> object:
    """What the question's input shows now, in the journal's form."""
    element = prompt_input(form, prompt)
    if prompt.kind == "free_text":
        return element.locator("textarea").input_value()
    if prompt.kind == "scale":
        active = element.locator("button.mod-active")
        return int(active.inner_text().strip()) if active.count() == 1 else None
    if prompt.kind == "single_choice":
        labels = element.locator("label:has(input)")
        for index in range(labels.count()):
            if labels.nth(index).locator("input").is_checked():
                return labels.nth(index).inner_text().strip()
        return None
    if prompt.kind == "checklist":
        labels = element.locator("label:has(input)")
        return [
            labels.nth(i).inner_text().strip()
            for i in range(labels.count())
            if labels.nth(i).locator("input").is_checked()
        ]
    raise AssertionError(f"unknown input kind: {prompt}")


def status_text(form: Locator) -> str:
    return form.locator(".reflection-status").inner_text().strip()


def journal_latest(journal_dir: Path, module: str) -> dict[str, object]:
    """The newest saved answer per question, read straight from the SQLite file (stdlib)."""
    path = journal_dir / "journal.sqlite3"
    if not path.exists():
        return {}
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT prompt_id, value_json FROM entries WHERE module = ? ORDER BY id",
            (module,),
        ).fetchall()
    finally:
        connection.close()
    return {prompt_id: json.loads(value) for prompt_id, value in rows}


def unnamed_inputs(page: Page, form: Locator) -> list[str]:
    """Form inputs a screen reader could not name after their question or option.

    Found the way assistive technology finds them, by role and accessible name; axe alone
    misses a Textarea without a label, because ipywidgets gives it a placeholder."""
    problems = []
    for prompt in form_prompts(page):
        question = re.sub(r"^\d+\.\s*", "", prompt.label).replace("(optional)", "").strip()
        element = form.locator(f".reflection-input-{prompt.id}")
        if prompt.kind == "free_text":
            if form.get_by_role("textbox", name=question, exact=True).count() != 1:
                problems.append(f"{prompt.id}: no text box named {question!r}")
        elif prompt.kind in ("single_choice", "checklist"):
            role = "radio" if prompt.kind == "single_choice" else "checkbox"
            for label in element.locator("label:has(input)").all_inner_texts():
                if element.get_by_role(role, name=label.strip(), exact=True).count() != 1:
                    problems.append(f"{prompt.id}: no {role} named {label.strip()!r}")
    return problems
