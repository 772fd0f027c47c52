"""Can a cohort run the course on JupyterHub, with nbgrader's exchange, and stay private?

One instructor and two trainees, each with a Unix account and their own server started
by a real JupyterHub (deploy/jupyterhub). The instructor releases a quiz; each trainee
fetches, answers (one fully, one partly) and submits; the instructor collects, autogrades
and returns feedback; each trainee fetches their own. Then: nobody reads what is not
theirs; and when a second grader joins, both grading at once into a PostgreSQL gradebook
get the same scores as SQLite gave.

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

from tests.hub.hubkit import MEMORY_MB, TIMINGS, Person, resident_mb, run_as
from tests.hub.quizkit import Quiz, answer_key, answered, auto_points, load_quiz

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.timeout(900)]

JOURNAL_CODE = """
import json, os
from intimacy_course.journal import Journal
with Journal() as journal:
    journal.save("01_attachment_injury", {"hub_check": "Words that stay in my own account."})
    print(json.dumps({"path": str(journal.path), "home": os.path.expanduser("~"),
                      "data_env": os.environ.get("INTIMACY_COURSE_DATA")}))
"""


@dataclass
class RoundTrip:
    """What the quiz round trip produced, for the tests below to check."""

    quiz: Quiz
    scores: dict[str, float]
    item_scores: dict[tuple[str, str], float | None]
    listings: dict[str, list[dict]]
    feedback: dict[str, dict[str, str]]  # trainee -> {path relative to home: html}
    journals: dict[str, dict]
    seconds: float
    steps: dict[str, float] = field(default_factory=dict)


def succeeded(result: dict) -> dict:
    assert result.get("success"), (
        f"{result.get('error', '')[-1500:]}\n--- log (end) ---\n{result.get('log', '')[-3000:]}"
    )
    return result


def upload_course(instructor: Person, quiz: Quiz) -> None:
    """The instructor puts the quiz into ~/course with the contents API (an upload)."""
    folders = {"course"}
    for name in quiz.files:
        parts = Path("course", name).parts
        folders.update(str(Path(*parts[:i])) for i in range(1, len(parts)))
    for folder in sorted(folders, key=lambda f: f.count("/")):
        instructor.make_folder(folder)
    for name, text in quiz.files.items():
        path = f"course/{name}"
        if name.endswith(".ipynb"):
            instructor.save_notebook(path, json.loads(text))
        else:
            instructor.upload_text(path, text)


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


def grade_everything(instructor: Person, assignment_id: str, students: list[str]) -> dict:
    """Formgrader's steps after collecting: autograde each, then generate feedback."""
    took = {}
    for student in students:
        began = time.monotonic()
        succeeded(instructor.formgrader("POST", f"submission/{assignment_id}/{student}/autograde"))
        took[f"autograde {student}"] = time.monotonic() - began
    began = time.monotonic()
    succeeded(instructor.formgrader("POST", f"assignment/{assignment_id}/generate_feedback"))
    took["generate feedback"] = time.monotonic() - began
    return took


def entry(listing: list[dict], assignment_id: str, status: str) -> dict | None:
    return next(
        (
            item
            for item in listing
            if item["assignment_id"] == assignment_id and item["status"] == status
        ),
        None,
    )


@pytest.fixture(scope="module")
def quiz() -> Quiz:
    return load_quiz()


