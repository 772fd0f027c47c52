"""Can a cohort run the course on JupyterHub, with nbgrader's exchange, and stay private?

One instructor and two trainees, each with a Unix account and their own server started
by a real JupyterHub (deploy/jupyterhub). The instructor releases the first quiz for the
cohort (``cohort_setup.py release-cohort``: ``intimacy-course release --cohort`` in their own
course folder, with their private seed); each trainee fetches it, answers by clicking in
their own kernel (one fully, one partly) and submits; the instructor collects, autogrades
(trainee code sandboxed) and returns the learners' feedback pages; each trainee fetches their
own. Then: nobody reads what is not theirs; every file that holds the answer key carries a
marker, and a trainee who reads every file they can finds it nowhere; and when a second
grader joins, both grading at once into a PostgreSQL gradebook get the same scores as SQLite.

The tests run in file order; the PostgreSQL test restarts the hub and comes last.
"""

from __future__ import annotations

import json
import pwd
import re
import stat
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.hub.hubkit import COUNTS, MEMORY_MB, TIMINGS, Person, resident_mb, run_as
from tests.hub.keykit import holds, new_marker, plant, plant_in_gradebook, scan_as
from tests.hub.quizkit import (
    QUIZ_ID,
    Plan,
    click_code,
    instructor_key,
    plan_answers,
    read_json,
    sheet_item_ids,
    stored_matches,
)

pytestmark = [
    pytest.mark.hub,
    pytest.mark.slow,
    pytest.mark.timeout(900),
    pytest.mark.xdist_group("hub"),
]

JOURNAL_CODE = """
import json, os
from intimacy_course.journal import Journal
with Journal() as journal:
    journal.save("01_attachment_injury", {"hub_check": "Words that stay in my own account."})
    print(json.dumps({"path": str(journal.path), "home": os.path.expanduser("~"),
                      "data_env": os.environ.get("INTIMACY_COURSE_DATA")}))
"""

ENVIRONMENT_CODE = """
import json, os
names = ("INTIMACY_COURSE_REPO", "INTIMACY_COURSE_ROOT", "INTIMACY_COURSE_REQUIRE_SANDBOX")
print(json.dumps({name: os.environ.get(name) for name in names}))
"""

#: A command run in a terminal of the person's own server (same environment as a terminal).
COMMAND_CODE = """
import json, subprocess
said = subprocess.run({command!r}, capture_output=True, text=True)
print(json.dumps({{"code": said.returncode, "out": said.stdout, "err": said.stderr}}))
"""


def run_command(person: Person, *command: str, timeout: float = 600) -> dict:
    """Run a command in the person's own server (as in its terminal); its code and output."""
    return read_json(person.run_code(COMMAND_CODE.format(command=list(command)), timeout))


@dataclass
class RoundTrip:
    """What the quiz round trip produced, for the tests below to check."""

    plans: dict[str, Plan]
    scores: dict[str, float]
    item_scores: dict[tuple[str, str], float | None]
    clicked: dict[str, dict]  # trainee -> what their kernel stored
    listings: dict[str, list[dict]]
    feedback: dict[str, dict[str, str]]  # trainee -> {path relative to home: html}
    journals: dict[str, dict]
    environments: dict[str, dict]  # person -> course variables of their server
    checks: dict[str, dict]  # trainee -> `intimacy-course check` on their quiz
    marker: str
    seed: str
    planted: list[Path]
    seconds: float
    steps: dict[str, float] = field(default_factory=dict)


def succeeded(result: dict) -> dict:
    assert result.get("success"), (
        f"{result.get('error', '')[-1500:]}\n--- log (end) ---\n{result.get('log', '')[-3000:]}"
    )
    return result


def grading_results(instructor: Person, assignment_id: str) -> tuple[dict, dict]:
    """Scores per trainee and per graded item, read through formgrader's API."""
    scores = {
        item["student"]: item["score"]
        for item in instructor.formgrader("GET", f"submissions/{assignment_id}")
    }
    items: dict[tuple[str, str], float | None] = {}
    for notebook in instructor.formgrader("GET", f"submitted_notebooks/{assignment_id}/quiz"):
        grades = instructor.formgrader("GET", "grades", params={"submission_id": notebook["id"]})
        for grade in grades:
            items[(notebook["student"], grade["name"])] = grade["auto_score"]
    return scores, items


