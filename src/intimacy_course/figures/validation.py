"""Figures for Module 4 (Validation versus judgment).

The module teaches three ideas that are easier to hold as pictures: validation comes in
levels, each with its own kind of sentence (after Linehan); judging and validating
responses tend to lead to different places (shame and hiding, or safety and honesty); and a
betrayed partner's safety-seeking has a different shape from coercive control. All three
are conceptual diagrams: they show ideas, never data.
"""

from __future__ import annotations

from functools import partial

from matplotlib.figure import Figure

from intimacy_course.figures.drawing import arrow, card
from intimacy_course.figures.palette import BLUE, GREEN, GREY, SKY, TEXT, VERMILLION

__all__ = ["judging_vs_validating", "safety_seeking_vs_control", "validation_levels"]


#: A card in this figure's proportions (see :func:`intimacy_course.figures.drawing.card`).
_card = partial(card, wrap=30, title_at=0.74, body_at=0.34, wrapped_title_spacing=None)
_arrow = partial(arrow, shrink=2)


_LEVELS = (
    ("1  Paying full attention", "\u201cI\u2019m listening. Take your time.\u201d"),
    (
        "2  Reflecting accurately",
        "\u201cSo at first you felt relief, and then a wave of dread.\u201d",
    ),
    (
        "3  Naming what is unsaid",
        "\u201cI wonder if part of you expects me to judge you as well.\u201d",
    ),
    (
        "4  Making sense through history",
        (
            "\u201cGiven how alone you were as a child, reaching for something that numbs "
            "the pain makes sense.\u201d"
        ),
    ),
    (
        "5  Making sense in the present",
        "\u201cAnyone who found out what you found out would feel shaken.\u201d",
    ),
    (
        "6  Radical genuineness",
        "\u201cThat is hard to hear. I\u2019m glad you told me, and I\u2019m still here.\u201d",
    ),
)


def validation_levels() -> Figure:
    """A staircase of the six levels of validation, each with an example sentence.

    Teaches that validation is more than repeating words back: it runs from attentive
    listening, through reflecting and naming what is unsaid, to making sense of a reaction
    by the person's history or by the present situation, and finally to responding as one
    genuine person to another. The note reminds the reader that the right level is the one
    that fits the moment, not always the highest. Levels follow Linehan (1997).
    """
    fig = Figure(figsize=(11, 8), layout="constrained")
    ax = fig.add_subplot()
    ax.set_xlim(0, 11)
    ax.set_ylim(0, 8.2)
    ax.axis("off")
    fig.suptitle(
        "Levels of validation, each with an example (after Linehan, 1997)",
        fontsize=15,
        fontweight="bold",
        color=TEXT,
    )

    colours = (SKY, SKY, BLUE, BLUE, GREEN, GREEN)
    width, height, step_x, step_y = 5.6, 1.12, 0.78, 1.22
    for index, ((title, example), colour) in enumerate(zip(_LEVELS, colours, strict=True)):
        left = 0.35 + index * step_x
        bottom = 0.35 + index * step_y
        _card(ax, left, bottom, width, height, colour, title, example, wrap=64, italic_body=True)

    _arrow(ax, (10.55, 0.6), (10.55, 7.6), colour=GREY)
    ax.text(
        10.3,
        4.1,
        "from listening\nto full genuineness",
        ha="right",
        va="center",
        fontsize=10.5,
        color=TEXT,
    )
    ax.text(
        0.35,
        7.95,
        "Use the level that fits the moment: higher is not always better.",
        ha="left",
        va="center",
        fontsize=11,
        color=TEXT,
        style="italic",
    )
    return fig


