"""Figures for Module 5 (Safe re-integration of sexual intimacy after betrayal).

The module's message is an order of priorities: safety first, then everyday closeness,
then touch, and only then sex, if both partners want it. The figures carry that order: a
safety check before anything else; the five conditions that foster secure attachment
translated into things a couple can do; a paced ladder where either partner can pause;
and a contrast between performance-focused and presence-focused intimacy. All are
conceptual diagrams: they show ideas, never data, and no step carries a timetable.
"""

from __future__ import annotations

import textwrap
from functools import partial

from matplotlib.figure import Figure

from intimacy_course.figures.drawing import arrow, blank_axes, card, rounded_box
from intimacy_course.figures.palette import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    PURPLE,
    SKY,
    TEXT,
    VERMILLION,
    tint,
)

__all__ = [
    "five_conditions_practices",
    "pacing_ladder",
    "performance_vs_presence",
    "safety_check",
]


_box = rounded_box
#: A card in this figure's proportions (see :func:`intimacy_course.figures.drawing.card`).
_card = partial(card, wrap=34, title_at=0.72, body_at=0.33)
_arrow = partial(arrow, shrink=2)
_blank_axes = blank_axes


_CONTRAINDICATIONS = (
    (
        "Ongoing deception or new secrets",
        "Pause any sexual work. Honesty first; a planned disclosure with a trained clinician.",
    ),
    (
        "Violence, threats or coercion, by either partner",
        "No couple work while it continues. Separate safety planning; refer to IPV services.",
    ),
    (
        "Acute trauma symptoms or thoughts of suicide",
        "Individual care and a safety plan come first. Consult your supervisor today.",
    ),
    (
        "Pressure to resume sex (from a partner, family, faith or the counselor)",
        "Name the pressure. Consent and the slower partner's pace decide.",
    ),
    (
        "Possible STI exposure, not yet tested",
        "Medical testing for both as self-care, not punishment; protection meanwhile.",
    ),
)


def safety_check() -> Figure:
    """Five reasons to wait or stop before sexual re-integration, each with what to do.

    Teaches objective 3: ongoing deception, violence or coercion, acute trauma symptoms or
    suicidality, pressure to resume sex, and untested sexual-health risk each come before
    any work on sexual closeness, and each has a concrete next step. The green box at the
    bottom shows that pacing begins only when these are clear, at the slower partner's pace.
    """
    fig = Figure(figsize=(12, 7.4), layout="constrained")
    ax = _blank_axes(fig, 12, 7.3)
    fig.suptitle(
        "Safety first: check these before any work on sexual closeness",
        fontsize=15,
        fontweight="bold",
        color=TEXT,
    )

    left_x, left_w, right_x, right_w = 0.2, 4.9, 5.9, 5.9
    ax.text(
        left_x + left_w / 2,
        6.95,
        "Check first: is any of this present?",
        ha="center",
        va="center",
        fontsize=12,
        fontweight="bold",
        color=GREY,
    )
    ax.text(
        right_x + right_w / 2,
        6.95,
        "If so, do this first",
        ha="center",
        va="center",
        fontsize=12,
        fontweight="bold",
        color=GREY,
    )
    row_h, gap = 0.95, 0.2
    for index, (warning, action) in enumerate(_CONTRAINDICATIONS):
        bottom = 5.55 - index * (row_h + gap)
        _card(ax, left_x, bottom, left_w, row_h, VERMILLION, warning, wrap=42, title_size=11)
        _card(ax, right_x, bottom, right_w, row_h, BLUE, action, wrap=56, title_size=11, bold=False)
        _arrow(
            ax,
            (left_x + left_w + 0.03, bottom + row_h / 2),
            (right_x - 0.03, bottom + row_h / 2),
            colour=GREY,
        )
    _card(
        ax,
        1.6,
        0.05,
        8.8,
        0.7,
        GREEN,
        "None present? Then pacing can begin, at the slower partner's pace.",
        wrap=80,
        title_size=11.5,
    )
    return fig