def entry(listing: list[dict], assignment_id: str, status: str) -> dict | None:
    return next(
        (
            item
            for item in listing
            if item["assignment_id"] == assignment_id and item["status"] == status
        ),
        None,
    )


def fetch_feedback_pages(trainee: Person, course: str, quiz_id: str) -> dict[str, str]:
    trainee.assignment_action("fetch_feedback", course, quiz_id)
    submitted = entry(trainee.assignments(course), quiz_id, "submitted")
    assert submitted, f"{trainee.name}'s submission is not listed"
    pages = {}
    for submission in submitted["submissions"]:
        folder = submission.get("local_feedback_path")
        if submission.get("has_local_feedback") and folder:
            for name in trainee.list_folder(folder):
                if name.endswith(".html"):
                    model = trainee.ok_json(
                        trainee.get(
                            f"api/contents/{folder}/{name}",
                            params={"content": 1, "format": "text", "type": "file"},
                        )
                    )
                    pages[f"{folder}/{name}"] = model["content"]
    return pages


@pytest.fixture(scope="module")
def round_trip(cohort) -> RoundTrip:
    instructor, trainees = cohort.instructor, cohort.trainees
    course, quiz_id = cohort.course_id, QUIZ_ID
    course_root = instructor.home / "course"

    # Each trainee writes a private reflection from a notebook cell first.
    journals = {}
    for trainee in trainees:
        journals[trainee.name] = read_json(trainee.run_code(JOURNAL_CODE))
    environments = {p.name: read_json(p.run_code(ENVIRONMENT_CODE)) for p in cohort.everyone}

    # Every file that holds the key carries a marker: in the clone and in the instructor's
    # own course folder (its bank's model answers reach the source quiz built from it).
    marker = new_marker()
    planted = plant(cohort.clone / "grading", marker) + plant(course_root, marker)

    steps: dict[str, float] = {}
    began = time.monotonic()
    said = cohort.setup.release_cohort(cohort.settings, instructor.name, quizzes=[quiz_id])
    assert f"{quiz_id}: released to the exchange" in said, said
    steps["release --cohort, then to the exchange"] = time.monotonic() - began
    seed = (instructor.home / cohort.setup.SEED_PATH).read_bytes().strip()
    bank = instructor_key(course_root)
    first, second = trainees
    plans = {
        first.name: plan_answers(bank, seed, first.name, right=None),
        second.name: plan_answers(bank, seed, second.name, right=2, wrong=1, written=0),
    }

    listings, clicked = {}, {}
    for trainee in trainees:
        mark = time.monotonic()
        assert entry(trainee.assignments(course), quiz_id, "released"), (
            f"{trainee.name} does not see the released quiz"
        )
        trainee.assignment_action("fetch", course, quiz_id)
        assert entry(trainee.assignments(course), quiz_id, "fetched"), (
            f"{trainee.name} could not fetch the quiz"
        )
        clicked[trainee.name] = read_json(
            trainee.run_code(click_code(course, quiz_id, plans[trainee.name]))
        )
        listing = trainee.assignment_action("submit", course, quiz_id)
        assert listing.get("success"), listing
        listings[trainee.name] = listing["value"]
        steps[f"fetch + click answers + submit {trainee.name}"] = time.monotonic() - mark

    mark = time.monotonic()
    succeeded(instructor.formgrader("POST", f"assignment/{quiz_id}/collect"))
    steps["collect"] = time.monotonic() - mark
    for trainee in trainees:
        mark = time.monotonic()
        succeeded(instructor.formgrader("POST", f"submission/{quiz_id}/{trainee.name}/autograde"))
        steps[f"autograde {trainee.name} (sandboxed)"] = time.monotonic() - mark
    mark = time.monotonic()
    made = run_command(instructor, "intimacy-course", "feedback")
    assert made["code"] == 0, made
    succeeded(instructor.formgrader("POST", f"assignment/{quiz_id}/release_feedback"))
    steps["intimacy-course feedback + release feedback"] = time.monotonic() - mark

    feedback = {t.name: fetch_feedback_pages(t, course, quiz_id) for t in trainees}
    seconds = time.monotonic() - began
    TIMINGS["round trip: one quiz, two trainees (release->feedback)"] = seconds
    for name, value in steps.items():
        TIMINGS[f"  {name}"] = value

    quiz_path = f"{course}/{quiz_id}/quiz.ipynb"
    checks = {
        t.name: run_command(t, "intimacy-course", "check", str(t.home / quiz_path))
        for t in trainees
    }
    for person in (instructor, trainees[0]):
        MEMORY_MB[f"after the round trip: {person.role}'s processes"] = resident_mb(
            person.home.stat().st_uid
        )
    scores, items = grading_results(instructor, quiz_id)
    assert plant_in_gradebook(course_root / "gradebook.db", marker)
    planted.append(course_root / "gradebook.db")
    return RoundTrip(
        plans,
        scores,
        items,
        clicked,
        listings,
        feedback,
        journals,
        environments,
        checks,
        marker,
        seed.decode(),
        planted,
        seconds,
        steps,
    )


