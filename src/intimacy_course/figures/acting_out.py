"""Figures for Module 2 (Acting out): behaviour chains, telling CSBD apart, screening figures.

The module teaches a way of looking at an episode (a chain of links, each one a place to
step in) and a way of sorting similar-looking presentations (strong desire, moral
distress, compulsive sexual behaviour disorder). Both are conceptual diagrams: they show
ideas, not data. The one plot with numbers uses only figures reported by the two cited
screening studies, rounded as published.
"""

from __future__ import annotations

import textwrap
from functools import partial

from matplotlib.figure import Figure

from intimacy_course.figures.drawing import arrow, centred_box, rounded_box
from intimacy_course.figures.palette import BLUE, GREEN, GREY, ORANGE, PURPLE, SKY, TEXT, VERMILLION

__all__ = ["behaviour_chain", "csbd_comparison", "screening_figures"]


#: A box centred on (x, y), title and example line, in this figure's proportions.
_box = partial(
    centred_box, body_width=22, rounding=0.08, title_at=0.2, body_at=-0.17, linespacing=1.15
)
_arrow = partial(arrow, shrink=4)


def behaviour_chain() -> Figure:
    """The behaviour chain: trigger, thoughts and feelings, urge, ritual, behaviour, relief, cost.

    Teaches that an episode of sexual behaviour that feels out of control is a sequence of
    links rather than one sudden act; that short-term relief is what keeps the chain
    learned; that long-term costs often become the next trigger; and that every link is a
    place to step in, the earlier the easier.
    """
    fig = Figure(figsize=(11, 6.6), layout="constrained")
    ax = fig.add_subplot()
    ax.set_xlim(0, 11)
    ax.set_ylim(0, 6.5)
    ax.axis("off")
    fig.suptitle(
        "A behaviour chain: from trigger to consequence and back again",
        fontsize=15,
        fontweight="bold",
        color=TEXT,
    )

    width, height = 2.35, 1.35
    links = [
        # (x, y, title, example, colour)
        (1.5, 5.6, "1. Trigger", "an argument; alone late at night; a reminder", BLUE),
        (4.25, 5.6, "2. Thoughts, feelings", '"I always get it wrong"; lonely, ashamed', SKY),
        (7.0, 5.6, "3. Urge", "a strong pull to escape the feeling", ORANGE),
        (9.6, 3.6, "4. Ritual", 'picks up the phone "just to check"; browsing', PURPLE),
        (7.0, 1.6, "5. Behaviour", "the sexual behaviour the person wants to change", VERMILLION),
        (4.25, 1.6, "6. Short-term relief", "numb, calm, distracted for a while", GREEN),
        (1.5, 1.6, "7. Long-term cost", "shame, secrecy, lost sleep, distance from partner", GREY),
    ]
    for x, y, title, body, colour in links:
        _box(ax, x, y, width, height, title, body, colour)

    half_w, half_h = width / 2, height / 2
    _arrow(ax, (1.5 + half_w, 5.6), (4.25 - half_w, 5.6))
    _arrow(ax, (4.25 + half_w, 5.6), (7.0 - half_w, 5.6))
    _arrow(ax, (7.0 + half_w, 5.6), (9.6, 3.6 + half_h), rad=-0.25)
    _arrow(ax, (9.6, 3.6 - half_h), (7.0 + half_w, 1.6), rad=-0.25)
    _arrow(ax, (7.0 - half_w, 1.6), (4.25 + half_w, 1.6))
    _arrow(ax, (4.25 - half_w, 1.6), (1.5 + half_w, 1.6))
    _arrow(ax, (1.5, 1.6 + half_h), (1.5, 5.6 - half_h), colour=VERMILLION, dashed=True)
    ax.text(
        1.62,
        3.6,
        "the cost often\nbecomes the\nnext trigger",
        ha="left",
        va="center",
        fontsize=10,
        color=TEXT,
        style="italic",
    )
    ax.text(
        5.62,
        3.95,
        "Relief makes the chain more likely\nnext time (negative reinforcement).",
        ha="center",
        va="center",
        fontsize=10.5,
        color=TEXT,
    )
    ax.text(
        5.62,
        3.05,
        "Every link is a place to step in;\nthe earlier, the easier.",
        ha="center",
        va="center",
        fontsize=10.5,
        color=TEXT,
        fontweight="bold",
    )
    ax.text(
        5.5,
        0.3,
        "Conceptual diagram of a common cognitive behavioural tool; "
        "real chains vary from person to person.",
        ha="center",
        fontsize=10,
        color=GREY,
    )
    return fig


