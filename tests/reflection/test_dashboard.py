"""Does the dashboard count a known journal correctly, stay friendly when empty, and stay fast?"""

from __future__ import annotations

import io
import json
import sqlite3
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from intimacy_course.content.prompts import load_all_prompts
from intimacy_course.journal import Journal
from intimacy_course.paths import MODULES
from intimacy_course.reflection import dashboard as progress


@pytest.fixture(scope="module")
def prompts():
    return load_all_prompts()


@pytest.fixture
def known_journal(tmp_path: Path):
    """A small journal written through the real Journal.save, the way the forms write it."""
    with Journal(tmp_path / "journal") as journal:
        journal.save("01_attachment_injury", {"how_settled": 2, "what_attachment_misses": "Mood."})
        journal.save("01_attachment_injury", {"how_settled": 4})
        journal.save("02_acting_out", {"values_check": ""})  # emptied: not an answer
        journal.save("03_dopamine_and_numbing", {"reach_for": ["Food"], "brain_fact_confidence": 3})
        journal.save("04_validation_vs_judgment", {"retired_question": "Old words."})
        yield journal


def test_entries_frame_has_one_row_per_saved_version(known_journal, prompts) -> None:
    frame = progress.entries_frame(known_journal, prompts)
    assert list(frame.columns) == progress.FRAME_COLUMNS
    history = known_journal.history()
    assert frame["id"].tolist() == [entry.id for entry in history]
    assert frame["value"].tolist() == [entry.value for entry in history]
    assert frame["version"].tolist() == [entry.version for entry in history]
    assert [ts.to_pydatetime() for ts in frame["created"]] == [entry.created for entry in history]
    assert frame["kind"].tolist() == [
        "scale",
        "free_text",
        "scale",
        "free_text",
        "checklist",
        "scale",
        "unknown",
    ]
    assert frame["answered"].tolist() == [True, True, True, False, True, True, True]


def test_entries_per_module_counts_every_version(known_journal) -> None:
    table = progress.entries_per_module(progress.entries_frame(known_journal))
    assert table["entries"].to_dict() == {
        "01_attachment_injury": 3,
        "02_acting_out": 1,
        "03_dopamine_and_numbing": 2,
        "04_validation_vs_judgment": 1,
        "05_safe_reintegration": 0,
    }
    assert table["last_saved"].isna().tolist() == [False, False, False, False, True]


def test_completion_counts_current_answers_to_current_questions(known_journal, prompts) -> None:
    table = progress.completion(progress.entries_frame(known_journal, prompts), prompts)
    assert table["available"].tolist() == [5, 5, 5, 5, 5]
    # module 2's only answer was emptied; module 4's answer is to a question that no longer exists
    assert table["answered"].tolist() == [2, 0, 2, 0, 0]
    assert table["completion"].tolist() == [0.4, 0.0, 0.4, 0.0, 0.0]


def test_ratings_over_time_lists_every_rating_in_order(known_journal) -> None:
    ratings = progress.ratings_over_time(progress.entries_frame(known_journal))
    assert ratings[["module", "prompt_id", "rating"]].values.tolist() == [
        ["01_attachment_injury", "how_settled", 2],
        ["01_attachment_injury", "how_settled", 4],
        ["03_dopamine_and_numbing", "brain_fact_confidence", 3],
    ]
    assert ratings["created"].is_monotonic_increasing


def test_dashboard_figure_shows_the_same_numbers(known_journal, prompts) -> None:
    figure = progress.draw_dashboard(known_journal, prompts)
    counts, done, ratings = figure.axes
    assert [a.get_title() for a in figure.axes] == [
        "Entries per module",
        "Completion per module",
        "Ratings over time (latest rating saved each day)",
    ]
    assert [bar.get_width() for bar in counts.patches] == [3, 1, 2, 1, 0]
    assert [bar.get_width() for bar in done.patches] == [40.0, 0.0, 40.0, 0.0, 0.0]
    assert len(ratings.get_lines()) == 2  # "how settled" and "how sure"
    alt = progress.dashboard_alt_text(progress.entries_frame(known_journal, prompts), prompts)
    assert "1. Attachment injury: 3 entries, 2 of 5 questions answered" in alt
    # "how settled" was saved as 2, then edited to 4 the same day: one point, the new version
    assert "' 1 point, first 4, latest 4" in alt
    assert "latest rating saved each day" in alt and "new version only" in alt


