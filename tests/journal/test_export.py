"""Is what a learner exports exactly what they saved, in any language, readable as a journal?"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from intimacy_course.journal import (
    Journal,
    JournalError,
    JournalExportExistsError,
    export_journal,
)

TRICKY = [
    "Plain words.",
    "Emoji 🌱💔🫶🏽 and a family 👩‍👩‍👧",
    "עברית מימין לשמאל, with English inside",
    "العربية: الثقة تُبنى ببطء",
    "Line one\nLine two\r\nLine three\n\n",
    "Commas, \"double quotes\", 'single', semicolons; and a tab\there",
    "=SUM(A1:A2) looks like a formula",
    "# not a heading\n> not a quote\n- not a list",
    "  leading and trailing spaces  ",
    "",
    "Zero-width joiner\u200d and right-to-left mark\u200f",
]


@pytest.fixture
def journal(tmp_path: Path):
    with Journal(tmp_path / "data") as opened:
        for index, text in enumerate(TRICKY):
            opened.save("01_attachment_injury", {"free": text, "scale": index % 5 + 1})
        opened.save("02_acting_out", {"checklist": ["a, b", 'c "d"', "שלום"], "none": []})
        opened.save("01_attachment_injury", {"free": "the edit 🌿"})
        yield opened


def as_records(journal: Journal) -> list[dict]:
    return [
        {
            "id": e.id,
            "module": e.module,
            "prompt_id": e.prompt_id,
            "version": e.version,
            "created": e.created.isoformat(),
            "schema_version": e.schema_version,
            "value": e.value,
        }
        for e in journal.history()
    ]


def test_json_round_trip_is_exact(journal: Journal, tmp_path: Path) -> None:
    path = export_journal(journal, tmp_path / "mine.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "intimacy-course-journal" and document["format_version"] == 1
    assert document["entries"] == as_records(journal)
    assert "🌱" in path.read_text(encoding="utf-8"), "written as UTF-8, not escaped"


def test_csv_round_trip_is_exact(journal: Journal, tmp_path: Path) -> None:
    path = export_journal(journal, tmp_path / "mine.csv")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    back = [
        {
            "id": int(r["id"]),
            "module": r["module"],
            "prompt_id": r["prompt_id"],
            "version": int(r["version"]),
            "created": r["created"],
            "schema_version": int(r["schema_version"]),
            "value": json.loads(r["value_json"]),
        }
        for r in rows
    ]
    assert back == as_records(journal)
    texts = [r["answer"] for r in rows if r["prompt_id"] == "free"]
    assert texts[: len(TRICKY)] == TRICKY, "the readable column is the text itself"
    checklist = next(r for r in rows if r["prompt_id"] == "checklist")
    assert checklist["answer"] == 'a, b; c "d"; שלום'


def test_markdown_reads_as_a_journal_grouped_by_module_and_prompt(
    journal: Journal, tmp_path: Path
) -> None:
    path = export_journal(
        journal,
        tmp_path / "mine.md",
        labels={("01_attachment_injury", "free"): "What did you notice?"},
        module_titles={"02_acting_out": "Acting out"},
    )
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# My reflection journal\n")
    assert text.index("## 01_attachment_injury") < text.index("## 02_acting_out: Acting out")
    section = text[text.index("## 01_attachment_injury") : text.index("## 02_acting_out")]
    assert section.count("### What did you notice?") == 1
    assert section.count("**Version ") == len(TRICKY) * 2 + 1
    assert "**Version 12**" in section and "> the edit 🌿" in section
    assert "> Line one\n> Line two\n> Line three" in section
    assert "> עברית מימין לשמאל, with English inside" in section
    assert "*(left empty)*" in section
    assert '- c "d"' in text and "*(nothing ticked)*" in text
    assert " UTC" in section


def test_an_empty_journal_exports_cleanly(tmp_path: Path) -> None:
    with Journal(tmp_path / "data") as empty:
        md = export_journal(empty, tmp_path / "empty.md").read_text(encoding="utf-8")
        data = json.loads(export_journal(empty, tmp_path / "empty.json").read_text("utf-8"))
    assert "nothing has been saved yet" in md
    assert data["entries"] == []


def test_an_existing_file_is_never_replaced_unless_asked(journal: Journal, tmp_path: Path) -> None:
    target = tmp_path / "keep.json"
    target.write_text("my earlier export")
    with pytest.raises(JournalExportExistsError) as raised:
        export_journal(journal, target)
    assert "--force" in str(raised.value) and str(target) in str(raised.value)
    assert target.read_text() == "my earlier export"
    export_journal(journal, target, overwrite=True)
    assert json.loads(target.read_text(encoding="utf-8"))["entries"] == as_records(journal)


def test_an_export_into_a_missing_folder_says_so(journal: Journal, tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "mine.json"
    with pytest.raises(JournalError) as raised:
        export_journal(journal, target)
    message = str(raised.value)
    assert str(target) in message and "does not exist" in message
    assert "journal is unchanged" in message
    assert journal.count() > 0


def test_an_unknown_format_names_the_ones_that_exist(journal: Journal, tmp_path: Path) -> None:
    with pytest.raises(JournalError, match=r"\.csv.*\.json.*\.md"):
        export_journal(journal, tmp_path / "mine.docx")
    assert not (tmp_path / "mine.docx").exists()
