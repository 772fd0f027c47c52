"""Citations in the course notebooks, and the reference lists generated from them.

A contested subject needs a visible evidence trail. Every idea a module teaches is cited
with a key in square brackets (``[R22]``, ``[R22, R23]``, ``[C3.2]``, ``[S000]``); the keys
resolve in ``source_texts/`` (``bibliography.toml`` and ``claims/*.toml``); and each module's
``## References`` cell is generated from the keys it uses, so the list a reader sees can
never drift from the text. Claim keys pull in the claim's own source and evidence, so a
reader who meets "[C1.2]" finds both the seed article and the research that judges it.

Command line (from the repository root)::

    python -m intimacy_course.sources update [NOTEBOOK ...]   # rewrite References cells
    python -m intimacy_course.sources check  [NOTEBOOK ...]   # exit 1 if unknown or stale

Without paths both act on every notebook in ``course/``, and also on every copy of the
help and support texts (:mod:`intimacy_course.content.help_now`).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import nbformat

from intimacy_course import paths
from intimacy_course.content import help_now
from intimacy_course.content.bibliography import (
    CLAIM_KEY,
    REFERENCE_KEY,
    STATUSES,
    Claim,
    Reference,
    SourcesError,
    load_bibliography,
    load_claims,
)

__all__ = [
    "CLAIM_KEY",
    "REFERENCES_HEADING",
    "REFERENCE_KEY",
    "STATUSES",
    "Claim",
    "Reference",
    "SourcesError",
    "check_notebook",
    "cited_keys",
    "course_notebooks",
    "expected_references",
    "keys_in_text",
    "load_bibliography",
    "load_claims",
    "main",
    "render_reference_list",
    "update_references",
    "written_keys",
]

#: Heading that starts the generated cell; the cell is found by it and never scanned.
REFERENCES_HEADING = "## References"

_RANGE = re.compile(r"^R(\d+)\s*[-\u2013]\s*R(\d+)$")
# A bracket group that starts like a key: [R22], [R22, R23], [C3.2], [S000], [R3-R5].
# A markdown link such as [text](url) does not start with a key and is left alone.
_BRACKET = re.compile(r"\[\s*((?:R\d|S\d|C\d)[^\[\]\n]*?)\s*\](?!\()")

_NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"


# --------------------------------------------------------------------------------------------
# Finding citations in notebooks


def _expand(token: str) -> list[str]:
    match = _RANGE.match(token)
    if match:
        first, last = int(match.group(1)), int(match.group(2))
        if first < last:
            return [f"R{number}" for number in range(first, last + 1)]
    return [token]


def keys_in_text(text: str) -> list[str]:
    """Every citation key written in ``text``, in order of first appearance.

    Tokens that start like a key but are not one (``[R2x]``) are returned as written, so that
    a check reports them as unknown instead of silently ignoring a typo. ``[R3-R5]`` expands.
    """
    found: list[str] = []
    for group in _BRACKET.finditer(text):
        for token in re.split(r"\s*[,;]\s*", group.group(1)):
            for key in _expand(token.strip()):
                if key and key not in found:
                    found.append(key)
    return found


def _is_references_cell(cell: Mapping) -> bool:
    return cell.get("cell_type") == "markdown" and cell.get("source", "").lstrip().startswith(
        REFERENCES_HEADING
    )


def _markdown_outside_references(notebook: nbformat.NotebookNode) -> list[str]:
    return [
        cell.source
        for cell in notebook.cells
        if cell.cell_type == "markdown" and not _is_references_cell(cell)
    ]


def written_keys(notebook_path: Path) -> list[str]:
    """Keys written in the notebook's markdown (not the References cell), without expansion."""
    notebook = nbformat.read(str(notebook_path), as_version=4)
    found: list[str] = []
    for source in _markdown_outside_references(notebook):
        for key in keys_in_text(source):
            if key not in found:
                found.append(key)
    return found


def cited_keys(notebook_path: Path, claims: Mapping[str, Claim] | None = None) -> list[str]:
    """The keys a notebook cites, with each claim's source and evidence keys added after it.

    Scans the markdown cells except the generated References cell itself. Unknown keys are
    kept (so :func:`render_reference_list` and ``check`` can report them).
    """
    claims = load_claims() if claims is None else claims
    keys: list[str] = []
    for key in written_keys(notebook_path):
        additions = [key, *claims[key].keys()] if key in claims else [key]
        keys.extend(addition for addition in additions if addition not in keys)
    return keys


# --------------------------------------------------------------------------------------------
# Rendering and updating reference lists


def _sort_key(reference: Reference) -> tuple[str, str, int]:
    number = int(re.sub(r"\D", "", reference.key) or 0)
    return (reference.authors.casefold(), reference.year, number)


def _claim_sort_key(claim_id: str) -> tuple[int, int]:
    module, number = claim_id[1:].split(".")
    return (int(module), int(number))