def test_summary_table_reads_like_a_report(known_journal, prompts) -> None:
    table = progress.summary_table(progress.entries_frame(known_journal, prompts), prompts)
    first = table.iloc[0].to_dict()
    assert first["Module"] == "1. Attachment injury"
    assert (first["Entries saved"], first["Questions answered"], first["Completion"]) == (
        3,
        "2 of 5",
        "40%",
    )
    assert table.iloc[4]["Last saved"] == "not yet"


def test_an_empty_journal_gives_zeros_and_a_friendly_figure(tmp_path, prompts) -> None:
    with Journal(tmp_path / "empty") as journal:
        frame = progress.entries_frame(journal, prompts)
        figure = progress.draw_dashboard(journal, prompts)
    assert frame.empty and list(frame.columns) == progress.FRAME_COLUMNS
    assert progress.entries_per_module(frame)["entries"].tolist() == [0] * len(MODULES)
    assert progress.completion(frame, prompts)["answered"].tolist() == [0] * len(MODULES)
    assert progress.ratings_over_time(frame).empty
    assert isinstance(figure, Figure)
    texts = [text.get_text() for text in figure.axes[0].texts]
    assert texts == ["Nothing saved yet: your progress will appear here."]
    assert "nothing has been saved" in progress.dashboard_alt_text(frame, prompts)


def test_long_spans_get_one_point_per_month(tmp_path, prompts) -> None:
    journal = fill_journal(tmp_path / "years", 3000, days=900)
    ratings = progress.ratings_over_time(progress.entries_frame(journal, prompts))
    points, period = progress.rating_points(ratings)
    journal.close()
    assert period == "month"
    assert 25 <= points.groupby("label").size().max() <= 31
    # every point is a rating that was saved, the last one of its month
    for row in points.itertuples():
        month = ratings[
            (ratings["label"] == row.label)
            & (
                ratings["created"].dt.tz_localize(None).dt.to_period("M").dt.start_time
                == row.period
            )
        ]
        assert row.rating == month["rating"].iloc[-1] and row.saves == len(month)


def journal_with(folder: Path, rows: list[tuple[str, str, object, datetime]]) -> Journal:
    """A journal holding exactly ``rows`` (module, prompt id, value, when saved), in order."""
    Journal(folder).close()
    versions: dict[tuple[str, str], int] = {}
    records = []
    for module, prompt_id, value, created in rows:
        versions[(module, prompt_id)] = versions.get((module, prompt_id), 0) + 1
        records.append(
            (
                module,
                prompt_id,
                json.dumps(value),
                versions[(module, prompt_id)],
                created.isoformat(),
                1,
            )
        )
    with sqlite3.connect(folder / "journal.sqlite3") as conn:
        conn.executemany(
            "INSERT INTO entries (module, prompt_id, value_json, version, created, "
            "schema_version) VALUES (?, ?, ?, ?, ?, ?)",
            records,
        )
    conn.close()
    return Journal(folder)


NOON = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
M1, M2 = "01_attachment_injury", "02_acting_out"


def test_an_edited_rating_is_plotted_in_its_new_version_never_averaged(tmp_path, prompts) -> None:
    """2 saved, then changed to 4 an hour later: the plot shows 4, never the 3 nobody gave."""
    journal = journal_with(
        tmp_path / "edited",
        [
            (M1, "how_settled", 2, NOON),
            (M1, "how_settled", 4, NOON + timedelta(hours=1)),
            (M2, "how_settled", 5, NOON - timedelta(days=3)),
            (M2, "how_settled", 1, NOON - timedelta(days=3, hours=-2)),
        ],
    )
    frame = progress.entries_frame(journal, prompts)
    figure = progress.draw_dashboard(journal, prompts)
    journal.close()
    points, period = progress.rating_points(progress.ratings_over_time(frame))
    assert period == "day"
    assert points["rating"].tolist() == [1, 4]  # per day, the version saved last
    assert points["saves"].tolist() == [2, 2]
    (line,) = figure.axes[2].get_lines()
    assert list(line.get_ydata()) == [1, 4]
    assert figure.axes[2].get_title() == "Ratings over time (latest rating saved each day)"


def _one_entry(folder: Path) -> Journal:
    return journal_with(folder, [(M1, "how_settled", 3, NOON)])