# --- who may come in, and what each role gets -------------------------------------------


def test_the_hub_checks_unix_passwords(cohort) -> None:
    trainee = cohort.trainees[0]
    wrong = Person(trainee.name, trainee.role, "not-the-password", trainee.home, trainee.hub_url)
    assert wrong.request_token().status_code == 403
    assert trainee.request_token().status_code == 201


def test_trainees_get_the_assignment_list_but_not_formgrader(cohort) -> None:
    assert cohort.instructor.get("formgrader/api/status").status_code == 200
    for trainee in cohort.trainees:
        assert trainee.get("formgrader/api/status").status_code == 404
        assert trainee.get("assignments", params={"course_id": cohort.course_id}).ok
        page = trainee.get("lab").text
        config = json.loads(
            re.search(
                r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                page,
                re.S,
            ).group(1)
        )
        disabled = config.get("disabledExtensions", [])
        assert "@jupyter/nbgrader:formgrader" in disabled
        assert "@jupyter/nbgrader:create-assignment" in disabled


def test_formgrader_opens_in_its_own_tab_and_keeps_the_hubs_frame_protection(cohort) -> None:
    """nbgrader's documented choice for JupyterHub >= 4.1: no iframe, no weakened CSP."""
    page = cohort.instructor.get("formgrader")
    assert page.status_code == 200
    assert "formgrader" in page.text.lower()
    assert "frame-ancestors 'none'" in page.headers.get("Content-Security-Policy", "")


def test_an_instructor_cannot_open_a_trainees_server(cohort) -> None:
    instructor, trainee = cohort.instructor, cohort.trainees[0]
    # The trainee's server, addressed with the instructor's token.
    intruder = Person(
        trainee.name, trainee.role, "", trainee.home, trainee.hub_url, token=instructor.token
    )
    assert intruder.get("api/contents").status_code == 403
    assert trainee.get("api/contents").status_code == 200


def test_trainees_read_the_course_from_their_own_copy_without_the_key(cohort) -> None:
    trainee = cohort.trainees[0]
    assert (trainee.home / "intimacy-course").readlink() == cohort.trainee_copy
    listing = trainee.list_folder("intimacy-course/course")
    notebook = sorted(name for name in listing if name.endswith(".ipynb"))[0]
    model = trainee.ok_json(
        trainee.get(f"api/contents/intimacy-course/course/{notebook}", params={"content": 0})
    )
    assert model["writable"] is False
    assert trainee.list_folder("intimacy-course/grading") == ["README.md"]
    # Widget state (reflection answers) is never saved into a notebook on the hub either.
    widgets = "lab/api/settings/@jupyter-widgets/jupyterlab-manager:plugin"
    plugin = trainee.ok_json(trainee.get(widgets))
    default = plugin["schema"]["properties"]["saveState"]["default"]  # with the overrides
    assert plugin.get("settings", {}).get("saveState", default) is False


