"""A separate process that saves into a journal, for the multi-process journal tests.

    python -m tests.support.journal_worker FOLDER TAG COUNT [--prompts 1|4] [--go FILE]

Makes COUNT saves (COUNT <= 0: until killed) into module "m", each answering one prompt
or, with ``--prompts 4``, a whole four-prompt form in one transaction, and after each save
has *returned* prints one line to stdout: ``TAG <i> <id> ...``. A test that kills this
process can therefore trust that every complete line names entries the journal promised
to keep. With ``--go FILE`` it waits for FILE to exist before the first save, so two workers
start together.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from intimacy_course.journal import Journal


def answers(tag: str, index: int, prompts: int = 4) -> dict[str, object]:
    """The answers of save number ``index``; tests rebuild them to compare."""
    if prompts == 1:
        return {"text": f'{tag} answer {index}: commas, "quotes" and 🌱'}
    return {
        "text": f'{tag} answer {index}: feelings, commas, "quotes" and 🌱',
        "scale": index % 5 + 1,
        "choice": f"option-{index % 3}",
        "checklist": [f"{tag}-{index}", "grounding"],
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("tag")
    parser.add_argument("count", type=int)
    parser.add_argument("--prompts", type=int, choices=(1, 4), default=4)
    parser.add_argument("--go", type=Path)
    args = parser.parse_args()
    journal = Journal(args.folder)
    print(f"{args.tag} ready", flush=True)
    if args.go:
        while not args.go.exists():
            time.sleep(0.002)
    index = 0
    while args.count <= 0 or index < args.count:
        saved = journal.save("m", answers(args.tag, index, args.prompts))
        ids = " ".join(str(entry.id) for entry in saved)
        sys.stdout.write(f"{args.tag} {index} {ids}\n")
        sys.stdout.flush()
        index += 1
    journal.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
