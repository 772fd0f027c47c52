"""Fault trials for the journal: kill a saving process at random moments, fill the disk.

Run as a script (the suite and ``benchmarks/journal_faults.py`` both do, so the trials are
the same); it prints one JSON object on stdout::

    python tests/journal/fault_trials.py kill --trials 60 --seed 1
    python tests/journal/fault_trials.py full-disk [--rounds 3]
    python tests/journal/fault_trials.py read-only

``kill``: a worker forked from this process saves answers of a few words up to 100 KB
into a journal, in a loop, acknowledging each save on a pipe once ``save`` has returned;
it checkpoints often (a small autocheckpoint, explicit checkpoints, and in half the
trials it closes and reopens the journal around every save, as the reflection form
does). The parent SIGKILLs it after a random delay, or just after it announces a
checkpoint, then checks that the journal opens (not "damaged") and that every
acknowledged save is there, value for value. Trials rotate over a few journals so that
crashes pile up on the same file, and the first trials on each journal kill it while it
is being created.

``full-disk`` and ``read-only`` run in a fresh mount namespace with a 1 MB tmpfs (``unshare
-m`` as root, ``unshare -Urm`` for an ordinary account), so nothing outside the process
sees the mount. When neither works the JSON says ``{"unavailable": reason}`` and the exit
status is 3.

Imports only the standard library and ``intimacy_course.journal``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from intimacy_course.journal import (
    JOURNAL_FILENAME,
    Journal,
    JournalDamagedError,
    JournalError,
    JournalReadOnlyError,
    export_journal,
)

MODULE = "03_dopamine_and_numbing"
UNAVAILABLE = 3
_FILLER = (
    "Noticing the urge, naming it, and staying with the breath for a while; "
    "trust comes back slowly, in small kept promises. Ça va, 🌱, «quotes», and "
    '"commas, too". Line breaks matter:\nlike this one.\n'
)


def answers(seed: int, index: int) -> dict[str, object]:
    """The answers of save ``index`` of the worker with ``seed``: a few words up to 100 KB."""
    rng = random.Random(f"{seed}:{index}")
    length = int(10 ** rng.uniform(1, 5))  # 10 characters .. 100 000, spread evenly in log
    body = (_FILLER * (length // len(_FILLER) + 1))[:length]
    form: dict[str, object] = {"text": f"[{seed}/{index}] {body}"}
    if rng.random() < 0.5:
        form.update(
            scale=index % 5 + 1, choice=f"option-{index % 3}", checklist=[f"n{index}", "grounding"]
        )
    return form


# --- the worker (a forked child) ------------------------------------------------------------


def _send(pipe: int, line: str) -> None:
    os.write(pipe, line.encode() + b"\n")  # < PIPE_BUF bytes: written whole or not at all


def _checkpoint(journal: Journal, pipe: int, kind: str) -> None:
    _send(pipe, "K")
    with contextlib.suppress(Exception):
        journal._connection().execute(f"PRAGMA wal_checkpoint({kind})").fetchall()
    _send(pipe, "k")


def _open(folder: Path) -> Journal:
    journal = Journal(folder)
    # Checkpoint after every few pages: a kill then often lands inside one.
    journal._connection().execute("PRAGMA wal_autocheckpoint=16")
    return journal


def worker(folder: Path, seed: int, start: int, reopen: bool, pipe: int) -> None:
    """Save in a loop until killed; acknowledge each save once ``save`` has returned."""
    rng = random.Random(seed)
    journal = _open(folder)
    index = start
    while True:
        if rng.random() < 0.15:
            _checkpoint(journal, pipe, rng.choice(["PASSIVE", "FULL", "RESTART", "TRUNCATE"]))
        saved = journal.save(MODULE, answers(seed, index))
        _send(pipe, f"A {index} " + " ".join(str(entry.id) for entry in saved))
        index += 1
        if reopen:
            _send(pipe, "K")  # closing the last connection checkpoints and removes the -wal
            journal.close()
            _send(pipe, "k")
            journal = _open(folder)


# --- checking ------------------------------------------------------------------------------


def check_journal(folder: Path, acknowledged: dict[int, list[int]]) -> dict:
    """Open the journal as a learner would and compare it with every acknowledged save.

    ``acknowledged`` maps ``seed * 10**6 + index`` (which save) to the entry ids that
    ``save`` returned for it. Counts a save as lost when any of its entries is missing
    or differs from what was saved.
    """
    outcome = {"damaged": False, "unopenable": "", "lost": 0, "integrity": ""}
    try:
        journal = Journal(folder)
    except JournalDamagedError as problem:
        outcome["damaged"] = True
        outcome["unopenable"] = str(problem)
        return outcome
    except JournalError as problem:
        outcome["unopenable"] = f"{type(problem).__name__}: {problem}"
        return outcome
    with journal:
        by_id = {entry.id: entry for entry in journal.history()}
        for key, ids in acknowledged.items():
            seed, index = divmod(key, 10**6)
            expected = answers(seed, index)
            got = [by_id.get(entry_id) for entry_id in ids]
            if len(ids) != len(expected) or any(
                entry is None
                or entry.module != MODULE
                or entry.prompt_id not in expected
                or entry.value != expected[entry.prompt_id]
                for entry in got
            ):
                outcome["lost"] += 1
        outcome["integrity"] = ";".join(journal.integrity_check())
    return outcome


# --- kill trials ---------------------------------------------------------------------------


def _read_available(pipe: int, buffer: bytearray, wait: float) -> bool:
    """Append what the worker wrote within ``wait`` seconds; False once it closed the pipe."""
    ready, _, _ = select.select([pipe], [], [], wait)
    if not ready:
        return True
    chunk = os.read(pipe, 65536)
    buffer.extend(chunk)
    return bool(chunk)


def kill_trials(trials: int, seed: int, base: Path, journals: int = 8) -> dict:
    """Run ``trials`` kill trials; return the counts (and the first few problems seen)."""
    rng = random.Random(seed)
    acknowledged: dict[int, dict[int, list[int]]] = {n: {} for n in range(journals)}
    next_index: dict[int, int] = dict.fromkeys(range(journals), 0)
    totals = {
        "trials": 0,
        "lost": 0,
        "falsely_damaged": 0,
        "unopenable": 0,
        "killed_in_checkpoint": 0,
        "acknowledged_saves": 0,
        "largest_answer_bytes": 0,
        "problems": [],
    }
    started = time.monotonic()
    for trial in range(trials):
        slot = trial % journals
        folder = base / f"journal-{slot}"
        worker_seed = seed * 1000 + trial
        reopen = rng.random() < 0.5
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the worker, killed by its parent
            try:
                os.close(read_end)
                worker(folder, worker_seed, next_index[slot], reopen, write_end)
            finally:
                os._exit(0)
        os.close(write_end)
        buffer = bytearray()
        if rng.random() < 0.6:  # kill just after the n-th checkpoint begins (they take ~1 ms)
            wanted, deadline = rng.randint(1, 4), time.monotonic() + 2
            while buffer.count(b"K\n") < wanted and time.monotonic() < deadline:
                if not _read_available(read_end, buffer, 0.01):
                    break
            time.sleep(rng.uniform(0, 0.0015))
        else:  # kill at a random moment, from inside journal creation onwards
            time.sleep(rng.uniform(0, 0.05) if next_index[slot] else rng.uniform(0, 0.01))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        while _read_available(read_end, buffer, 0):
            pass
        os.close(read_end)
        lines = buffer.decode().splitlines()
        markers = [line for line in lines if line in ("K", "k")]
        if markers and markers[-1] == "K":
            totals["killed_in_checkpoint"] += 1
        for line in lines:
            if line.startswith("A "):
                _, index, *ids = line.split()
                acknowledged[slot][worker_seed * 10**6 + int(index)] = [int(i) for i in ids]
                next_index[slot] = int(index) + 1
                totals["acknowledged_saves"] += 1
                totals["largest_answer_bytes"] = max(
                    totals["largest_answer_bytes"],
                    len(str(answers(worker_seed, int(index))["text"]).encode()),
                )
        outcome = check_journal(folder, acknowledged[slot])
        totals["trials"] += 1
        totals["lost"] += outcome["lost"]
        totals["falsely_damaged"] += int(outcome["damaged"])
        totals["unopenable"] += int(bool(outcome["unopenable"]) and not outcome["damaged"])
        if (
            outcome["lost"] or outcome["unopenable"] or outcome["integrity"] not in ("ok", "")
        ) and len(totals["problems"]) < 5:
            totals["problems"].append({"trial": trial, **outcome})
    totals["seconds"] = round(time.monotonic() - started, 2)
    return totals


# --- full disk and read-only file systems (inside a private tmpfs) -------------------------


def _fill(folder: Path) -> Path:
    """Write a filler file until the disk is full; return it."""
    filler = folder / "filler.bin"
    with open(filler, "ab", buffering=0) as handle, contextlib.suppress(OSError):
        while True:
            handle.write(b"\0" * 4096)
    return filler


def _export_elsewhere(folder: Path, outside: Path) -> int:
    target = outside / f"export-{time.monotonic_ns()}.json"
    with Journal(folder) as journal:
        export_journal(journal, target)
    entries = json.loads(target.read_text(encoding="utf-8"))["entries"]
    target.unlink()
    return len(entries)


def full_disk_trial(mount: Path, outside: Path, seed: int) -> dict:
    """Save until the disk is full, then check reading, exporting and saving again."""
    folder = mount / f"data-{seed}"
    # Two spare files, deleted later to give room again (as a learner deleting files would).
    spares = [mount / "spare-1.bin", mount / "spare-2.bin"]
    for spare in spares:
        spare.write_bytes(b"\0" * 250_000)
    acknowledged: dict[int, list[int]] = {}
    result: dict[str, object] = {"seed": seed}
    messages: list[str] = []
    failures = 0
    with Journal(folder) as journal:
        index = 0
        while failures < 3 and index < 10_000:
            try:
                saved = journal.save(MODULE, answers(seed, index))
            except JournalError as problem:
                failures += 1
                messages.append(f"{type(problem).__name__}: {problem}")
            else:
                acknowledged[seed * 10**6 + index] = [entry.id for entry in saved]
            index += 1
        result["still_readable_in_place"] = len(journal.history())
    result["acknowledged_saves"] = len(acknowledged)
    result["save_errors"] = messages[:3]
    result["disk_full_said"] = bool(messages) and all(
        m.startswith("JournalDiskFullError") for m in messages
    )
    reopened = check_journal(folder, acknowledged)
    result["lost"] = reopened["lost"]
    result["damaged"] = reopened["damaged"]
    result["unopenable"] = reopened["unopenable"]
    result["exported_elsewhere"] = _export_elsewhere(folder, outside)
    try:
        with Journal(folder) as journal:
            export_journal(journal, mount / "export-here.json")
        result["export_on_full_disk"] = "written"
    except JournalError as problem:
        result["export_on_full_disk"] = f"{type(problem).__name__}: {problem}"
    # Some room again; a worker fills it and is killed at a random moment around the time
    # the disk is full: what it acknowledged must survive too.
    spares[0].unlink()
    result["killed_while_full"] = _killed_while_filling(folder, seed, acknowledged)
    # Room again (the learner deletes something): the journal is merged and closed cleanly.
    spares[1].unlink()
    with Journal(folder) as journal:
        result["read_only_after_freeing"] = (
            type(journal.read_only).__name__ if journal.read_only else ""
        )
    result["closed_cleanly"] = not (folder / (JOURNAL_FILENAME + "-wal")).exists()
    # Then the disk fills up completely, from elsewhere: SQLite cannot even create its
    # -shm index there, yet the journal must open, show every answer and say why it
    # cannot save.
    filler = _fill(mount)
    try:
        with Journal(folder) as journal:
            result["opens_on_a_completely_full_disk"] = len(journal.history())
            result["read_only_reason"] = (
                type(journal.read_only).__name__ if journal.read_only else ""
            )
            try:
                journal.save(MODULE, {"text": "one more"})
                result["save_on_completely_full_disk"] = "saved"
            except JournalError as problem:
                result["save_on_completely_full_disk"] = f"{type(problem).__name__}: {problem}"
        result["lost_when_completely_full"] = check_journal(folder, acknowledged)["lost"]
        result["exported_when_completely_full"] = _export_elsewhere(folder, outside)
    finally:
        filler.unlink()
    with Journal(folder) as journal:
        try:
            journal.save(MODULE, {"text": "after freeing space"})
            result["save_after_freeing"] = "saved"
        except JournalError as problem:
            result["save_after_freeing"] = f"{type(problem).__name__}: {problem}"
    result["lost_at_end"] = check_journal(folder, acknowledged)["lost"]
    shutil.rmtree(folder)
    return result


def _killed_while_filling(folder: Path, seed: int, acknowledged: dict[int, list[int]]) -> dict:
    """Fill the disk from a worker and SIGKILL it at a random moment; check the journal."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the worker
        try:
            os.close(read_end)
            journal = _open(folder)
            index = 500_000
            while True:
                try:
                    saved = journal.save(MODULE, answers(seed, index))
                    _send(write_end, f"A {index} " + " ".join(str(e.id) for e in saved))
                except JournalError:
                    _send(write_end, "F")
                index += 1
        finally:
            os._exit(0)
    os.close(write_end)
    buffer = bytearray()
    deadline = time.monotonic() + 5
    while b"F\n" not in buffer and time.monotonic() < deadline:
        if not _read_available(read_end, buffer, 0.01):
            break
    time.sleep(random.Random(seed).uniform(0, 0.01))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while _read_available(read_end, buffer, 0):
        pass
    os.close(read_end)
    for line in buffer.decode().splitlines():
        if line.startswith("A "):
            _, index, *ids = line.split()
            acknowledged[seed * 10**6 + int(index)] = [int(i) for i in ids]
    outcome = check_journal(folder, acknowledged)
    return {
        "reached_full": b"F\n" in buffer,
        "lost": outcome["lost"],
        "damaged": outcome["damaged"],
        "unopenable": outcome["unopenable"],
    }