_CONDITIONS = (
    # name, centre (x, y), everyday practice, intimate practice
    (
        "Safety",
        (6.5, 8.15),
        "No surprises: honesty about any slip, told soon, as agreed.",
        "Either of you can say \u201cpause\u201d at any time, no questions asked.",
    ),
    (
        "Attunement",
        (10.6, 5.55),
        "Notice the other's mood and ask, \u201cHow are you right now?\u201d",
        "Check in before, during and after any touch.",
    ),
    (
        "Comforting",
        (9.3, 1.55),
        "When a trigger hits, stay and help calm it instead of defending.",
        "Stop and hold, or give space, as the other asks.",
    ),
    (
        "Delight",
        (3.7, 1.55),
        "Say what you value in each other; share small pleasures.",
        "Enjoy being close with no goal to reach.",
    ),
    (
        "Playfulness and exploration",
        (2.4, 5.55),
        "Laugh together; try something new side by side.",
        "Later, only if both want: explore touch with curiosity.",
    ),
)


def five_conditions_practices() -> Figure:
    """The five conditions that foster secure attachment, each as an everyday and an intimate practice.

    Teaches objective 2: S004, drawing on Ideal Parent Figure work (Brown & Elliott), names
    safety, attunement, comforting, delight, and encouraging playfulness and exploration.
    Each card turns one condition into something a couple can do in daily life and, when
    both are ready, in intimate moments. The centre reminds the reader what the practices
    build: a secure, collaborative bond, not a performance.
    """
    fig = Figure(figsize=(13, 10), layout="constrained")
    ax = _blank_axes(fig, 13, 9.6)
    fig.suptitle(
        "Five conditions for secure attachment, as things a couple can do",
        fontsize=15,
        fontweight="bold",
        color=TEXT,
    )

    centre = (6.5, 4.6)
    colours = (BLUE, SKY, GREEN, ORANGE, PURPLE)
    width, height = 4.1, 2.45
    for (_name, (x, y), _everyday, _intimate), colour in zip(_CONDITIONS, colours, strict=True):
        ax.plot([centre[0], x], [centre[1], y], color=colour, linewidth=2.5, zorder=0)
    _card(
        ax,
        centre[0] - 1.55,
        centre[1] - 0.75,
        3.1,
        1.5,
        GREY,
        "A secure, collaborative bond",
        wrap=16,
        title_size=12.5,
    )
    for (name, (x, y), everyday, intimate), colour in zip(_CONDITIONS, colours, strict=True):
        left, top = x - width / 2, y + height / 2
        _box(ax, left, top - height, width, height, colour)
        ax.text(
            x,
            top - 0.28,
            name,
            ha="center",
            va="center",
            fontsize=12.5,
            fontweight="bold",
            color=TEXT,
        )
        for label, practice, label_y in (
            ("Every day", everyday, top - 0.62),
            ("In intimate moments", intimate, top - 1.45),
        ):
            ax.text(
                left + 0.18,
                label_y,
                label,
                ha="left",
                va="center",
                fontsize=10.5,
                fontweight="bold",
                color=TEXT,
            )
            ax.text(
                left + 0.18,
                label_y - 0.16,
                textwrap.fill(practice, 40),
                ha="left",
                va="top",
                fontsize=10.5,
                color=TEXT,
                linespacing=1.2,
            )
    ax.text(
        6.5,
        9.55,
        "From S004, after Brown & Elliott (2016). Outside the bedroom first.",
        ha="center",
        va="center",
        fontsize=10.5,
        color=TEXT,
        style="italic",
    )
    return fig


_STEPS = (
    (
        "0  Foundation: the safety check is clear",
        "no ongoing deception, no violence or coercion, honesty agreed",
    ),
    ("1  Everyday closeness", "time together, talking, warmth and appreciation; no touch needed"),
    ("2  Affectionate touch", "holding hands, hugs, sitting close, clothed"),
    (
        "3  Touch with no goal of arousal",
        "for example sensate focus, guided by a trained sex therapist",
    ),
    ("4  Sensual touch, still with no goal", "more intimate touch, with no pressure to go further"),
    (
        "5  Sexual activity, if both want it",
        "with consent, protection and check-ins all the way through",
    ),
)


