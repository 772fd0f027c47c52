"""The facilitator guide as printable web pages: ``intimacy-course guide build``.

The guide is Markdown in ``grading/facilitator/`` so it reads well on GitHub. For a class, an
instructor wants pages to print or hand out: each Markdown file becomes an HTML page with a
print stylesheet, and links between guide pages point at the HTML pages. Markdown is turned
into HTML by mistune (which nbconvert already brings), with raw HTML escaped.
"""

from __future__ import annotations

import re
from pathlib import Path

import mistune

from intimacy_course import paths

STYLE = """
body { font-family: Georgia, "Times New Roman", serif; max-width: 46rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.5; color: #111; }
h1, h2, h3 { font-family: system-ui, sans-serif; line-height: 1.25; }
h2 { border-bottom: 1px solid #999; padding-bottom: 0.2rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: 0.95rem; }
th, td { border: 1px solid #888; padding: 0.3rem 0.5rem; vertical-align: top; text-align: left; }
a { color: #1a4f8b; text-decoration: underline; }
blockquote { border-left: 4px solid #888; margin: 0.5rem 0; padding: 0.25rem 0.75rem; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  a { color: inherit; }
  h2, h3 { break-after: avoid; }
  table, blockquote { break-inside: avoid; }
}
"""
_LOCAL_LINK = re.compile(r'href="(?!https?:|mailto:|#|file:)([^"#]+)(#[^"]*)?"')


def guide_folder(root: Path | None = None) -> Path:
    return (root or paths.repo_root()) / "grading" / "facilitator"


def guide_sources(root: Path | None = None) -> list[Path]:
    """Every Markdown page of the guide, the calibration sets included."""
    folder = guide_folder(root)
    return sorted([*folder.glob("*.md"), *folder.glob("calibration/*.md")])


def page_html(
    markdown_text: str, title: str, source: Path | None = None, root: Path | None = None
) -> str:
    """One guide page as a standalone HTML document.

    A link to another guide page points at its HTML page; a link to anything else in the
    course (a notebook, a rubric page) points at that file in the clone, so it still opens
    from a printed-out folder on the same computer.
    """
    render = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])
    guide = guide_folder(root).resolve()

    def relink(match: re.Match[str]) -> str:
        target, anchor = match.group(1), match.group(2) or ""
        here = (source.parent if source else guide).resolve()
        resolved = (here / target).resolve()
        if resolved.suffix == ".md" and resolved.is_relative_to(guide):
            name = (
                "index.html" if resolved.name == "README.md" else resolved.with_suffix(".html").name
            )
            relative = resolved.parent.relative_to(guide)
            depth = here.relative_to(guide) if here.is_relative_to(guide) else Path()
            prefix = "../" * len(depth.parts)
            return f'href="{prefix}{(relative / name).as_posix()}{anchor}"'
        return f'href="{resolved.as_uri()}{anchor}"'

    body = _LOCAL_LINK.sub(relink, str(render(markdown_text)))
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;")
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{safe_title}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>\n"
    )


def _title(markdown_text: str, fallback: str) -> str:
    match = re.search(r"^#\s+(.+)$", markdown_text, re.MULTILINE)
    return match.group(1).strip() if match else fallback


def build_guide(out: Path, root: Path | None = None) -> list[Path]:
    """Write every guide page as HTML under ``out`` (same layout); return the pages written."""
    folder = guide_folder(root)
    written = []
    for source in guide_sources(root):
        text = source.read_text(encoding="utf-8")
        target = out / source.relative_to(folder).with_suffix(".html")
        if source.name == "README.md":
            target = target.with_name("index.html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            page_html(text, _title(text, source.stem), source, root), encoding="utf-8"
        )
        written.append(target)
    return written
