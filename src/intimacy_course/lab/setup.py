"""Idempotent set-up steps that run before the course opens (``make lab``, ``make test``).

Each step checks before it writes, so running set-up again costs almost nothing and never
touches a learner's own work. Steps are listed in ``STEPS``; a part of the course that
needs something prepared adds its step there.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from intimacy_course.grading.learner import prepare_learner_copies
from intimacy_course.paths import repo_root

#: JupyterLab settings the course relies on, written into this environment's overrides.
#: - news and update checks off: the pop-up covers the page and this machine is offline;
#: - widget state never saved into notebooks: reflection answers belong in the private
#:   journal only, never in a notebook file that could be shared or committed.
LAB_OVERRIDES: dict[str, dict[str, object]] = {
    "@jupyterlab/apputils-extension:notification": {
        "checkForUpdates": False,
        "fetchNews": "false",
    },
    "@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": False},
}


def lab_overrides_path(prefix: Path | None = None) -> Path:
    """Where JupyterLab reads admin overrides for this Python environment."""
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def write_lab_overrides(prefix: Path | None = None) -> Path:
    """Merge the course's settings into the environment's ``overrides.json``."""
    path = lab_overrides_path(prefix)
    current: dict[str, dict[str, object]] = {}
    if path.exists():
        try:
            current = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            current = {}
    merged = dict(current)
    for plugin, settings in LAB_OVERRIDES.items():
        merged[plugin] = {**current.get(plugin, {}), **settings}
    if merged != current:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    return path


def install_nbstripout_filter(root: Path | None = None) -> bool:
    """Install nbstripout as a git filter in the clone, so outputs never dirty it.

    A learner who runs the notebooks must still be able to ``git pull`` new course
    versions; the filter strips outputs from what git sees. Returns ``False`` (and does
    nothing) when the folder is not a git checkout, e.g. an unpacked download.
    """
    root = root or repo_root()
    if not (root / ".git").exists() or shutil.which("git") is None:
        return False
    clean = f'"{sys.executable}" -m nbstripout --keep-id'
    configured = subprocess.run(
        ["git", "config", "--local", "--get", "filter.nbstripout.clean"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if configured.stdout.strip() == clean:
        return True
    subprocess.run(
        [sys.executable, "-m", "nbstripout", "--install"],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    )
    # Keep cell ids: by default nbstripout renumbers them, so every notebook saved by
    # JupyterLab (which keeps the random ids) would look different from the committed one.
    subprocess.run(
        ["git", "config", "--local", "filter.nbstripout.clean", clean], cwd=root, check=True
    )
    subprocess.run(
        ["git", "config", "--local", "diff.ipynb.textconv", f"{clean} -t"], cwd=root, check=True
    )
    return True


#: The course's stylesheet, served by JupyterLab when started with ``LabApp.custom_css``.
COURSE_CSS = Path(__file__).resolve().parent / "custom.css"


def install_course_css(config_dir: Path | None = None) -> Path | None:
    """Put the course's stylesheet where JupyterLab looks for ``custom/custom.css``.

    JupyterLab's light theme marks links in notebook text by colour alone (WCAG 1.4.1);
    the stylesheet underlines them. JupyterLab loads the file only when started with
    ``LabApp.custom_css``, which ``intimacy-course lab`` does, so the user's other
    JupyterLab sessions are unaffected. A custom.css the user wrote is never replaced;
    returns the path written, or ``None`` when the user's own file was left alone.
    """
    if config_dir is None:
        from jupyter_core.paths import jupyter_config_dir

        config_dir = Path(jupyter_config_dir())
    target = config_dir / "custom" / "custom.css"
    ours = COURSE_CSS.read_text(encoding="utf-8")
    if target.exists():
        current = target.read_text(encoding="utf-8", errors="replace")
        if current == ours:
            return target
        if "intimacy-course" not in current:
            return None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(ours, encoding="utf-8")
    return target


#: The set-up steps, in order. Each takes no arguments and is safe to run again.
STEPS: list[tuple[str, Callable[[], object]]] = [
    ("JupyterLab settings", write_lab_overrides),
    ("nbstripout git filter", install_nbstripout_filter),
    ("course stylesheet", install_course_css),
    ("your quiz copies in my_work/", prepare_learner_copies),
]


def prepare(verbose: bool = True) -> None:
    """Run every set-up step, printing one progress line per step."""
    total = len(STEPS)
    for number, (label, step) in enumerate(STEPS, start=1):
        if verbose:
            print(f"[{number}/{total}] {label} ...", flush=True)
        step()
    if verbose:
        print("Set-up complete.", flush=True)
