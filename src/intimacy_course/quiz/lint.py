"""The item linter: holds a quiz bank to the item-writing rules, and prints what it found.

``intimacy-course items lint`` runs it for authors; the tests hold the real bank to it. It
reads bank version 2 (``grading/items/NN_topic.toml``, :func:`lint_bank_dir`) and, for the
"before" figures, bank version 1 (``grading/items/v1/``, :func:`lint_v1_dir`), where a rule
applies to that older format. Each rule gives findings (rule, module, item, message,
severity); every module also gets a row of counts and shares in :meth:`LintReport.table`.

The rules and their numbers (see the item schema in the lead's notes and issue 14):

- ``objective-coverage``: at least :data:`MIN_PER_OBJECTIVE` automatically marked items per
  learning objective of the module (objectives read from the module's notebook).
- ``application-share``: at least :data:`MIN_APPLICATION_SHARE` of the automatically marked
  items are application or analysis items. An item counts only if its ``level`` says so AND
  its stem has at least :data:`MIN_VIGNETTE_SENTENCES` sentences before the question (the
  question being the stem's last sentence). Version 1 had no ``level``: there the stem test
  alone decides. ``vignette`` warns about an item whose level claims more than its stem shows.
- ``key-position``: among four-option items, each letter is the right answer in
  :data:`POSITION_SHARE` of them (per module and over the whole bank; checked once a module
  has at least four such items).
- ``longest-key``: the right option is strictly the longest in at most
  :data:`MAX_LONGEST_KEY_SHARE` of multiple-choice items (per module and bank).
- ``true-false-share``: true/false items are at most :data:`MAX_TRUE_FALSE_SHARE` of the
  automatically marked items (per module and bank).
- ``option-length`` (warning): the longest option is at most :data:`MAX_LENGTH_RATIO` times
  the shortest, in characters.
- ``all-none-above``: no option says "all of the above" or "none of the above".
- ``duplicate-stem``: no two stems in the bank share :data:`DUPLICATE_JACCARD` or more of
  their words (Jaccard index of the two sets of words).
- ``copied-from-module`` (warning): no run of :data:`COPY_RUN` or more consecutive words of a
  stem is taken from the module's notebook; such an item does not count as application.
- ``objective-leak``: no run of :data:`LEAK_RUN` or more consecutive words of the item's
  objective appears in its title or stem.
- ``key-echo`` (warning): the right option does not stand out by sharing more of its words
  with the line shown above the question (the title; in version 1, the objective's full text)
  than every distractor does.
- ``missing-why``, ``missing-explanation``: every option has its ``why``, every clicked item
  an explanation, every short answer a model answer.
- ``examples``, ``calibration``: a short answer has a scored example at every score from 0 to
  its points, and at least :data:`MIN_CALIBRATION` calibration answers.
- ``unknown-objective``: an item names an objective the module does not have.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from intimacy_course.content.objectives import learning_objectives, module_notebook
from intimacy_course.quiz.bank import AUTO_KINDS, Bank, BankItem, load_bank

if TYPE_CHECKING:
    from intimacy_course.quiz.items import Item

ERROR = "error"
WARNING = "warning"
WHOLE_BANK = "all"
LETTERS = "abcd"

MIN_PER_OBJECTIVE = 2
MIN_APPLICATION_SHARE = 0.5
MIN_VIGNETTE_SENTENCES = 2
POSITION_SHARE = (0.15, 0.35)
MIN_POSITION_ITEMS = 4
MAX_LONGEST_KEY_SHARE = 0.30
MAX_TRUE_FALSE_SHARE = 0.20
MAX_LENGTH_RATIO = 2.2
DUPLICATE_JACCARD = 0.7
LEAK_RUN = 5
COPY_RUN = 8
KEY_ECHO_SHARE = 0.3
MIN_CALIBRATION = 5
APPLIED_LEVELS = ("application", "analysis")

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z0-9]+)*")
# A sentence ends at . ! or ? (after any closing quote or bracket) followed by space and a
# capital, digit or opening quote. Abbreviations such as "e.g." are not followed by a capital.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"\u201d\u2019')\]]*\s+(?=[\"\u201c\u2018(]?[A-Z0-9])")
_ABOVE = re.compile(r"\b(all|none|both|neither) of the above\b", re.IGNORECASE)
_TRUE_OR_FALSE = re.compile(r"^\s*true or false\s*[:?.-]\s*", re.IGNORECASE)
# fmt: off
_STOPWORDS = frozenset({
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by",
    "from", "into", "about", "as", "is", "are", "was", "were", "be", "been", "being", "it",
    "its", "this", "that", "these", "those", "their", "his", "her", "your", "our", "my", "they",
    "them", "he", "she", "we", "you", "i", "not", "no", "than", "then", "so", "do", "does",
    "did", "can", "could", "would", "should", "will", "may", "might",
})
# fmt: on


# ----------------------------------------------------------------------------- model


@dataclass(frozen=True)
class LintOption:
    text: str
    correct: bool
    why: str | None  # None: the format has no per-option reason (version 1)


@dataclass(frozen=True)
class LintItem:
    """An item as the linter sees it, whichever bank version it came from."""

    id: str
    module: str
    objective: int
    kind: str
    stem: str
    title: str = ""
    level: str | None = None  # None: the format records no level (version 1)
    explanation: str = ""
    options: tuple[LintOption, ...] = ()
    points: int = 1
    model_answer: str = ""
    example_scores: tuple[int, ...] = ()
    calibration_count: int = 0
    shown_above: str = ""  # the line printed above the question (title, or v1's objective)

    @property
    def auto(self) -> bool:
        return self.kind in AUTO_KINDS

    @property
    def key(self) -> LintOption | None:
        return next((option for option in self.options if option.correct), None)


def from_bank_item(item: BankItem) -> LintItem:
    """A version 2 bank item, for the linter."""
    return LintItem(
        id=item.id,
        module=item.module,
        objective=item.objective,
        kind=item.kind,
        stem=item.stem,
        title=item.title,
        level=item.level,
        explanation=item.explanation,
        options=tuple(LintOption(o.text, o.correct, o.why) for o in item.options),
        points=item.points,
        model_answer=item.model_answer,
        example_scores=tuple(example.score for example in item.examples),
        calibration_count=len(item.calibration),
        shown_above=item.title,
    )


def from_v1_item(item: Item, module: str, objectives: Mapping[int, str] | None) -> LintItem:
    """A version 1 item (:class:`intimacy_course.quiz.items.Item`), for the linter.

    Version 1 printed "Checks learning objective N: <its full text>" above each question, had
    no level, no per-option reasons, and gave only a full-marks model answer for short answers.
    """
    if item.kind == "multiple_choice":
        options = tuple(
            LintOption(text, letter == item.answer, None) for letter, text in item.options.items()
        )
    elif item.kind == "true_false":
        options = tuple(
            LintOption(text, text.lower() == item.answer, None) for text in ("True", "False")
        )
    else:
        options = ()
    return LintItem(
        id=f"{module[:2]}-{item.id}",
        module=module,
        objective=item.objective,
        kind=item.kind,
        stem=_TRUE_OR_FALSE.sub("", item.question),
        title="",
        level=None,
        explanation=item.explanation,
        options=options,
        points=item.points,
        model_answer=item.model_answer,
        example_scores=(item.points,) if item.model_answer else (),
        calibration_count=0,
        shown_above=(objectives or {}).get(item.objective, ""),
    )


@dataclass(frozen=True)
class LintModule:
    """One module's items and its learning objectives (None when they could not be read)."""

    module: str
    items: tuple[LintItem, ...]
    objectives: Mapping[int, str] | None
    version: int = 2
    module_text: str = ""  # the module notebook's prose, for ``copied-from-module``

    @functools.cached_property
    def _module_runs(self) -> frozenset[tuple[str, ...]]:
        text = words(self.module_text)
        return frozenset(tuple(text[i : i + COPY_RUN]) for i in range(len(text) - COPY_RUN + 1))

    def copied(self, item: LintItem) -> str:
        """The first run of :data:`COPY_RUN` words of the item's stem found in the module."""
        if not self.module_text:
            return ""
        stem = words(item.stem)
        for i in range(len(stem) - COPY_RUN + 1):
            if tuple(stem[i : i + COPY_RUN]) in self._module_runs:
                return " ".join(stem[i : i + COPY_RUN])
        return ""


