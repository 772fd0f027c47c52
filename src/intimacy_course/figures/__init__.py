"""The course's diagrams and plots, each drawn with matplotlib by a function.

Every figure function returns a ``matplotlib.figure.Figure`` with a title and labelled
parts; notebooks show it with :func:`show_figure`, which adds the alternative text that
plain matplotlib output lacks. Figures for each module live in their own submodule.
"""

from intimacy_course.figures.display import figure_html, show_figure

__all__ = ["figure_html", "show_figure"]
