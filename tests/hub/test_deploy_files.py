"""Do the deployment files agree with each other? (No servers, no root: runs everywhere.)

The one-host hub, its settings example, the nbgrader configs and the Kubernetes values
name the same folders and variables; a change in one that the others miss would only
show up on a real cohort's first day.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.hub.hubkit import DEPLOY, load_cohort_setup, load_deploy_module


@pytest.fixture(scope="module")
def hub_settings():  # the hub_settings module
    return load_deploy_module("hub_settings")


def test_the_settings_example_lists_every_setting_with_its_default(hub_settings) -> None:
    with (DEPLOY / "hub.example.toml").open("rb") as handle:
        example = tomllib.load(handle)
    assert example == hub_settings.DEFAULTS


def test_a_mistyped_setting_is_refused_not_ignored(hub_settings, tmp_path: Path) -> None:
    path = tmp_path / "hub.toml"
    path.write_text('exchange_rot = "/srv/x"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="exchange_rot"):
        hub_settings.load_settings(path)
    path.write_text('course_id = "spring-cohort"\n', encoding="utf-8")
    assert hub_settings.load_settings(path)["course_id"] == "spring-cohort"
    with pytest.raises(FileNotFoundError):
        hub_settings.load_settings(tmp_path / "missing.toml")


def test_trainees_configs_switch_off_what_only_instructors_use() -> None:
    trainee = DEPLOY / "jupyter-config" / "trainee"
    server = json.loads((trainee / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"] == {
        "nbgrader.server_extensions.formgrader": False,
        "nbgrader.server_extensions.course_list": False,
    }
    lab = json.loads((trainee / "labconfig" / "page_config.json").read_text())
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"} <= set(
        name for name, off in lab["disabledExtensions"].items() if off
    )


def test_the_kubernetes_values_mount_the_exchange_where_nbgrader_looks(hub_settings) -> None:
    values = yaml.safe_load((DEPLOY / "z2jh" / "values.yaml").read_text())
    single = values["singleuser"]
    exchange = hub_settings.DEFAULTS["exchange_root"]
    assert single["extraEnv"]["INTIMACY_EXCHANGE_ROOT"] == exchange
    mounts = {m["name"]: m["mountPath"] for m in single["storage"]["extraVolumeMounts"]}
    claims = {
        v["name"]: v["persistentVolumeClaim"]["claimName"]
        for v in single["storage"]["extraVolumes"]
    }
    assert mounts["nbgrader-exchange"] == exchange
    pvc = yaml.safe_load((DEPLOY / "z2jh" / "exchange-pvc.yaml").read_text())
    assert claims["nbgrader-exchange"] == pvc["metadata"]["name"]
    assert pvc["spec"]["accessModes"] == ["ReadWriteMany"]
    hook = values["hub"]["extraConfig"]["10-course-roles"]
    compile(hook, "10-course-roles", "exec")  # the hub would refuse a syntax error at start
    for role in ("instructor", "trainee", "common"):
        assert f"{{CONFIG}}/{role}" in hook and (DEPLOY / "jupyter-config" / role).is_dir()


def test_the_gradebook_sql_makes_every_grader_act_as_the_owner_role() -> None:
    setup = load_cohort_setup()
    sql = setup.gradebook_sql("intimacy_gradebook", ["alice", "bob-2"])
    assert "CREATE ROLE course_graders NOLOGIN" in sql
    assert "ALTER ROLE \"bob-2\" SET role = 'course_graders'" in sql
    with pytest.raises(setup.SetupError):
        setup.gradebook_sql("intimacy_gradebook", ['x"; DROP TABLE grade; --'])
    assert setup.gradebook_url("gb", "/run/pg", 5433) == (
        "postgresql+psycopg2:///gb?host=/run/pg&port=5433"
    )


def _fake_clone(root: Path) -> Path:
    clone = root / "clone"
    for name, text in {
        "pyproject.toml": "[project]\n",
        "README.md": "# course\n",
        "course/01_attachment_injury.ipynb": "{}",
        "workbook/prompts/01_attachment_injury.toml": "",
        "source_texts/references.toml": "",
        "grading/items/01_attachment_injury.toml": "# key\n",
        "grading/items/v1/01_attachment_injury.toml": "# key\n",
        "grading/source/01_attachment_injury/quiz.ipynb": "{}",
        "grading/facilitator/calibration/01_attachment_injury.md": "key\n",
        "grading/nbgrader_config.py": "",
        ".git/HEAD": "ref: refs/heads/main\n",
        "src/intimacy_course/__init__.py": "",
        "deploy/jupyterhub/jupyter-config/common/nbgrader_config.py": "",
        "tests/test_bank.py": "",
    }.items():
        path = clone / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        path.chmod(0o644)
    (clone / "course" / "link-to-key.md").symlink_to(clone / "grading" / "items")
    return clone


def test_protect_course_closes_the_key_and_copies_only_the_course(tmp_path: Path) -> None:
    """protect-course: every clone entry but the package, its venv and deploy/ is closed
    to 'other'; the trainees' copy holds the notebooks and a note, no key, no links."""
    import grp
    import os
    import stat

    setup = load_cohort_setup()
    clone = _fake_clone(tmp_path)
    group = grp.getgrgid(os.getgid()).gr_name  # a group this account may give files to
    settings = {
        "course_repo": str(clone),
        "trainee_copy": str(tmp_path / "trainees"),
        "user_env": str(clone / "venv"),
        "instructor_group": group,
    }
    assert setup.key_exposures(settings)  # before: the key is readable by everyone
    locked, copy = setup.protect_course(settings)
    assert {path.name for path in locked} == {
        ".git",
        "course",
        "grading",
        "tests",
        "workbook",
        "source_texts",
    }
    assert setup.key_exposures(settings) == []
    for path in (clone / "grading" / "items" / "v1").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) & 0o007 == 0
    assert stat.S_IMODE((clone / "src" / "intimacy_course" / "__init__.py").stat().st_mode) == 0o644
    files = sorted(str(p.relative_to(copy)) for p in copy.rglob("*") if not p.is_dir())
    assert files == [
        "README.md",
        "course/01_attachment_injury.ipynb",
        "grading/README.md",
        "pyproject.toml",
        "source_texts/references.toml",
        "workbook/prompts/01_attachment_injury.toml",
    ]
    assert all(stat.S_IMODE(p.stat().st_mode) in (0o644, 0o755) for p in copy.rglob("*"))
    # Run again (after a git pull): the copy is replaced, not nested or doubled.
    (clone / "course" / "02_acting_out.ipynb").write_text("{}", encoding="utf-8")
    setup.protect_course(settings)
    assert (copy / "course" / "02_acting_out.ipynb").is_file()
    assert not list(tmp_path.glob("trainees.*"))
    with pytest.raises(setup.SetupError):
        setup.make_trainee_copy({**settings, "trainee_copy": str(clone / "inside")})
