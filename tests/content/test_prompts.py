"""Do the shipped prompt files load, and does a mistake in one say where and how to fix it?"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from intimacy_course.content.prompts import (
    PROMPT_KINDS,
    PromptFileError,
    load_all_prompts,
    load_prompt_file,
    load_prompts,
    prompts_dir,
)
from intimacy_course.paths import MODULES

MODULE = "01_attachment_injury"
HEADER = f"""[module]
id = "{MODULE}"
title = "A title"
intro = "An introduction."
"""


def write_prompts(folder: Path, body: str, header: str = HEADER) -> Path:
    path = folder / f"{MODULE}.toml"
    path.write_text(header + body, encoding="utf-8")
    return path


def load_error(folder: Path, body: str, header: str = HEADER) -> str:
    write_prompts(folder, body, header)
    with pytest.raises(PromptFileError) as caught:
        load_prompts(MODULE, folder)
    return str(caught.value)


# --- the shipped files ---------------------------------------------------------------


def test_every_module_has_a_prompt_file_that_loads() -> None:
    loaded = load_all_prompts()
    assert list(loaded) == list(MODULES)
    assert sorted(p.name for p in prompts_dir().glob("*.toml")) == [f"{m}.toml" for m in MODULES]


@pytest.mark.parametrize("module", MODULES)
def test_shipped_module_has_three_to_five_prompts_with_label_and_kind(module: str) -> None:
    prompts = load_prompts(module)
    assert prompts.module == module and prompts.title and prompts.intro
    assert 3 <= len(prompts.prompts) <= 5
    for prompt in prompts.prompts:
        assert prompt.kind in PROMPT_KINDS
        assert len(prompt.label) >= 20, prompt.id
        if prompt.kind == "free_text":
            assert prompt.max_chars >= 500


def test_shipped_prompts_use_every_kind_and_leave_the_deepest_questions_optional() -> None:
    prompts = [p for module in load_all_prompts().values() for p in module.prompts]
    assert {p.kind for p in prompts} == set(PROMPT_KINDS)
    # Questions about childhood, the body and touch must be skippable.
    personal = [p for p in prompts if re.search(r"child|body|touched", p.label)]
    assert personal and all(p.optional for p in personal)


def test_shipped_prompts_avoid_stigmatising_labels() -> None:
    for path in prompts_dir().glob("*.toml"):
        text = path.read_text(encoding="utf-8").lower()
        for word in ("addict", "pervert", "co-dependent", "codependent", "relapse"):
            assert word not in text, f"{path.name} uses {word!r}"


# --- mistakes in a prompt file ---------------------------------------------------------

GOOD_TEXT = """
[[prompt]]
id = "first"
kind = "free_text"
label = "Write something"
"""


def test_a_minimal_file_loads_with_defaults(tmp_path: Path) -> None:
    prompts = load_prompts(MODULE, write_prompts(tmp_path, GOOD_TEXT).parent)
    (prompt,) = prompts.prompts
    assert (prompt.optional, prompt.max_chars, prompt.help) == (False, 2000, "")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            '[[prompt]]\nid = "feel"\nkind = "essay"\nlabel = "x"\n',
            [
                "01_attachment_injury.toml",
                "prompt 1 ('feel')",
                "'kind'",
                "unknown kind 'essay'",
                "free_text, scale, single_choice, checklist",
            ],
            id="unknown kind",
        ),
        pytest.param(
            '[[prompt]]\nid = "feel"\nkind = "free_text"\n',
            ["prompt 1 ('feel')", "'label'", "missing", 'label = "..."'],
            id="missing label",
        ),
        pytest.param(
            '[[prompt]]\nid = "feel"\nkind = "free_text"\nlabel = "   "\n',
            ["prompt 1 ('feel')", "'label'", "empty"],
            id="blank label",
        ),
        pytest.param(
            GOOD_TEXT + '[[prompt]]\nid = "first"\nkind = "free_text"\nlabel = "Again"\n',
            ["prompt 2 ('first')", "'id'", "duplicate id", "prompt 1"],
            id="duplicate id",
        ),
        pytest.param(
            '[[prompt]]\nid = "rate"\nkind = "scale"\nlabel = "Rate"\nmin = 5\nmax = 5\n'
            'min_label = "low"\nmax_label = "high"\n',
            ["prompt 1 ('rate')", "'max'", "min (5) must be smaller than max (5)"],
            id="scale min equals max",
        ),
        pytest.param(
            '[[prompt]]\nid = "rate"\nkind = "scale"\nlabel = "Rate"\nmin = 1\nmax = 5\n'
            'min_label = "low"\n',
            ["prompt 1 ('rate')", "'max_label'", "missing"],
            id="scale end label missing",
        ),
        pytest.param(
            '[[prompt]]\nid = "rate"\nkind = "scale"\nlabel = "Rate"\nmin = "1"\nmax = 5\n'
            'min_label = "low"\nmax_label = "high"\n',
            ["'min'", "whole number"],
            id="scale min in quotes",
        ),
        pytest.param(
            '[[prompt]]\nid = "pick"\nkind = "checklist"\nlabel = "Pick"\noptions = []\n',
            ["prompt 1 ('pick')", "'options'", "at least 1 option"],
            id="empty options",
        ),
        pytest.param(
            '[[prompt]]\nid = "pick"\nkind = "single_choice"\nlabel = "Pick"\noptions = ["a"]\n',
            ["'options'", "at least 2 options"],
            id="single choice with one option",
        ),
        pytest.param(
            '[[prompt]]\nid = "pick"\nkind = "checklist"\nlabel = "Pick"\noptions = ["a", "a"]\n',
            ["'options'", "option 2", "twice"],
            id="repeated option",
        ),
        pytest.param(
            '[[prompt]]\nid = "pick"\nkind = "single_choice"\nlabel = "Pick"\n',
            ["'options'", "missing"],
            id="missing options",
        ),
        pytest.param(
            '[[prompt]]\nid = "first"\nkind = "free_text"\nlabel = "x"\noptions = ["a"]\n',
            ["prompt 1 ('first')", "'options'", "belongs to kind single_choice or checklist"],
            id="field of another kind",
        ),
        pytest.param(
            '[[prompt]]\nid = "first"\nkind = "free_text"\nlable = "x"\n',
            ["'lable'", "spelling"],
            id="misspelt field",
        ),
        pytest.param(
            '[[prompt]]\nkind = "free_text"\nlabel = "x"\n',
            ["prompt 1", "'id'", "missing"],
            id="missing id",
        ),
        pytest.param(
            '[[prompt]]\nid = "Feel Better"\nkind = "free_text"\nlabel = "x"\n',
            ["prompt 1", "'id'", "lower case letters"],
            id="id with spaces",
        ),
        pytest.param(
            '[[prompt]]\nid = "first"\nkind = "free_text"\nlabel = "x"\noptional = "yes"\n',
            ["'optional'", "true or false"],
            id="optional not a boolean",
        ),
        pytest.param(
            '[[prompt]]\nid = "first"\nkind = "free_text"\nlabel = "x"\nmax_chars = 0\n',
            ["'max_chars'", "at least 1"],
            id="zero max_chars",
        ),
        pytest.param(
            "", ["01_attachment_injury.toml", "no prompts", "[[prompt]]"], id="no prompts"
        ),
    ],
)
def test_prompt_mistake_names_file_prompt_and_field(
    tmp_path: Path, body: str, expected: list[str]
) -> None:
    message = load_error(tmp_path, body)
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in: {message}"


def test_bad_toml_gives_the_line_number(tmp_path: Path) -> None:
    body = GOOD_TEXT + '\n[[prompt]]\nid = "second\nkind = "free_text"\n'
    message = load_error(tmp_path, body)
    line = (HEADER + body).splitlines().index('id = "second') + 1
    assert "01_attachment_injury.toml" in message and "not valid TOML" in message
    assert f"line {line}" in message


def test_missing_module_table_and_wrong_module_id(tmp_path: Path) -> None:
    assert "[module] table is missing" in load_error(tmp_path, GOOD_TEXT, header="")
    wrong = HEADER.replace(MODULE, "02_acting_out")
    message = load_error(tmp_path, GOOD_TEXT, header=wrong)
    assert "[module]: field 'id'" in message and f'id = "{MODULE}"' in message


def test_module_title_missing_names_the_module_table(tmp_path: Path) -> None:
    message = load_error(tmp_path, GOOD_TEXT, header=HEADER.replace('title = "A title"\n', ""))
    assert "[module]: field 'title' is missing" in message


def test_unknown_module_lists_the_real_ones(tmp_path: Path) -> None:
    with pytest.raises(PromptFileError, match=r"no module called '07_extra'.*01_attachment_injury"):
        load_prompts("07_extra", tmp_path)


def test_missing_file_says_how_to_restore_it(tmp_path: Path) -> None:
    with pytest.raises(PromptFileError, match=r"missing.*git checkout"):
        load_prompts(MODULE, tmp_path)


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / f"{MODULE}.toml"
    body = b'[[prompt]]\nid = "a"\nkind = "free_text"\nlabel = "\xff"\n'
    path.write_bytes(HEADER.encode() + body)
    with pytest.raises(PromptFileError, match="not valid UTF-8"):
        load_prompt_file(path)
