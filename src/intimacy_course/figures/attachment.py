"""Figures for Module 1 (Attachment injury): dimensions, working models, secure-base care.

Three conceptual diagrams. They show ideas, not data: where a person sits on the two
dimensions of adult attachment, how repeated care becomes expectations that can later be
revised, and the five caregiving conditions from Ideal Parent Figure work translated into
things partners can do for each other. Colours come from the Okabe-Ito palette, used as
light fills under dark text so that every label stays readable for colour-blind readers
and in print.
"""

from __future__ import annotations

import textwrap
from functools import partial

from matplotlib.figure import Figure

from intimacy_course.figures.drawing import arrow, centred_box, rounded_box
from intimacy_course.figures.palette import BLUE, GREEN, GREY, ORANGE, PURPLE, SKY, TEXT

__all__ = ["attachment_dimensions", "secure_base_conditions", "working_model_cycle"]


#: A box centred on (x, y), title and explanation, in this figure's proportions.
_box = partial(
    centred_box, body_width=24, rounding=0.06, title_at=0.26, body_at=-0.12, linespacing=1.2
)
_arrow = partial(arrow, shrink=6)


def attachment_dimensions() -> Figure:
    """Adult attachment as two continuous dimensions, anxiety and avoidance.

    Teaches that the familiar "styles" are regions of a plane, not boxes: a person sits
    somewhere along each dimension, and can move. The four corner labels are the common
    names for the regions; the shading fades toward the middle to show that most people
    sit between them.
    """
    fig = Figure(figsize=(8.6, 7.2))
    ax = fig.add_subplot()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.set_aspect("equal")
    regions = [
        (0, 0, GREEN, "Secure", "Comfortable with closeness and with depending on others"),
        (
            5,
            0,
            BLUE,
            "Dismissing-avoidant",
            "Values self-reliance; keeps feelings and others at a distance",
        ),
        (
            0,
            5,
            ORANGE,
            "Preoccupied (anxious)",
            "Wants closeness; worries about being left or unloved",
        ),
        (5, 5, PURPLE, "Fearful-avoidant", "Wants closeness but fears it; pulls close, then away"),
    ]
    for x0, y0, colour, name, description in regions:
        rounded_box(
            ax,
            x0 + 0.15,
            y0 + 0.15,
            4.7,
            4.7,
            colour,
            fill=0.82,
            rounding=0.3,
            pad=0,
            linewidth=1.5,
        )
        cx = x0 + 2.5
        cy = y0 + 2.5
        ax.text(
            cx, cy + 0.9, name, ha="center", va="center", fontsize=13, fontweight="bold", color=TEXT
        )
        ax.text(
            cx,
            cy - 0.5,
            textwrap.fill(description, 24),
            ha="center",
            va="center",
            fontsize=10.5,
            color=TEXT,
            linespacing=1.25,
        )
    rounded_box(
        ax,
        3.55,
        4.45,
        2.9,
        1.1,
        GREY,
        facecolor="white",
        rounding=0.3,
        pad=0.05,
        linewidth=1.2,
        dashed=True,
    )
    ax.text(
        5,
        5,
        "Dimensions, not boxes:\nmost people sit\nbetween regions",
        ha="center",
        va="center",
        fontsize=10,
        style="italic",
        color=TEXT,
        linespacing=1.15,
    )
    ax.set_xticks([0.5, 9.5], ["low", "high"], fontsize=11)
    ax.set_yticks([0.5, 9.5], ["low", "high"], fontsize=11)
    ax.tick_params(length=0)
    ax.set_xlabel(
        "Attachment avoidance: discomfort with closeness and depending on others",
        fontsize=11.5,
        color=TEXT,
    )
    ax.set_ylabel(
        "Attachment anxiety: worry about rejection and abandonment", fontsize=11.5, color=TEXT
    )
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(
        "Two dimensions of adult attachment: anxiety and avoidance",
        fontsize=14,
        fontweight="bold",
        color=TEXT,
        pad=14,
    )
    fig.tight_layout()
    return fig


