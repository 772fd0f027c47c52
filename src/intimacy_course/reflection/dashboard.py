"""The progress dashboard: pandas views over the journal and the plots drawn from them.

Three questions a learner asks of their own journal, each answered by one function:
how much have I written per module (``entries_per_module``), how much of each module's
reflection have I answered (``completion``), and how have my ratings moved
(``ratings_over_time``, plotted through ``rating_points``: the latest rating saved in each
day, week or month, never an average of an answer's old and new versions).
``entries_frame`` reads the journal once, in one query, so the dashboard stays quick after
years of daily entries; ``draw_dashboard`` turns the views into one matplotlib Figure.

``show_progress`` renders everything inside an ipywidgets ``Output``: what is shown there
lives in widget state, which the course never saves into the notebook, so even ratings and
counts stay out of ``06_my_progress.ipynb`` when the learner saves it.
"""

from __future__ import annotations

import html
import json
import textwrap
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import matplotlib
import matplotlib.dates
import pandas as pd
from matplotlib.figure import Figure

from intimacy_course.content.prompts import ModulePrompts, PromptFileError, load_all_prompts
from intimacy_course.journal import Journal, JournalError, entry_rows
from intimacy_course.paths import MODULES
from intimacy_course.reflection.answers import is_empty
from intimacy_course.reflection.notices import journal_notes, notes_html

FRAME_COLUMNS = [
    "id",
    "module",
    "prompt_id",
    "kind",
    "label",
    "value",
    "answered",
    "version",
    "created",
]
EMPTY_MESSAGE = (
    "Your journal is empty so far, and that is completely fine. When you save answers in a "
    "reflection page (such as 01_attachment_injury_reflection.ipynb, in this folder), "
    "they will be counted here. Come back whenever you like."
)


def _local_zone():
    return datetime.now().astimezone().tzinfo


def entries_frame(
    journal: Journal, prompts: Mapping[str, ModulePrompts] | None = None
) -> pd.DataFrame:
    """Every saved version as one row, with the prompt's kind and label joined in.

    One SQL query over a read-only connection to the journal's file reads everything;
    values are decoded in one pass and times parsed by pandas in bulk, which keeps twenty
    thousand entries well under a second. ``answered`` is False for an emptied answer;
    ``kind`` is ``"unknown"`` for a prompt no longer in the prompt files; ``created`` is
    timezone-aware UTC.
    """
    prompts = load_all_prompts() if prompts is None else prompts
    rows = entry_rows(journal)
    ids, modules, prompt_ids, values_json, versions, created = (
        [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(6)]
    )
    # One JSON array decoded in C instead of one json.loads call per row.
    values = json.loads("[" + ",".join(values_json) + "]") if values_json else []
    lookup = {
        (module, prompt.id): (prompt.kind, prompt.label)
        for module, module_prompts in prompts.items()
        for prompt in module_prompts.prompts
    }
    unknown = ("unknown", "")
    described = [lookup.get(key, unknown) for key in zip(modules, prompt_ids, strict=True)]
    return pd.DataFrame(
        {
            "id": pd.array(ids, dtype="int64"),
            "module": pd.array(modules, dtype=object),
            "prompt_id": pd.array(prompt_ids, dtype=object),
            "kind": pd.array([kind for kind, _ in described], dtype=object),
            "label": pd.array([label for _, label in described], dtype=object),
            "value": pd.Series(values, dtype=object),
            "answered": pd.array([not is_empty(value) for value in values], dtype=bool),
            "version": pd.array(versions, dtype="int64"),
            "created": pd.to_datetime(pd.Series(created, dtype=object), utc=True, format="ISO8601"),
        },
        columns=FRAME_COLUMNS,
    )


def module_title(module: str, prompts: Mapping[str, ModulePrompts]) -> str:
    """``"1. Attachment injury"`` for ``"01_attachment_injury"``."""
    number = int(module[:2]) if module[:2].isdigit() else 0
    title = prompts[module].title if module in prompts else module
    return f"{number}. {title}" if number else title


