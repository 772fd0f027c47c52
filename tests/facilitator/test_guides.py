"""Can an instructor teach from the facilitator guide, and can a program trust it?

The guide lives in ``grading/facilitator/``: an overview for program directors
(``README.md``), one guide per module (``NN_topic.md``) and a page on keeping a private item
bank (``private_bank.md``). These tests ask what an instructor or a reviewer would ask:

- Does every module have a guide, with the same sections in the same order?
- Does the 90-minute session plan really add up to 90 minutes, and each half of the
  two-class version to 50?
- Are there at least six discussion questions, each with notes for the facilitator?
- Does every link to a local file work, and does every citation key exist?
- Do the figures and notebook sections a guide tells you to show exist?
- Is a standard number only given where it was checked against a named page?
- Is there a place for the generated help lines, and is no sentence copied from the seeds?

Self-contained on purpose: only the standard library, pytest and paths found from this file.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.support import REPO

GUIDES = REPO / "grading" / "facilitator"
COURSE = REPO / "course"
SOURCES = REPO / "source_texts"
CALIBRATION = GUIDES / "calibration"

#: The modules, named as their teaching notebooks are (``course/01_attachment_injury.ipynb``...).
MODULES = sorted(path.stem for path in COURSE.glob("0[1-9]_*.ipynb"))

#: Level-2 sections every module guide has, in this order.
SECTIONS = (
    "Session plan",
    "Discussion questions",
    "Skills practice",
    "Trauma-informed facilitation",
    "Standards mapping",
    "Grader calibration",
    "References",
)

#: Where the lead inserts the generated "If you need help now" text.
HELP_MARKER = "<!-- help-now -->"

#: The evidence labels the course uses (source_texts/README.md and issue 15).
EVIDENCE_LABELS = (
    "supported",
    "partly supported",
    "clinical opinion",
    "contested",
    "not supported",
    "definition",
)

STATUSES = ("Checked", "Partly checked", "Not checked")
CACREP_NUMBER = re.compile(r"\b[1-6]\.[A-H]\.\d+\b")
ACA_NUMBER = re.compile(r"\b[A-I]\.\d{1,2}(?:\.[a-z])?\b")
LINK = re.compile(r"!?\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
CITATION = re.compile(r"\[((?:R\d+|S\d{3}|C\d+\.\d+)(?:\s*,\s*(?:R\d+|S\d{3}|C\d+\.\d+))*)\](?!\()")
FIGURE = re.compile(r"\bFigure (\d)\.(\d+)\b")


# ---------------------------------------------------------------------------------------------
# Reading the guides


def guide_path(module: str) -> Path:
    return GUIDES / f"{module}.md"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def without_code(markdown: str) -> str:
    """The markdown with fenced code blocks blanked out (their lines kept, so counts hold)."""
    lines, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            lines.append("")
        else:
            lines.append("" if fenced else line)
    return "\n".join(lines)


def sections(markdown: str, level: int = 2) -> list[tuple[str, str]]:
    """(heading, body) for each heading of the given level, in order, outside code blocks."""
    found: list[tuple[str, str]] = []
    current: list[str] | None = None
    for line in without_code(markdown).splitlines():
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if heading and len(heading[1]) <= level:
            if current:
                found.append((current[0], current[1]))
            # a heading of this level opens a section; a higher one closes it
            current = [heading[2].strip(), ""] if len(heading[1]) == level else None
        elif current is not None:
            current[1] += line + "\n"
    if current:
        found.append((current[0], current[1]))
    return found


def section(markdown: str, title: str) -> str:
    matches = [body for heading, body in sections(markdown) if heading == title]
    assert matches, f"no '## {title}' section"
    return matches[0]


def tables(markdown: str) -> list[list[list[str]]]:
    """Markdown tables as rows of stripped cells; the separator row is dropped."""
    found: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*markdown.splitlines(), ""]:
        if line.strip().startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells):
                current.append(cells)
        elif current:
            found.append(current)
            current = []
    return found


def plain(cell: str) -> str:
    return re.sub(r"[*_`]", "", cell).strip()


def minutes_tables(markdown: str) -> list[tuple[int, int | None]]:
    """For each table with a 'Minutes' column: (sum of the parts, value of its Total row)."""
    result = []
    for table in tables(markdown):
        header = [plain(cell).lower() for cell in table[0]]
        if "minutes" not in header:
            continue
        column = header.index("minutes")
        parts, total = 0, None
        for row in table[1:]:
            value = plain(row[column])
            if "total" in plain(row[0]).lower():
                total = int(value)
            else:
                assert value.isdigit(), f"minutes must be whole numbers, found {value!r} in {row}"
                parts += int(value)
        result.append((parts, total))
    return result


def objectives(module: str) -> list[str]:
    """The numbered learning objectives of a module notebook, markdown emphasis removed."""
    notebook = json.loads(read(COURSE / f"{module}.ipynb"))
    text = "\n".join(
        "".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"
    )
    body = text.split("## Learning objectives", 1)[1].split("\n## ", 1)[0]
    return [plain(m) for m in re.findall(r"^\d+\.\s+(.+)$", body, flags=re.MULTILINE)]


def notebook_text(module: str) -> tuple[list[str], str]:
    """A notebook's markdown headings and all its cell sources joined."""
    notebook = json.loads(read(COURSE / f"{module}.ipynb"))
    sources = ["".join(cell["source"]) for cell in notebook["cells"]]
    headings = [
        line.lstrip("#").strip()
        for cell, source in zip(notebook["cells"], sources, strict=True)
        if cell["cell_type"] == "markdown"
        for line in source.splitlines()
        if line.startswith("#")
    ]
    return headings, "\n".join(sources)


