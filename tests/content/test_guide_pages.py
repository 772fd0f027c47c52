"""Can an instructor print the facilitator guide? Every page builds, and its links work."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from intimacy_course.content.guide_pages import build_guide, guide_sources, page_html
from tests.support import REPO


def test_every_guide_page_builds_with_working_links(tmp_path: Path) -> None:
    pages = build_guide(tmp_path)
    assert len(pages) == len(guide_sources()) >= 12
    assert (tmp_path / "index.html").exists() and (
        tmp_path / "calibration" / "01_attachment_injury.html"
    ).exists()
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "@media print" in html and "<h1" in html, page
        for target in re.findall(r'href="([^"#:]+\.html)', html):
            assert (page.parent / target).resolve().exists(), (page.name, target)
        for uri in re.findall(r'href="file://([^"#]+)', html):
            assert Path(uri).exists(), (page.name, uri)
        guide = str(REPO / "grading" / "facilitator")
        for href in re.findall(r'href="([^"#]+\.md)', html):
            assert href.startswith("file://") and guide not in href, (
                "a guide page links to its HTML page",
                href,
            )


def test_markup_in_the_guide_is_shown_not_run() -> None:
    html = page_html("# T\n\nSee [a](01_attachment_injury.md).\n\n<script>alert(1)</script>", "T")
    assert "<script>alert" not in html and 'href="01_attachment_injury.html"' in html


def test_the_command_prints_where_the_pages_are(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "intimacy_course.cli", "guide", "build", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "index.html").as_uri() in run.stdout