@pytest.fixture(scope="module")
def round_trip(cohort, quiz: Quiz) -> RoundTrip:
    instructor, trainees = cohort.instructor, cohort.trainees
    course, quiz_id = cohort.course_id, quiz.assignment_id

    # Each trainee writes a private reflection from a notebook cell first.
    journals = {}
    for trainee in trainees:
        output = trainee.run_code(JOURNAL_CODE)
        journals[trainee.name] = json.loads(output.strip().splitlines()[-1])

    steps: dict[str, float] = {}
    began = time.monotonic()
    upload_course(instructor, quiz)
    mark = time.monotonic()
    succeeded(instructor.formgrader("POST", f"assignment/{quiz_id}/assign"))
    succeeded(instructor.formgrader("POST", f"assignment/{quiz_id}/release"))
    steps["generate + release"] = time.monotonic() - mark

    key = answer_key(quiz.source)
    plan = {trainees[0].name: None, trainees[1].name: max(1, len(key) // 2)}
    listings = {}
    for trainee in trainees:
        mark = time.monotonic()
        assert entry(trainee.assignments(course), quiz_id, "released"), (
            f"{trainee.name} does not see the released quiz"
        )
        trainee.assignment_action("fetch", course, quiz_id)
        fetched = entry(trainee.assignments(course), quiz_id, "fetched")
        assert fetched, f"{trainee.name} could not fetch the quiz"
        path = f"{course}/{quiz_id}/quiz.ipynb"
        trainee.save_notebook(path, answered(trainee.read_notebook(path), key, plan[trainee.name]))
        listing = trainee.assignment_action("submit", course, quiz_id)
        assert listing.get("success"), listing
        listings[trainee.name] = listing["value"]
        steps[f"fetch + answer + submit {trainee.name}"] = time.monotonic() - mark

    mark = time.monotonic()
    succeeded(instructor.formgrader("POST", f"assignment/{quiz_id}/collect"))
    steps["collect"] = time.monotonic() - mark
    steps.update(grade_everything(instructor, quiz_id, [t.name for t in trainees]))
    mark = time.monotonic()
    succeeded(instructor.formgrader("POST", f"assignment/{quiz_id}/release_feedback"))
    steps["release feedback"] = time.monotonic() - mark

    feedback = {}
    for trainee in trainees:
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
        feedback[trainee.name] = pages
    seconds = time.monotonic() - began
    TIMINGS["round trip: one quiz, two trainees (release->feedback)"] = seconds
    for name, value in steps.items():
        TIMINGS[f"  {name}"] = value

    for person in (instructor, trainees[0]):
        MEMORY_MB[f"after the round trip: {person.role}'s processes"] = resident_mb(
            person.home.stat().st_uid
        )
    scores, items = grading_results(instructor, quiz_id)
    return RoundTrip(quiz, scores, items, listings, feedback, journals, seconds, steps)


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


def test_trainees_read_the_course_from_the_shared_read_only_clone(cohort) -> None:
    trainee = cohort.trainees[0]
    listing = trainee.list_folder("intimacy-course/course")
    notebook = sorted(name for name in listing if name.endswith(".ipynb"))[0]
    model = trainee.ok_json(
        trainee.get(f"api/contents/intimacy-course/course/{notebook}", params={"content": 0})
    )
    assert model["writable"] is False
    # Widget state (reflection answers) is never saved into a notebook on the hub either.
    widgets = "lab/api/settings/@jupyter-widgets/jupyterlab-manager:plugin"
    plugin = trainee.ok_json(trainee.get(widgets))
    default = plugin["schema"]["properties"]["saveState"]["default"]  # with the overrides
    assert plugin.get("settings", {}).get("saveState", default) is False


# --- the quiz round trip ------------------------------------------------------------------


def test_the_autograder_scores_each_trainee_through_the_hub(round_trip: RoundTrip, cohort) -> None:
    full, partial = (round_trip.scores[t.name] for t in cohort.trainees)
    assert full == auto_points(round_trip.quiz.source) > 0
    assert 0 < partial < full


def test_each_trainee_fetches_their_own_feedback(round_trip: RoundTrip, cohort) -> None:
    for trainee in cohort.trainees:
        pages = round_trip.feedback[trainee.name]
        assert len(pages) == 1, f"{trainee.name} should have exactly one feedback page: {pages}"
        html = next(iter(pages.values()))
        score = round_trip.scores[trainee.name]
        assert re.search(rf"Score:\s*{score:g}(\.0+)?\s*/", html), (
            f"{trainee.name}'s feedback does not show their own score {score}"
        )


# --- privacy ----------------------------------------------------------------------------------


def test_a_trainee_cannot_read_another_trainees_work_or_journal(
    round_trip: RoundTrip, cohort
) -> None:
    first, second = cohort.trainees
    quiz_copy = first.home / cohort.course_id / round_trip.quiz.assignment_id / "quiz.ipynb"
    journal = Path(round_trip.journals[first.name]["path"])
    for path in (quiz_copy, journal):
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
        submitted = cohort.instructor.list_folder(
            f"course/submitted/{trainee.name}/{round_trip.quiz.assignment_id}"
        )
        assert "quiz.ipynb" in submitted
        assert not [name for name in submitted if "journal" in name or "sqlite" in name]


# --- several graders on PostgreSQL (restarts the hub: keep last) ------------------------------


def test_two_graders_share_a_postgresql_gradebook_and_get_the_sqlite_scores(
    round_trip: RoundTrip, cohort, postgres
) -> None:
    """The cohort outgrows one grader: a second instructor joins, the course folder becomes
    shared (nbgrader's groupshared mode) and the gradebook moves to PostgreSQL. Both grade
    at the same time, each in their own server; the scores equal SQLite's."""
    instructor = cohort.instructor
    quiz_id = round_trip.quiz.assignment_id
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
        shared, cohort.settings, [instructor.name, grader.name], adopt=instructor.home / "course"
    )
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