def judging_vs_validating() -> Figure:
    """Two paths: a judging response and a validating response, and where each tends to lead.

    Teaches the module's central contrast. A judging reply ("You're disgusting", "You're
    paranoid") is often heard as a verdict on the whole self; that is shame, and shame
    tends to push people to hide, deny or escape, which means more secrecy and distance.
    A validating reply is heard as "my reaction makes sense, and what I did can be looked
    at"; that leaves room for guilt about a specific act, which tends to pull toward
    honesty and repair. The words "tends to" matter: this is a conceptual sketch of likely
    directions, not a measured effect.
    """
    fig = Figure(figsize=(12, 6), layout="constrained")
    ax = fig.add_subplot()
    ax.set_xlim(0, 12)
    ax.set_ylim(0.3, 6.3)
    ax.axis("off")
    fig.suptitle(
        "Judging and validating responses: where they tend to lead",
        fontsize=15,
        fontweight="bold",
        color=TEXT,
    )

    headers = (
        "What is said",
        "How it is often heard",
        "The urge it stirs",
        "Where it tends to lead",
    )
    columns = (0.15, 3.15, 6.15, 9.15)
    width, height = 2.6, 1.9
    for left, header in zip(columns, headers, strict=True):
        ax.text(
            left + width / 2,
            6.05,
            header,
            ha="center",
            va="center",
            fontsize=11.5,
            fontweight="bold",
            color=GREY,
        )

    judging = (
        ("Judging", "\u201cYou\u2019re disgusting.\u201d  \u201cYou\u2019re paranoid.\u201d"),
        ("Shame", "\u201cI am bad. Something is wrong with me.\u201d"),
        ("Hide", "deny, defend, escape the feeling"),
        ("More secrecy", "more distance, trust keeps falling"),
    )
    validating = (
        (
            "Validating",
            ("\u201cIt makes sense you feel this. Let\u2019s look at what happened.\u201d"),
        ),
        ("Guilt about an act", "\u201cI did something harmful. I can face it.\u201d"),
        ("Repair", "tell the truth, listen, make amends"),
        ("More safety", "more honesty, trust can slowly grow"),
    )
    for row, colour, label in ((judging, VERMILLION, 3.6), (validating, BLUE, 0.6)):
        for index, ((title, body), left) in enumerate(zip(row, columns, strict=True)):
            _card(ax, left, label, width, height, colour, title, body, wrap=24)
            if index < 3:
                _arrow(
                    ax,
                    (left + width + 0.02, label + height / 2),
                    (columns[index + 1] - 0.02, label + height / 2),
                    colour=colour,
                )
    ax.text(
        6.0,
        3.1,
        "A sketch of likely directions, not a measured effect.",
        ha="center",
        va="center",
        fontsize=10.5,
        color=TEXT,
        style="italic",
    )
    return fig


_CONTRAST_ROWS = (
    ("Purpose", "to feel safe again and rebuild trust", "power: to dominate and punish"),
    ("How it starts", "asked for, talked over, agreed", "imposed, enforced by threats"),
    ("Time frame", "reviewed, eased as trust grows", "open-ended, tends to escalate"),
    ("Can the other say no?", "yes, without fear", "no: refusing brings punishment"),
    ("Over time", "honesty given freely can replace it", "isolation, fear, a shrinking life"),
)


def safety_seeking_vs_control() -> Figure:
    """A side-by-side table contrasting a betrayed partner's safety-seeking with coercive control.

    Teaches the evaluation asked of trainees in objective 4: the same outward act (asking
    to see a phone) can be a request for safety after betrayal or part of a pattern of
    coercive control. The difference lies in purpose, how it was set up, whether it has an
    end, whether the other person can say no without fear, and what it does over time.
    The footer reminds the reader that either partner can be coercive, so each is screened
    alone.
    """
    fig = Figure(figsize=(12, 7), layout="constrained")
    ax = fig.add_subplot()
    ax.set_xlim(0, 12)
    ax.set_ylim(-0.15, 7.0)
    ax.axis("off")
    fig.suptitle(
        "Safety-seeking after betrayal or coercive control? Look at the shape",
        fontsize=15,
        fontweight="bold",
        color=TEXT,
    )

    label_left, label_width = 0.2, 2.7
    safety_left, control_left, column_width = 3.1, 7.55, 4.25
    row_height, gap, top = 0.95, 0.18, 6.0
    _card(
        ax,
        safety_left,
        top,
        column_width,
        0.75,
        GREEN,
        "Safety-seeking after betrayal",
        wrap=40,
        title_size=12.5,
    )
    _card(
        ax,
        control_left,
        top,
        column_width,
        0.75,
        VERMILLION,
        "Coercive control (a form of abuse)",
        wrap=40,
        title_size=12.5,
    )
    for index, (question, safety, control) in enumerate(_CONTRAST_ROWS):
        bottom = top - (index + 1) * (row_height + gap)
        _card(
            ax, label_left, bottom, label_width, row_height, GREY, question, wrap=22, title_size=11
        )
        _card(
            ax,
            safety_left,
            bottom,
            column_width,
            row_height,
            GREEN,
            safety,
            wrap=40,
            title_size=11.5,
            bold=False,
        )
        _card(
            ax,
            control_left,
            bottom,
            column_width,
            row_height,
            VERMILLION,
            control,
            wrap=40,
            title_size=11.5,
            bold=False,
        )
    ax.text(
        6.0,
        0.05,
        "Either partner can be coercive. Ask about fear and safety with each partner alone.",
        ha="center",
        va="center",
        fontsize=11,
        color=TEXT,
        style="italic",
    )
    return fig