def test_each_role_s_server_points_at_its_own_course_tree(round_trip: RoundTrip, cohort) -> None:
    """Trainees: the copy without the key. Instructors: their workspace, whose grading/ is
    their own course folder; and their grading refuses to run without the sandbox."""
    for trainee in cohort.trainees:
        assert round_trip.environments[trainee.name] == {
            "INTIMACY_COURSE_REPO": str(cohort.trainee_copy),
            "INTIMACY_COURSE_ROOT": None,
            "INTIMACY_COURSE_REQUIRE_SANDBOX": None,
        }
    instructor = cohort.instructor
    workspace = instructor.home / "intimacy-course"
    assert round_trip.environments[instructor.name] == {
        "INTIMACY_COURSE_REPO": str(workspace),
        "INTIMACY_COURSE_ROOT": "~/course",
        "INTIMACY_COURSE_REQUIRE_SANDBOX": "1",
    }
    assert (workspace / "grading").readlink() == instructor.home / "course"
    assert (workspace / "course").readlink() == cohort.clone / "course"


def test_grading_runs_trainee_code_sandboxed_as_the_instructor(cohort) -> None:
    """bubblewrap starts for the instructor's account: unprivileged user namespaces work."""
    assert cohort.setup.sandbox_problem_for(cohort.instructor.name) == ""


# --- the quiz round trip ------------------------------------------------------------------


def test_trainees_answer_by_clicking_and_the_widgets_store_the_answers(
    round_trip: RoundTrip, cohort
) -> None:
    course_root = cohort.instructor.home / "course"
    bank = instructor_key(course_root)
    for trainee in cohort.trainees:
        result = round_trip.clicked[trainee.name]
        plan = round_trip.plans[trainee.name]
        assert result["student"] == trainee.name and result["known"] is True
        assert result["mode"] == "0o600"
        items = sheet_item_ids(bank, round_trip.seed.encode(), trainee.name)
        assert stored_matches(plan, result["stored"], items), result["stored"]


def test_the_autograder_scores_each_trainee_exactly(round_trip: RoundTrip, cohort) -> None:
    first, second = cohort.trainees
    assert round_trip.plans[first.name].right == round_trip.plans[first.name].clicked_questions
    assert round_trip.plans[second.name].right == 2
    for trainee in cohort.trainees:
        assert round_trip.scores[trainee.name] == round_trip.plans[trainee.name].right
    # One point per clicked question, and written answers wait for the instructor.
    for (student, name), score in round_trip.item_scores.items():
        if name.startswith("written_"):
            assert score is None or score == 0, (student, name, score)


def test_each_trainee_fetches_their_own_learner_feedback_page(
    round_trip: RoundTrip, cohort
) -> None:
    for trainee in cohort.trainees:
        pages = round_trip.feedback[trainee.name]
        assert len(pages) == 1, f"{trainee.name} should have exactly one feedback page: {pages}"
        html = next(iter(pages.values()))
        plan = round_trip.plans[trainee.name]
        assert f"Clicked questions: {plan.right} of {plan.clicked_questions} right." in html
        assert "Written answers are marked by your instructor." in html
        assert "Traceback" not in html and not re.search(r"\bassert\b", html)
        assert "MARK SCHEME" not in html and "quiz.ask(" not in html
        assert html.count('class="verdict right"') == plan.right
    second = round_trip.feedback[cohort.trainees[1].name]
    assert next(iter(second.values())).count("Not answered") >= 2


# --- privacy ----------------------------------------------------------------------------------


def test_a_trainee_cannot_read_another_trainees_work_or_journal(
    round_trip: RoundTrip, cohort
) -> None:
    first, second = cohort.trainees
    folder = first.home / cohort.course_id / QUIZ_ID
    journal = Path(round_trip.journals[first.name]["path"])
    for path in (folder / "quiz.ipynb", folder / "answers.json", journal):
        read = ("head", "-c", "64", str(path))
        assert run_as(first.name, *read).returncode == 0, f"{first.name} cannot read {path}"
        assert run_as(second.name, *read).returncode != 0, f"{second.name} could read {path}"
        assert run_as(cohort.instructor.name, *read).returncode != 0, (
            f"the instructor could read {path}"
        )
    inbound = cohort.exchange / cohort.course_id / "inbound"
    listing = run_as(second.name, "ls", str(inbound))
    assert listing.returncode != 0 and first.name not in listing.stdout
    course = cohort.instructor.home / "course" / "submitted"
    assert run_as(second.name, "ls", str(course)).returncode != 0


