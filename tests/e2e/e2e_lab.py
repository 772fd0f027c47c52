"""What a learner does in JupyterLab, as Playwright steps: open, run all, look at the outputs.

The server runs with ``--LabApp.expose_app_in_browser=True``, so ``window.jupyterapp`` is
JupyterLab itself: waiting on its kernel promises is exact, where waiting on the idle
indicator alone once failed on a cold start (FIELD_NOTES.md).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from urllib.parse import quote

from playwright.sync_api import Page

from tests.e2e.e2e_server import LabServer

#: Seconds a notebook may take to run all its cells (cold kernel, 2 busy cores).
RUN_ALL_TIMEOUT_S = 180

_CURRENT_NOTEBOOK_IS = """(path) => {
  const app = window.jupyterapp;
  const w = app && app.shell && app.shell.currentWidget;
  return !!(w && w.context && w.context.path === path && w.sessionContext && w.content);
}"""

_KERNEL_READY = """async () => {
  const w = window.jupyterapp.shell.currentWidget;
  await w.context.ready;
  await w.sessionContext.ready;
}"""

_KERNEL_IDLE = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const kernel = w && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
}"""

_START_RUN_ALL = """() => {
  window.__e2eRunAll = {done: false, ok: null, error: null};
  window.jupyterapp.commands.execute('notebook:run-all-cells').then(
    ok => { window.__e2eRunAll = {done: true, ok: ok, error: null}; },
    err => { window.__e2eRunAll = {done: true, ok: false, error: String(err)}; });
}"""

_ALL_EXECUTED = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  const busy = Array.from(w.content.node.querySelectorAll('.jp-InputPrompt'))
    .some(p => p.textContent.includes('[*]'));
  return !busy;
}"""

_CELL_REPORT = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  return w.content.widgets.map((cell, index) => {
    const model = cell.model;
    const outputs = model.type === 'code' ? model.outputs.toJSON() : [];
    return {
      index: index,
      type: model.type,
      source: model.sharedModel.getSource().slice(0, 300),
      executionCount: model.type === 'code' ? model.executionCount : null,
      outputs: outputs.map(o => ({
        output_type: o.output_type,
        name: o.name || null,
        ename: o.ename || null,
        evalue: o.evalue || null,
        text: Array.isArray(o.text) ? o.text.join('') : (o.text || ''),
      })),
      renderedText: Array.from(cell.node.querySelectorAll('.jp-OutputArea-output'))
        .map(n => n.innerText).join('\\n').slice(0, 4000),
    };
  });
}"""

_FIGURES = """() => {
  const root = window.jupyterapp.shell.currentWidget.content.node;
  return Array.from(root.querySelectorAll('figure.course-figure img')).map(img => ({
    alt: img.getAttribute('alt'),
    complete: img.complete,
    naturalWidth: img.naturalWidth,
    naturalHeight: img.naturalHeight,
    src: (img.getAttribute('src') || '').slice(0, 40),
  }));
}"""

_ERROR_WORDS = re.compile(r"Traceback|\b\w*Error\b|\bException\b")


@dataclass(frozen=True)
class CellProblem:
    """An output a learner would read as 'something broke'."""

    cell_index: int
    source: str
    what: str

    def __str__(self) -> str:
        first_line = self.source.strip().splitlines()[0] if self.source.strip() else ""
        return f"cell {self.cell_index} ({first_line!r}): {self.what}"


def notebook_url(server: LabServer, path: str, workspace: str) -> str:
    """The address that opens ``path`` in a fresh, named JupyterLab workspace."""
    return (
        f"{server.base_url}/lab/workspaces/{quote(workspace)}/tree/{quote(path)}"
        f"?token={server.token}"
    )


def open_notebook(page: Page, server: LabServer, path: str, workspace: str) -> None:
    """Open a notebook as a learner would from its address, and wait for its kernel."""
    page.goto(notebook_url(server, path, workspace))
    wait_for_notebook(page, path)