def pacing_ladder() -> Figure:
    """A staircase from a safe foundation to sexual activity, with a check-in at every step.

    Teaches that re-integration is paced, not scheduled: each step begins only when both
    partners say yes at a check-in; either partner can pause or go back a step at any time;
    and stopping at any step, including never resuming sex, is a valid outcome. The steps
    are illustrative; a sex therapist tailors the real sequence to each couple.
    """
    fig = Figure(figsize=(12, 8.6), layout="constrained")
    ax = _blank_axes(fig, 12, 8.8)
    fig.suptitle(
        "A paced path back to sexual closeness (a sketch, not a timetable)",
        fontsize=15,
        fontweight="bold",
        color=TEXT,
    )

    colours = (GREY, SKY, SKY, BLUE, BLUE, GREEN)
    width, height, step_x, step_y = 5.7, 0.95, 0.72, 1.34
    for index, ((title, body), colour) in enumerate(zip(_STEPS, colours, strict=True)):
        left = 0.2 + index * step_x
        bottom = 0.75 + index * step_y
        _card(
            ax,
            left,
            bottom,
            width,
            height,
            colour,
            title,
            body,
            wrap=66,
            title_size=11.5,
            body_size=10.5,
        )
        if index < len(_STEPS) - 1:
            ax.text(
                left + width + 0.15,
                bottom + height + (step_y - height) / 2,
                "check in: both OK?",
                ha="left",
                va="center",
                fontsize=10,
                color=TEXT,
                bbox={
                    "boxstyle": "round,pad=0.25",
                    "facecolor": tint(ORANGE, 0.7),
                    "edgecolor": ORANGE,
                    "linewidth": 1.5,
                },
            )
    _arrow(ax, (11.55, 1.0), (11.55, 7.9), colour=VERMILLION, both_ends=True)
    ax.text(
        11.35,
        4.6,
        "Either partner can\npause or step back\nat any time",
        ha="right",
        va="center",
        fontsize=11,
        fontweight="bold",
        color=TEXT,
    )
    ax.text(
        6.0,
        0.25,
        "No fixed timetable. Stopping at any step, or not resuming sex, is a valid outcome.",
        ha="center",
        va="center",
        fontsize=11,
        color=TEXT,
        style="italic",
    )
    return fig


_FOCUS_ROWS = (
    (
        "The goal",
        "arousal, orgasm, \u201cgetting it right\u201d",
        "being together; nothing to achieve",
    ),
    (
        "Where attention goes",
        "watching yourself: \u201cHow am I doing?\u201d",
        "your own sensations and your partner's comfort",
    ),
    ("Pressure", "high, and pressure makes arousal harder", "low: arousal may come, or not"),
    ("If arousal does not come", "feels like failure or rejection", "fine: it was never the point"),
    ("A pause or a \u201cno\u201d", "feels like a setback", "part of the practice, welcome"),
)


def performance_vs_presence() -> Figure:
    """Side-by-side contrast of performance-focused and presence-focused sexual closeness.

    Teaches objective 4: when arousal and orgasm are the goal, attention turns to
    self-monitoring and pressure rises, which tends to make arousal harder and a pause feel
    like failure. When presence is the goal, as in S004's emphasis on caring for each other
    and in the non-demand touch of sensate focus, there is nothing to achieve, so pauses are
    welcome and arousal, if it comes, is a by-product.
    """
    fig = Figure(figsize=(12, 6.8), layout="constrained")
    ax = _blank_axes(fig, 12, 6.9)
    fig.suptitle(
        "Performance or presence? Two ways of coming back to sexual closeness",
        fontsize=15,
        fontweight="bold",
        color=TEXT,
    )

    label_left, label_width = 0.2, 2.9
    perf_left, pres_left, column_width = 3.3, 7.65, 4.15
    row_h, gap, top = 0.9, 0.18, 5.8
    _card(
        ax,
        perf_left,
        top,
        column_width,
        0.75,
        VERMILLION,
        "Performance focus",
        wrap=40,
        title_size=12.5,
    )
    _card(ax, pres_left, top, column_width, 0.75, BLUE, "Presence focus", wrap=40, title_size=12.5)
    for index, (question, performance, presence) in enumerate(_FOCUS_ROWS):
        bottom = top - (index + 1) * (row_h + gap)
        _card(ax, label_left, bottom, label_width, row_h, GREY, question, wrap=24, title_size=11)
        _card(
            ax,
            perf_left,
            bottom,
            column_width,
            row_h,
            VERMILLION,
            performance,
            wrap=38,
            title_size=11.5,
            bold=False,
        )
        _card(
            ax,
            pres_left,
            bottom,
            column_width,
            row_h,
            BLUE,
            presence,
            wrap=38,
            title_size=11.5,
            bold=False,
        )
    return fig