def test_the_journal_stays_in_its_owners_home_and_is_never_submitted(
    round_trip: RoundTrip, cohort
) -> None:
    for trainee in cohort.trainees:
        facts = round_trip.journals[trainee.name]
        path = Path(facts["path"])
        assert facts["data_env"] is None, "the hub leaked INTIMACY_COURSE_DATA into a server"
        assert path.is_relative_to(trainee.home)
        assert path.parent == trainee.home / ".local" / "share" / "intimacy-course"
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.stat().st_uid == trainee.home.stat().st_uid
        submitted = cohort.instructor.list_folder(f"course/submitted/{trainee.name}/{QUIZ_ID}")
        assert {"quiz.ipynb", "answers.json"} <= set(submitted)
        assert not [name for name in submitted if "journal" in name or "sqlite" in name]


# --- the answer key ---------------------------------------------------------------------------


def test_every_file_holding_the_key_is_marked_and_closed_to_trainees(
    round_trip: RoundTrip, cohort
) -> None:
    """The marker sits in every key file (bank, v1 bank, source quizzes, rubrics, facilitator
    guide and calibration sets, the gradebook) in the clone and in the instructor's course
    folder; none of them opens for a trainee; the clone's copies open for instructors."""
    trainee, instructor = cohort.trainees[0], cohort.instructor
    assert cohort.setup.key_exposures(cohort.settings) == []
    planted = round_trip.planted
    kinds = {path.suffix for path in planted}
    assert {".toml", ".ipynb", ".md", ".db"} <= kinds
    clone_grading = cohort.clone / "grading"
    for folder in ("items", "items/v1", "source", "rubrics", "facilitator/calibration"):
        assert [p for p in planted if p.parent.is_relative_to(clone_grading / folder)], folder
    source = instructor.home / "course" / "source" / QUIZ_ID / "quiz.ipynb"
    assert source in planted
    COUNTS["files holding the key, each with the marker"] = len(planted)
    for path in planted:
        assert holds(path, [round_trip.marker]), f"the marker is missing from {path}"
        read = ("head", "-c", "1", str(path))
        assert run_as(trainee.name, *read).returncode != 0, f"a trainee could read {path}"
        if path.is_relative_to(cohort.clone):
            assert run_as(instructor.name, *read).returncode == 0, f"instructors cannot read {path}"
            assert path.stat().st_mode & 0o007 == 0
    seed = instructor.home / cohort.setup.SEED_PATH
    assert stat.S_IMODE(seed.stat().st_mode) == 0o600
    assert run_as(trainee.name, "head", "-c", "1", str(seed)).returncode != 0
    for secret_folder in (".git", "grading", "tests"):
        assert run_as(trainee.name, "ls", str(cohort.clone / secret_folder)).returncode != 0


def test_a_trainee_who_reads_everything_they_can_finds_no_trace_of_the_key(
    round_trip: RoundTrip, cohort
) -> None:
    """Every file the trainee can read in the cohort's folders -- their home (fetched quiz,
    answers, feedback), the trainees' copy, the clone, the exchange, other homes -- holds
    neither the marker nor the instructor's seed."""
    trainee = cohort.trainees[1]
    began = time.monotonic()
    report = scan_as(
        trainee.name,
        [cohort.base],
        [round_trip.marker, round_trip.seed],
        skip=[cohort.base / "user-env", cohort.base / "python"],
    )
    TIMINGS["a trainee reads every file they can (marker scan)"] = time.monotonic() - began
    COUNTS["marker scan: files the trainee could read"] = report["readable"]
    COUNTS["marker scan: files the trainee could not read"] = report["unreadable"]
    COUNTS["marker scan: folders closed to the trainee"] = report["folders_closed"]
    assert report["hits"] == []
    # The same scan, as an instructor, finds the marker in every key file of the clone.
    control = scan_as(
        cohort.instructor.name, [cohort.clone / "grading"], [round_trip.marker], skip=[]
    )
    in_clone = {str(p) for p in round_trip.planted if p.is_relative_to(cohort.clone)}
    assert set(control["hits"]) == in_clone
    home = trainee.home / cohort.course_id / QUIZ_ID
    assert report["readable"] > 100, report
    assert run_as(trainee.name, "head", "-c", "1", str(home / "quiz.ipynb")).returncode == 0
    feedback = next(iter(round_trip.feedback[trainee.name]))
    assert run_as(trainee.name, "head", "-c", "1", str(trainee.home / feedback)).returncode == 0


