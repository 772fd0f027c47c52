"""The nbgrader course behind the quizzes: its configuration, its API, its student version.

Every grading command talks to nbgrader through ``nbgrader.apps.NbGraderAPI`` inside one
Python process: importing nbgrader costs several seconds, so starting ``nbgrader`` once per
trainee would dominate a cohort's grading time. The course root is ``grading/`` for an
instructor, or a scratch folder for a self-learner's ``check``; both read the settings in
``grading/nbgrader_config.py`` so that a quiz is graded the same way everywhere.
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
from nbformat.notebooknode import NotebookNode

from intimacy_course import settings
from intimacy_course.grading.folders import QUIZ_FILE, QUIZ_NOTEBOOK, CourseFolders
from intimacy_course.paths import MODULES, grading_dir

if TYPE_CHECKING:  # importing nbgrader is slow: only when a command needs it
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

__all__ = [
    "CONFIG_FILE",
    "IOPUB_TIMEOUT",
    "QUIZ_FILE",
    "QUIZ_NOTEBOOK",
    "CourseFolders",
    "course_config",
    "ensure_tools_on_path",
    "exchange_configured",
    "open_api",
    "quiet_nbgrader",
    "quiz_metadata",
    "read_notebook_json",
    "source_quizzes",
    "student_version",
]

CONFIG_FILE = "nbgrader_config.py"
#: Seconds nbclient waits for a cell's last output messages (nbgrader's default: 4).
IOPUB_TIMEOUT = 30


def ensure_tools_on_path() -> None:
    """Put this environment's bin folder on PATH: nbgrader runs ``alembic`` as a subprocess."""
    settings.ensure_tools_on_path()


def course_config(
    root: Path | None = None, settings_from: Path | None = None, **overrides: dict[str, Any]
) -> Config:
    """nbgrader settings for the course at ``root``.

    Settings come from ``settings_from/nbgrader_config.py`` (default: the repository's
    ``grading/``); the course root and the header notebook are then pointed at ``root``
    (the header in ``root``'s source folder, wherever the settings name it).
    ``overrides`` are per-class settings, e.g. ``Execute={"timeout": 5}``.
    """
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    root = Path(root or grading_dir()).resolve()
    settings_from = Path(settings_from or grading_dir())
    config = Config()
    if (settings_from / CONFIG_FILE).exists():
        config.merge(PyFileConfigLoader(CONFIG_FILE, path=str(settings_from)).load_config())
    config.CourseDirectory.root = str(root)
    # The kernel's own start-up warning (TCP without encryption) would clutter every
    # progress line; history is not needed while grading.
    config.Execute.extra_arguments = [
        "--HistoryManager.hist_file=:memory:",
        "--IPKernelApp.log_level=ERROR",
    ]
    # nbgrader makes a late kernel message fatal to the whole submission, after only 4 s.
    # On a busy machine, the messages that follow an interrupted (timed-out) cell were seen
    # to take longer, and a trainee's other answers were lost with it. Wait longer.
    config.Execute.iopub_timeout = IOPUB_TIMEOUT
    for section, values in overrides.items():
        for key, value in values.items():
            config[section][key] = value
    header = CourseFolders.from_config(config).header
    config.IncludeHeaderFooter.header = str(header) if header.exists() else ""
    return config


def exchange_configured(config: Config) -> bool:
    """True when the settings name an exchange folder (``c.Exchange.root``) that exists.

    On one machine without JupyterHub there is no exchange: trainees hand in files and the
    instructor places them in ``grading/submitted/``. With a hub, set ``c.Exchange.root``.
    """
    if "Exchange" not in config or "root" not in config.Exchange:
        return False
    return Path(config.Exchange.root).is_dir()