def csbd_comparison() -> Figure:
    """A side-by-side aid: high sexual interest, moral incongruence, and ICD-11 CSBD.

    Teaches that frequency alone says little: what separates the three is sense of
    control, where the distress comes from, and the effect on daily life. It also reminds
    the reader to rule out other explanations first and to stop and consult whenever a
    non-consenting person is involved. A learning aid, not a diagnostic instrument.
    """
    fig = Figure(figsize=(12, 7.0), layout="constrained")
    ax = fig.add_subplot()
    ax.set_xlim(0, 12)
    ax.set_ylim(0, 6.9)
    ax.axis("off")
    fig.suptitle(
        "High sexual interest, moral distress or CSBD? Look past frequency",
        fontsize=15,
        fontweight="bold",
        color=TEXT,
    )

    columns = [
        ("High sexual interest", GREEN),
        ("Moral incongruence", ORANGE),
        ("Compulsive sexual\nbehaviour disorder\n(ICD-11)", BLUE),
    ]
    rows = [
        (
            "Sense of control",
            [
                "Chooses when and whether; can pause when needed",
                "Usually can choose; any use may feel like a failure because it clashes with values",
                "Repeated failure to control intense, repetitive urges, over about 6 months or more",
            ],
        ),
        (
            "Where the distress comes from",
            [
                "Little or none, or from other people's judgement",
                "The gap between behaviour and one's own moral or religious beliefs",
                "Loss of control and its effects, not moral disapproval alone",
            ],
        ),
        (
            "Effect on daily life",
            [
                "Fits with health, work and relationships",
                "Guilt and inner conflict; work and friendships often intact",
                "Marked distress or harm to health, work, care of others or relationships",
            ],
        ),
        (
            "Helpful first response",
            [
                "Normalise; explore any desire gap between partners",
                "Explore values with respect; no disorder label",
                "Full assessment; therapy with evidence such as CBT",
            ],
        ),
    ]
    label_w, col_w = 2.4, 3.1
    top, header_h, row_h = 6.85, 0.95, 1.2
    for index, (name, colour) in enumerate(columns):
        x0 = label_w + index * col_w
        rounded_box(
            ax,
            x0 + 0.05,
            top - header_h,
            col_w - 0.1,
            header_h,
            colour,
            fill=0.55,
            rounding=0.06,
            pad=0.0,
        )
        ax.text(
            x0 + col_w / 2,
            top - header_h / 2,
            name,
            ha="center",
            va="center",
            fontsize=11.5,
            fontweight="bold",
            color=TEXT,
        )
    for row_index, (label, cells) in enumerate(rows):
        y_top = top - header_h - row_index * row_h
        y_mid = y_top - row_h / 2
        ax.text(
            0.1,
            y_mid,
            textwrap.fill(label, 16),
            ha="left",
            va="center",
            fontsize=11.5,
            fontweight="bold",
            color=TEXT,
        )
        for index, (cell, (_, colour)) in enumerate(zip(cells, columns, strict=True)):
            x0 = label_w + index * col_w
            rounded_box(
                ax,
                x0 + 0.05,
                y_top - row_h + 0.06,
                col_w - 0.1,
                row_h - 0.12,
                colour,
                fill=0.88,
                rounding=0.05,
                pad=0.0,
                linewidth=1,
            )
            ax.text(
                x0 + col_w / 2,
                y_mid,
                textwrap.fill(cell, 29),
                ha="center",
                va="center",
                fontsize=10,
                color=TEXT,
                linespacing=1.15,
            )
    ax.text(
        6.0,
        0.55,
        "Before using this table: rule out other explanations (for example mania, "
        "substance use or a medicine),\nand stop and consult a supervisor if anyone "
        "involved did not or could not consent.",
        ha="center",
        va="center",
        fontsize=10.5,
        color=VERMILLION,
        fontweight="bold",
    )
    ax.text(
        6.0,
        0.05,
        "A learning aid based on the ICD-11 description and the moral incongruence "
        "model; not a diagnostic tool.",
        ha="center",
        va="center",
        fontsize=10,
        color=GREY,
    )
    return fig


def screening_figures() -> Figure:
    """Two published screening results: how common the distress is, and how few seek help.

    Teaches scale and help-seeking with numbers from cited studies only: in a US national
    sample, 8.6% overall (10.3% of men, 7.0% of women) screened positive for clinically
    relevant distress about controlling sexual urges; across 42 countries, 4.8% were at high
    risk of CSBD, and 14% of those had ever sought treatment. The titles say these are
    screening results, not diagnoses.
    """
    fig = Figure(figsize=(11, 5.2), layout="constrained")
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.1, 1]})
    fig.suptitle(
        "Screening results from two large surveys (approximate; not diagnoses)",
        fontsize=14,
        fontweight="bold",
        color=TEXT,
    )

    groups = ["Everyone", "Men", "Women"]
    values = [8.6, 10.3, 7.0]
    bars = left.bar(groups, values, color=[BLUE, SKY, ORANGE], edgecolor=TEXT, linewidth=0.8)
    for bar, value in zip(bars, values, strict=True):
        left.text(
            bar.get_x() + bar.get_width() / 2,
            value + 0.3,
            f"{value:.1f}%",
            ha="center",
            fontsize=11,
            color=TEXT,
        )
    left.set_ylim(0, 13)
    left.set_ylabel("% screening positive", fontsize=11)
    left.set_title("United States national sample\n(Dickenson et al., 2018)", fontsize=11.5)
    left.tick_params(labelsize=11)

    shares = [14, 86]
    labels = ["Ever sought\ntreatment", "Never sought\ntreatment"]
    hbars = right.barh(labels, shares, color=[GREEN, "#BBBBBB"], edgecolor=TEXT, linewidth=0.8)
    for bar, value in zip(hbars, shares, strict=True):
        right.text(
            value + 1.5,
            bar.get_y() + bar.get_height() / 2,
            f"{value}%",
            va="center",
            fontsize=11,
            color=TEXT,
        )
    right.set_xlim(0, 105)
    right.set_xlabel("% of people at high risk of CSBD", fontsize=11)
    right.set_title(
        "42 countries: the 4.8% at high risk of CSBD\n(Bőthe et al., 2023)", fontsize=11.5
    )
    right.tick_params(labelsize=11)
    for axis in (left, right):
        axis.spines[["top", "right"]].set_visible(False)
    return fig
