"""The course's sources: bibliography, taught claims, citation keys and reference lists.

A contested subject needs a visible evidence trail. Every idea a module teaches is cited
with a key in square brackets (``[R22]``, ``[R22, R23]``, ``[C3.2]``, ``[S000]``); the keys
resolve in ``source_texts/`` (``bibliography.toml`` and ``claims/*.toml``); and each module's
``## References`` cell is generated from the keys it uses, so the list a reader sees can
never drift from the text. Claim keys pull in the claim's own source and evidence, so a
reader who meets "[C1.2]" finds both the seed article and the research that judges it.

Command line (from the repository root)::

    python -m intimacy_course.sources update [NOTEBOOK ...]   # rewrite References cells
    python -m intimacy_course.sources check  [NOTEBOOK ...]   # exit 1 if unknown or stale

Without paths both act on every notebook in ``course/``.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

from intimacy_course import paths

#: The evidence labels a claim may carry (source_texts/README.md explains them).
#: ``definition`` marks a definitional statement, which is not graded as evidence.
STATUSES: tuple[str, ...] = (
    "supported",
    "partly supported",
    "clinical opinion",
    "contested",
    "not supported",
    "definition",
)

#: Heading that starts the generated cell; the cell is found by it and never scanned.
REFERENCES_HEADING = "## References"

REFERENCE_KEY = re.compile(r"^(R\d+|S\d{3})$")
CLAIM_KEY = re.compile(r"^C\d+\.\d+$")
_ANY_KEY = re.compile(r"^(R\d+|S\d{3}|C\d+\.\d+)$")
_RANGE = re.compile(r"^R(\d+)\s*[-\u2013]\s*R(\d+)$")
# A bracket group that starts like a key: [R22], [R22, R23], [C3.2], [S000], [R3-R5].
# A markdown link such as [text](url) does not start with a key and is left alone.
_BRACKET = re.compile(r"\[\s*((?:R\d|S\d|C\d)[^\[\]\n]*?)\s*\](?!\()")

_NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"


class SourcesError(ValueError):
    """A problem in source_texts/ or in a notebook's citations; the message says where."""


@dataclass(frozen=True)
class Reference:
    """One bibliography entry, keyed ``R<n>`` (research) or ``S<nnn>`` (seed article)."""

    key: str
    authors: str
    year: str
    title: str
    container: str
    doi: str = ""
    url: str = ""
    verified: bool = True
    note: str = ""

    def apa(self) -> str:
        """An APA-like one-line citation, marked when its details could not be checked."""
        title = self.title.rstrip(".")
        stop = "" if title.endswith(("?", "!")) else "."
        line = f"{self.authors} ({self.year}). *{title}*{stop} {self.container.rstrip('.')}."
        if self.doi:
            line += f" https://doi.org/{self.doi}"
        elif self.url:
            line += f" {self.url}"
        if not self.verified:
            line += " (details not verified)"
        return line


@dataclass(frozen=True)
class Claim:
    """One idea the course teaches, paraphrased, with where it comes from and how well it holds."""

    id: str
    paraphrase: str
    source: str
    location: str
    status: str
    evidence: tuple[str, ...]
    evidence_note: str
    modules: tuple[int, ...]
    file: Path

    def keys(self) -> tuple[str, ...]:
        """The bibliography keys behind this claim: its source first, then its evidence."""
        return (self.source, *self.evidence)


# --------------------------------------------------------------------------------------------
# Loading and validating


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise SourcesError(f"{path}: file not found.") from None
    except tomllib.TOMLDecodeError as problem:
        raise SourcesError(f"{path}: not valid TOML ({problem}).") from None


_REFERENCE_FIELDS: dict[str, type] = {
    "authors": str,
    "year": str,
    "title": str,
    "container": str,
    "doi": str,
    "url": str,
    "verified": bool,
    "note": str,
}
_REFERENCE_REQUIRED = ("authors", "year", "title", "container", "verified")


def load_bibliography(path: Path | None = None) -> dict[str, Reference]:
    """Read ``source_texts/bibliography.toml`` into ``{key: Reference}``.

    Raises :class:`SourcesError` naming the file, the key and the field for a bad key, a
    missing or mistyped field, or a field the format does not know (usually a typo).
    """
    path = path or paths.source_texts_dir() / "bibliography.toml"
    data = _read_toml(path)
    bibliography: dict[str, Reference] = {}
    for key, entry in data.items():
        where = f"{path}: reference [{key}]"
        if not REFERENCE_KEY.match(key):
            raise SourcesError(f"{where}: key must look like R12 or S000.")
        if not isinstance(entry, dict):
            raise SourcesError(f"{where}: must be a table of fields.")
        for field in _REFERENCE_REQUIRED:
            if field not in entry:
                raise SourcesError(f"{where}: field '{field}' is missing.")
        for field, value in entry.items():
            expected = _REFERENCE_FIELDS.get(field)
            if expected is None:
                known = ", ".join(_REFERENCE_FIELDS)
                raise SourcesError(f"{where}: field '{field}' is not known (known: {known}).")
            if not isinstance(value, expected):
                raise SourcesError(f"{where}: field '{field}' must be {expected.__name__}.")
            if (
                expected is str
                and field in ("authors", "year", "title", "container")
                and not value.strip()
            ):
                raise SourcesError(f"{where}: field '{field}' is empty.")
        bibliography[key] = Reference(key=key, **entry)
    return bibliography