def working_model_cycle() -> Figure:
    """How repeated experiences of care become an internal working model, and how it can change.

    Teaches the loop at the heart of attachment theory: a need is met (or not), the child
    draws two conclusions (are others there? am I worth care?), those expectations steer
    later closeness, and the way we act tends to bring back familiar responses. The dashed
    path shows that new, different experiences (a steady partner, therapy) can revise the
    model, which is why the loop is a tendency, not a sentence.
    """
    fig = Figure(figsize=(10, 6.4))
    ax = fig.add_subplot()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 6.6)
    ax.axis("off")
    width, height = 3.3, 1.6
    places = {
        "need": (2.2, 5.3),
        "response": (7.8, 5.3),
        "model": (7.8, 2.6),
        "adult": (2.2, 2.6),
    }
    _box(
        ax,
        *places["need"],
        width,
        height,
        "1. A need",
        "A child is scared, hurt or excited and reaches for a caregiver",
        ORANGE,
    )
    _box(
        ax,
        *places["response"],
        width,
        height,
        "2. The response",
        "Comfort, interest and help; or silence, absence or harm",
        SKY,
    )
    _box(
        ax,
        *places["model"],
        width,
        height,
        "3. A working model",
        "Are others there when I need them? Am I worth caring for?",
        GREEN,
    )
    _box(
        ax,
        *places["adult"],
        width,
        height,
        "4. Adult closeness",
        "Expectations shape how we reach for a partner, or pull away",
        PURPLE,
    )
    _arrow(ax, (3.9, 5.3), (6.1, 5.3))
    _arrow(ax, (7.8, 4.45), (7.8, 3.45))
    _arrow(ax, (6.1, 2.6), (3.9, 2.6))
    _arrow(ax, (2.2, 3.45), (2.2, 4.45))
    ax.text(1.95, 3.95, "repeated\nmany times", ha="right", va="center", fontsize=10, color=TEXT)
    _box(
        ax,
        5.0,
        0.75,
        4.6,
        1.2,
        "New experiences",
        "A steady partner, friends or therapy can revise the model",
        BLUE,
        body_width=40,
    )
    _arrow(ax, (5.0, 1.4), (7.2, 1.85), colour=BLUE, rad=0.2, dashed=True)
    _arrow(ax, (5.0, 1.4), (2.8, 1.85), colour=BLUE, rad=-0.2, dashed=True)
    ax.text(
        5.0,
        3.95,
        "Expectations,\nnot destiny",
        ha="center",
        va="center",
        fontsize=12,
        style="italic",
        color=TEXT,
    )
    fig.suptitle(
        "How internal working models form, and how they can change",
        fontsize=14,
        fontweight="bold",
        color=TEXT,
    )
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.92)
    return fig


def secure_base_conditions() -> Figure:
    """The five conditions that foster secure attachment, as practices between partners.

    Ideal Parent Figure work names five caregiving conditions (felt safety, attunement,
    soothing, expressed delight, support for exploration). The seed on re-integrating sex
    after betrayal carries them into the couple. Each box pairs a condition with one
    concrete thing a partner can do, so the list becomes something to practise rather than
    an abstraction.
    """
    fig = Figure(figsize=(11, 7.4))
    ax = fig.add_subplot()
    ax.set_xlim(0, 11)
    ax.set_ylim(0, 7.6)
    ax.axis("off")
    # Each condition: box centre, title, a concrete practice, colour, arrow start and end.
    conditions = [
        (
            (2.2, 5.9),
            "1. Felt safety",
            "Keep agreements; no threats, contempt or surprises",
            GREEN,
            (3.3, 5.1),
            (4.45, 4.62),
        ),
        (
            (8.8, 5.9),
            "2. Attunement",
            "Ask, listen and say back what you heard: being seen and known",
            SKY,
            (7.7, 5.1),
            (6.55, 4.62),
        ),
        (
            (1.9, 2.75),
            "3. Soothing",
            "Stay close when your partner is upset; calm down together",
            ORANGE,
            (3.65, 3.2),
            (4.05, 3.55),
        ),
        (
            (9.1, 2.75),
            "4. Expressed delight",
            "Let your partner see that you are glad they are here",
            PURPLE,
            (7.35, 3.2),
            (6.95, 3.55),
        ),
        (
            (5.5, 0.95),
            "5. Support for exploration",
            "Back each other's growth, play and 'best self'",
            BLUE,
            (5.5, 1.75),
            (5.5, 3.12),
        ),
    ]
    centre = (5.5, 3.9)
    rounded_box(
        ax, centre[0] - 1.45, centre[1] - 0.75, 2.9, 1.5, TEXT, facecolor="white", rounding=0.5
    )
    ax.text(
        *centre,
        "Felt security\nbetween partners",
        ha="center",
        va="center",
        fontsize=13,
        fontweight="bold",
        color=TEXT,
    )
    for (x, y), title, practice, colour, start, end in conditions:
        _box(ax, x, y, 3.5, 1.55, title, practice, colour, body_width=30)
        _arrow(ax, start, end, colour=colour)
    fig.suptitle(
        "Five conditions that foster secure attachment, as couple practices",
        fontsize=14,
        fontweight="bold",
        color=TEXT,
    )
    ax.text(
        5.5,
        7.35,
        "From Ideal Parent Figure work (Brown & Elliott, 2016), as applied to couples",
        ha="center",
        va="center",
        fontsize=10.5,
        style="italic",
        color=TEXT,
    )
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.92)
    return fig