def _one_day(folder: Path) -> Journal:
    rows = [(M1, "how_settled", 1 + n % 5, NOON + timedelta(minutes=20 * n)) for n in range(9)]
    rows.append((M1, "what_attachment_misses", "Mood and culture.", NOON))
    return journal_with(folder, rows)


def _three_years(folder: Path) -> Journal:
    return fill_journal(folder, 1500, days=3 * 365)


def _one_text_answer(folder: Path) -> Journal:
    return journal_with(folder, [(M1, "what_attachment_misses", "Mood.", NOON)])


@pytest.mark.parametrize(
    "make", [_one_entry, _one_day, _three_years, _one_text_answer], ids=lambda f: f.__name__[1:]
)
def test_the_dashboard_draws_without_a_single_warning(tmp_path, prompts, make) -> None:
    """One rating, one day of ratings or three years: no warning reaches the learner's page.

    With one day of data matplotlib's date locator warned (a pink box in JupyterLab).
    """
    journal = make(tmp_path / "journal")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = progress.entries_frame(journal, prompts)
        figure = progress.draw_dashboard_from_frame(frame, prompts)
        figure.savefig(io.BytesIO(), format="png")
        progress.dashboard_alt_text(frame, prompts)
        progress.summary_table(frame, prompts)
    journal.close()
    axes = figure.axes[2]
    if not axes.get_lines():
        return
    ticks = [label.get_text() for label in axes.get_xticklabels()]
    assert any(ticks), "the ratings plot has no dates on its axis"


def fill_journal(folder: Path, count: int, days: int) -> Journal:
    """A journal holding ``count`` entries spread over ``days`` days.

    Rows go in through one SQLite transaction into a journal created by Journal: saving
    them one by one through ``Journal.save`` would take minutes of fsyncs and would
    stamp them all with today's date, while a dashboard must cope with years.
    """
    prompts = load_all_prompts()
    pairs = [(m, p) for m, module in prompts.items() for p in module.prompts]
    Journal(folder).close()
    start = datetime(2023, 1, 1, tzinfo=UTC)
    versions: dict[tuple[str, str], int] = {}
    rows = []
    for number in range(count):
        module, prompt = pairs[number % len(pairs)]
        key = (module, prompt.id)
        versions[key] = versions.get(key, 0) + 1
        value = {
            "free_text": "A few honest sentences about the week. " * 3,
            "scale": prompt.min + number % (prompt.max - prompt.min + 1),
            "single_choice": prompt.options[0] if prompt.options else None,
            "checklist": list(prompt.options[:2]),
        }[prompt.kind]
        created = start + timedelta(days=days * number / count)
        rows.append((module, prompt.id, json.dumps(value), versions[key], created.isoformat(), 1))
    with sqlite3.connect(folder / "journal.sqlite3") as conn:
        conn.executemany(
            "INSERT INTO entries (module, prompt_id, value_json, version, created, "
            "schema_version) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
    conn.close()
    return Journal(folder)


@pytest.mark.slow
def test_twenty_thousand_entries_load_and_draw(tmp_path, prompts) -> None:
    """Years of daily entries: every entry reaches the frame and the dashboard still draws.

    How fast this is, is measured by benchmarks/journal.py and reported, not asserted here.
    """
    journal = fill_journal(tmp_path / "big", 20_000, days=3 * 365)
    frame = progress.entries_frame(journal, prompts)
    figure = progress.draw_dashboard(journal, prompts)
    journal.close()
    assert len(frame) == 20_000 and isinstance(figure, Figure)


def test_an_empty_journal_shows_the_friendly_note_not_a_chart(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[object] = []
    monkeypatch.setattr("IPython.display.display", lambda *objects, **_: shown.extend(objects))
    progress.show_progress(tmp_path / "empty")
    html = [getattr(item, "data", "") for item in shown]
    assert any("empty so far, and that is completely fine" in text for text in html), html
    assert not any("course-figure" in text for text in html)


def test_a_journal_that_cannot_be_read_is_explained_in_the_dashboard(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "journal.sqlite3").write_bytes(b"not a database at all" * 10)
    shown: list[object] = []
    monkeypatch.setattr("IPython.display.display", lambda *objects, **_: shown.extend(objects))
    progress.show_progress(tmp_path / "bad")
    html = " ".join(getattr(item, "data", "") for item in shown)
    assert "The dashboard cannot be shown" in html and "journal recover" in html
