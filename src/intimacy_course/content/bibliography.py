"""The course's bibliography and the claims it teaches, read from ``source_texts/``.

``bibliography.toml`` holds one table per reference, keyed ``R<n>`` (research) or
``S<nnn>`` (a seed article); ``claims/*.toml`` hold ``[[claim]]`` tables, each a paraphrased
idea with its source, its evidence and an evidence status. Both are checked strictly by the
shared validator (:mod:`intimacy_course.content.toml`), so a typo names the file, the entry
and the field. Citations in notebooks and the generated reference lists are in
:mod:`intimacy_course.content.citations`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from intimacy_course import paths
from intimacy_course.content.toml import Fields, read_toml
from intimacy_course.errors import CourseError

#: The four evidence labels a claim may carry (source_texts/README.md explains them).
#: ``not supported``: the evidence is one-sided against the claim. ``definition``: a
#: definitional statement, not an empirical claim, and not graded as evidence.
STATUSES: tuple[str, ...] = (
    "supported",
    "partly supported",
    "clinical opinion",
    "contested",
    "not supported",
    "definition",
)

REFERENCE_KEY = re.compile(r"^(R\d+|S\d{3})$")
CLAIM_KEY = re.compile(r"^C\d+\.\d+$")


class SourcesError(CourseError, ValueError):
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


_REFERENCE_TEXT = ("authors", "year", "title", "container")
_REFERENCE_OPTIONAL_TEXT = ("doi", "url", "note")
_CLAIM_FIELDS = (
    "id",
    "paraphrase",
    "source",
    "location",
    "status",
    "evidence",
    "evidence_note",
    "modules",
)


def load_bibliography(path: Path | None = None) -> dict[str, Reference]:
    """Read ``source_texts/bibliography.toml`` into ``{key: Reference}``.

    Raises :class:`SourcesError` naming the file, the key and the field for a bad key, a
    missing or mistyped field, or a field the format does not know (usually a typo).
    """
    path = path or paths.source_texts_dir() / "bibliography.toml"
    data = read_toml(path, SourcesError)
    bibliography: dict[str, Reference] = {}
    for key, entry in data.items():
        where = f"{path}: reference [{key}]"
        if not REFERENCE_KEY.match(key):
            raise SourcesError(f"{where}: key must look like R12 or S000.")
        if not isinstance(entry, dict):
            raise SourcesError(f"{where}: must be a table of fields.")
        fields = Fields(entry, where, SourcesError)
        fields.only((*_REFERENCE_TEXT, *_REFERENCE_OPTIONAL_TEXT, "verified"))
        for name in _REFERENCE_TEXT:
            fields.text(name)
        for name in _REFERENCE_OPTIONAL_TEXT:
            fields.text(name, required=False)
        fields.boolean("verified")
        bibliography[key] = Reference(key=key, **entry)
    return bibliography


def _validate_claim(
    path: Path, index: int, raw: object, bibliography: Mapping[str, Reference]
) -> Claim:
    """Turn one ``[[claim]]`` table into a Claim, or say exactly what is wrong with it."""
    if not isinstance(raw, dict):
        raise SourcesError(f"{path}: claim #{index}: must be a [[claim]] table.")
    claim_id = raw.get("id")
    label = claim_id if isinstance(claim_id, str) and claim_id else f"#{index}"
    fields = Fields(raw, f"{path}: claim {label}", SourcesError)
    if not isinstance(claim_id, str) or not CLAIM_KEY.match(claim_id):
        fields.fail("id", "must look like C1.2 (C<module>.<number>).")
    text = {
        name: fields.text(name)
        for name in ("paraphrase", "source", "location", "status", "evidence_note")
    }
    if raw["status"] not in STATUSES:
        allowed = " | ".join(STATUSES)
        fields.fail("status", f"is {raw['status']!r}; use one of: {allowed}.")
    if raw["source"] not in bibliography:
        fields.fail("source", f"names {raw['source']!r}, which is not in the bibliography.")
    evidence = raw.get("evidence")
    if not isinstance(evidence, list) or not all(isinstance(key, str) for key in evidence):
        fields.fail("evidence", 'must be a list of bibliography keys, e.g. ["R1", "R2"].')
    unknown = [key for key in evidence if key not in bibliography]
    if unknown:
        fields.fail("evidence", f"names {', '.join(unknown)}, not in the bibliography.")
    modules = raw.get("modules")
    if (
        not isinstance(modules, list)
        or not modules
        or not all(
            isinstance(number, int) and 0 <= number <= len(paths.MODULES) for number in modules
        )
    ):
        fields.fail(
            "modules", f"must be a non-empty list of module numbers 0-{len(paths.MODULES)}."
        )
    fields.only(_CLAIM_FIELDS, lambda key: "is not a known claim field (a typo?).")
    return Claim(
        id=claim_id,
        paraphrase=text["paraphrase"],
        source=raw["source"],
        location=text["location"],
        status=raw["status"],
        evidence=tuple(evidence),
        evidence_note=text["evidence_note"],
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
        data = read_toml(path, SourcesError)
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
                Fields(raw, f"{path}: claim {claim.id}", SourcesError).fail(
                    "id", f"is used twice (also in {claims[claim.id].file.name})."
                )
            claims[claim.id] = claim
    return claims
