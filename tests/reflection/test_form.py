"""Does the reflection form keep every answer safe, and say clearly what happened?

These drive the real widgets the way a learner does (set ``.value``, ``click()``) and look
in a real journal in a temporary folder.
"""

from __future__ import annotations

import html
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from intimacy_course.content.prompts import load_prompts
from intimacy_course.journal import Journal, JournalDamagedError, JournalTooNewError
from intimacy_course.paths import MODULES
from intimacy_course.reflection.form import (
    NOTEBOOK_SAVE_NOTE,
    ReflectionForm,
    describe_time,
    reflection_form,
)
from intimacy_course.reflection.validation import validate_answers
from intimacy_course.reflection.widgets import input_class

MODULE = "01_attachment_injury"
PROMPTS = f"""
[module]
id = "{MODULE}"
title = "Test module"
intro = "Questions used by the tests."

[[prompt]]
id = "story"
kind = "free_text"
label = "Tell the story"
help = "Any length up to fifty characters."
max_chars = 50
lines = 3

[[prompt]]
id = "feeling"
kind = "scale"
label = "How settled are you?"
min = 1
max = 5
min_label = "Very unsettled"
max_label = "Very settled"

[[prompt]]
id = "link"
kind = "single_choice"
label = "Which link is hardest?"
options = ["Trigger", "Feeling", "Urge"]

[[prompt]]
id = "needs"
kind = "checklist"
label = "What do you need?"
options = ["Safety", "Comfort", "Delight"]

[[prompt]]
id = "extra"
kind = "free_text"
label = "Anything else?"
optional = true
"""

STORY = "I went quiet at dinner.\nThen I\tcalled my sister."


@pytest.fixture
def prompts_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "prompts"
    folder.mkdir()
    (folder / f"{MODULE}.toml").write_text(PROMPTS, encoding="utf-8")
    return folder


@pytest.fixture
def journal_folder(tmp_path: Path) -> Path:
    return tmp_path / "journal"


@pytest.fixture
def open_form(prompts_folder: Path, journal_folder: Path):
    """Open forms the way a notebook would; every form is closed after the test."""
    forms: list[ReflectionForm] = []

    def opener(module: str = MODULE) -> ReflectionForm:
        form = ReflectionForm(module, journal_folder, prompts_folder)
        forms.append(form)
        return form

    yield opener
    for form in forms:
        form.close()


def fill_all(form: ReflectionForm, story: str = STORY) -> None:
    form.input_widget("story").value = story
    form.input_widget("feeling").value = 4
    form.input_widget("link").value = "Urge"
    form.inputs["needs"].checkboxes[0].value = True
    form.inputs["needs"].checkboxes[2].value = True


def saved_rows(folder: Path) -> list[tuple[str, object, int]]:
    with Journal(folder) as journal:
        return [(e.prompt_id, e.value, e.version) for e in journal.history(MODULE)]


# --- saving ----------------------------------------------------------------------------


def test_save_writes_one_row_per_answer_and_says_when(open_form, journal_folder) -> None:
    form = open_form()
    assert "Nothing saved for this module yet" in form.status_text
    fill_all(form)
    form.save_button.click()
    assert re.fullmatch(
        r"✔ Saved 4 answers at \d\d:\d\d \(version 1\)\. Earlier versions stay in your journal\. "
        + re.escape(NOTEBOOK_SAVE_NOTE),
        form.status_text,
    ), form.status_text
    assert sorted(saved_rows(journal_folder)) == sorted(
        [
            ("story", STORY, 1),
            ("feeling", 4, 1),
            ("link", "Urge", 1),
            ("needs", ["Safety", "Delight"], 1),
        ]
    )


def test_newlines_and_tabs_survive_and_outer_spaces_are_trimmed(open_form, journal_folder):
    form = open_form()
    fill_all(form, story="\n  " + STORY + "   \n\n")
    form.save_button.click()
    assert ("story", STORY, 1) in saved_rows(journal_folder)