def read_only_trial(mount: Path, outside: Path) -> dict:
    """Journals on a file system remounted read-only: they open, show, export; saving says why."""
    results: dict[str, dict] = {}
    for case in ("closed cleanly", "left by a killed process", "killed, -shm removed"):
        folder = mount / case.replace(" ", "-").replace(",", "")
        acknowledged: dict[int, list[int]] = {}
        if case == "closed cleanly":
            with Journal(folder) as journal:
                for index in range(5):
                    saved = journal.save(MODULE, answers(7, index))
                    acknowledged[7 * 10**6 + index] = [entry.id for entry in saved]
        else:
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the worker
                os.close(read_end)
                journal = Journal(folder)
                journal._connection().execute("PRAGMA wal_autocheckpoint=0")
                for index in range(5):
                    saved = journal.save(MODULE, answers(7, index))
                    _send(write_end, f"A {index} " + " ".join(str(e.id) for e in saved))
                os.kill(os.getpid(), signal.SIGKILL)
            os.close(write_end)
            os.waitpid(pid, 0)
            with os.fdopen(read_end) as pipe:
                for line in pipe.read().splitlines():
                    _, index, *ids = line.split()
                    acknowledged[7 * 10**6 + int(index)] = [int(i) for i in ids]
            if "removed" in case:
                (folder / (JOURNAL_FILENAME + "-shm")).unlink()
        files_before = sorted(p.name for p in folder.iterdir())
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        try:
            outcome = check_journal(folder, acknowledged)
            with Journal(folder) as journal:
                reason = journal.read_only
                try:
                    journal.save(MODULE, {"text": "not possible"})
                    saving = "saved"
                except JournalError as problem:
                    saving = f"{type(problem).__name__}: {problem}"
            results[case] = {
                "acknowledged": len(acknowledged),
                "lost": outcome["lost"],
                "damaged": outcome["damaged"],
                "unopenable": outcome["unopenable"],
                "read_only": isinstance(reason, JournalReadOnlyError),
                "saving": saving,
                "exported_elsewhere": _export_elsewhere(folder, outside),
                "files_unchanged": sorted(p.name for p in folder.iterdir()) == files_before,
            }
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(mount)], check=True)
    return results


