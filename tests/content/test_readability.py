"""How hard is each module to read? Report Flesch-Kincaid grades; hold plain summaries to grade 8.

The brief asks for self-learner text at grade 6-8 and allows trainee-facing teaching up to
grade 10-12. The grade of every module's teaching prose is printed and written to
test-artifacts/readability.csv so that writers can see it; the "Summary in plain language"
of each module must be at grade 8 or below, and the whole module at 12 or below.
"""

from __future__ import annotations

import csv

import pytest
import textstat

from tests.support.module_text import (
    ALL_COURSE_NOTEBOOKS,
    MODULE_NOTEBOOKS,
    REPO,
    plain_text,
    read,
    sections,
    teaching_prose,
    word_count,
)

SUMMARY = "Summary in plain language"
MAX_SUMMARY_GRADE = 8.0
MAX_MODULE_GRADE = 12.0


@pytest.fixture(scope="module", autouse=True)
def _syllables_without_download():
    """Count syllables with textstat's own pyphen fallback, the same way on every machine.

    textstat looks words up in the CMU pronouncing dictionary, which NLTK downloads from the
    internet on first use; the course's machines and CI cannot download it. textstat already
    falls back to pyphen hyphenation for words the dictionary lacks; using that fallback for
    every word keeps the grades reproducible offline (they differ from dictionary counts by
    a few tenths of a grade at most).
    """
    from textstat.backend.counts import _count_syllables as counts

    patch = pytest.MonkeyPatch()
    patch.setattr(counts, "get_cmudict", lambda lang: None)
    counts.count_syllables.cache_clear()
    yield
    patch.undo()
    counts.count_syllables.cache_clear()


def grade(text: str) -> float:
    return round(float(textstat.flesch_kincaid_grade(text)), 1)


def test_grade_of_plain_text_matches_textstat_on_clean_prose() -> None:
    simple = "The cat sat on the mat. It was warm. We sat with it."
    assert plain_text("- The cat sat on the mat\n- It was warm\n\nWe sat with it [R1].") == (
        "The cat sat on the mat. It was warm.\n\nWe sat with it."
    )
    assert grade(simple) < 4


def test_readability_report() -> None:
    """Print a table of grades for every course notebook and save it as CSV."""
    rows = []
    for name, path in ALL_COURSE_NOTEBOOKS.items():
        if not path.exists():
            rows.append(
                {"notebook": name, "words": "", "prose_grade": "missing", "summary_grade": ""}
            )
            continue
        notebook = read(path)
        prose = teaching_prose(notebook)
        summary = sections(notebook).get(SUMMARY)
        rows.append(
            {
                "notebook": name,
                "words": word_count(prose),
                "prose_grade": grade(prose),
                "summary_grade": grade(plain_text(summary)) if summary else "",
            }
        )
    out = REPO / "test-artifacts" / "readability.csv"
    out.parent.mkdir(exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print("\nFlesch-Kincaid grade by notebook (teaching prose; plain-language summary)")
    print(f"{'notebook':30} {'words':>6} {'prose':>6} {'summary':>8}")
    for row in rows:
        print(
            f"{row['notebook']:30} {row['words']!s:>6} {row['prose_grade']!s:>6} {row['summary_grade']!s:>8}"
        )
    print(f"(saved to {out.relative_to(REPO)})")
    measured = [row for row in rows if isinstance(row["prose_grade"], float)]
    assert measured, "No course notebook could be measured."
    too_hard = [row["notebook"] for row in measured if row["prose_grade"] > MAX_MODULE_GRADE]
    assert not too_hard, f"Teaching prose above grade {MAX_MODULE_GRADE}: {too_hard}"


@pytest.mark.parametrize("name", sorted(MODULE_NOTEBOOKS))
def test_plain_language_summary_at_grade_eight_or_below(name: str) -> None:
    path = MODULE_NOTEBOOKS[name]
    assert path.exists(), f"course/{name}.ipynb does not exist yet."
    summary = sections(read(path)).get(SUMMARY)
    assert summary and summary.strip(), f"{name}: no '## {SUMMARY}' section."
    text = plain_text(summary)
    measured = grade(text)
    print(f"{name}: summary grade {measured}")
    assert measured <= MAX_SUMMARY_GRADE, (
        f"{name}: the plain-language summary reads at grade {measured}; "
        f"aim for {MAX_SUMMARY_GRADE} or below (shorter sentences, shorter words).\n{text}"
    )