def test_reopening_shows_the_latest_saved_answers(open_form) -> None:
    first = open_form()
    fill_all(first)
    first.save_button.click()
    first.input_widget("story").value = "Second thoughts."
    first.save_button.click()
    again = open_form()
    assert again.values() == {
        "story": "Second thoughts.",
        "feeling": 4,
        "link": "Urge",
        "needs": ["Safety", "Delight"],
        "extra": "",
    }
    assert re.match(r"Showing your answers last saved at \d\d:\d\d", again.status_text)


def test_editing_makes_version_2_and_keeps_version_1(open_form, journal_folder) -> None:
    form = open_form()
    fill_all(form)
    form.save_button.click()
    form.input_widget("story").value = "A new ending."
    form.input_widget("feeling").value = 2
    form.save_button.click()
    assert re.search(
        r"Saved 2 answers at \d\d:\d\d \(version 2\)\. 2 answers had not "
        r"changed and were already saved\.",
        form.status_text,
    ), form.status_text
    rows = saved_rows(journal_folder)
    assert ("story", STORY, 1) in rows and ("story", "A new ending.", 2) in rows
    assert ("feeling", 4, 1) in rows and ("feeling", 2, 2) in rows
    assert len(rows) == 6  # unchanged answers were not saved again


def test_saving_twice_without_changes_adds_nothing(open_form, journal_folder) -> None:
    form = open_form()
    fill_all(form)
    form.save_button.click()
    form.save_button.click()
    assert "Nothing new to save" in form.status_text
    assert len(saved_rows(journal_folder)) == 4


def test_emptying_a_saved_optional_answer_saves_the_empty_version(open_form, journal_folder):
    form = open_form()
    fill_all(form)
    form.input_widget("extra").value = "Something I may take back."
    form.save_button.click()
    form.input_widget("extra").value = "   "
    form.save_button.click()
    rows = saved_rows(journal_folder)
    assert ("extra", "Something I may take back.", 1) in rows and ("extra", "", 2) in rows
    assert open_form().input_widget("extra").value == ""


def test_versions_that_differ_are_reported_as_a_range(open_form) -> None:
    form = open_form()
    fill_all(form)
    form.save_button.click()
    form.input_widget("story").value = "Changed."
    form.input_widget("extra").value = "First extra."
    form.save_button.click()
    assert "Saved 2 answers" in form.status_text and "(versions 1 to 2)" in form.status_text


# --- bad input: a clear message, nothing lost -------------------------------------------


def test_empty_required_answers_are_each_named(open_form, journal_folder) -> None:
    form = open_form()
    form.input_widget("story").value = "   \n\t "
    form.save_button.click()
    status = form.status_text
    assert "Not saved yet: 4 answers need attention" in status
    for label in (
        "Tell the story",
        "How settled are you?",
        "Which link is hardest?",
        "What do you need?",
    ):
        assert f"\u201c{label}\u201d needs an answer" in status
    assert "choose a number from 1 to 5" in status and "tick at least one box" in status
    assert "needs an answer" in form.inputs["story"].error.value  # shown beside the input
    assert "Anything else" not in status  # optional
    assert form.input_widget("story").value == "   \n\t "
    assert saved_rows(journal_folder) == []


def test_text_over_the_limit_says_how_many_characters_over(open_form, journal_folder):
    form = open_form()
    fill_all(form, story="x" * 53)
    form.save_button.click()
    assert "is 3 characters over the limit of 50 (53 written)" in form.status_text
    assert form.input_widget("story").value == "x" * 53
    assert "53 / 50 characters" in form.inputs["story"].count.value
    assert saved_rows(journal_folder) == []
    form.input_widget("story").value = "x" * 50
    form.save_button.click()
    assert "Saved 4 answers" in form.status_text


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_control_characters_are_refused_with_their_position(
    open_form, journal_folder, character: str
) -> None:
    form = open_form()
    typed = f"abc{character}def"
    fill_all(form, story=typed)
    form.save_button.click()
    assert f"invisible control character (U+{ord(character):04X}) at character 4" in (
        form.status_text
    )
    assert form.input_widget("story").value == typed
    assert saved_rows(journal_folder) == []


def test_status_never_quotes_what_was_written(open_form) -> None:
    form = open_form()
    fill_all(form, story="my private words " * 10)
    form.save_button.click()
    assert "private words" not in form.status.value


