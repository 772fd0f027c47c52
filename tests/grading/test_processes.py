"""Does a stopped grading step end every process it started, grandchildren included, and
nothing that was running before it began (a kernel's or a test worker's other children)?

The step runs in a process of its own, as ``intimacy-course check`` does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

#: Starts a child that starts a grandchild (as nbgrader starts bwrap, which starts a
#: kernel), then ends its descendants and reports what was running before and after.
STOPPED_STEP = """
import json, subprocess, sys, time
from intimacy_course.grading.processes import descendants, end_descendants

SPAWNER = (
    "import subprocess, sys, time\\n"
    "g = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\\n"
    "print(g.pid, flush=True)\\n"
    "time.sleep(60)\\n"
)
bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
already_running = set(descendants())
child = subprocess.Popen([sys.executable, "-c", SPAWNER], stdout=subprocess.PIPE, text=True)
grandchild = int(child.stdout.readline())
before = [pid for pid in descendants() if pid not in already_running]

def running(pid):
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return False

ended = end_descendants(keep=already_running)
deadline = time.monotonic() + 5
while time.monotonic() < deadline and running(grandchild):
    time.sleep(0.05)
print(json.dumps({
    "child": child.pid, "grandchild": grandchild, "before": before, "ended": ended,
    "after": descendants(), "still_running": [p for p in (child.pid, grandchild) if running(p)],
    "bystander": bystander.pid, "bystander_running": running(bystander.pid),
}))
bystander.kill()
"""


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc (Linux)")
def test_every_descendant_is_ended_children_first() -> None:
    done = subprocess.run(
        [sys.executable, "-c", STOPPED_STEP], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["before"] == [seen["child"], seen["grandchild"]], "children come first"
    assert seen["ended"] == 2
    assert seen["still_running"] == []
    assert seen["bystander_running"] and seen["after"] == [seen["bystander"]]
