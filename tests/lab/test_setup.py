"""Set-up: safe to repeat, and a learner's outputs never make the clone dirty."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import nbformat
import pytest

from intimacy_course.lab.save_hook import STANDARD_KERNELSPEC
from intimacy_course.lab.setup import (
    LAB_OVERRIDES,
    install_course_css,
    install_nbstripout_filter,
    write_lab_overrides,
)


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A tiny git repository with one committed, output-free notebook."""
    repo = tmp_path / "clone"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "test@example.org")
    _git(repo, "config", "user.name", "Test")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("print('hello')")]
    nbformat.write(notebook, repo / "lesson.ipynb")
    (repo / ".gitignore").write_text(".ipynb_checkpoints/\n")
    _git(repo, "add", "lesson.ipynb", ".gitignore")
    _git(repo, "commit", "-qm", "lesson")
    return repo


def test_the_git_filter_hides_outputs_from_diffs_and_commits(clone: Path) -> None:
    assert install_nbstripout_filter(clone) is True
    notebook = nbformat.read(clone / "lesson.ipynb", as_version=4)
    notebook.cells[0].outputs = [nbformat.v4.new_output("stream", text="hello\n")]
    notebook.cells[0].execution_count = 1
    nbformat.write(notebook, clone / "lesson.ipynb")
    assert _git(clone, "diff") == ""
    _git(clone, "add", "lesson.ipynb")
    assert _git(clone, "diff", "--cached") == "", "outputs would be committed"


def _run_and_save_like_jupyterlab(root: Path, path: str) -> None:
    """Give the notebook outputs and kernel metadata, then save it with the real server's
    contents manager configured the way `intimacy-course lab` configures it."""
    from jupyter_server.services.contents.filemanager import FileContentsManager

    manager = FileContentsManager(
        root_dir=str(root), pre_save_hook="intimacy_course.lab.save_hook.strip_course_notebook"
    )
    model = manager.get(path)
    cell = model["content"].cells[0]
    cell.outputs = [nbformat.v4.new_output("stream", text="hello\n")]
    cell.execution_count = 3
    cell.metadata["scrolled"] = True
    model["content"].metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    manager.save(model, path)


def test_running_a_course_notebook_in_jupyterlab_leaves_the_clone_clean_and_pullable(
    clone: Path, tmp_path: Path
) -> None:
    """A learner ran course/lesson.ipynb; the course then published a new version of it."""
    (clone / "course").mkdir()
    _git(clone, "mv", "lesson.ipynb", "course/lesson.ipynb")
    notebook = nbformat.read(clone / "course" / "lesson.ipynb", as_version=4)
    notebook.metadata = {
        "kernelspec": dict(STANDARD_KERNELSPEC),
        "language_info": {"name": "python"},
    }
    nbformat.write(notebook, clone / "course" / "lesson.ipynb")
    _git(clone, "commit", "-qam", "course folder")
    learner = tmp_path / "learner"
    _git(tmp_path, "clone", "-q", str(clone), str(learner))
    install_nbstripout_filter(learner)

    _run_and_save_like_jupyterlab(learner, "course/lesson.ipynb")
    assert _git(learner, "status", "--porcelain") == ""

    updated = nbformat.read(clone / "course" / "lesson.ipynb", as_version=4)
    updated.cells.append(nbformat.v4.new_markdown_cell("A new section"))
    nbformat.write(updated, clone / "course" / "lesson.ipynb")
    _git(clone, "commit", "-qam", "new section")
    _git(learner, "pull", "-q")
    assert "A new section" in (learner / "course" / "lesson.ipynb").read_text()


def test_quiz_copies_in_my_work_keep_their_outputs(tmp_path: Path) -> None:
    (tmp_path / "my_work").mkdir()
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("q1 = 'b'")]
    nbformat.write(notebook, tmp_path / "my_work" / "quiz.ipynb")
    _run_and_save_like_jupyterlab(tmp_path, "my_work/quiz.ipynb")
    saved = nbformat.read(tmp_path / "my_work" / "quiz.ipynb", as_version=4)
    assert saved.cells[0].outputs and saved.cells[0].execution_count == 3


def test_installing_the_filter_twice_changes_nothing(clone: Path) -> None:
    install_nbstripout_filter(clone)
    before = (clone / ".git" / "config").read_text()
    install_nbstripout_filter(clone)
    assert (clone / ".git" / "config").read_text() == before


def test_a_folder_that_is_not_a_git_clone_is_left_alone(tmp_path: Path) -> None:
    assert install_nbstripout_filter(tmp_path) is False
    assert not (tmp_path / ".git").exists()


def test_lab_settings_turn_off_news_and_saving_widget_state(tmp_path: Path) -> None:
    path = write_lab_overrides(tmp_path)
    settings = json.loads(path.read_text())
    assert settings["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is False
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_lab_settings_keep_what_an_administrator_already_set(tmp_path: Path) -> None:
    path = write_lab_overrides(tmp_path)
    path.write_text(
        json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}})
    )
    write_lab_overrides(tmp_path)
    settings = json.loads(path.read_text())
    assert settings["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert set(LAB_OVERRIDES) <= set(settings)


def test_course_stylesheet_underlines_links_and_respects_the_users_own(tmp_path: Path) -> None:
    written = install_course_css(tmp_path)
    assert written is not None and "text-decoration: underline" in written.read_text()
    assert install_course_css(tmp_path) == written
    own = tmp_path / "mine"
    (own / "custom").mkdir(parents=True)
    (own / "custom" / "custom.css").write_text("body { font-size: 20px; }\n")
    assert install_course_css(own) is None
    assert (own / "custom" / "custom.css").read_text() == "body { font-size: 20px; }\n"
