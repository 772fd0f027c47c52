"""Figures for Module 3 (Dopamine and numbing): wanting, liking, learning, and relief.

The module teaches the popular "dopamine is pleasure" story as a simplification. These
figures carry the more accurate picture: reward has separable parts; wanting and liking
can drift apart with repeated use; and relief from a painful feeling teaches the brain to
reach for the same escape again, while the cost arrives later. All three are conceptual
sketches, and each says so on its face: none of the curves is data.
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.figure import Figure

from intimacy_course.figures.drawing import arrow, rounded_box
from intimacy_course.figures.palette import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    PURPLE,
    TEXT,
    VERMILLION,
    tint,
)

__all__ = ["relief_and_cost_sketch", "reward_components", "wanting_liking_sketch"]


SKETCH_NOTE = "Conceptual sketch, not data: the shapes show an idea, the axes have no units."


def reward_components() -> Figure:
    """Reward has three parts: wanting, liking and learning, each with its own machinery.

    Teaches the split at the heart of the module: a cue sets off wanting (incentive
    salience, in which mesolimbic dopamine plays a large part), liking is the pleasure
    itself (small hotspots using opioid and related signals, not dopamine alone), and
    learning links cues with what followed them. "Dopamine = pleasure" blurs all three.
    """
    fig = Figure(figsize=(11, 5.6), layout="constrained")
    ax = fig.add_subplot()
    ax.set_xlim(0, 11)
    ax.set_ylim(0, 5.6)
    ax.axis("off")
    fig.suptitle(
        "Reward is not one thing: wanting, liking and learning",
        fontsize=15,
        fontweight="bold",
        color=TEXT,
    )

    rounded_box(ax, 0.25, 2.05, 2.0, 1.5, GREY, fill=0.85, rounding=0.1)
    ax.text(
        1.25, 3.05, "Cue", ha="center", va="center", fontsize=12.5, fontweight="bold", color=TEXT
    )
    ax.text(
        1.25,
        2.5,
        textwrap.fill("a phone buzz, a time of night, a feeling", 18),
        ha="center",
        va="center",
        fontsize=10,
        color=TEXT,
    )

    parts = [
        (
            4.5,
            "Wanting",
            "incentive salience",
            "The pull toward a reward; craving. Mesolimbic dopamine plays a large part.",
            BLUE,
        ),
        (
            2.8,
            "Liking",
            "hedonic impact",
            (
                "The pleasure felt in the moment. Small 'hotspots' using opioid and related "
                "signals; not dopamine alone."
            ),
            ORANGE,
        ),
        (
            1.1,
            "Learning",
            "prediction",
            "Linking cues with what followed them, so the cue starts the pull next time.",
            GREEN,
        ),
    ]
    for y, name, technical, body, colour in parts:
        rounded_box(ax, 3.6, y - 0.7, 7.1, 1.4, colour, rounding=0.1)
        ax.text(
            3.85, y + 0.22, name, ha="left", va="center", fontsize=13, fontweight="bold", color=TEXT
        )
        ax.text(
            3.85,
            y - 0.28,
            f"({technical})",
            ha="left",
            va="center",
            fontsize=10.5,
            style="italic",
            color=TEXT,
        )
        ax.text(
            6.0,
            y,
            textwrap.fill(body, 52),
            ha="left",
            va="center",
            fontsize=10.5,
            color=TEXT,
            linespacing=1.2,
        )
        arrow(ax, (2.3, 2.8), (3.55, y), shrink=(2, 4))
    ax.text(
        5.5,
        0.12,
        "Simplified from the incentive-salience research of Berridge and "
        "colleagues; the brain systems overlap more than boxes suggest.",
        ha="center",
        va="center",
        fontsize=10,
        color=GREY,
    )
    return fig


def wanting_liking_sketch() -> Figure:
    """Over repeated use, wanting can grow while liking stays level or fades.

    Teaches incentive sensitization in picture form: cue-triggered wanting may strengthen
    with repetition even when the pleasure does not, which is why someone can crave more
    while enjoying it less. The figure is a conceptual sketch: no data, no units.
    """
    fig = Figure(figsize=(10, 5.6), layout="constrained")
    ax = fig.add_subplot()
    repetitions = np.linspace(0, 10, 200)
    wanting = 1.0 + 2.6 * (1 - np.exp(-repetitions / 4.0))
    liking = 1.0 + 0.15 * np.exp(-((repetitions - 1.0) ** 2) / 2.0) - 0.05 * repetitions
    ax.plot(repetitions, wanting, color=BLUE, linewidth=3.5, label="Wanting (the pull, craving)")
    ax.plot(
        repetitions,
        liking,
        color=ORANGE,
        linewidth=3.5,
        linestyle="--",
        label="Liking (pleasure felt)",
    )
    ax.fill_between(repetitions, liking, wanting, color=tint(BLUE, 0.85))
    ax.annotate(
        "the gap: craving more,\nenjoying it no more (or less)",
        xy=(7.0, 2.3),
        xytext=(4.1, 3.3),
        fontsize=11,
        color=TEXT,
        arrowprops={"arrowstyle": "-|>", "color": GREY, "linewidth": 1.5},
    )
    ax.set_title(
        "Wanting and liking can drift apart with repeated use (conceptual sketch)",
        fontsize=14,
        fontweight="bold",
        color=TEXT,
    )
    ax.set_xlabel("Repeated use over time  \u2192", fontsize=12)
    ax.set_ylabel("Strength  \u2192", fontsize=12)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 4.2)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", fontsize=11, frameon=False)
    ax.text(5.0, 0.25, SKETCH_NOTE, ha="center", fontsize=10, color=GREY)
    return fig


def relief_and_cost_sketch() -> Figure:
    """Short-term relief, long-term cost: why numbing is learned and why it backfires.

    Teaches negative reinforcement and experiential avoidance: an urge or painful feeling
    left alone tends to rise, peak and pass; escaping it through sexual behaviour brings
    quick relief (which teaches the brain to escape again), followed later by shame and
    isolation that push distress above where it started. A conceptual sketch, not data.
    """
    fig = Figure(figsize=(10, 5.8), layout="constrained")
    ax = fig.add_subplot()
    time = np.linspace(0, 10, 400)
    baseline = 1.0
    wave = baseline + 2.0 * np.exp(-((time - 2.6) ** 2) / 2.2)
    escape = wave.copy()
    after = time >= 2.0
    drop = baseline * 0.6 + (wave[after][0] - baseline * 0.6) * np.exp(-(time[after] - 2.0) / 0.25)
    rebound = 1.6 * (1 - np.exp(-np.clip(time[after] - 3.4, 0, None) / 1.2))
    escape[after] = drop + rebound
    ax.plot(
        time,
        wave,
        color=BLUE,
        linewidth=3.5,
        label="Feeling allowed to rise, peak and pass (with support or coping skills)",
    )
    ax.plot(
        time,
        escape,
        color=VERMILLION,
        linewidth=3.5,
        linestyle="--",
        label="Feeling escaped through sexual behaviour",
    )
    ax.axhline(baseline, color=GREY, linewidth=1, linestyle=":")
    ax.text(9.9, baseline - 0.2, "starting level", ha="right", fontsize=10, color=GREY)
    ax.annotate(
        "short-term relief:\nthe brain learns\n'do this again'",
        xy=(2.4, 0.8),
        xytext=(0.15, 0.12),
        fontsize=11,
        color=TEXT,
        arrowprops={"arrowstyle": "-|>", "color": GREY, "linewidth": 1.5},
    )
    ax.annotate(
        "longer-term cost: shame,\nsecrecy, isolation",
        xy=(7.5, 2.15),
        xytext=(5.5, 3.2),
        fontsize=11,
        color=TEXT,
        arrowprops={"arrowstyle": "-|>", "color": GREY, "linewidth": 1.5},
    )
    ax.axvline(2.0, color=PURPLE, linewidth=1.5)
    ax.text(2.05, 3.9, "urge acted on", fontsize=10.5, color=TEXT)
    ax.set_title(
        "Short-term relief, long-term cost (conceptual sketch)",
        fontsize=14,
        fontweight="bold",
        color=TEXT,
    )
    ax.set_xlabel("Time: minutes to hours, then days  \u2192", fontsize=12)
    ax.set_ylabel("Distress  \u2192", fontsize=12)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 4.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper right", fontsize=10.5, frameon=False)
    ax.text(9.9, 0.12, textwrap.fill(SKETCH_NOTE, 40), ha="right", fontsize=10, color=GREY)
    return fig
