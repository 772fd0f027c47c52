"""Accessibility checks with axe-core, scoped to the course's own content in JupyterLab.

axe-core comes from npm (pinned in tests/e2e/package.json, installed into the git-ignored
tests/e2e/node_modules) and is injected into the page. Only what the course renders is
checked: rendered markdown and cell outputs (figures, widgets, printed results).
JupyterLab's own chrome (toolbars, prompts, code editors) has known findings that are not
ours to fix, so it is left out of the scope.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page

from tests.support import skip_or_fail

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"

#: The impacts that fail a check; "minor" and "moderate" findings are printed only.
FAILING_IMPACTS = ("serious", "critical")

_RUN_AXE_ON_NOTEBOOK = """async (scrollTop) => {
  const w = window.jupyterapp.shell.currentWidget;
  const scroller = w.content.node.querySelector('.jp-WindowedPanel-outer') || w.content.node;
  scroller.scrollTop = scrollTop;
  await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const parts = Array.from(
    w.content.node.querySelectorAll('.jp-MarkdownOutput, .jp-OutputArea-output'));
  if (parts.length === 0) return {scope: 0, violations: []};
  // JupyterLab's <body> has overflow:hidden and a height of 0 (the shell is positioned
  // absolutely), which axe reads as "everything inside is clipped": it then skips the
  // colour-contrast rule for all text. Give the body the window's height while axe runs.
  const bodyHeight = document.body.style.height;
  document.body.style.height = '100vh';
  let result;
  try {
    result = await axe.run({include: parts}, {
      runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']},
      resultTypes: ['violations'],
    });
  } finally {
    document.body.style.height = bodyHeight;
  }
  return {scope: parts.length, violations: result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), impact: n.impact,
                              html: n.html.slice(0, 160), summary: n.failureSummary})),
  }))};
}"""

_SCROLL_SIZE = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const scroller = w.content.node.querySelector('.jp-WindowedPanel-outer') || w.content.node;
  return {scrollHeight: scroller.scrollHeight, clientHeight: scroller.clientHeight};
}"""

#: The tallest window used for a check. axe only checks the colour contrast of text that
#: is on screen, so the window is made as tall as the notebook (up to this) and, for a
#: taller notebook, the check is repeated at each scroll position.
MAX_VIEWPORT_HEIGHT = 16_000

_RUN_AXE_ON_DOCUMENT = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']},
    resultTypes: ['violations'],
  });
  return {scope: 1, violations: result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), impact: n.impact,
                              html: n.html.slice(0, 160), summary: n.failureSummary})),
  }))};
}"""


def ensure_axe() -> Path:
    """Install axe-core with npm from the pinned package-lock when it is missing.

    Without npm the checks are skipped with a reason, except on CI, where that fails.
    """
    if AXE_JS.exists():
        return AXE_JS
    npm = shutil.which("npm")
    if npm is None:
        message = (
            "npm is not installed, so axe-core for the accessibility checks cannot be "
            "installed (Debian: apt-get install npm)"
        )
        skip_or_fail(message)
    command = [npm, "ci", "--no-audit", "--no-fund", "--prefix", str(HERE)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if result.returncode != 0 or not AXE_JS.exists():
        pytest.fail(f"`{' '.join(command)}` failed:\n{result.stdout}\n{result.stderr}")
    return AXE_JS


def _inject(target: Page | Frame, axe_js: Path) -> None:
    if not target.evaluate("() => typeof window.axe !== 'undefined'"):
        target.add_script_tag(path=str(axe_js))


def axe_notebook(page: Page, axe_js: Path) -> dict:
    """axe-core findings (WCAG 2 A and AA) in the course content of the notebook in front.

    axe skips the colour contrast of text scrolled out of view, so the window is made as
    tall as the notebook for the check (and put back after); a notebook taller than that
    is checked at each scroll position and the findings merged.
    """
    _inject(page, axe_js)
    viewport = page.viewport_size
    size = page.evaluate(_SCROLL_SIZE)
    chrome = viewport["height"] - size["clientHeight"]  # menus, tabs, toolbar, status bar
    height = min(size["scrollHeight"] + chrome + 50, MAX_VIEWPORT_HEIGHT)
    merged: dict[str, dict] = {}
    scope = 0
    try:
        page.set_viewport_size({"width": viewport["width"], "height": height})
        page.wait_for_function(
            "(h) => { const w = window.jupyterapp.shell.currentWidget;"
            " const s = w.content.node.querySelector('.jp-WindowedPanel-outer') || w.content.node;"
            " return s.clientHeight >= h; }",
            arg=min(size["scrollHeight"], height - chrome) - 5,
            timeout=10_000,
        )
        visible = page.evaluate(_SCROLL_SIZE)["clientHeight"]
        top = 0
        while True:
            result = page.evaluate(_RUN_AXE_ON_NOTEBOOK, top)
            scope = max(scope, result["scope"])
            for violation in result["violations"]:
                known = merged.setdefault(violation["id"], {**violation, "nodes": []})
                seen = {node["target"] for node in known["nodes"]}
                known["nodes"] += [n for n in violation["nodes"] if n["target"] not in seen]
            top += max(visible - 50, 100)
            if top >= size["scrollHeight"] - visible + 50:
                break
    finally:
        page.set_viewport_size(viewport)
    return {"scope": scope, "violations": list(merged.values())}


def axe_document(target: Page | Frame, axe_js: Path) -> dict:
    """axe-core findings (WCAG 2 A and AA) for a whole page or frame."""
    _inject(target, axe_js)
    return target.evaluate(_RUN_AXE_ON_DOCUMENT)


def describe(violations: list[dict]) -> str:
    """A readable list: rule id, impact, help, then each offending element."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}  [{v['helpUrl']}]")
        for node in v["nodes"][:8]:
            lines.append(f"    target: {node['target']}")
            lines.append(f"      html: {node['html']}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more elements")
    return "\n".join(lines)


def failing(violations: list[dict]) -> list[dict]:
    """The violations whose impact is serious or critical."""
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


def assert_accessible(result: dict, where: str) -> None:
    """Fail on serious/critical findings; print the others so they are not lost."""
    violations = result["violations"]
    print(
        f"\n[axe] {where}: {result['scope']} content blocks checked, "
        f"{len(violations)} rule(s) violated"
    )
    if violations:
        print(describe(violations))
    bad = failing(violations)
    assert not bad, f"serious or critical accessibility violations in {where}:\n" + describe(bad)