def all_guide_files() -> list[Path]:
    return sorted(GUIDES.rglob("*.md"))


def known_keys() -> set[str]:
    keys = set(tomllib.loads(read(SOURCES / "bibliography.toml")))
    for claims in (SOURCES / "claims").glob("*.toml"):
        keys |= {claim["id"] for claim in tomllib.loads(read(claims)).get("claim", [])}
    return keys


def cited_keys(markdown: str) -> set[str]:
    return {
        key.strip()
        for group in CITATION.findall(without_code(markdown))
        for key in group.split(",")
    }


# ---------------------------------------------------------------------------------------------
# Structure


def test_every_module_has_a_guide() -> None:
    assert len(MODULES) == 5, f"expected five module notebooks in course/, found {MODULES}"
    missing = [module for module in MODULES if not guide_path(module).is_file()]
    assert not missing, f"no facilitator guide for {missing} in {GUIDES}"


@pytest.mark.parametrize("module", MODULES)
def test_guide_has_the_sections_in_order(module: str) -> None:
    headings = [title for title, _ in sections(read(guide_path(module)))]
    assert tuple(headings) == SECTIONS, (
        f"{module}.md: level-2 sections should be exactly {list(SECTIONS)}, found {headings}"
    )


@pytest.mark.parametrize("module", MODULES)
def test_session_plan_adds_up_to_90_minutes(module: str) -> None:
    plan = section(read(guide_path(module)), "Session plan")
    found = minutes_tables(plan)
    assert found, f"{module}.md: the session plan needs a table with a 'Minutes' column"
    parts, total = found[0]
    assert parts == 90, f"{module}.md: the 90-minute plan's parts add up to {parts} minutes"
    assert total in (None, 90), f"{module}.md: the plan's Total row says {total}, not 90"


@pytest.mark.parametrize("module", MODULES)
def test_two_class_version_has_two_50_minute_plans(module: str) -> None:
    plan = section(read(guide_path(module)), "Session plan")
    halves = minutes_tables(plan)[1:]
    assert len(halves) == 2, (
        f"{module}.md: expected two 50-minute class tables after the 90-minute one"
    )
    for parts, total in halves:
        assert parts == 50 and total in (None, 50), (
            f"{module}.md: a 50-minute class adds up to {parts}"
        )


@pytest.mark.parametrize("module", MODULES)
def test_at_least_six_discussion_questions_with_notes(module: str) -> None:
    body = section(read(guide_path(module)), "Discussion questions")
    blocks = re.split(r"^\d+\.\s", body, flags=re.MULTILINE)[1:]
    assert len(blocks) >= 6, f"{module}.md: {len(blocks)} discussion questions, need at least six"
    for number, block in enumerate(blocks, start=1):
        assert "Strong answers" in block, f"{module}.md question {number}: no 'Strong answers' note"
        assert "Where trainees go wrong" in block, (
            f"{module}.md question {number}: no 'Where trainees go wrong' note"
        )


