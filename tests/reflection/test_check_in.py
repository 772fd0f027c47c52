"""When a learner says they feel unsettled, does the form offer help at once, and only help?

Every reflection opens with the check-in ``how_settled`` (1 = "Very unsettled" ... 5 = "Very
settled"). Choosing 1 or 2 must show, inside the form and straight away, the page's own
grounding steps and the course's one "If you need help now" section, without blocking the
questions or the Save button. These tests click the real widgets (ipywidgets runs change
handlers synchronously) on every module's real prompts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from intimacy_course.content.help_now import grounding_steps
from intimacy_course.journal import Journal
from intimacy_course.paths import MODULES
from intimacy_course.reflection.check_in import (
    CHECK_IN_PROMPT,
    SUPPORT_CLASS,
    CheckInSupport,
    markdown_html,
)
from intimacy_course.reflection.form import ReflectionForm

HELP_LINES = ("988", "911", "116 123", "1-800-799-7233", "1-800-656-4673", "findahelpline.com")


@pytest.fixture
def open_form(tmp_path: Path):
    """Real module forms over a journal in a temporary folder; closed after the test."""
    forms: list[ReflectionForm] = []

    def opener(module: str) -> ReflectionForm:
        form = ReflectionForm(module, tmp_path / "journal")
        forms.append(form)
        return form

    yield opener
    for form in forms:
        form.close()


def rate(form: ReflectionForm, value: int | None) -> CheckInSupport:
    form.input_widget(CHECK_IN_PROMPT).value = value
    assert form.check_in is not None
    return form.check_in


@pytest.mark.parametrize("module", MODULES)
def test_very_unsettled_shows_grounding_and_help_lines_inside_the_form(
    module: str, open_form
) -> None:
    form = open_form(module)
    assert form.check_in is not None and not form.check_in.visible
    support = rate(form, 1)
    assert support.visible
    text = support.text
    assert text.startswith("You chose 1, very unsettled.")
    for line in HELP_LINES:
        assert line in text, f"{module}: {line} missing from the panel"
    first_step = grounding_steps(module).splitlines()[0].split(". ", 1)[1].replace("**", "")
    assert first_step in text, f"{module}: the page's own grounding steps are not shown"
    # inside the form, right under the check-in question
    children = list(form.widget.children)
    assert children.index(support.widget) == children.index(form.inputs[CHECK_IN_PROMPT].box) + 1
    assert SUPPORT_CLASS in support.widget._dom_classes


def test_two_also_shows_the_panel_in_its_own_words(open_form) -> None:
    support = rate(open_form(MODULES[0]), 2)
    assert support.visible
    assert support.text.startswith("You chose 2, on the unsettled side.")
    assert "988" in support.text


@pytest.mark.parametrize("value", [3, 4, 5, None])
def test_settled_or_no_rating_shows_nothing(value: int | None, open_form) -> None:
    form = open_form(MODULES[1])
    support = rate(form, 1)
    assert support.visible
    support = rate(form, value)
    assert not support.visible
    assert support.text == "" and support.widget.value == ""


def test_the_panel_blocks_nothing_and_saving_works(open_form, tmp_path: Path) -> None:
    form = open_form(MODULES[2])
    rate(form, 1)
    assert not form.save_button.disabled
    others = [pid for pid in form.inputs if pid != CHECK_IN_PROMPT]
    assert others, "the check-in should be followed by the module's questions"
    for pid in others:
        widget = form.input_widget(pid)
        assert not getattr(widget, "disabled", False), f"{pid} was disabled"
    entries = form.save()
    assert entries is not None, form.status_text
    with Journal(tmp_path / "journal") as journal:
        assert journal.latest(MODULES[2])[CHECK_IN_PROMPT].value == 1


def test_nothing_reaches_a_cell_output(open_form, capsys) -> None:
    """The rating and the panel live in widget state only; outputs are saved in the notebook."""
    form = open_form(MODULES[3])
    rate(form, 1)
    captured = capsys.readouterr()
    assert "988" not in captured.out + captured.err
    assert form.errors.outputs == ()
    assert "988" not in repr(form)


def test_a_saved_unsettled_rating_shows_the_panel_when_the_form_opens_again(open_form) -> None:
    form = open_form(MODULES[4])
    rate(form, 1)
    form.save()
    again = open_form(MODULES[4])
    assert again.check_in is not None and again.check_in.visible


def test_running_the_cell_again_carries_the_rating_and_the_panel_over(open_form) -> None:
    first = open_form(MODULES[0])
    rate(first, 2)
    second = open_form(MODULES[0])
    assert second.carry_over(first) == 1
    assert second.check_in is not None and second.check_in.visible


def test_forms_without_the_check_in_have_no_panel(tmp_path: Path) -> None:
    folder = tmp_path / "prompts"
    folder.mkdir()
    (folder / f"{MODULES[0]}.toml").write_text(
        f'[module]\nid = "{MODULES[0]}"\ntitle = "T"\nintro = "I"\n\n'
        '[[prompt]]\nid = "feeling"\nkind = "scale"\nlabel = "How?"\n'
        'min = 1\nmax = 5\nmin_label = "Low"\nmax_label = "High"\n',
        encoding="utf-8",
    )
    form = ReflectionForm(MODULES[0], tmp_path / "journal", folder)
    try:
        form.input_widget("feeling").value = 1
        assert form.check_in is None
    finally:
        form.close()


def test_close_closes_the_panel_too(open_form) -> None:
    form = open_form(MODULES[0])
    support = rate(form, 1)
    form.close()
    assert support.widget.comm is None


def test_help_text_is_escaped_before_it_becomes_html() -> None:
    rendered = markdown_html(
        'Call **988** <script>alert("x")</script> or see [a site](https://example.org).\n\n'
        "1. One *step*\n2. Two"
    )
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered
    assert "<strong>988</strong>" in rendered
    assert '<a href="https://example.org" target="_blank" rel="noopener">a site</a>' in rendered
    assert "<ol><li>One <em>step</em></li><li>Two</li></ol>" in rendered