@contextmanager
def quiet_nbgrader() -> Iterator[None]:
    """Silence the warnings nbgrader and SQLAlchemy print on every run (known and harmless)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loggers = [logging.getLogger(name) for name in ("traitlets", "NbGraderAPI", "alembic")]
        levels = [logger.level for logger in loggers]
        for logger in loggers:
            logger.setLevel(logging.ERROR)
        try:
            yield
        finally:
            for logger, level in zip(loggers, levels, strict=True):
                logger.setLevel(level)


def open_api(config: Config) -> NbGraderAPI:
    """An NbGraderAPI for the course the config points at."""
    ensure_tools_on_path()
    with quiet_nbgrader():
        from nbgrader.apps import NbGraderAPI

        api = NbGraderAPI(config=config)
    api.log.setLevel(logging.ERROR)
    return api


def source_quizzes(course: Path | CourseFolders | None = None) -> list[str]:
    """The quizzes in a course's source folder (those with a quiz.ipynb), in course order.

    ``course`` is a course's folders, or the root of a course that uses the settings in
    ``grading/nbgrader_config.py`` (default: ``grading/`` itself).
    """
    if not isinstance(course, CourseFolders):
        course = CourseFolders.from_config(course_config(course))
    found = course.quizzes_in_source()
    return sorted(found, key=lambda name: (MODULES.index(name) if name in MODULES else 99, name))


def student_version(
    source_notebook: Path, header: Path | None = None, config: Config | None = None
) -> NotebookNode:
    """The released (student) version of a source quiz, made in-process without a gradebook.

    Runs nbgrader's own release preprocessors in the order ``generate_assignment`` uses,
    minus the step that records cells in a gradebook, so set-up can give a learner their
    copy in a fraction of a second. Tests check it matches ``generate_assignment``.
    """
    with quiet_nbgrader():
        from nbgrader.preprocessors import (
            CheckCellMetadata,
            ClearHiddenTests,
            ClearMarkScheme,
            ClearOutput,
            ClearSolutions,
            ComputeChecksums,
            IncludeHeaderFooter,
            LockCells,
        )

    if config is None:
        config = course_config()
    if header is None:
        configured = config.IncludeHeaderFooter.get("header", "")
        header = Path(configured) if configured else None
    nb = nbformat.read(source_notebook, as_version=4)
    resources: dict[str, Any] = {}
    steps = [
        IncludeHeaderFooter(config=config, header=str(header) if header else ""),
        LockCells(config=config),
        ClearSolutions(config=config),
        ClearOutput(config=config),
        CheckCellMetadata(config=config),
        ComputeChecksums(config=config),
        ClearHiddenTests(config=config),
        ClearMarkScheme(config=config),
        ComputeChecksums(config=config),
        CheckCellMetadata(config=config),
    ]
    with quiet_nbgrader():
        for step in steps:
            nb, resources = step.preprocess(nb, resources)
    return nb


def quiz_metadata(nb: NotebookNode | dict[str, Any]) -> dict[str, Any] | None:
    """The course's description of a quiz notebook (module, items), or None if it is no quiz."""
    meta = nb.get("metadata", {}).get("intimacy_course")
    if isinstance(meta, dict) and meta.get("quiz") in MODULES:
        return meta
    return None


def read_notebook_json(path: Path) -> dict[str, Any]:
    """Parse a notebook file as JSON, raising ValueError with a plain reason when it cannot."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as problem:
        raise ValueError("it is not a text file") from problem
    if not text.strip():
        raise ValueError("the file is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as problem:
        raise ValueError(
            f"it is not valid JSON (line {problem.lineno}, column {problem.colno})"
        ) from problem
    if not isinstance(data, dict) or "cells" not in data:
        raise ValueError("it is JSON but not a notebook (no cells)")
    if not isinstance(data["cells"], list) or not all(isinstance(c, dict) for c in data["cells"]):
        raise ValueError("its 'cells' is not a list of cells, so it is not a working notebook")
    if not isinstance(data.get("metadata", {}), dict):
        raise ValueError("its 'metadata' is not a mapping, so it is not a working notebook")
    return data
