"""Showing a widget without writing what it holds into the notebook file.

Anything that shows journal data (the reflection form, the progress dashboard) displays
through :class:`PrivateDisplay`, so a saved notebook never carries a learner's answers.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets


class PrivateDisplay:
    """Displays a widget with a fixed plain-text stand-in instead of the widget's repr.

    A widget's default plain-text form is its repr, which spells out its values, answers
    included (IPython keeps the first 110 characters: enough for ``Textarea(value='the
    start of an answer``). That text is saved into the notebook with the cell's outputs,
    whatever the widget settings say, so anything that shows journal data must display
    through this class.
    """

    def __init__(self, widget: widgets.Widget, text: str) -> None:
        self._display_widget = widget
        self._display_text = text

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self._display_widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = self._display_text
        return bundle

    def __repr__(self) -> str:
        return f"<{self._display_text}>"
