"""Is every sentence in the repository our own? No 10-word run of a seed article may appear.

The seed articles are sources to learn from and cite, never text to reuse. Any run of ten
or more consecutive words (lower-cased, letters and apostrophes only) shared with a seed,
in any text file git tracks or would track, fails with the file and the copied words.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

RUN = 10
TEXT_SUFFIXES = {".ipynb", ".md", ".toml", ".py", ".txt", ".yml", ".yaml", ".json", ".cfg"}
_TOKEN = re.compile(r"[a-z']+")


def tokens(text: str) -> list[str]:
    """Lower-cased words of letters and apostrophes; curly apostrophes count as straight."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return [word for word in (w.strip("'") for w in _TOKEN.findall(text)) if word]


def runs(words: list[str], length: int = RUN) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + length]) for i in range(len(words) - length + 1)}


def readable_text(path: Path) -> str:
    """The words a reader sees: for notebooks, the cell sources rather than escaped JSON."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        try:
            cells = json.loads(raw).get("cells", [])
        except json.JSONDecodeError:
            return raw
        return "\n\n".join(
            "".join(cell.get("source", ""))
            if isinstance(cell.get("source"), list)
            else cell.get("source", "")
            for cell in cells
        )
    return raw


def repository_text_files(repo: Path) -> list[Path]:
    """Tracked files plus untracked files git does not ignore, with a text suffix."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=repo,
            capture_output=True,
            check=True,
        )
        .stdout.decode("utf-8")
        .split("\0")
    )
    return sorted(
        {
            repo / name
            for name in listed
            if name and Path(name).suffix in TEXT_SUFFIXES and (repo / name).is_file()
        }
    )


def test_tokens_treat_punctuation_and_apostrophes_alike() -> None:
    assert tokens("It’s the Brain's “Reward” — 42 times!") == [
        "it's",
        "the",
        "brain's",
        "reward",
        "times",
    ]


def test_no_run_of_ten_seed_words_in_the_repository(repo: Path, seeds: Path) -> None:
    seed_runs: dict[tuple[str, ...], str] = {}
    for seed in sorted(seeds.glob("*.txt")):
        for run in runs(tokens(seed.read_text(encoding="utf-8", errors="replace"))):
            seed_runs.setdefault(run, seed.name)
    assert seed_runs, f"No text found in the seed articles at {seeds}."

    files = repository_text_files(repo)
    assert any(path.suffix == ".py" for path in files), "git listed no files; is this a clone?"
    copied: list[str] = []
    for path in files:
        words = tokens(readable_text(path))
        hits = [
            (i, seed_runs[tuple(words[i : i + RUN])])
            for i in range(len(words) - RUN + 1)
            if tuple(words[i : i + RUN]) in seed_runs
        ]
        if hits:
            start, seed_name = hits[0]
            end = start + RUN
            while end < len(words) and any(h[0] == end - RUN + 1 for h in hits):
                end += 1
            copied.append(
                f"{path.relative_to(repo)}: {len(hits)} copied run(s) from {seed_name}, e.g. "
                f'"{" ".join(words[start:end])}"'
            )
    assert not copied, (
        "Text copied from the seed articles (rewrite in your own words):\n" + "\n".join(copied)
    )
