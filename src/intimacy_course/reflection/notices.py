"""The journal's warnings, shown in a page's own words instead of a raw Python warning.

Opening the journal may warn (:class:`~intimacy_course.journal.JournalPermissionWarning`: a
folder other accounts can open; :class:`~intimacy_course.journal.JournalNotice`: an empty
file set aside). In a notebook a raw warning is a pink box with a file name, a line number
and a line of source code. The reflection form and the progress dashboard collect these
warnings while they open the journal and show the sentences themselves, in their status
line or above the charts. Any other warning passes on unchanged.
"""

from __future__ import annotations

import contextlib
import html
import warnings
from collections.abc import Iterator

from intimacy_course.journal import JournalNotice, JournalPermissionWarning

_OURS = (JournalPermissionWarning, JournalNotice)


@contextlib.contextmanager
def journal_notes() -> Iterator[list[str]]:
    """Collect the journal's warnings raised inside the block as plain sentences.

    The list is filled when the block ends (also when it raises). Each sentence appears
    once, however often the journal was opened.
    """
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield notes
        finally:
            others = []
            for warning in caught:
                if issubclass(warning.category, _OURS):
                    text = str(warning.message)
                    if text not in notes:
                        notes.append(text)
                else:
                    others.append(warning)
    for warning in others:  # outside the recording block: shown as they would have been
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)


def notes_html(notes: list[str], css_class: str) -> str:
    """The notes as escaped paragraphs, each starting with "Note:"."""
    return "".join(f'<p class="{css_class}">Note: {html.escape(note)}</p>' for note in notes)