def test_a_rating_off_the_scale_is_refused(open_form) -> None:
    form = open_form()
    assert form.fill({"feeling": 9}) is False
    assert "must be between 1 (Very unsettled) and 5 (Very settled); 9 is outside" in (
        form.status_text
    )
    assert form.input_widget("feeling").value is None
    module = load_prompts(MODULE, form.prompts.path.parent)
    result = validate_answers(
        module, {"feeling": 0, "story": "ok", "link": "Urge", "needs": ["Comfort"]}
    )
    assert list(result.errors) == ["feeling"] and "0 is outside" in result.errors["feeling"]


def test_an_unknown_prompt_is_named_and_nothing_changes(open_form) -> None:
    form = open_form()
    form.input_widget("story").value = "Kept."
    assert form.fill({"story": "Replaced?", "feelings": 3}) is False
    assert "has no question 'feelings'" in form.status_text
    assert "story, feeling, link, needs, extra" in form.status_text
    assert form.input_widget("story").value == "Kept."


def test_a_choice_that_is_not_an_option_is_refused(open_form) -> None:
    form = open_form()
    assert form.fill({"link": "Shame"}) is False
    assert "not one of the options" in form.status_text
    assert form.fill({"link": "Feeling", "needs": ["Comfort"], "story": "Fine."}) is True
    assert form.values()["link"] == "Feeling"


def test_an_unknown_module_gets_a_message_not_a_traceback(open_form) -> None:
    form = open_form("07_bonus")
    assert "There is no module called '07_bonus'" in form.status_text
    assert form.save_button.disabled
    assert form.save() is None and form.inputs == {}


def test_a_broken_prompt_file_is_explained_in_the_form(open_form, prompts_folder) -> None:
    path = prompts_folder / f"{MODULE}.toml"
    path.write_text(PROMPTS.replace('kind = "scale"', 'kind = "slider"'), encoding="utf-8")
    form = open_form()
    assert "01_attachment_injury.toml, prompt 2 ('feeling'): field 'kind'" in form.status_text
    assert "unknown kind 'slider'" in form.status_text


# --- journal faults: the message in the status line, the text stays ----------------------


def test_a_damaged_journal_is_reported_and_the_typed_text_stays(open_form, journal_folder) -> None:
    form = open_form()
    fill_all(form)
    form.save_button.click()
    database = journal_folder / "journal.sqlite3"
    garbage = b"this is not a database, it was overwritten by accident" * 100
    database.write_bytes(garbage)
    form.input_widget("story").value = "Written after the damage."
    form.save_button.click()
    status = form.status_text
    assert status.startswith("⚠ Not saved:")
    assert "damaged" in status and "intimacy-course journal recover" in status
    assert "nothing you typed was lost" in status
    assert form.input_widget("story").value == "Written after the damage."
    assert database.read_bytes() == garbage  # the damaged file was not touched
    with pytest.raises(JournalDamagedError):
        Journal(journal_folder)
    reopened = open_form()
    assert "could not be loaded" in reopened.status_text and "damaged" in reopened.status_text


def test_a_journal_from_a_newer_version_is_reported(open_form, journal_folder) -> None:
    Journal(journal_folder).close()
    with sqlite3.connect(journal_folder / "journal.sqlite3") as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()
    form = open_form()
    assert "newer version of the course" in form.status_text
    fill_all(form)
    form.save_button.click()
    assert "Not saved" in form.status_text and "newer version" in form.status_text
    assert form.input_widget("story").value == STORY
    with pytest.raises(JournalTooNewError):
        Journal(journal_folder)