def in_small_tmpfs(argv: list[str], size: str = "1m", timeout: float = 300) -> dict:
    """Run this script with ``argv`` in a new mount namespace holding a ``size`` tmpfs.

    Root gets a private mount namespace (``unshare -m``); an ordinary account a user and
    mount namespace (``unshare -Urm``). Returns the script's JSON, or
    ``{"unavailable": reason}`` when neither can mount a tmpfs here.
    """
    unshare = shutil.which("unshare")
    if unshare is None:
        return {"unavailable": "the `unshare` command (util-linux) is not installed"}
    mount = Path(tempfile.mkdtemp(prefix="journal-tmpfs-"))
    outside = Path(tempfile.mkdtemp(prefix="journal-outside-"))
    script = 'mount -t tmpfs -o size="$1",mode=0700 tmpfs "$2" || exit 3; shift 2; exec "$@"'
    namespaces = ["-m"] if os.geteuid() == 0 else ["-Urm"]
    command = [
        unshare,
        *namespaces,
        "--",
        "sh",
        "-c",
        script,
        "sh",
        size,
        str(mount),
        sys.executable,
        os.path.abspath(__file__),
        *argv,
        "--mount",
        str(mount),
        "--outside",
        str(outside),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    finally:
        shutil.rmtree(mount, ignore_errors=True)
        shutil.rmtree(outside, ignore_errors=True)
    if done.returncode == UNAVAILABLE or (done.returncode and not done.stdout.strip()):
        if "Traceback" in done.stderr:
            raise RuntimeError(f"fault trial failed:\n{done.stderr}")
        return {
            "unavailable": f"could not mount a {size} tmpfs in a private namespace "
            f"({' '.join(['unshare', *namespaces])}): "
            f"{done.stderr.strip()[-300:]}"
        }
    if done.returncode:
        raise RuntimeError(f"fault trial failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kind", choices=("kill", "full-disk", "read-only"))
    parser.add_argument("--trials", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=1, help="full-disk rounds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, help="kill: where the journals go (default: temp)")
    parser.add_argument("--mount", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--outside", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.kind == "kill":
        base = args.dir or Path(tempfile.mkdtemp(prefix="journal-kill-"))
        try:
            result = kill_trials(args.trials, args.seed, base)
        finally:
            if args.dir is None:
                shutil.rmtree(base, ignore_errors=True)
    elif args.mount is None:  # re-run inside a private namespace with a small tmpfs
        argv = [args.kind, "--rounds", str(args.rounds), "--seed", str(args.seed)]
        result = in_small_tmpfs(argv)
        print(json.dumps(result))
        return UNAVAILABLE if "unavailable" in result else 0
    elif args.kind == "full-disk":
        result = {
            "rounds": [
                full_disk_trial(args.mount, args.outside, args.seed + n) for n in range(args.rounds)
            ]
        }
    else:
        result = read_only_trial(args.mount, args.outside)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
