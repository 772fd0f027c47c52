"""Do the package's folders keep to their layers (DESIGN.md, The helper package)?

Each subpackage may import only the layers below it; the journal imports no widgets,
grading, figures or command line; grading never touches the journal; only ``settings``
reads the environment. The thin compatibility modules at the top of the package (old
import paths that learners' files use) may only re-export from the one layer they stand for.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "intimacy_course"

#: Which parts of the package each part may import (besides itself).
ALLOWED: dict[str, set[str]] = {
    "__init__": set(),
    "errors": set(),
    "settings": set(),
    "paths": {"errors", "settings"},
    "content": {"errors", "settings", "paths"},
    "journal": {"errors", "settings"},
    "figures": {"settings"},
    "reflection": {"content", "journal", "figures", "errors", "settings", "paths"},
    "quiz": {"content", "errors", "settings", "paths"},
    "grading": {"quiz", "content", "errors", "settings", "paths"},
    "lab": {"grading", "errors", "settings", "paths"},
    "cli": {
        "content",
        "journal",
        "reflection",
        "figures",
        "quiz",
        "grading",
        "lab",
        "errors",
        "settings",
        "paths",
    },
    # Compatibility modules: old import paths, each a re-export of one layer.
    "quiz_answers": {"quiz"},
    "grading_selfcheck": {"grading"},
    "forms": {"reflection"},
    "progress": {"reflection"},
    "sources": {"content"},
    "quiz_build": {"quiz"},
}

#: Third-party packages a layer must never import (the journal stays plain stdlib + platformdirs).
FORBIDDEN_THIRD_PARTY: dict[str, set[str]] = {
    "journal": {"ipywidgets", "IPython", "matplotlib", "pandas", "nbgrader", "nbformat"},
    "content": {"ipywidgets", "matplotlib", "nbgrader"},
    "quiz": {"ipywidgets", "matplotlib"},
}

#: The quiz's clicking views are the one place in ``quiz`` that shows widgets.
WIDGET_VIEWS = {"quiz/view.py", "quiz/selfcheck_view.py"}


def part_of(path: Path) -> str:
    """The layer a source file belongs to: its subpackage, or its own name at the top."""
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


@functools.cache
def imported_modules(path: Path) -> tuple[str, ...]:
    """Every module ``path`` imports, at any depth (imports inside functions count too).

    Cached: every test of this module reads the same files (parsing them all under coverage
    took about a second per test)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "intimacy_course":
                found.extend(f"intimacy_course.{alias.name}" for alias in node.names)
            else:
                found.append(node.module)
    return tuple(found)


def import_graph() -> dict[str, set[str]]:
    """{layer: the other layers of the package it imports}."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        layer = part_of(path)
        uses = graph.setdefault(layer, set())
        for module in imported_modules(path):
            parts = module.split(".")
            if parts[0] == "intimacy_course" and len(parts) > 1 and parts[1] != layer:
                uses.add(parts[1])
    return graph


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_every_part_of_the_package_has_a_layer() -> None:
    assert set(import_graph()) <= set(ALLOWED), set(import_graph()) - set(ALLOWED)


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_a_layer_imports_only_the_layers_below_it(layer: str) -> None:
    uses = import_graph().get(layer, set())
    assert uses <= ALLOWED[layer], f"{layer} imports {sorted(uses - ALLOWED[layer])}"


@pytest.mark.parametrize("layer", sorted(FORBIDDEN_THIRD_PARTY))
def test_lower_layers_do_not_import_presentation_libraries(layer: str) -> None:
    offenders = {
        f"{path.relative_to(PACKAGE)}: {module}"
        for path in SOURCES
        if part_of(path) == layer and str(path.relative_to(PACKAGE)) not in WIDGET_VIEWS
        for module in imported_modules(path)
        if module.split(".")[0] in FORBIDDEN_THIRD_PARTY[layer]
    }
    assert not offenders, sorted(offenders)


def test_only_settings_reads_the_environment() -> None:
    readers = [
        str(path.relative_to(PACKAGE))
        for path in SOURCES
        if path.name != "settings.py"
        and any(
            word in path.read_text(encoding="utf-8")
            for word in ("os.environ", "os.getenv", "environ.get", "getenv(")
        )
    ]
    assert not readers, readers


def test_every_journal_query_lives_in_the_journal() -> None:
    outside = [
        str(path.relative_to(PACKAGE))
        for path in SOURCES
        if part_of(path) != "journal"
        and (
            "sqlite3" in imported_modules(path)
            or "FROM entries" in path.read_text(encoding="utf-8")
        )
    ]
    assert not outside, outside


def test_compatibility_modules_only_re_export() -> None:
    """An old import path holds imports, ``__all__`` and at most a ``__main__`` guard."""
    for name in ("quiz_answers", "grading_selfcheck", "forms", "progress", "sources", "quiz_build"):
        tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
        for node in tree.body:
            allowed = (ast.Import, ast.ImportFrom, ast.Expr, ast.If)
            is_all = isinstance(node, ast.Assign) and [
                t.id for t in node.targets if isinstance(t, ast.Name)
            ] == ["__all__"]
            assert isinstance(node, allowed) or is_all, f"{name}.py: {ast.dump(node)[:80]}"
