"""Learner and instructor servers, and a terminal that finds the course's commands.

A learner's JupyterLab shows no instructor tools: nbgrader's Create Assignment sidebar,
formgrader, course list and Nbgrader menu are switched off, both in the page (JupyterLab's
``disabledExtensions``) and on the server (nbgrader's server extensions), and so is the
assignment list, which on one machine has no exchange to list and only fills the log.
``intimacy-course lab --instructor`` keeps them, with a local exchange folder inside the
course (``grading/exchange/``, git-ignored) so formgrader has one and shows no warning.

Both get a terminal whose shell finds ``intimacy-course``: JupyterLab's terminal starts a
login shell, and Debian's ``/etc/profile`` resets PATH, so the environment's ``bin`` folder
added to the server's PATH is lost there. The terminal runs bash with the course's own
start-up file instead, which reads the user's ``~/.bashrc`` and then puts that folder first.

The settings are written as Jupyter configuration files into a folder of the user's own
(mode 0700), named first on ``JUPYTER_CONFIG_PATH``; nothing here goes on a command line.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from intimacy_course import settings

#: The nbgrader front-end plugins a learner does not see.
INSTRUCTOR_PLUGINS = (
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:menu",
    "@jupyter/nbgrader:assignment-list",
)
#: nbgrader's server extensions behind them.
INSTRUCTOR_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
    "nbgrader.server_extensions.assignment_list",
)
BASH_RC = """# Written by intimacy-course lab: the course terminal's start-up file.
[ -f /etc/bash.bashrc ] && . /etc/bash.bashrc
[ -f "$HOME/.bashrc" ] && . "$HOME/.bashrc"
export PATH="{bin}:$PATH"
"""


def config_folder(instructor: bool) -> Path:
    """A private folder of Jupyter settings for this kind of server (made on first use).

    It lives under ``~/.config/intimacy-course/``, never in the journal's folder: the journal
    keeps its folder to itself (0700, nothing else in it) and warns when it finds otherwise.
    """
    folder = (
        Path.home()
        / ".config"
        / "intimacy-course"
        / ("lab-instructor" if instructor else "lab-learner")
    )
    for level in (folder.parent.parent, folder.parent, folder):
        if not level.is_dir():
            level.mkdir(mode=0o700, exist_ok=True)
    os.chmod(folder.parent, 0o700)
    os.chmod(folder, 0o700)
    return folder


def write_mode_config(root: Path, instructor: bool) -> Path:
    """Write the server, page and terminal settings of a learner or instructor server."""
    folder = config_folder(instructor)
    rc = folder / "course-bashrc"
    rc.write_text(BASH_RC.format(bin=settings.tools_bin()), encoding="utf-8")
    bash = shutil.which("bash") or "/bin/bash"
    server: dict[str, dict[str, object]] = {
        "ServerApp": {"terminado_settings": {"shell_command": [bash, "--rcfile", str(rc), "-i"]}}
    }
    page: dict[str, object] = {}
    if instructor:
        exchange = root / "grading" / "exchange"
        exchange.mkdir(parents=True, exist_ok=True)
        server["Exchange"] = {"root": str(exchange)}
        page["disabledExtensions"] = {name: False for name in INSTRUCTOR_PLUGINS}
    else:
        server["ServerApp"]["jpserver_extensions"] = dict.fromkeys(
            INSTRUCTOR_SERVER_EXTENSIONS, False
        )
        page["disabledExtensions"] = dict.fromkeys(INSTRUCTOR_PLUGINS, True)
    (folder / "jupyter_server_config.json").write_text(
        json.dumps(server, indent=1), encoding="utf-8"
    )
    (folder / "labconfig").mkdir(exist_ok=True)
    (folder / "labconfig" / "page_config.json").write_text(
        json.dumps(page, indent=1), encoding="utf-8"
    )
    return folder


def config_path_with(folder: Path) -> str:
    """``JUPYTER_CONFIG_PATH`` with ``folder`` first, so its settings win."""
    current = [p for p in settings.jupyter_config_path().split(os.pathsep) if p]
    return os.pathsep.join([str(folder), *current])