def test_check_on_a_cohort_quiz_says_the_instructor_marks_it(round_trip: RoundTrip, cohort) -> None:
    for trainee in cohort.trainees:
        check = round_trip.checks[trainee.name]
        said = check["out"] + check["err"]
        assert "marked by your instructor" in said, check
        assert "Right" not in said and "answer is" not in said, check
        assert "Traceback" not in said, check


# --- several graders on PostgreSQL (restarts the hub: keep last) ------------------------------


def test_two_graders_share_a_postgresql_gradebook_and_get_the_sqlite_scores(
    round_trip: RoundTrip, cohort, postgres
) -> None:
    """The cohort outgrows one grader: a second instructor joins, the course folder becomes
    shared (nbgrader's groupshared mode) and the gradebook moves to PostgreSQL. Both grade
    at the same time, each in their own server; the scores equal SQLite's."""
    instructor = cohort.instructor
    quiz_id = QUIZ_ID
    grader = cohort.add_person(instructor.name.replace("-instructor", "-grader2"), "instructor")
    cohort.extra.append(grader)
    url = cohort.setup.prepare_gradebook_database(
        [instructor.name, grader.name],
        host=str(postgres.socket_dir),
        port=postgres.port,
        psql=str(postgres.bindir / "psql"),
    )
    shared = cohort.base / "srv" / "nbgrader" / "courses" / cohort.course_id
    cohort.setup.prepare_shared_course(
        shared,
        cohort.settings,
        [instructor.name, grader.name],
        adopt=instructor.home / "course",
        seed_from=instructor.name,  # grading a cohort quiz recomputes each draw from it
    )
    assert (grader.home / "course.unused").is_dir()  # the copy add-user made, never used
    seed = grader.home / cohort.setup.SEED_PATH
    assert seed.read_bytes().strip().decode() == round_trip.seed
    assert stat.S_IMODE(seed.stat().st_mode) == 0o600
    TIMINGS["hub restart: shared course + PostgreSQL gradebook"] = cohort.hub.restart(
        gradebook_url=url, groupshared=True
    )
    assert cohort.hub.admin("POST", f"users/{grader.name}").status_code in (201, 409)
    grader.log_in()
    began = time.monotonic()
    for person in (instructor, grader):
        person.request_server()
    for person in (instructor, grader):
        person.wait_for_server()
    TIMINGS["start two graders' servers at once"] = time.monotonic() - began

    began = time.monotonic()
    succeeded(instructor.formgrader("POST", f"assignment/{quiz_id}/assign"))
    first, second = (t.name for t in cohort.trainees)
    with ThreadPoolExecutor(max_workers=2) as pool:  # both graders at the same time
        jobs = [
            pool.submit(person.formgrader, "POST", f"submission/{quiz_id}/{student}/autograde")
            for person, student in ((instructor, first), (grader, second))
        ]
        for job in jobs:
            succeeded(job.result())
    succeeded(grader.formgrader("POST", f"assignment/{quiz_id}/generate_feedback"))
    TIMINGS["two graders regrade into PostgreSQL at once (+feedback)"] = time.monotonic() - began

    scores, items = grading_results(grader, quiz_id)
    assert scores == round_trip.scores
    assert items == round_trip.item_scores
    assert grading_results(instructor, quiz_id) == (scores, items)

    database = "intimacy_gradebook"
    assert int(postgres.psql("SELECT count(*) FROM submitted_assignment", database)) == 2
    assert (
        postgres.psql(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'", database
        )
        == "course_graders"
    )
    graded_by_second = shared / "autograded" / second / quiz_id / "quiz.ipynb"
    assert graded_by_second.stat().st_uid == pwd.getpwnam(grader.name).pw_uid
    assert graded_by_second.stat().st_mode & 0o060 == 0o060, "not group-writable"
    assert run_as(cohort.trainees[0].name, "ls", str(shared)).returncode != 0
    denied = run_as(
        cohort.trainees[0].name,
        str(postgres.bindir / "psql"),
        "-X",
        "-h",
        str(postgres.socket_dir),
        "-p",
        str(postgres.port),
        "-d",
        database,
        "-c",
        "SELECT 1",
    )
    assert denied.returncode != 0, "a trainee could open the gradebook"
