"""Compatibility: the reflection form's import path in the workbook notebooks. Add nothing here.

``workbook/NN_topic_reflection.ipynb`` runs ``from intimacy_course.forms import
reflection_form``; the form lives in :mod:`intimacy_course.reflection.form`.
"""

from intimacy_course.reflection.form import ReflectionForm, describe_time, reflection_form

__all__ = ["ReflectionForm", "describe_time", "reflection_form"]
