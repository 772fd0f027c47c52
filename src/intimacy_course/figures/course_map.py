"""The course map for the start page: five modules, each with a reflection and a quiz.

A newcomer should see the whole journey on one page before starting: where it begins,
the order of the modules, and that every module has three parts (read, reflect in
private, check yourself). Colours are Okabe-Ito tints under dark text.
"""

from __future__ import annotations

import textwrap
from functools import partial

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from intimacy_course.figures.drawing import arrow, rounded_box
from intimacy_course.figures.palette import GREY, TEXT

__all__ = ["course_map"]

MODULE_COLOURS = ("#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#0072B2")

#: Module number, short title and the question it answers, as shown on the map.
MODULE_LABELS: tuple[tuple[str, str], ...] = (
    ("Attachment injury", "How early bonds shape adult closeness"),
    ("Acting out", "What the behaviour does for a person"),
    ("Dopamine and numbing", "Wanting, liking and escape"),
    ("Validation vs judgment", "Making repair talk safe"),
    ("Safe re-integration", "Rebuilding trust and touch after betrayal"),
)


def _rounded(
    ax: Axes, x: float, y: float, width: float, height: float, colour: str, fill: float
) -> None:
    """A box centred on (x, y) with a thinner edge than the other diagrams."""
    rounded_box(ax, x - width / 2, y - height / 2, width, height, colour, fill=fill, linewidth=1.8)


_arrow = partial(arrow, scale=16, linewidth=1.8, shrink=3)


def course_map() -> Figure:
    """The whole course on one page: start here, then modules 1-5, each read, reflect, quiz.

    Teaches the shape of the course: a start page, five modules in order, and under each
    module its private reflection (in workbook/) and its quiz (your own copy in my_work/).
    """
    fig = Figure(figsize=(13, 6.4))
    ax = fig.add_subplot()
    ax.set_xlim(0, 13.4)
    ax.set_ylim(0, 6.6)
    ax.axis("off")

    _rounded(ax, 0.95, 4.55, 1.55, 1.6, GREY, 0.88)
    ax.text(
        0.95,
        4.55,
        "00\nStart\nhere",
        ha="center",
        va="center",
        fontsize=12,
        fontweight="bold",
        color=TEXT,
    )
    xs = [2.95 + 2.12 * index for index in range(5)]
    _arrow(ax, (1.75, 4.55), (xs[0] - 0.98, 4.55))
    for index, (x, (title, question), colour) in enumerate(
        zip(xs, MODULE_LABELS, MODULE_COLOURS, strict=True), start=1
    ):
        _rounded(ax, x, 4.55, 1.95, 1.95, colour, 0.78)
        ax.text(x, 5.15, f"Module {index}", ha="center", va="center", fontsize=11, color=TEXT)
        ax.text(
            x,
            4.7,
            textwrap.fill(title, 14, break_on_hyphens=False),
            ha="center",
            va="center",
            fontsize=11.5,
            fontweight="bold",
            color=TEXT,
            linespacing=1.1,
        )
        ax.text(
            x,
            3.95,
            textwrap.fill(question, 19),
            ha="center",
            va="center",
            fontsize=10,
            color=TEXT,
            linespacing=1.1,
        )
        _rounded(ax, x, 2.55, 1.85, 0.72, colour, 0.9)
        ax.text(
            x,
            2.55,
            "Reflection\n(private journal)",
            ha="center",
            va="center",
            fontsize=10,
            color=TEXT,
        )
        _rounded(ax, x, 1.55, 1.85, 0.72, colour, 0.9)
        ax.text(
            x, 1.55, "Quiz\n(check it yourself)", ha="center", va="center", fontsize=10, color=TEXT
        )
        _arrow(ax, (x, 3.55), (x, 2.93))
        _arrow(ax, (x, 2.18), (x, 1.93))
        if index < 5:
            _arrow(ax, (x + 0.98, 4.55), (xs[index] - 0.98, 4.55))
    ax.text(
        (xs[0] + xs[-1]) / 2,
        0.7,
        "Each module: read the teaching notebook (course/), write a reflection "
        "(workbook/), then take the quiz (my_work/).",
        ha="center",
        va="center",
        fontsize=10.5,
        style="italic",
        color=TEXT,
    )
    fig.suptitle(
        "Course map: five modules, each with a reflection and a quiz",
        fontsize=14,
        fontweight="bold",
        color=TEXT,
    )
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.92)
    return fig