@pytest.mark.parametrize("module", MODULES)
def test_skills_practice_has_roles_script_checklist_and_debrief(module: str) -> None:
    body = section(read(guide_path(module)), "Skills practice")
    subheadings = " | ".join(title for title, _ in sections(body, level=3))
    for part in ("Roles", "Script", "Observer checklist", "Debrief"):
        assert part in subheadings, f"{module}.md: the skills practice has no '### {part}' part"


@pytest.mark.parametrize("module", MODULES)
def test_help_marker_sits_in_the_trauma_informed_section(module: str) -> None:
    text = read(guide_path(module))
    assert text.count(HELP_MARKER) == 1, f"{module}.md: the line {HELP_MARKER} must appear once"
    assert HELP_MARKER in section(text, "Trauma-informed facilitation"), (
        f"{module}.md: put {HELP_MARKER} in the 'Trauma-informed facilitation' section"
    )


@pytest.mark.parametrize("module", MODULES)
def test_grader_calibration_links_to_the_generated_set(module: str) -> None:
    body = section(read(guide_path(module)), "Grader calibration")
    targets = [match["target"] for match in LINK.finditer(body)]
    assert f"calibration/{module}.md" in targets, (
        f"{module}.md: the calibration section should link to calibration/{module}.md"
    )


# ---------------------------------------------------------------------------------------------
# Links, citations, figures


def local_links(path: Path) -> list[tuple[str, Path, str]]:
    """(written target, resolved file, fragment) for each link to a local file."""
    found = []
    for match in LINK.finditer(without_code(read(path))):
        target = match["target"].strip("<>")
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue
        file_part, _, fragment = target.partition("#")
        found.append((target, (path.parent / unquote(file_part)).resolve(), unquote(fragment)))
    return found


def test_every_local_link_resolves() -> None:
    broken = []
    for path in all_guide_files():
        for target, resolved, fragment in local_links(path):
            if CALIBRATION in resolved.parents and not CALIBRATION.is_dir():
                continue  # generated by the lead; checked by the next test once it exists
            if not resolved.exists():
                broken.append(f"{path.relative_to(REPO)}: {target} (no such file)")
            elif fragment and resolved.suffix == ".ipynb":
                headings, _ = notebook_text(resolved.stem)
                anchors = {heading.replace(" ", "-") for heading in headings}
                if fragment not in anchors:
                    broken.append(f"{path.relative_to(REPO)}: {target} (no heading '{fragment}')")
    assert not broken, "Links that do not resolve:\n" + "\n".join(broken)


def test_calibration_links_resolve_once_the_sets_are_generated() -> None:
    if not CALIBRATION.is_dir():
        pytest.skip(
            f"{CALIBRATION.relative_to(REPO)} is generated from the item bank; not there yet"
        )
    missing = [
        f"{path.relative_to(REPO)}: {target}"
        for path in all_guide_files()
        for target, resolved, _ in local_links(path)
        if CALIBRATION in resolved.parents and not resolved.exists()
    ]
    assert not missing, "Calibration pages linked but not generated:\n" + "\n".join(missing)


def test_every_citation_key_exists_in_source_texts() -> None:
    known = known_keys()
    unknown = [
        f"{path.relative_to(REPO)}: [{key}]"
        for path in all_guide_files()
        for key in sorted(cited_keys(read(path)) - known)
    ]
    assert not unknown, "Citation keys not in source_texts/:\n" + "\n".join(unknown)


@pytest.mark.parametrize("module", MODULES)
def test_references_list_every_key_the_guide_cites(module: str) -> None:
    text = read(guide_path(module))
    listed = cited_keys(section(text, "References"))
    body = "\n".join(body for title, body in sections(text) if title != "References")
    assert listed, f"{module}.md: the References section lists no keys"
    missing = sorted(cited_keys(body) - listed)
    assert not missing, f"{module}.md: cited but not in References: {missing}"