def test_a_journal_folder_that_cannot_be_created_is_reported(prompts_folder, tmp_path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the journal folder should be")
    form = ReflectionForm(MODULE, blocker / "journal", prompts_folder)
    fill_all(form)
    form.save_button.click()
    assert "Not saved: The journal cannot be written" in form.status_text
    assert form.input_widget("story").value == STORY
    form.close()


def test_an_unexpected_error_is_shown_in_the_form(open_form, monkeypatch) -> None:
    form = open_form()
    fill_all(form)

    def broken() -> Journal:
        raise RuntimeError("a bug in the course, not in the journal")

    monkeypatch.setattr(form, "_open_journal", broken)
    form.save_button.click()
    assert "Something unexpected went wrong" in form.status_text
    shown = "".join(output.get("text", "") for output in form.errors.outputs)
    assert "RuntimeError: a bug in the course" in shown
    assert form.input_widget("story").value == STORY


# --- what the learner sees --------------------------------------------------------------


@pytest.mark.parametrize("module", MODULES)
def test_every_shipped_input_has_a_label_help_and_a_stable_class(module: str, tmp_path) -> None:
    form = ReflectionForm(module, tmp_path / "journal")
    try:
        assert "reflection-form" in form.widget._dom_classes
        assert "reflection-save" in form.save_button._dom_classes
        assert "reflection-status" in form.status._dom_classes
        for prompt in form.prompts.prompts:
            item = form.inputs[prompt.id]
            assert input_class(prompt.id) in item.input._dom_classes
            assert html.escape(prompt.label) in item.heading.value
            if prompt.help:
                assert "reflection-help" in item.heading.value
            if prompt.kind == "checklist":
                assert [box.description for box in item.checkboxes] == list(prompt.options)
                assert all(box.description_allow_html is False for box in item.checkboxes)
            else:
                assert item.input.description == prompt.label
                assert item.input.description_allow_html is False
            if prompt.kind == "free_text":
                assert type(item.input).__name__ == "Textarea"  # Enter adds a line
    finally:
        form.close()


def test_scale_starts_unanswered_with_labelled_ends(open_form) -> None:
    item = open_form().inputs["feeling"]
    assert item.input.value is None and item.input.index is None
    assert "Very unsettled" in item.low.value and "Very settled" in item.high.value
    assert item.input.options == (("1", 1), ("2", 2), ("3", 3), ("4", 4), ("5", 5))


def test_the_displayed_form_carries_no_answer_as_text(open_form) -> None:
    form = open_form()
    fill_all(form, story="A secret sentence.")
    form.save_button.click()
    again = open_form()
    assert again.input_widget("story").value == "A secret sentence."
    bundle = again._repr_mimebundle_()
    assert "secret" not in bundle["text/plain"] and "secret" not in repr(again)
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_reflection_form_returns_the_displayed_form(prompts_folder, journal_folder) -> None:
    form = reflection_form(MODULE, journal_folder, prompts_folder)
    assert isinstance(form, ReflectionForm) and form.prompts.title == "Test module"
    form.close()


def test_close_closes_every_widget_and_save_then_does_nothing(open_form, journal_folder):
    form = open_form()
    fill_all(form)
    form.close()
    assert form.widget.comm is None and form.input_widget("story").comm is None
    assert form.inputs["needs"].checkboxes[0].comm is None
    assert form.save() is None
    form.close()  # twice is fine
    assert saved_rows(journal_folder) == []


def test_times_from_other_days_include_the_date() -> None:
    now = datetime(2026, 3, 4, 12, 0, tzinfo=UTC).astimezone()
    earlier = now - timedelta(days=1)
    assert describe_time(now, now) == f"at {now:%H:%M}"
    assert describe_time(earlier, now) == f"on {earlier.day} {earlier:%B %Y} at {earlier:%H:%M}"


def test_running_the_form_cell_again_keeps_unsaved_answers(prompts_folder, journal_folder):
    first = reflection_form(MODULE, journal_folder, prompts_folder)
    fill_all(first)
    first.save_button.click()
    first.input_widget("story").value = "Typed but not saved yet."
    first.input_widget("feeling").value = 1
    second = reflection_form(MODULE, journal_folder, prompts_folder)
    try:
        assert second.input_widget("story").value == "Typed but not saved yet."
        assert second.input_widget("feeling").value == 1
        assert second.input_widget("link").value == "Urge"  # saved answers load as usual
        assert "2 answers you had not saved yet were kept" in second.status_text
        assert first.widget.comm is None  # the replaced form is closed
        second.save_button.click()
        assert "Saved 2 answers" in second.status_text
        assert ("story", "Typed but not saved yet.", 2) in saved_rows(journal_folder)
    finally:
        second.close()
