"""What an answer to a reflection prompt holds when it says nothing.

Shared by the form (to clear an input), the validation rules and the progress dashboard
(to count an emptied answer as not answered), so "empty" means the same everywhere.
"""

from __future__ import annotations

from intimacy_course.content.prompts import Prompt


def empty_value(prompt: Prompt) -> object:
    """What an unanswered prompt holds: ``""``, ``None`` or ``[]`` depending on its kind."""
    if prompt.kind == "free_text":
        return ""
    if prompt.kind == "checklist":
        return []
    return None


def is_empty(value: object) -> bool:
    """True for an answer that says nothing: blank text, no choice, no ticked box."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return len(value) == 0
    return False
