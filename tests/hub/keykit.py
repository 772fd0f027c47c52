"""Plant a marker in every file that holds the answer key, then look for it as a trainee.

The marker is a random string nobody could guess, written where the key lives and where it
cannot leak by design: a comment line in each bank file, the start of every written
question's model answer (so it reaches the source quizzes' hidden solutions and mark
schemes, which a release must strip), a comment in each rubric, calibration set and
facilitator page, a solution or mark-scheme line in each source quiz, and a row of the
gradebook. Explanations and option texts are left alone: trainees see those on purpose,
in the quiz and in their feedback. The instructor's private seed needs no marker: its own
random text is searched for.

The scan runs as the trainee (``runuser``), with the system's Python and nothing of the
course: it reads every file the account can read under the given folders.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
from pathlib import Path

from tests.hub.hubkit import run_as

#: Folders of a course root that hold the key.
KEY_FOLDERS = ("items", "source", "rubrics", "facilitator")


def new_marker() -> str:
    return f"KEYMARKER-{secrets.token_hex(12)}"


def _plant_toml(path: Path, marker: str) -> None:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'^(model_answer = """)', rf"\g<1>{marker} ", text, flags=re.M)
    text = re.sub(r'^(model_answer = ")(?!"")', rf"\g<1>{marker} ", text, flags=re.M)
    path.write_text(f"{text.rstrip()}\n# {marker}\n", encoding="utf-8")


def _plant_notebook(path: Path, marker: str) -> bool:
    """Add the marker to each solution cell and inside each mark scheme; False if none."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    planted = False
    for cell in notebook.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if "=== END MARK SCHEME ===" in source:
            source = source.replace(
                "=== END MARK SCHEME ===", f"{marker}\n\n=== END MARK SCHEME ==="
            )
        elif meta.get("solution") and cell["cell_type"] == "markdown":
            source = f"{source}\n\n{marker}"
        elif meta.get("solution") and cell["cell_type"] == "code":
            source = source.replace("### END SOLUTION", f"# {marker}\n### END SOLUTION")
        else:
            continue
        cell["source"] = source
        planted = True
    if planted:
        path.write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")
    return planted


def plant(course_root: Path, marker: str) -> list[Path]:
    """Plant ``marker`` in every key file under a course root; return the files planted."""
    planted = []
    for folder in KEY_FOLDERS:
        for path in sorted((course_root / folder).rglob("*")):
            if path.is_symlink() or not path.is_file():
                continue
            if path.suffix == ".toml":
                _plant_toml(path, marker)
            elif path.suffix == ".md":
                with path.open("a", encoding="utf-8") as out:
                    out.write(f"\n<!-- {marker} -->\n")
            elif path.suffix == ".ipynb":
                if not _plant_notebook(path, marker):
                    continue  # e.g. the header every released quiz shows: no key in it
            else:
                continue
            planted.append(path)
    return planted


def plant_in_gradebook(database: Path, marker: str) -> bool:
    """Write the marker as a grader's comment on one graded item; False if none is there."""
    with sqlite3.connect(database) as connection:
        changed = connection.execute(
            "UPDATE comment SET manual_comment = ? WHERE id = (SELECT min(id) FROM comment)",
            (marker,),
        ).rowcount
    connection.close()
    return bool(changed)


def holds(path: Path, needles: list[str]) -> bool:
    data = path.read_bytes()
    return any(needle.encode() in data for needle in needles)


SCAN = r"""
import json, os, sys
needles = [n.encode() for n in json.loads(sys.argv[1])]
skip = set(json.loads(sys.argv[2]))
report = {"readable": 0, "unreadable": 0, "bytes": 0, "hits": [], "folders_closed": 0}
def closed(error):
    report["folders_closed"] += 1
for root in json.loads(sys.argv[3]):
    for folder, subfolders, files in os.walk(root, onerror=closed):
        subfolders[:] = [d for d in subfolders if os.path.join(folder, d) not in skip]
        for name in files:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                continue
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError:
                report["unreadable"] += 1
                continue
            report["readable"] += 1
            report["bytes"] += len(data)
            if any(needle in data for needle in needles):
                report["hits"].append(path)
print(json.dumps(report))
"""


def scan_as(user: str, roots: list[Path], needles: list[str], skip: list[Path]) -> dict:
    """Read, as ``user``, every file it can under ``roots``; report where a needle was found."""
    result = run_as(
        user,
        "/usr/bin/python3",
        "-c",
        SCAN,
        json.dumps(needles),
        json.dumps([str(path) for path in skip]),
        json.dumps([str(path) for path in roots]),
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)