def test_figures_named_in_the_guides_exist_in_the_notebooks() -> None:
    by_number = {int(module[:2]): module for module in MODULES}
    missing = []
    for path in all_guide_files():
        for chapter, number in set(FIGURE.findall(read(path))):
            module = by_number.get(int(chapter))
            _, source = notebook_text(module) if module else ([], "")
            if f"Figure {chapter}.{number}" not in source:
                missing.append(f"{path.relative_to(REPO)}: Figure {chapter}.{number}")
    assert not missing, "Figures named in a guide but not in the module notebook:\n" + "\n".join(
        missing
    )


# ---------------------------------------------------------------------------------------------
# Standards: a number only where it was checked


def status_rows(body: str) -> list[tuple[str, str]]:
    """(status, whole row) for each row of the tables that have a 'Status' column."""
    rows: list[tuple[str, str]] = []
    for table in tables(body):
        header = [plain(cell).lower() for cell in table[0]]
        if "status" not in header:
            continue
        column = header.index("status")
        rows.extend((plain(row[column]), " | ".join(row)) for row in table[1:])
    return rows


@pytest.mark.parametrize("module", MODULES)
def test_standard_numbers_appear_only_where_checked(module: str) -> None:
    body = section(read(guide_path(module)), "Standards mapping")
    rows = status_rows(body)
    assert rows, f"{module}.md: the standards mapping needs tables with a 'Status' column"
    problems = []
    for status, row in rows:
        if not any(status.startswith(allowed) for allowed in STATUSES):
            problems.append(f"status must be one of {STATUSES}: {row}")
        if CACREP_NUMBER.search(row) and not (status.startswith("Checked") and "cacrep.org" in row):
            problems.append(f"a CACREP number without a check against a cacrep.org page: {row}")
        if ACA_NUMBER.search(row) and not status.startswith("Not checked") and "http" not in row:
            problems.append(f"an ACA Code section without the page it was checked against: {row}")
        if status.startswith("Not checked") and CACREP_NUMBER.search(row):
            problems.append(f"a row marked 'Not checked' gives a CACREP number: {row}")
    assert not problems, f"{module}.md:\n" + "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# The overview for program directors


def test_overview_links_every_guide_and_the_private_bank_page() -> None:
    overview = GUIDES / "README.md"
    assert overview.is_file(), "grading/facilitator/README.md is missing"
    targets = {match["target"] for match in LINK.finditer(read(overview))}
    expected = {f"{module}.md" for module in MODULES} | {"private_bank.md"}
    assert expected <= targets, f"README.md does not link {sorted(expected - targets)}"


def test_overview_copies_each_module_objective_word_for_word() -> None:
    overview = " ".join(plain(read(GUIDES / "README.md")).split())
    missing = [
        f"{module}: {objective}"
        for module in MODULES
        for objective in objectives(module)
        if " ".join(objective.split()) not in overview
    ]
    assert not missing, "Objectives not copied into README.md (re-copy from the notebooks):\n" + (
        "\n".join(missing)
    )


def test_overview_names_every_evidence_label() -> None:
    overview = read(GUIDES / "README.md").lower()
    missing = [label for label in EVIDENCE_LABELS if label not in overview]
    assert not missing, f"README.md does not explain the evidence labels {missing}"


# ---------------------------------------------------------------------------------------------
# Own words: the approach of tests/test_no_copying.py

RUN = 10
_TOKEN = re.compile(r"[a-z']+")


def tokens(text: str) -> list[str]:
    """Lower-cased words of letters and apostrophes; curly apostrophes count as straight."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return [word for word in (w.strip("'") for w in _TOKEN.findall(text)) if word]


def test_no_ten_word_run_copied_from_the_seed_articles(seeds: Path) -> None:
    seed_runs: dict[tuple[str, ...], str] = {}
    for seed in sorted(seeds.glob("*.txt")):
        words = tokens(seed.read_text(encoding="utf-8", errors="replace"))
        for i in range(len(words) - RUN + 1):
            seed_runs.setdefault(tuple(words[i : i + RUN]), seed.name)
    copied = []
    for path in all_guide_files():
        words = tokens(read(path))
        for i in range(len(words) - RUN + 1):
            run = tuple(words[i : i + RUN])
            if run in seed_runs:
                copied.append(f'{path.relative_to(REPO)}: from {seed_runs[run]}: "{" ".join(run)}"')
                break
    assert not copied, (
        "Text copied from the seed articles (rewrite in your own words):\n" + "\n".join(copied)
    )