def entries_per_module(frame: pd.DataFrame) -> pd.DataFrame:
    """Per module: saved entries (every version counts) and when it was last saved."""
    grouped = frame.groupby("module", sort=False)
    table = pd.DataFrame(
        {
            "entries": grouped.size(),
            "last_saved": grouped["created"].max().dt.tz_convert(_local_zone()),
        }
    )
    extra = [m for m in table.index if m not in MODULES]
    table = table.reindex(list(MODULES) + extra)
    table["entries"] = table["entries"].fillna(0).astype("int64")
    table.index.name = "module"
    return table


def latest_answers(frame: pd.DataFrame) -> pd.DataFrame:
    """The newest version of each (module, prompt) pair."""
    if frame.empty:
        return frame
    newest = frame.sort_values("id").drop_duplicates(["module", "prompt_id"], keep="last")
    return newest.reset_index(drop=True)


def completion(
    frame: pd.DataFrame, prompts: Mapping[str, ModulePrompts] | None = None
) -> pd.DataFrame:
    """Per module: prompts available, prompts answered (latest version not empty), share.

    Only prompts that still exist in the prompt files count, so the share never passes 1.
    """
    prompts = load_all_prompts() if prompts is None else prompts
    available = pd.Series(
        {module: len(prompts[module].prompts) if module in prompts else 0 for module in MODULES},
        dtype="int64",
    )
    latest = latest_answers(frame)
    if latest.empty:
        answered = pd.Series(0, index=available.index, dtype="int64")
    else:
        current = latest[(latest["kind"] != "unknown") & latest["answered"]]
        answered = (
            current.groupby("module").size().reindex(available.index).fillna(0).astype("int64")
        )
    table = pd.DataFrame({"available": available, "answered": answered})
    table["completion"] = table["answered"] / table["available"].where(table["available"] > 0)
    table["completion"] = table["completion"].fillna(0.0)
    table.index.name = "module"
    return table


def ratings_over_time(frame: pd.DataFrame) -> pd.DataFrame:
    """Every saved rating (scale prompts), oldest first, with local time and label."""
    ratings = frame[(frame["kind"] == "scale") & frame["answered"]]
    table = pd.DataFrame(
        {
            "created": ratings["created"].dt.tz_convert(_local_zone()),
            "module": ratings["module"],
            "prompt_id": ratings["prompt_id"],
            "label": ratings["label"],
            "rating": pd.to_numeric(ratings["value"], errors="coerce"),
        }
    ).dropna(subset=["rating"])
    table["rating"] = table["rating"].astype("int64")
    return table.sort_values("created").reset_index(drop=True)


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def draw_dashboard(journal: Journal, prompts: Mapping[str, ModulePrompts] | None = None) -> Figure:
    """One figure: entries per module, completion per module, ratings over time.

    An empty journal gives a figure with a friendly sentence instead of empty axes.
    """
    prompts = load_all_prompts() if prompts is None else prompts
    frame = entries_frame(journal, prompts)
    return draw_dashboard_from_frame(frame, prompts)


#: How the ratings plot reduces many saves to one point per question and period: said in
#: its title, in the text alternative and in the progress notebook.
POINT_RULE = "latest rating saved each {period}"


