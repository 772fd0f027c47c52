"""Running a notebook top to bottom in a real kernel, as the notebook tests do.

nbclient answers an Output widget's messages by sending on the kernel's shell channel from
its IOPub handler while another coroutine waits on that same channel for the cell's reply.
With ``zmq.asyncio`` the reply's wake-up can then be lost, and the wait lasts the whole
cell timeout before the reply is read (jupyter/nbclient#312): the test still passes, three
minutes later. :class:`WidgetSafeClient` reads the shell channel in one-second slices, so a
lost wake-up costs at most a second.
"""

from __future__ import annotations

from pathlib import Path
from queue import Empty
from time import monotonic
from typing import Any

import nbformat
from jupyter_client.client import KernelClient
from nbclient import NotebookClient

#: Seconds a cell may run: a safety net only; every notebook cell here takes seconds.
CELL_TIMEOUT = 120


class WidgetSafeClient(NotebookClient):
    """An nbclient NotebookClient whose shell-channel reads cannot sleep through a reply."""

    async def async_start_new_kernel_client(self) -> KernelClient:
        client = await super().async_start_new_kernel_client()
        channel = client.shell_channel
        whole_wait = channel.get_msg

        async def get_msg(timeout: float | None = None) -> dict[str, Any]:
            deadline = None if timeout is None else monotonic() + timeout
            while True:
                left = 1.0 if deadline is None else max(0.0, deadline - monotonic())
                try:
                    return await whole_wait(timeout=min(1.0, left))
                except Empty:
                    if deadline is not None and monotonic() >= deadline:
                        raise

        channel.get_msg = get_msg
        return client


def run_notebook(
    notebook: nbformat.NotebookNode, folder: Path, timeout: int = CELL_TIMEOUT, **options: Any
) -> nbformat.NotebookNode:
    """Execute ``notebook`` with ``folder`` as its working folder; return it with outputs."""
    client = WidgetSafeClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
        **options,
    )
    client.execute()
    return notebook


def error_outputs(notebook: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """Every error output of the notebook's code cells."""
    return [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
