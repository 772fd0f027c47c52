"""The shapes every course diagram is built from: tinted rounded boxes, cards and arrows.

Each figure module used to carry its own copy of these; now they are drawn here once, and
a module that wants its own proportions binds them with :func:`functools.partial` (for
example a box with its title a little higher). Colours come from
:mod:`intimacy_course.figures.palette`.
"""

from __future__ import annotations

import textwrap
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from intimacy_course.figures.palette import GREY, TEXT, tint


def rounded_box(
    ax: Axes,
    left: float,
    bottom: float,
    width: float,
    height: float,
    colour: str,
    *,
    fill: float = 0.8,
    rounding: float = 0.08,
    pad: float = 0.02,
    linewidth: float = 2.0,
    facecolor: str | None = None,
    dashed: bool = False,
) -> None:
    """A rounded rectangle edged in ``colour`` and filled with a light tint of it.

    ``fill`` is the share of white in the tint; ``facecolor`` replaces the tint.
    """
    ax.add_patch(
        FancyBboxPatch(
            (left, bottom),
            width,
            height,
            boxstyle=f"round,pad={pad},rounding_size={rounding}",
            facecolor=facecolor or tint(colour, fill),
            edgecolor=colour,
            linewidth=linewidth,
            linestyle="--" if dashed else "-",
        )
    )


def centred_box(
    ax: Axes,
    x: float,
    y: float,
    width: float,
    height: float,
    title: str,
    body: str,
    colour: str,
    *,
    body_width: int = 22,
    rounding: float = 0.08,
    title_at: float = 0.2,
    body_at: float = -0.17,
    linespacing: float = 1.15,
) -> None:
    """A rounded box centred on (x, y): a bold title above a wrapped line of text.

    ``title_at`` and ``body_at`` place the two lines as shares of the height from the centre.
    """
    rounded_box(ax, x - width / 2, y - height / 2, width, height, colour, rounding=rounding)
    ax.text(
        x,
        y + height * title_at,
        title,
        ha="center",
        va="center",
        fontsize=12,
        fontweight="bold",
        color=TEXT,
    )
    ax.text(
        x,
        y + height * body_at,
        textwrap.fill(body, body_width),
        ha="center",
        va="center",
        fontsize=10,
        color=TEXT,
        linespacing=linespacing,
    )


def card(
    ax: Axes,
    left: float,
    bottom: float,
    width: float,
    height: float,
    colour: str,
    title: str,
    body: str = "",
    *,
    wrap: int = 34,
    title_size: float = 11.5,
    body_size: float = 10.5,
    bold: bool = True,
    italic_body: bool = False,
    title_at: float = 0.72,
    body_at: float = 0.33,
    wrapped_title_spacing: float | None = 1.2,
) -> None:
    """A tinted rounded box with a title line and an optional wrapped body below it.

    Without a body the title is wrapped and centred in the box, its lines
    ``wrapped_title_spacing`` apart (None: matplotlib's own spacing).
    """
    rounded_box(ax, left, bottom, width, height, colour)
    centre_x = left + width / 2
    weight = "bold" if bold else "normal"
    if body:
        ax.text(
            centre_x,
            bottom + height * title_at,
            title,
            ha="center",
            va="center",
            fontsize=title_size,
            fontweight=weight,
            color=TEXT,
        )
        ax.text(
            centre_x,
            bottom + height * body_at,
            textwrap.fill(body, wrap),
            ha="center",
            va="center",
            fontsize=body_size,
            color=TEXT,
            linespacing=1.2,
            style="italic" if italic_body else "normal",
        )
    else:
        spacing: dict[str, Any] = (
            {} if wrapped_title_spacing is None else {"linespacing": wrapped_title_spacing}
        )
        ax.text(
            centre_x,
            bottom + height / 2,
            textwrap.fill(title, wrap),
            ha="center",
            va="center",
            fontsize=title_size,
            fontweight=weight,
            color=TEXT,
            **spacing,
        )


def arrow(
    ax: Axes,
    start: tuple[float, float],
    end: tuple[float, float],
    *,
    colour: str = GREY,
    style: str = "-|>",
    rad: float = 0.0,
    dashed: bool = False,
    both_ends: bool = False,
    scale: float = 18,
    linewidth: float = 2.0,
    shrink: float | tuple[float, float] = 4,
) -> None:
    """An arrow from ``start`` to ``end``, curved by ``rad``, optionally dashed or two-headed."""
    shrink_a, shrink_b = shrink if isinstance(shrink, tuple) else (shrink, shrink)
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="<|-|>" if both_ends else style,
            mutation_scale=scale,
            linewidth=linewidth,
            color=colour,
            connectionstyle=f"arc3,rad={rad}",
            linestyle="--" if dashed else "-",
            shrinkA=shrink_a,
            shrinkB=shrink_b,
        )
    )


def blank_axes(fig: Figure, width: float, height: float, bottom: float = 0.0) -> Axes:
    """One axes without frame or ticks, spanning ``width`` by ``height`` diagram units."""
    ax = fig.add_subplot()
    ax.set_xlim(0, width)
    ax.set_ylim(bottom, height)
    ax.axis("off")
    return ax
