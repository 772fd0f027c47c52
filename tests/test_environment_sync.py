"""Conda users and pip users must get the same course: environment.yml mirrors pyproject.toml."""

from __future__ import annotations

import re
import tomllib

from tests.support import REPO


def _normalise(requirement: str) -> str:
    """Lower-case the name and drop spaces, so `Foo_Bar >= 1` equals `foo-bar>=1`."""
    requirement = requirement.replace(" ", "")
    match = re.match(r"([A-Za-z0-9_.\-]+)(.*)", requirement)
    assert match, requirement
    name, spec = match.groups()
    return re.sub(r"[-_.]+", "-", name).lower() + spec


def _pyproject_requirements() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        wanted.extend(extra)
    return {_normalise(r) for r in wanted}


def _environment_pip_requirements() -> tuple[set[str], list[str]]:
    """The `pip:` entries of environment.yml (a tiny reader: the file is ours and simple)."""
    lines = (REPO / "environment.yml").read_text().splitlines()
    in_pip, requirements, options = False, set(), []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("- pip:"):
            in_pip = True
            continue
        if in_pip:
            if not stripped.startswith("- "):
                if stripped and not stripped.startswith("#"):
                    in_pip = False
                continue
            entry = stripped[2:].strip()
            if entry.startswith("-"):
                options.append(entry)
            else:
                requirements.add(_normalise(entry))
    return requirements, options


def test_environment_yml_lists_the_same_requirements_as_pyproject() -> None:
    conda_side, _ = _environment_pip_requirements()
    pip_side = _pyproject_requirements()
    assert conda_side == pip_side, (
        "environment.yml and pyproject.toml disagree.\n"
        f"Only in pyproject.toml: {sorted(pip_side - conda_side)}\n"
        f"Only in environment.yml: {sorted(conda_side - pip_side)}"
    )


def test_environment_yml_uses_the_tested_pins_and_installs_the_package() -> None:
    _, options = _environment_pip_requirements()
    assert "-c constraints.txt" in options
    assert "-e ." in options
    text = (REPO / "environment.yml").read_text()
    assert "python=3.11" in text


def test_every_requirement_is_pinned_in_constraints() -> None:
    pinned = {
        re.sub(r"[-_.]+", "-", line.split("==")[0]).lower()
        for line in (REPO / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    names = {re.match(r"[a-z0-9\-]+", r).group(0) for r in _pyproject_requirements()}
    assert names <= pinned, f"not pinned in constraints.txt: {sorted(names - pinned)}"