def render_reference_list(
    keys: Iterable[str],
    bibliography: Mapping[str, Reference] | None = None,
    claims: Mapping[str, Claim] | None = None,
) -> str:
    """The markdown body of a References cell (heading included) for ``keys``.

    References come first, sorted by author as in APA style and labelled with their key so
    that a reader can match ``[R22]`` in the text; the claims follow in a separate list with
    their paraphrase, evidence status and sources. Raises :class:`SourcesError` on unknown keys.
    """
    bibliography = load_bibliography() if bibliography is None else bibliography
    claims = load_claims(bibliography=bibliography) if claims is None else claims
    keys = list(dict.fromkeys(keys))
    unknown = [key for key in keys if key not in bibliography and key not in claims]
    if unknown:
        raise SourcesError(f"Unknown citation keys: {', '.join(unknown)}.")
    claim_ids = sorted((key for key in keys if key in claims), key=_claim_sort_key)
    reference_keys = {key for key in keys if key in bibliography}
    for claim_id in claim_ids:
        reference_keys.update(claims[claim_id].keys())
    references = sorted((bibliography[key] for key in reference_keys), key=_sort_key)

    lines = [REFERENCES_HEADING, ""]
    lines.append(
        "*This list is generated from the keys cited above "
        "(`python -m intimacy_course.sources update`); do not edit it by hand.*"
    )
    lines.append("")
    if not references:
        lines.append("This notebook cites no sources.")
    for reference in references:
        lines.append(f"- **{reference.key}** {reference.apa()}")
    if claim_ids:
        lines += ["", "**Claims taught in this module**", ""]
        for claim_id in claim_ids:
            claim = claims[claim_id]
            sources = ", ".join(claim.keys())
            lines.append(
                f"- **{claim.id}** {claim.paraphrase} *Evidence status: {claim.status}.* "
                f"Sources: {sources}."
            )
    return "\n".join(lines)


def _references_index(notebook: nbformat.NotebookNode, notebook_path: Path) -> int:
    indices = [index for index, cell in enumerate(notebook.cells) if _is_references_cell(cell)]
    if len(indices) != 1:
        found = "no" if not indices else f"{len(indices)}"
        raise SourcesError(
            f"{notebook_path}: found {found} markdown cells starting with '{REFERENCES_HEADING}'; "
            "there must be exactly one (add it where the References section belongs)."
        )
    return indices[0]


def expected_references(
    notebook_path: Path,
    bibliography: Mapping[str, Reference] | None = None,
    claims: Mapping[str, Claim] | None = None,
) -> str:
    """What the notebook's References cell should contain, from the keys it cites."""
    bibliography = load_bibliography() if bibliography is None else bibliography
    claims = load_claims(bibliography=bibliography) if claims is None else claims
    return render_reference_list(cited_keys(notebook_path, claims), bibliography, claims)


def update_references(
    notebook_path: Path,
    bibliography: Mapping[str, Reference] | None = None,
    claims: Mapping[str, Claim] | None = None,
) -> bool:
    """Rewrite the notebook's ``## References`` cell in place; return True if it changed.

    Only that cell's source changes: the notebook is written back in nbformat's canonical
    form (as every notebook in the repository is), so other cells, metadata and the absence
    of outputs stay byte-for-byte as they were, and an up-to-date notebook is not touched.
    """
    notebook_path = Path(notebook_path)
    notebook = nbformat.read(str(notebook_path), as_version=4)
    index = _references_index(notebook, notebook_path)
    new_source = expected_references(notebook_path, bibliography, claims)
    if notebook.cells[index].source == new_source:
        return False
    notebook.cells[index].source = new_source
    text = nbformat.writes(notebook)
    notebook_path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return True


def check_notebook(
    notebook_path: Path, bibliography: Mapping[str, Reference], claims: Mapping[str, Claim]
) -> list[str]:
    """Problems with one notebook's citations, as readable lines (empty when all is well)."""
    problems: list[str] = []
    unknown = [
        key for key in written_keys(notebook_path) if key not in bibliography and key not in claims
    ]
    if unknown:
        problems.append(f"{notebook_path}: unknown citation keys: {', '.join(unknown)}")
        return problems
    notebook = nbformat.read(str(notebook_path), as_version=4)
    try:
        index = _references_index(notebook, notebook_path)
    except SourcesError as problem:
        return [str(problem)]
    if notebook.cells[index].source != expected_references(notebook_path, bibliography, claims):
        problems.append(
            f"{notebook_path}: the References cell is out of date; "
            "run `python -m intimacy_course.sources update`."
        )
    return problems


# --------------------------------------------------------------------------------------------
# Command line


def course_notebooks() -> list[Path]:
    """The teaching notebooks in ``course/`` (00_start_here and the modules), in order."""
    return sorted(paths.course_dir().glob(_NOTEBOOK_GLOB))


def main(argv: Sequence[str] | None = None) -> int:
    """``update`` or ``check`` the References cells of the given (or all course) notebooks."""
    parser = argparse.ArgumentParser(
        prog="python -m intimacy_course.sources",
        description="Regenerate or check the References cells of the course notebooks.",
    )
    parser.add_argument("action", choices=("update", "check"))
    parser.add_argument(
        "paths", nargs="*", type=Path, help="notebooks (default: every notebook in course/)"
    )
    args = parser.parse_args(argv)
    try:
        bibliography = load_bibliography()
        claims = load_claims(bibliography=bibliography)
    except SourcesError as problem:
        print(f"sources: {problem}", file=sys.stderr)
        return 1
    notebooks = args.paths or course_notebooks()
    if args.action == "update":
        failed = 0
        for notebook_path in notebooks:
            try:
                changed = update_references(notebook_path, bibliography, claims)
            except SourcesError as problem:
                print(f"sources: {problem}", file=sys.stderr)
                failed += 1
                continue
            print(f"{'updated ' if changed else 'current '} {notebook_path}")
        if not args.paths:
            failed += help_now.main(["update"])
        return 1 if failed else 0
    problems = [line for path in notebooks for line in check_notebook(path, bibliography, claims)]
    for line in problems:
        print(line, file=sys.stderr)
    if not problems:
        print(f"All {len(notebooks)} notebooks cite known keys and have current reference lists.")
    help_failed = help_now.main(["check"]) if not args.paths else 0
    return 1 if problems or help_failed else 0


if __name__ == "__main__":
    sys.exit(main())
