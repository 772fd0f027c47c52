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