@dataclass(frozen=True)
class Finding:
    rule: str
    module: str
    item: str  # an item id, "" for a module-wide finding, "a / b" for a pair
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.module} {self.item}".strip()
        return f"{self.severity.upper()} [{self.rule}] {where}: {self.message}"


@dataclass
class Counts:
    """A module's (or the bank's) numbers, as the table prints them."""

    module: str
    auto: int = 0
    true_false: int = 0
    applied: int = 0
    objectives: int = 0
    objectives_covered: int = 0
    four_option: int = 0
    positions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LETTERS, 0))
    multiple_choice: int = 0
    longest_key: int = 0
    leaks: int = 0
    duplicates: int = 0
    short_answers: int = 0
    errors: int = 0
    warnings: int = 0

    def share(self, part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def true_false_share(self) -> float | None:
        return self.share(self.true_false, self.auto)

    @property
    def application_share(self) -> float | None:
        return self.share(self.applied, self.auto)

    @property
    def longest_key_share(self) -> float | None:
        return self.share(self.longest_key, self.multiple_choice)

    def position_share(self, letter: str) -> float | None:
        return self.share(self.positions[letter], self.four_option)

    def add(self, other: Counts) -> None:
        for name in (
            "auto",
            "true_false",
            "applied",
            "objectives",
            "objectives_covered",
            "four_option",
            "multiple_choice",
            "longest_key",
            "leaks",
            "duplicates",
            "short_answers",
            "errors",
            "warnings",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for letter in LETTERS:
            self.positions[letter] += other.positions[letter]


@dataclass
class LintReport:
    findings: list[Finding]
    modules: list[Counts]
    total: Counts
    version: int = 2

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def by_rule(self, rule: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule]

    def table(self) -> str:
        """Counts and shares per module and for the whole bank, as a plain-text table."""
        return format_table([*self.modules, self.total], self.version)

    def text(self) -> str:
        """The table, then every finding, errors first."""
        lines = [self.table(), ""]
        ordered = sorted(self.findings, key=lambda f: (f.severity != ERROR, f.module, f.item))
        lines += [str(f) for f in ordered] or ["No findings."]
        lines.append("")
        lines.append(f"{len(self.errors)} errors, {len(self.warnings)} warnings.")
        return "\n".join(lines)


# ----------------------------------------------------------------------------- text helpers


def words(text: str) -> list[str]:
    """Lower-case words of ``text`` (markdown marks and punctuation dropped)."""
    return _WORD.findall(text.lower())


def sentences(text: str) -> list[str]:
    """The sentences of ``text``; paragraphs always end a sentence."""
    found = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        found += [s.strip() for s in _SENTENCE_END.split(paragraph.strip()) if s.strip()]
    return found


def sentences_before_question(stem: str) -> int:
    """How many sentences a stem has before its last one (the question or statement)."""
    return max(0, len(sentences(stem)) - 1)


def longest_shared_run(first: str, second: str) -> tuple[int, str]:
    """The longest run of consecutive words that both texts contain: (length, the words)."""
    a, b = words(first), words(second)
    best, end = 0, 0
    previous = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        current = [0] * (len(b) + 1)
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                current[j] = previous[j - 1] + 1
                if current[j] > best:
                    best, end = current[j], i
        previous = current
    return best, " ".join(a[end - best : end])


def jaccard(first: str, second: str) -> float:
    """Shared words over all words of the two texts (each as a set of words)."""
    a, b = set(words(first)), set(words(second))
    return len(a & b) / len(a | b) if a | b else 0.0


def _content_words(text: str) -> set[str]:
    return {w for w in words(text) if w not in _STOPWORDS}


def _echo_share(option: str, shown: str) -> float:
    mine = _content_words(option)
    return len(mine & _content_words(shown)) / len(mine) if mine else 0.0


def counts_as_applied(item: LintItem, copied: str = "") -> bool:
    """An application or analysis item: level says so (when recorded) and a new vignette.

    ``copied`` is a run of the stem's words found in the module (the vignette is not new).
    """
    level_ok = item.level is None or item.level in APPLIED_LEVELS
    return (
        level_ok and not copied and sentences_before_question(item.stem) >= MIN_VIGNETTE_SENTENCES
    )


def key_is_longest(item: LintItem) -> bool:
    """The right option is strictly longer (in characters) than every other option."""
    key = item.key
    if key is None:
        return False
    return all(len(key.text) > len(o.text) for o in item.options if o is not key)


def key_letter(item: LintItem) -> str | None:
    """The right option's letter, for a four-option item."""
    if item.kind != "multiple_choice" or len(item.options) != 4:
        return None
    return next(LETTERS[i] for i, option in enumerate(item.options) if option.correct)


# ----------------------------------------------------------------------------- rules


def _item_findings(item: LintItem, module: LintModule) -> list[Finding]:
    found: list[Finding] = []
    objectives = module.objectives

    def add(rule: str, message: str, severity: str = ERROR) -> None:
        found.append(Finding(rule, item.module, item.id, message, severity))

    if objectives is not None and item.objective not in objectives:
        add(
            "unknown-objective",
            f"names objective {item.objective}, which the module does not have "
            f"(it has {', '.join(map(str, sorted(objectives))) or 'none'}).",
        )
    objective_text = (objectives or {}).get(item.objective, "")
    if objective_text:
        for place, text in (("title", item.title), ("stem", item.stem)):
            length, run = longest_shared_run(objective_text, text)
            if length >= LEAK_RUN:
                add(
                    "objective-leak",
                    f"its {place} repeats {length} words of objective {item.objective} in a "
                    f'row ("{run}"); say it in other words so the objective does not give '
                    "the answer.",
                )
    copied = module.copied(item)
    if copied:
        add(
            "copied-from-module",
            f'its stem takes {COPY_RUN}+ words in a row from the module ("{copied}"); write a '
            "new case, so the item asks for transfer rather than recognition.",
            WARNING,
        )
    if item.auto:
        if (
            item.level in APPLIED_LEVELS
            and sentences_before_question(item.stem) < MIN_VIGNETTE_SENTENCES
        ):
            add(
                "vignette",
                f"level is {item.level}, but the stem has "
                f"{sentences_before_question(item.stem)} sentence(s) before the question "
                f"(at least {MIN_VIGNETTE_SENTENCES} are needed to count as application); "
                "add a new vignette or mark it recall.",
                WARNING,
            )
        if not item.explanation.strip():
            add("missing-explanation", "has no explanation of the right answer.")
        for number, option in enumerate(item.options, start=1):
            if option.why is not None and not option.why.strip():
                add("missing-why", f"option {number} has no 'why'.")
            above = _ABOVE.search(option.text)
            if above:
                add(
                    "all-none-above",
                    f'option {number} says "{above.group(0)}"; write a real alternative instead.',
                )
        if item.kind == "multiple_choice" and item.options:
            lengths = [len(o.text) for o in item.options]
            if min(lengths) and max(lengths) / min(lengths) > MAX_LENGTH_RATIO:
                add(
                    "option-length",
                    f"its longest option is {max(lengths) / min(lengths):.1f} times its shortest "
                    f"({max(lengths)} and {min(lengths)} characters; at most {MAX_LENGTH_RATIO}); "
                    "make the options similar in length.",
                    WARNING,
                )
            key = item.key
            if key is not None and item.shown_above:
                mine = _echo_share(key.text, item.shown_above)
                others = [
                    _echo_share(o.text, item.shown_above) for o in item.options if o is not key
                ]
                if mine >= KEY_ECHO_SHARE and mine > max(others):
                    what = "title" if item.title else "objective line printed above it"
                    add(
                        "key-echo",
                        f"the right option shares {mine:.0%} of its words with the {what}, more "
                        "than any other option does; a test-wise reader can pick it by that.",
                        WARNING,
                    )
    else:
        if not item.model_answer.strip():
            add("missing-explanation", "has no model answer.")
        missing = sorted(set(range(item.points + 1)) - set(item.example_scores))
        if missing:
            add(
                "examples",
                f"has no scored example at score {', '.join(map(str, missing))} "
                f"(one is needed at every score from 0 to {item.points}).",
            )
        if item.calibration_count < MIN_CALIBRATION:
            add(
                "calibration",
                f"has {item.calibration_count} calibration answers; at least {MIN_CALIBRATION} "
                "are needed.",
            )
    return found


def _share_findings(counts: Counts) -> list[Finding]:
    found: list[Finding] = []
    where = counts.module

    def add(rule: str, message: str) -> None:
        found.append(Finding(rule, where, "", message))

    application = counts.application_share
    if application is not None and application < MIN_APPLICATION_SHARE:
        add(
            "application-share",
            f"{counts.applied} of {counts.auto} clicked items ({application:.0%}) are application "
            f"or analysis items with a vignette; at least {MIN_APPLICATION_SHARE:.0%} are needed.",
        )
    true_false = counts.true_false_share
    if true_false is not None and true_false > MAX_TRUE_FALSE_SHARE:
        add(
            "true-false-share",
            f"{counts.true_false} of {counts.auto} clicked items ({true_false:.0%}) are true/false; "
            f"at most {MAX_TRUE_FALSE_SHARE:.0%} may be.",
        )
    longest = counts.longest_key_share
    if longest is not None and longest > MAX_LONGEST_KEY_SHARE:
        add(
            "longest-key",
            f"the right option is the longest in {counts.longest_key} of "
            f"{counts.multiple_choice} multiple-choice items ({longest:.0%}); at most "
            f"{MAX_LONGEST_KEY_SHARE:.0%} may be.",
        )
    if counts.four_option >= MIN_POSITION_ITEMS:
        low, high = POSITION_SHARE
        for letter in LETTERS:
            share = counts.position_share(letter) or 0.0
            if not low <= share <= high:
                add(
                    "key-position",
                    f"the right answer is {letter} in {counts.positions[letter]} of "
                    f"{counts.four_option} four-option items ({share:.0%}); each letter should "
                    f"be right in {low:.0%} to {high:.0%}.",
                )
    return found


def _module_counts(module: LintModule, findings: list[Finding]) -> Counts:
    counts = Counts(module.module)
    auto = [item for item in module.items if item.auto]
    counts.auto = len(auto)
    counts.short_answers = len(module.items) - len(auto)
    counts.true_false = sum(item.kind == "true_false" for item in auto)
    counts.applied = sum(counts_as_applied(item, module.copied(item)) for item in auto)
    mc = [item for item in auto if item.kind == "multiple_choice"]
    counts.multiple_choice = len(mc)
    counts.longest_key = sum(key_is_longest(item) for item in mc)
    for item in mc:
        letter = key_letter(item)
        if letter:
            counts.four_option += 1
            counts.positions[letter] += 1
    per_objective = {n: 0 for n in module.objectives or {}}
    for item in auto:
        per_objective[item.objective] = per_objective.get(item.objective, 0) + 1
    wanted = sorted(module.objectives) if module.objectives else sorted(per_objective)
    counts.objectives = len(wanted)
    counts.objectives_covered = sum(per_objective.get(n, 0) >= MIN_PER_OBJECTIVE for n in wanted)
    for number in wanted:
        have = per_objective.get(number, 0)
        if have < MIN_PER_OBJECTIVE:
            findings.append(
                Finding(
                    "objective-coverage",
                    module.module,
                    "",
                    f"objective {number} has {have} clicked item(s); at least "
                    f"{MIN_PER_OBJECTIVE} are needed.",
                )
            )
    if module.objectives is None:
        findings.append(
            Finding(
                "objective-coverage",
                module.module,
                "",
                "the module's learning objectives could not be read from its notebook; "
                "coverage is counted over the objectives the items name.",
                WARNING,
            )
        )
    return counts


def _duplicates(items: Sequence[LintItem]) -> list[Finding]:
    found = []
    for first, second in itertools.combinations(items, 2):
        similarity = jaccard(first.stem, second.stem)
        if similarity >= DUPLICATE_JACCARD:
            module = first.module if first.module == second.module else WHOLE_BANK
            found.append(
                Finding(
                    "duplicate-stem",
                    module,
                    f"{first.id} / {second.id}",
                    f"the two stems share {similarity:.0%} of their words (at most "
                    f"{DUPLICATE_JACCARD:.0%} allowed): they ask the same thing; rewrite or "
                    "drop one.",
                )
            )
    return found


def lint_modules(modules: Sequence[LintModule]) -> LintReport:
    """Every rule over the given modules, per module and for the whole bank."""
    findings: list[Finding] = []
    rows = []
    total = Counts(WHOLE_BANK)
    duplicates = _duplicates([item for module in modules for item in module.items])
    for module in modules:
        module_findings: list[Finding] = []
        for item in module.items:
            module_findings += _item_findings(item, module)
        counts = _module_counts(module, module_findings)
        module_findings += _share_findings(counts)
        ids = {item.id for item in module.items}
        mine = [d for d in duplicates if set(d.item.split(" / ")) & ids]
        counts.duplicates = len(mine)
        counts.leaks = len({f.item for f in module_findings if f.rule == "objective-leak"})
        module_findings += [d for d in mine if d.module == module.module]
        counts.errors = sum(f.severity == ERROR for f in module_findings)
        counts.warnings = sum(f.severity == WARNING for f in module_findings)
        findings += module_findings
        rows.append(counts)
        total.add(counts)
    total.duplicates = len(duplicates)
    bank_findings = [d for d in duplicates if d.module == WHOLE_BANK]
    bank_findings += _share_findings(total)
    # The whole-bank shares are findings of their own only where no module already said so.
    said = {(f.rule, f.message) for f in findings}
    bank_findings = [f for f in bank_findings if (f.rule, f.message) not in said]
    findings += bank_findings
    total.errors = sum(f.severity == ERROR for f in findings)
    total.warnings = sum(f.severity == WARNING for f in findings)
    version = modules[0].version if modules else 2
    return LintReport(findings, rows, total, version)


# ----------------------------------------------------------------------------- loading


def module_prose(module: str, course_root: Path | None = None) -> str:
    """The markdown text of a module's notebook ("" when it is missing)."""
    import nbformat

    notebook = module_notebook(module, course_root)
    if not notebook.exists():
        return ""
    nb = nbformat.read(notebook, as_version=4)
    return "\n\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


Known = Mapping[str, Mapping[int, str] | None]


def _module_sources(
    module: str,
    course_root: Path | None,
    objectives: Known | None,
    prose: Mapping[str, str] | None,
) -> tuple[Mapping[int, str] | None, str]:
    known = (
        objectives[module]
        if objectives is not None and module in objectives
        else learning_objectives(module, course_root)
    )
    text = (
        prose[module]
        if prose is not None and module in prose
        else module_prose(module, course_root)
    )
    return known, text


def lint_banks(
    banks: Iterable[Bank],
    course_root: Path | None = None,
    objectives: Known | None = None,
    prose: Mapping[str, str] | None = None,
) -> LintReport:
    """Lint version 2 banks.

    A module's objectives and prose are read from its notebook in ``course_root`` (default:
    this clone's ``course/``) unless ``objectives`` or ``prose`` give them by module name.
    """
    modules = []
    for bank in banks:
        known, text = _module_sources(bank.module, course_root, objectives, prose)
        items = tuple(from_bank_item(item) for item in bank.items)
        modules.append(LintModule(bank.module, items, known, 2, text))
    return lint_modules(modules)


def bank_files(directory: Path) -> list[Path]:
    """The bank files (``*.toml``) of a folder, in name order; none is an error."""
    files = sorted(Path(directory).glob("*.toml"))
    if not files:
        from intimacy_course.quiz.bank import BankError

        raise BankError(f"No bank files (NN_topic.toml) in {directory}.")
    return files


def lint_bank_dir(
    directory: Path,
    course_root: Path | None = None,
    objectives: Known | None = None,
    prose: Mapping[str, str] | None = None,
) -> LintReport:
    """Lint every version 2 bank file in ``directory``."""
    banks = [load_bank(path) for path in bank_files(directory)]
    return lint_banks(banks, course_root, objectives, prose)


def lint_v1_dir(
    directory: Path,
    course_root: Path | None = None,
    objectives: Known | None = None,
    prose: Mapping[str, str] | None = None,
) -> LintReport:
    """Lint the version 1 items files in ``directory`` (read with the version 1 loader)."""
    from intimacy_course.quiz.items import load_quiz

    modules = []
    for path in bank_files(directory):
        quiz = load_quiz(path)
        known, text = _module_sources(quiz.module, course_root, objectives, prose)
        items = tuple(from_v1_item(item, quiz.module, known) for item in quiz.items)
        modules.append(LintModule(quiz.module, items, known, 1, text))
    return lint_modules(modules)


# ----------------------------------------------------------------------------- table


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def format_table(rows: Sequence[Counts], version: int = 2) -> str:
    """The linter's plain-text table: one row per module and one for the whole bank."""
    header = (
        "module",
        "auto",
        "T/F",
        "applied",
        "obj>=2",
        "a",
        "b",
        "c",
        "d",
        "longest",
        "leaks",
        "dups",
        "errors",
        "warn",
    )
    body = []
    for row in rows:
        body.append(
            (
                row.module,
                str(row.auto),
                f"{row.true_false} {_percent(row.true_false_share)}",
                f"{row.applied} {_percent(row.application_share)}",
                f"{row.objectives_covered}/{row.objectives}",
                *(
                    f"{row.positions[letter]} {_percent(row.position_share(letter))}"
                    for letter in LETTERS
                ),
                f"{row.longest_key}/{row.multiple_choice} {_percent(row.longest_key_share)}",
                str(row.leaks),
                str(row.duplicates),
                str(row.errors),
                str(row.warnings),
            )
        )
    widths = [max(len(line[i]) for line in (header, *body)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    lines = [f"Item bank version {version}", line(header), rule]
    lines += [line(cells) for cells in body[:-1]]
    if body:
        lines += [rule, line(body[-1])]
    lines += [
        "",
        "auto: clicked (automatically marked) items; T/F: true/false count and share (at most "
        f"{MAX_TRUE_FALSE_SHARE:.0%});",
        "applied: application/analysis items with a vignette of 2+ sentences before the question "
        f"(at least {MIN_APPLICATION_SHARE:.0%})"
        + ("; version 1 had no level, so the vignette alone counts" if version == 1 else "")
        + ";",
        f"obj>=2: objectives with at least {MIN_PER_OBJECTIVE} clicked items; a-d: right-answer "
        f"position among four-option items (each {POSITION_SHARE[0]:.0%}-{POSITION_SHARE[1]:.0%});",
        "longest: right option strictly the longest, of multiple-choice items (at most "
        f"{MAX_LONGEST_KEY_SHARE:.0%}); leaks: items repeating {LEAK_RUN}+ words of their "
        "objective in a row;",
        f"dups: stem pairs sharing {DUPLICATE_JACCARD:.0%}+ of their words.",
    ]
    return "\n".join(lines)
