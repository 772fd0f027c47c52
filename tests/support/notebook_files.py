"""The notebooks the course ships, found once for the notebook tests."""

from __future__ import annotations

from pathlib import Path

from tests.support import REPO


def shipped_notebooks() -> list[Path]:
    """Every notebook under course/ and workbook/, in name order (checkpoints excluded)."""
    found: list[Path] = []
    for folder in ("course", "workbook"):
        found.extend(
            p
            for p in sorted((REPO / folder).glob("*.ipynb"))
            if ".ipynb_checkpoints" not in p.parts
        )
    return found


def committed_notebooks() -> list[Path]:
    """Every notebook the repository ships anywhere (my_work and generated folders excluded)."""
    skip = {"my_work", ".venv", "release", "submitted", "autograded", "feedback", "node_modules"}
    return sorted(
        p
        for p in REPO.rglob("*.ipynb")
        if not (set(p.relative_to(REPO).parts) & skip) and ".ipynb_checkpoints" not in p.parts
    )
