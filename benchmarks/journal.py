"""How fast is the private journal? Save latency, and the dashboard on a large journal.

    .venv/bin/python benchmarks/journal.py [--saves 1000] [--entries 20000] [--repeat 3]

Measures, in a temporary journal that is deleted afterwards:

1. Save latency over ``--saves`` saves, each one *form save of 4 prompts* (a free text, a
   rating, a single choice, a checklist) in one transaction, with the settings the course
   uses (WAL, synchronous=FULL, so every save waits for the disk):
   a. on a journal kept open;
   b. open + save + close, as the reflection form does for every Save click.
2. With ``--entries`` entries (about three years of daily reflections on the real prompts,
   with dates spread over those years): opening the journal (which runs SQLite's quick
   check), ``history()``, ``intimacy_course.reflection.dashboard.entries_frame(journal)``,
   ``draw_dashboard(journal)`` and rendering that figure to PNG, the median of
   ``--repeat`` runs each.

Prints a table and writes the figures as JSON to benchmarks/results/journal.json
(git-ignored). Part 2 is skipped, with a note, if ``intimacy_course.reflection.dashboard`` is missing.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

from intimacy_course.journal import ENTRY_SCHEMA_VERSION, Journal

RESULTS = Path(__file__).resolve().parent / "results" / "journal.json"
FORM_MODULE = "01_attachment_injury"
WORDS = (
    "trust",
    "slowly",
    "repair",
    "honest",
    "fear",
    "hope",
    "boundary",
    "closeness",
    "shame",
    "listening",
    "partner",
    "safety",
    "today",
    "noticed",
    "breath",
)


def form_answers(rng: random.Random, index: int) -> dict[str, object]:
    """One realistic four-prompt form: free text of about 400 characters and three choices."""
    text = " ".join(rng.choice(WORDS) for _ in range(60))
    return {
        "free_text": f"Day {index}: {text} 🌱",
        "rating": rng.randint(1, 5),
        "choice": rng.choice(["talk", "write", "walk"]),
        "checklist": rng.sample(["breathing", "grounding", "support", "rest"], k=2),
    }


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summarise(samples: list[float]) -> dict[str, float]:
    """Milliseconds: median, 95th percentile, max."""
    return {
        "median_ms": round(statistics.median(samples) * 1000, 2),
        "p95_ms": round(percentile(samples, 0.95) * 1000, 2),
        "max_ms": round(max(samples) * 1000, 2),
        "n": len(samples),
    }


def measure_saves(folder: Path, saves: int, reopen: bool) -> dict[str, float]:
    rng = random.Random(1)
    samples = []
    journal = None if reopen else Journal(folder)
    for index in range(saves):
        answers = form_answers(rng, index)
        start = time.perf_counter()
        if reopen:
            with Journal(folder) as once:
                once.save(FORM_MODULE, answers)
        else:
            journal.save(FORM_MODULE, answers)
        samples.append(time.perf_counter() - start)
    if journal is not None:
        journal.close()
    return summarise(samples)


def realistic_value(prompt, rng: random.Random, day: int) -> object:
    if prompt.kind == "scale":
        return rng.randint(prompt.min, prompt.max)
    if prompt.kind == "single_choice":
        return rng.choice(prompt.options)
    if prompt.kind == "checklist":
        return rng.sample(list(prompt.options), k=rng.randint(0, len(prompt.options)))
    return f"Day {day}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 80)))


def fill_journal(folder: Path, entries: int) -> dict[str, object]:
    """Write ``entries`` entries on the real prompts, one module form per day, backdated.

    ``Journal.save`` stamps entries with the current time, and a dashboard of 20,000
    entries all made today would not be realistic, so the rows are written in one
    transaction straight into the table the journal itself created (same columns, same
    versioning rule), then the journal is reopened through the API for the measurements.
    """
    from intimacy_course.content.prompts import load_all_prompts

    prompts = load_all_prompts()
    Journal(folder).close()
    rng = random.Random(2)
    rows, versions, day = [], {}, 0
    start = datetime.now(UTC) - timedelta(days=3 * 365)
    days_per_form = 3 * 365 / (entries / 4.5)  # about 4.5 prompts per form: three years
    modules = list(prompts)
    while len(rows) < entries:
        module = modules[day % len(modules)]
        moment = start + timedelta(days=day * days_per_form, minutes=rng.randint(0, 600))
        for prompt in prompts[module].prompts:
            if len(rows) == entries:
                break
            key = (module, prompt.id)
            versions[key] = versions.get(key, 0) + 1
            rows.append(
                (
                    module,
                    prompt.id,
                    versions[key],
                    json.dumps(realistic_value(prompt, rng, day), ensure_ascii=False),
                    moment.isoformat(),
                    ENTRY_SCHEMA_VERSION,
                )
            )
        day += 1
    connection = sqlite3.connect(folder / "journal.sqlite3")
    with connection:
        connection.executemany(
            "INSERT INTO entries (module, prompt_id, version, value_json, created, "
            "schema_version) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
    connection.close()
    size = (folder / "journal.sqlite3").stat().st_size
    return {
        "entries": entries,
        "form_saves": day,
        "span_days": 3 * 365,
        "file_mb": round(size / 1e6, 2),
    }


def timed(action, repeat: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        samples.append(time.perf_counter() - start)
    return round(statistics.median(samples) * 1000, 1), result


def measure_dashboard(folder: Path, repeat: int) -> dict[str, object]:
    import matplotlib.pyplot as plt

    from intimacy_course.content.prompts import load_all_prompts
    from intimacy_course.reflection.dashboard import draw_dashboard, entries_frame

    figures: dict[str, object] = {}
    figures["open_ms"], _ = timed(lambda: Journal(folder).close(), repeat)
    with Journal(folder) as journal:
        figures["history_ms"], history = timed(journal.history, repeat)
        figures["count"] = len(history)
        figures["entries_frame_ms"], frame = timed(lambda: entries_frame(journal), repeat)
        figures["frame_rows"] = len(frame)

        def draw_and_render():
            figure = draw_dashboard(journal)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png")
            plt.close(figure)
            return buffer.getbuffer().nbytes

        figures["draw_dashboard_ms"], _figure = timed(lambda: draw_dashboard(journal), repeat)
        figures["draw_and_render_png_ms"], png_bytes = timed(draw_and_render, repeat)
        figures["png_kb"] = round(png_bytes / 1024, 1)
        figures["load_prompts_ms"], _ = timed(load_all_prompts, repeat)

    def open_load_draw():
        with Journal(folder) as journal:
            figure = draw_dashboard(journal)
            figure.savefig(io.BytesIO(), format="png")
            plt.close(figure)

    figures["open_load_draw_render_total_ms"], _ = timed(open_load_draw, repeat)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="journal-bench-"))
    results: dict[str, object] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "save_unit": "one form save of 4 prompts (free text ~400 chars, rating, choice, "
        "checklist) in one transaction, synchronous=FULL",
    }
    try:
        results["save_open_journal"] = measure_saves(scratch / "open", args.saves, reopen=False)
        results["save_open_save_close"] = measure_saves(scratch / "reopen", args.saves, reopen=True)
        try:
            import intimacy_course.reflection.dashboard  # noqa: F401
        except ImportError as missing:
            results["dashboard"] = {
                "skipped": f"intimacy_course.reflection.dashboard unavailable: {missing}"
            }
        else:
            folder = scratch / "large"
            results["large_journal"] = fill_journal(folder, args.entries)
            results["dashboard"] = measure_dashboard(folder, args.repeat)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print_table(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nWritten to {RESULTS}")
    return 0


def print_table(results: dict) -> None:
    print(
        f"Journal benchmark ({results['machine']['platform']}, Python "
        f"{results['machine']['python']}, SQLite {results['machine']['sqlite']}, "
        f"{results['machine']['cpus']} CPUs)"
    )
    print(
        f"Load average at start: {results['machine']['load_average_at_start']} (other work "
        "on the machine inflates every figure)"
    )
    print(f"Save = {results['save_unit']}\n")
    print(f"{'measure':<52}{'median':>10}{'p95':>10}{'max':>10}")
    for key, title in (
        ("save_open_journal", "save, journal kept open"),
        ("save_open_save_close", "open + save + close (as the form does)"),
    ):
        row = results[key]
        print(
            f"{title + ' (n=' + str(row['n']) + ')':<52}{row['median_ms']:>7} ms"
            f"{row['p95_ms']:>7} ms{row['max_ms']:>7} ms"
        )
    dashboard = results.get("dashboard", {})
    if "skipped" in dashboard:
        print(f"\nDashboard: skipped ({dashboard['skipped']})")
        return
    large = results["large_journal"]
    print(
        f"\nLarge journal: {large['entries']} entries from {large['form_saves']} form saves "
        f"over {large['span_days']} days, {large['file_mb']} MB; median of repeated runs:"
    )
    for key, title in (
        ("open_ms", "open the journal (with quick check)"),
        ("history_ms", "history(): every entry"),
        ("entries_frame_ms", "entries_frame(journal)"),
        ("draw_dashboard_ms", "draw_dashboard(journal)"),
        ("draw_and_render_png_ms", "draw_dashboard + render PNG"),
        ("open_load_draw_render_total_ms", "open + load + draw + render (total)"),
    ):
        print(f"{title:<52}{dashboard[key]:>7} ms")


if __name__ == "__main__":
    sys.exit(main())