def wait_for_notebook(page: Page, path: str, timeout_s: float = 90) -> None:
    """Wait until ``path`` is the notebook in front and its kernel is connected and idle."""
    page.wait_for_function(_CURRENT_NOTEBOOK_IS, arg=path, timeout=timeout_s * 1000)
    page.evaluate(_KERNEL_READY)
    page.wait_for_function(_KERNEL_IDLE, timeout=timeout_s * 1000)


def run_all(page: Page, timeout_s: float = RUN_ALL_TIMEOUT_S) -> float:
    """Run all cells through JupyterLab's own command; wait until every cell has run.

    Returns the seconds it took. Fails with the cells that did not run when it times out.
    """
    started = time.monotonic()
    page.evaluate(_START_RUN_ALL)
    page.wait_for_function(
        "() => window.__e2eRunAll && window.__e2eRunAll.done", timeout=timeout_s * 1000, polling=250
    )
    page.wait_for_function(_ALL_EXECUTED, timeout=timeout_s * 1000, polling=250)
    not_run = [c for c in cell_report(page) if c["type"] == "code" and c["executionCount"] is None]
    outcome = page.evaluate("() => window.__e2eRunAll")
    if not_run or outcome.get("error"):
        problems = "\n".join(str(p) for p in error_outputs(page)) or "(no error output)"
        raise AssertionError(
            f"Run all did not run every code cell (command result {outcome}); "
            f"cells not run: {[c['index'] for c in not_run]}.\nError outputs:\n{problems}"
        )
    return time.monotonic() - started


def cell_report(page: Page) -> list[dict]:
    """Every cell of the notebook in front: type, source start, execution count, outputs."""
    return page.evaluate(_CELL_REPORT)


def error_outputs(page: Page) -> list[CellProblem]:
    """Outputs a learner would see as an error: exceptions, tracebacks, error text on stderr."""
    problems = []
    for cell in cell_report(page):
        for output in cell["outputs"]:
            if output["output_type"] == "error":
                problems.append(
                    CellProblem(
                        cell["index"], cell["source"], f"{output['ename']}: {output['evalue']}"
                    )
                )
            elif output["name"] == "stderr" and _ERROR_WORDS.search(output["text"]):
                problems.append(
                    CellProblem(
                        cell["index"],
                        cell["source"],
                        "error text on stderr: " + output["text"][:500],
                    )
                )
        shown = _ERROR_WORDS.search(cell["renderedText"])
        if shown and not any(p.cell_index == cell["index"] for p in problems):
            problems.append(
                CellProblem(
                    cell["index"],
                    cell["source"],
                    f"output shows {shown.group(0)!r}: " + cell["renderedText"][:500],
                )
            )
    return problems


def stderr_notes(page: Page) -> list[str]:
    """Other stderr output (warnings): not failures, but printed so they are seen."""
    notes = []
    for cell in cell_report(page):
        for output in cell["outputs"]:
            if output["name"] == "stderr" and not _ERROR_WORDS.search(output["text"]):
                notes.append(f"cell {cell['index']}: {output['text'][:300]}")
    return notes


def shown_figures(page: Page, minimum: int, timeout_s: float = 30) -> list[dict]:
    """The course figures in the notebook in front, once at least ``minimum`` have loaded."""
    page.wait_for_function(
        """(minimum) => {
          const root = window.jupyterapp.shell.currentWidget.content.node;
          const imgs = Array.from(root.querySelectorAll('figure.course-figure img'));
          return imgs.length >= minimum && imgs.every(img => img.complete);
        }""",
        arg=minimum,
        timeout=timeout_s * 1000,
    )
    return page.evaluate(_FIGURES)


def current_path(page: Page) -> str | None:
    """The path of the document in front in JupyterLab (None when it is not a document)."""
    return page.evaluate("""() => {
      const w = window.jupyterapp.shell.currentWidget;
      return w && w.context ? w.context.path : null;
    }""")


def open_tab_titles(page: Page) -> list[str]:
    """The titles of the tabs in JupyterLab's main area."""
    return page.locator(
        ".jp-MainAreaWidget-tab, #jp-main-dock-panel .lm-TabBar-tab"
    ).all_inner_texts()