def rating_points(ratings: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Per rating question (label): the latest rating saved in each day, week or month.

    A line of every daily rating over several years is unreadable noise, so the points are
    per day, per week (more than a month of data) or per month (more than a year). Each
    point is a rating the learner actually gave: the last one saved in its period. An
    average would mix an edited answer's old and new versions (2 then 4 would show as 3, a
    rating never given). Questions with the same label in several modules (such as "how
    settled do you feel") share one line, so a point is the most recent check-in.

    Returns the points (columns ``label``, ``period``, ``rating``, ``saves``: how many
    saved versions the period held) and the period's name.
    """
    if ratings.empty:
        return pd.DataFrame(columns=["label", "period", "rating", "saves"]), "day"
    times = ratings["created"].dt.tz_localize(None)
    span_days = (times.max() - times.min()).days
    if span_days > 366:
        period, name = times.dt.to_period("M").dt.start_time, "month"
    elif span_days > 31:
        period, name = times.dt.to_period("W").dt.start_time, "week"
    else:
        period, name = times.dt.normalize(), "day"
    grouped = (
        ratings.assign(period=period, order=range(len(ratings)))
        .sort_values(["created", "order"], kind="stable")
        .groupby(["label", "period"], sort=True)
    )
    points = grouped["rating"].last().to_frame()
    points["saves"] = grouped.size()
    return points.reset_index(), name


def draw_dashboard_from_frame(frame: pd.DataFrame, prompts: Mapping[str, ModulePrompts]) -> Figure:
    """The dashboard figure from an ``entries_frame`` (see ``draw_dashboard``)."""
    if frame.empty:
        figure = Figure(figsize=(8, 1.6))
        axes = figure.add_subplot()
        axes.axis("off")
        axes.text(
            0.5,
            0.5,
            "Nothing saved yet: your progress will appear here.",
            ha="center",
            va="center",
            fontsize=12,
        )
        return figure

    per_module = entries_per_module(frame)
    done = completion(frame, prompts)
    points, period = rating_points(ratings_over_time(frame))
    names = [textwrap.fill(module_title(module, prompts), 24) for module in MODULES]
    colour = matplotlib.colormaps["tab10"]

    # Fixed layouts: constrained layout re-measures every label on each draw, which more
    # than doubles the time to render the figure.
    figure = Figure(figsize=(9, 8))
    top = figure.add_gridspec(1, 2, left=0.25, right=0.95, top=0.94, bottom=0.62, wspace=0.1)
    bottom = figure.add_gridspec(1, 1, left=0.08, right=0.97, top=0.5, bottom=0.2)
    counts_axes = figure.add_subplot(top[0, 0])
    done_axes = figure.add_subplot(top[0, 1])
    ratings_axes = figure.add_subplot(bottom[0, 0])

    positions = list(range(len(MODULES)))[::-1]
    counts = [int(per_module.at[module, "entries"]) for module in MODULES]
    counts_axes.barh(positions, counts, color=colour(0))
    counts_axes.set_yticks(positions, names)
    counts_axes.set_xlim(0, max(max(counts), 1) * 1.25)
    counts_axes.set_xlabel("saved entries (every version counts)")
    counts_axes.set_title("Entries per module")
    for y, value in zip(positions, counts, strict=True):
        counts_axes.annotate(
            str(value), (value, y), xytext=(3, 0), textcoords="offset points", va="center"
        )

    shares = [float(done.at[module, "completion"]) * 100 for module in MODULES]
    done_axes.barh(positions, shares, color=colour(2))
    done_axes.set_xlim(0, 125)
    done_axes.set_xticks([0, 25, 50, 75, 100])
    done_axes.set_yticks(positions, [""] * len(positions))
    done_axes.set_xlabel("questions answered (%)")
    done_axes.set_title("Completion per module")
    for y, module, share in zip(positions, MODULES, shares, strict=True):
        done_axes.annotate(
            f"{int(done.at[module, 'answered'])}/{int(done.at[module, 'available'])}",
            (share, y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
        )

    ratings_axes.set_title(f"Ratings over time ({POINT_RULE.format(period=period)})")
    if points.empty:
        ratings_axes.axis("off")
        ratings_axes.text(0.5, 0.5, "No ratings saved yet.", ha="center", va="center")
        return figure
    for number, (label, group) in enumerate(points.groupby("label", sort=False)):
        ratings_axes.plot(
            group["period"].to_numpy(),
            group["rating"].to_numpy(),
            label=_short(label, 70),
            color=colour(number % 10),
            marker="o" if len(group) < 40 else None,
            linewidth=1.6,
            markersize=4,
        )
    scales = [p for module in prompts.values() for p in module.prompts if p.kind == "scale"]
    low = min((p.min for p in scales), default=1)
    high = max((p.max for p in scales), default=5)
    ratings_axes.set_ylim(low - 0.3, high + 0.3)
    ratings_axes.set_yticks(range(low, high + 1))
    _date_axis(ratings_axes, points["period"], period)
    ratings_axes.set_ylabel("rating")
    ratings_axes.grid(axis="y", alpha=0.3)
    ratings_axes.legend(
        loc="upper left", fontsize="small", frameon=False, bbox_to_anchor=(0, -0.12), ncol=1
    )
    return figure


def _date_axis(axes, periods: pd.Series, period: str) -> None:
    """Dates on the x axis, without warnings however short or long the span.

    With every point in one period (one entry, or one day of entries) the x range is a
    single instant: matplotlib's AutoDateLocator then finds no interval and warns. That
    case gets one labelled tick and a period's margin either side; longer spans keep the
    automatic ticks.
    """
    first, last = periods.min(), periods.max()
    if first == last:
        margin = pd.Timedelta(days={"day": 1, "week": 7}.get(period, 31))
        axes.set_xlim(first - margin, last + margin)
        axes.set_xticks([first])
        axes.xaxis.set_major_formatter(
            matplotlib.dates.DateFormatter("%b %Y" if period == "month" else "%d %b %Y")
        )
        return
    locator = matplotlib.dates.AutoDateLocator(maxticks=8)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator))


def dashboard_alt_text(frame: pd.DataFrame, prompts: Mapping[str, ModulePrompts]) -> str:
    """A text alternative that carries the same facts as the dashboard figure."""
    if frame.empty:
        return "An empty dashboard: nothing has been saved in the journal yet."
    per_module = entries_per_module(frame)
    done = completion(frame, prompts)
    parts = [
        f"{module_title(m, prompts)}: {per_module.loc[m, 'entries']} entries, "
        f"{done.loc[m, 'answered']} of {done.loc[m, 'available']} questions answered"
        for m in MODULES
    ]
    points, period = rating_points(ratings_over_time(frame))
    if points.empty:
        rating_text = "No ratings have been saved yet."
    else:
        summaries = []
        for label, group in points.groupby("label", sort=False):
            count = len(group)
            summaries.append(
                f"'{_short(label)}' {count} point{'s' if count != 1 else ''}, "
                f"first {group['rating'].iloc[0]}, latest {group['rating'].iloc[-1]}"
            )
        rating_text = (
            f"Ratings over time, one point per question for the {POINT_RULE.format(period=period)}"
            " (an edited rating counts in its new version only): " + "; ".join(summaries) + "."
        )
    return (
        "Three charts. Entries and completion per module: " + "; ".join(parts) + ". " + rating_text
    )


def summary_table(frame: pd.DataFrame, prompts: Mapping[str, ModulePrompts]) -> pd.DataFrame:
    """The table shown above the plots: one row per module, readable column names."""
    per_module = entries_per_module(frame).reindex(list(MODULES))
    done = completion(frame, prompts)
    last = per_module["last_saved"]
    return pd.DataFrame(
        {
            "Module": [module_title(m, prompts) for m in MODULES],
            "Entries saved": per_module["entries"].to_list(),
            "Questions answered": [
                f"{done.loc[m, 'answered']} of {done.loc[m, 'available']}" for m in MODULES
            ],
            "Completion": [f"{done.loc[m, 'completion']:.0%}" for m in MODULES],
            "Last saved": [
                "not yet" if pd.isna(value) else f"{value:%d %b %Y %H:%M}" for value in last
            ],
        }
    )


def show_progress(journal_folder: Path | None = None) -> None:
    """Display the dashboard (or a friendly note) inside a widget that is never saved."""
    import ipywidgets as widgets
    from IPython.display import HTML, display

    from intimacy_course.figures import show_figure
    from intimacy_course.reflection.private import PrivateDisplay

    output = widgets.Output()
    output.add_class("progress-dashboard")
    display(
        PrivateDisplay(
            output,
            "Your progress dashboard (shown only while this notebook is open; never saved into it)",
        )
    )
    with output:
        try:
            prompts = load_all_prompts()
            with journal_notes() as notes, Journal(journal_folder) as journal:
                frame = entries_frame(journal, prompts)
        except (JournalError, PromptFileError) as problem:
            display(
                HTML(
                    f'<p class="progress-message">The dashboard cannot be shown: '
                    f"{html.escape(str(problem))}</p>"
                )
            )
            return
        if notes:  # e.g. a journal folder others can open: said here, not as a raw warning
            display(HTML(notes_html(notes, "progress-message")))
        if frame.empty:
            display(HTML(f'<p class="progress-message">{html.escape(EMPTY_MESSAGE)}</p>'))
            return
        display(
            HTML(
                summary_table(frame, prompts).to_html(
                    index=False, escape=True, classes="progress-summary"
                )
            )
        )
        figure = draw_dashboard_from_frame(frame, prompts)
        show_figure(
            figure,
            dashboard_alt_text(frame, prompts),
            caption="Your progress across the five modules, from your private journal.",
        )
