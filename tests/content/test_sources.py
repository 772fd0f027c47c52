"""Can a reader trace every idea in the course to a source, and is each reference list current?

Uses the real bibliography, claims and notebooks; the broken-file cases build small
source folders in tmp_path so that the error messages a writer would see are checked.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from intimacy_course.content import citations as sources
from tests.support.module_text import ALL_COURSE_NOTEBOOKS, COURSE, REPO


@pytest.fixture(scope="module")
def bibliography() -> dict[str, sources.Reference]:
    return sources.load_bibliography()


@pytest.fixture(scope="module")
def claims(bibliography) -> dict[str, sources.Claim]:
    return sources.load_claims(bibliography=bibliography)


def course_notebooks() -> list[Path]:
    return sorted(COURSE.glob("[0-9][0-9]_*.ipynb"))


def test_bibliography_and_claims_load(bibliography, claims) -> None:
    assert {"S000", "S004"} <= set(bibliography), (
        "The two seed articles must be in the bibliography."
    )
    assert all(key.startswith(("R", "S")) for key in bibliography)
    assert claims, "No claims found in source_texts/claims/."
    assert all(claim.status in sources.STATUSES for claim in claims.values())


def test_every_cited_key_exists(bibliography, claims) -> None:
    unknown = {
        path.name: [
            key
            for key in sources.written_keys(path)
            if key not in bibliography and key not in claims
        ]
        for path in course_notebooks()
    }
    unknown = {name: keys for name, keys in unknown.items() if keys}
    assert not unknown, f"Citation keys not found in source_texts/: {unknown}"


def test_every_claim_is_cited_by_a_module_that_teaches_it(claims) -> None:
    cited_by: dict[int, set[str]] = {}
    for path in course_notebooks():
        cited_by[int(path.name[:2])] = set(sources.written_keys(path))
    orphans = [
        f"{claim.id} (modules {list(claim.modules)}, {claim.file.name})"
        for claim in claims.values()
        if not any(claim.id in cited_by.get(number, set()) for number in claim.modules)
    ]
    assert not orphans, f"Claims no listed module cites: {orphans}"


def test_every_bibliography_entry_is_cited_somewhere(bibliography, claims) -> None:
    used: set[str] = set()
    for path in course_notebooks():
        used.update(sources.cited_keys(path, claims))
    unused = sorted(set(bibliography) - used, key=lambda key: (key[0], int(key[1:])))
    assert not unused, (
        f"Bibliography entries nothing in course/ cites (cite or remove them): {unused}"
    )


@pytest.mark.parametrize("name", sorted(ALL_COURSE_NOTEBOOKS))
def test_references_cell_is_current(name: str, bibliography, claims) -> None:
    path = ALL_COURSE_NOTEBOOKS[name]
    assert path.exists(), f"course/{name}.ipynb does not exist yet."
    problems = sources.check_notebook(path, bibliography, claims)
    assert not problems, "\n".join(problems)


# --- the tool itself, on small notebooks and source folders in tmp_path --------------------------


def test_keys_in_text_reads_every_citation_form() -> None:
    text = "See [R22], [R22, R23] and [R2][C3.2]; the seeds [S000] [S004]; a range [R3–R5]; a [link](x)."
    assert sources.keys_in_text(text) == [
        "R22",
        "R23",
        "R2",
        "C3.2",
        "S000",
        "S004",
        "R3",
        "R4",
        "R5",
    ]


def _notebook(path: Path, *markdown: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }
    notebook.cells = [nbformat.v4.new_markdown_cell(text) for text in markdown]
    notebook.cells.insert(
        1, nbformat.v4.new_code_cell("from intimacy_course.figures import show_figure")
    )
    nbformat.write(notebook, str(path))
    return path


def test_update_rewrites_only_the_references_cell(tmp_path: Path, bibliography, claims) -> None:
    claim_id = next(iter(claims))
    path = _notebook(
        tmp_path / "01_demo.ipynb",
        f"# Demo\n\nAttachment begins early [R1, R2] and a seed says so [{claim_id}].",
        "## References\n\nhand-written, stale",
        "## If you need help now\n\nCall 988.",
    )
    before = nbformat.read(str(path), as_version=4)
    assert sources.update_references(path, bibliography, claims) is True
    after = nbformat.read(str(path), as_version=4)
    assert [c for i, c in enumerate(after.cells) if i != 2] == [
        c for i, c in enumerate(before.cells) if i != 2
    ]
    body = after.cells[2].source
    assert body.startswith("## References")
    assert "Bowlby" in body and "Hazan" in body
    assert "Claims taught in this module" in body and claim_id in body
    source_key = claims[claim_id].source
    assert f"**{source_key}**" in body, "A cited claim must bring its source into the list."
    assert "(details not verified)" in body, "R1 is unverified and must say so."
    text = path.read_bytes()
    assert sources.update_references(path, bibliography, claims) is False
    assert path.read_bytes() == text, "An up-to-date notebook must not be rewritten."
    assert all(cell.get("outputs", []) == [] for cell in after.cells)


def test_check_command_fails_on_unknown_and_stale(tmp_path: Path) -> None:
    unknown = _notebook(tmp_path / "01_a.ipynb", "# A\n\nSee [R999].", "## References\n\n")
    stale = _notebook(tmp_path / "02_b.ipynb", "# B\n\nSee [R2].", "## References\n\nold")
    result = subprocess.run(
        [sys.executable, "-m", "intimacy_course.sources", "check", str(unknown), str(stale)],
        check=False,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode != 0
    assert "R999" in result.stderr and "01_a.ipynb" in result.stderr
    assert "02_b.ipynb" in result.stderr and "out of date" in result.stderr


def _source_folder(tmp_path: Path, claims_text: str, second: str | None = None) -> Path:
    folder = tmp_path / "source_texts"
    (folder / "claims").mkdir(parents=True)
    shutil.copy(REPO / "source_texts" / "bibliography.toml", folder / "bibliography.toml")
    (folder / "claims" / "01_demo.toml").write_text(claims_text, encoding="utf-8")
    if second:
        (folder / "claims" / "02_other.toml").write_text(second, encoding="utf-8")
    return folder / "claims"


GOOD = """
[[claim]]
id = "C1.1"
paraphrase = "Early care shapes expectations of closeness."
source = "S000"
location = "opening paragraph"
status = "partly supported"
evidence = ["R1", "R2"]
evidence_note = "Theory is sound; the link to CSB is thin."
modules = [1]
"""


@pytest.mark.parametrize(
    ("change", "field", "second"),
    [
        (('status = "partly supported"', 'status = "proven"'), "status", None),
        (('evidence = ["R1", "R2"]', 'evidence = ["R1", "R999"]'), "evidence", None),
        (('source = "S000"', 'source = "S999"'), "source", None),
        (("modules = [1]", "modules = []"), "modules", None),
        (
            ('paraphrase = "Early care shapes expectations of closeness."', 'paraphrase = ""'),
            "paraphrase",
            None,
        ),
        (("", ""), "id", GOOD),
    ],
)
def test_broken_claims_file_names_file_claim_and_field(
    tmp_path: Path, change, field, second
) -> None:
    claims_dir = _source_folder(tmp_path, GOOD.replace(*change) if change[0] else GOOD, second)
    with pytest.raises(sources.SourcesError) as raised:
        sources.load_claims(claims_dir)
    message = str(raised.value)
    assert "01_demo.toml" in message or "02_other.toml" in message, message
    assert "C1.1" in message and f"'{field}'" in message, message


def test_good_claims_file_loads(tmp_path: Path) -> None:
    loaded = sources.load_claims(_source_folder(tmp_path, GOOD))
    assert loaded["C1.1"].keys() == ("S000", "R1", "R2")