def _claim_error(path: Path, claim_id: str, field: str, problem: str) -> SourcesError:
    return SourcesError(f"{path}: claim {claim_id}: field '{field}' {problem}")


def _validate_claim(
    path: Path, index: int, raw: object, bibliography: Mapping[str, Reference]
) -> Claim:
    """Turn one ``[[claim]]`` table into a Claim, or say exactly what is wrong with it."""
    if not isinstance(raw, dict):
        raise SourcesError(f"{path}: claim #{index}: must be a [[claim]] table.")
    claim_id = raw.get("id")
    label = claim_id if isinstance(claim_id, str) and claim_id else f"#{index}"
    if not isinstance(claim_id, str) or not CLAIM_KEY.match(claim_id):
        raise _claim_error(path, label, "id", "must look like C1.2 (C<module>.<number>).")
    for field in ("paraphrase", "source", "location", "status", "evidence_note"):
        value = raw.get(field)
        if not isinstance(value, str) or not value.strip():
            raise _claim_error(path, label, field, "is missing or empty.")
    if raw["status"] not in STATUSES:
        allowed = " | ".join(STATUSES)
        raise _claim_error(path, label, "status", f"is {raw['status']!r}; use one of: {allowed}.")
    if raw["source"] not in bibliography:
        raise _claim_error(
            path, label, "source", f"names {raw['source']!r}, which is not in the bibliography."
        )
    evidence = raw.get("evidence")
    if not isinstance(evidence, list) or not all(isinstance(key, str) for key in evidence):
        raise _claim_error(
            path, label, "evidence", 'must be a list of bibliography keys, e.g. ["R1", "R2"].'
        )
    unknown = [key for key in evidence if key not in bibliography]
    if unknown:
        raise _claim_error(
            path, label, "evidence", f"names {', '.join(unknown)}, not in the bibliography."
        )
    modules = raw.get("modules")
    if (
        not isinstance(modules, list)
        or not modules
        or not all(
            isinstance(number, int) and 0 <= number <= len(paths.MODULES) for number in modules
        )
    ):
        raise _claim_error(
            path,
            label,
            "modules",
            f"must be a non-empty list of module numbers 0-{len(paths.MODULES)}.",
        )
    known = {
        "id",
        "paraphrase",
        "source",
        "location",
        "status",
        "evidence",
        "evidence_note",
        "modules",
    }
    extra = sorted(set(raw) - known)
    if extra:
        raise _claim_error(path, label, extra[0], "is not a known claim field (a typo?).")
    return Claim(
        id=claim_id,
        paraphrase=raw["paraphrase"].strip(),
        source=raw["source"],
        location=raw["location"].strip(),
        status=raw["status"],
        evidence=tuple(evidence),
        evidence_note=raw["evidence_note"].strip(),
        modules=tuple(modules),
        file=path,
    )


def load_claims(
    claims_dir: Path | None = None, bibliography: Mapping[str, Reference] | None = None
) -> dict[str, Claim]:
    """Read every ``claims/*.toml`` into ``{claim id: Claim}``, validated.

    Ids must be unique across files, statuses one of :data:`STATUSES`, and every source and
    evidence key must exist in the bibliography. Errors name the file, the claim and the field.
    """
    claims_dir = claims_dir or paths.source_texts_dir() / "claims"
    if bibliography is None:
        bibliography = load_bibliography(claims_dir.parent / "bibliography.toml")
    claims: dict[str, Claim] = {}
    for path in sorted(claims_dir.glob("*.toml")):
        data = _read_toml(path)
        extra = sorted(set(data) - {"claim"})
        if extra:
            raise SourcesError(
                f"{path}: top-level '{extra[0]}' is not expected; write [[claim]] tables only."
            )
        raw_claims = data.get("claim", [])
        if not isinstance(raw_claims, list):
            raise SourcesError(f"{path}: 'claim' must be written as [[claim]] tables.")
        for index, raw in enumerate(raw_claims, start=1):
            claim = _validate_claim(path, index, raw, bibliography)
            if claim.id in claims:
                raise _claim_error(
                    path, claim.id, "id", f"is used twice (also in {claims[claim.id].file.name})."
                )
            claims[claim.id] = claim
    return claims


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
        return 1 if failed else 0
    problems = [line for path in notebooks for line in check_notebook(path, bibliography, claims)]
    for line in problems:
        print(line, file=sys.stderr)
    if not problems:
        print(f"All {len(notebooks)} notebooks cite known keys and have current reference lists.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
