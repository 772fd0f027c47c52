"""A journal warning reaches the learner as the page's own sentence, never as a raw warning.

Opening a journal whose folder other accounts can open, and which also holds other files,
warns (JournalPermissionWarning). In a notebook a raw warning is a pink box with a file
name and a line of source code; the form and the dashboard say it in their own words.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from intimacy_course.journal import Journal, JournalPermissionWarning
from intimacy_course.reflection import dashboard
from intimacy_course.reflection.form import ReflectionForm
from intimacy_course.reflection.notices import journal_notes

MODULE = "01_attachment_injury"


@pytest.fixture
def open_folder(tmp_path: Path) -> Path:
    """A journal folder others can open that also holds a file of another program."""
    folder = tmp_path / "shared-data"
    folder.mkdir()
    (folder / "lab-config-learner").mkdir()
    folder.chmod(0o755)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        Journal(folder).close()
    return folder


def test_the_folder_warning_is_collected_not_shown(open_folder: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with journal_notes() as notes, Journal(open_folder):
            pass
    assert len(notes) == 1 and "can be opened by other accounts" in notes[0]


def test_other_warnings_pass_on_unchanged() -> None:
    with pytest.warns(DeprecationWarning, match="not ours"), journal_notes() as notes:
        warnings.warn("not ours", DeprecationWarning, stacklevel=1)
    assert notes == []


def test_the_form_says_it_in_its_status_line(open_folder: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", JournalPermissionWarning)
        form = ReflectionForm(MODULE, open_folder)
        form.input_widget("how_settled").value = 4
        form.save_button.click()
    try:
        assert "Saved 1 answer" in form.status_text, form.status_text
        assert "Note: The journal folder" in form.status_text
        assert "chmod 700" in form.status_text
    finally:
        form.close()


def test_the_dashboard_says_it_above_the_charts(
    open_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[object] = []
    monkeypatch.setattr("IPython.display.display", lambda *items, **_: shown.extend(items))
    monkeypatch.setattr(
        "intimacy_course.figures.show_figure", lambda *args, **kwargs: shown.append("figure")
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Journal(open_folder) as journal:
            journal.save(MODULE, {"how_settled": 3})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dashboard.show_progress(open_folder)
    # without a kernel, what show_progress displays inside its Output widget reaches display()
    texts = [str(getattr(item, "data", "")) for item in shown]
    assert any("Note: The journal folder" in text for text in texts), texts
    assert "figure" in shown
