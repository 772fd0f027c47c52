"""Does every course figure draw, carry a title and labels, and reach the page with alt text?

Imports every submodule of intimacy_course.figures, calls each function in its __all__ and
checks what a learner would see: a Figure with a non-empty title, at least three text
labels, and no text smaller than 10 pt. Then checks that the display helper embeds an
<img> with alternative text and refuses a figure without it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

import intimacy_course.figures as figures_package
from intimacy_course.figures import figure_html, show_figure

HELPER_MODULES = {"display", "drawing", "palette"}


def figure_modules() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.iter_modules(figures_package.__path__)
        if info.name not in HELPER_MODULES
    )


def figure_functions() -> list[tuple[str, str]]:
    found = []
    for name in figure_modules():
        module = importlib.import_module(f"intimacy_course.figures.{name}")
        for function in getattr(module, "__all__", []):
            found.append((name, function))
    return found


def _function(module: str, name: str) -> Callable[[], Figure]:
    return getattr(importlib.import_module(f"intimacy_course.figures.{module}"), name)


def visible_texts(fig: Figure) -> list[Text]:
    fig.canvas.draw()
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def title_of(fig: Figure) -> str:
    if fig._suptitle is not None and fig._suptitle.get_text().strip():
        return fig._suptitle.get_text()
    return " ".join(ax.get_title().strip() for ax in fig.axes).strip()


@pytest.mark.parametrize("module", figure_modules())
def test_each_figure_module_declares_its_figures(module: str) -> None:
    imported = importlib.import_module(f"intimacy_course.figures.{module}")
    assert getattr(imported, "__all__", None), (
        f"figures/{module}.py must list its figure functions in __all__."
    )
    for name in imported.__all__:
        assert callable(getattr(imported, name, None)), (
            f"figures/{module}.py: __all__ names {name}, which is missing."
        )


@pytest.mark.parametrize(("module", "name"), figure_functions())
def test_figure_has_title_labels_and_readable_text(module: str, name: str) -> None:
    function = _function(module, name)
    assert function.__doc__ and function.__doc__.strip(), (
        f"{module}.{name}: say in a docstring what it teaches."
    )
    fig = function()
    try:
        assert isinstance(fig, Figure), (
            f"{module}.{name} must return a matplotlib Figure, got {type(fig)}."
        )
        assert title_of(fig).strip(), f"{module}.{name}: the figure needs a title."
        texts = visible_texts(fig)
        labels = [t for t in texts if t.get_text() != title_of(fig)]
        assert len(labels) >= 3, (
            f"{module}.{name}: expected at least 3 text labels, found {len(labels)}."
        )
        small = sorted(
            {(t.get_text()[:30], t.get_fontsize()) for t in texts if t.get_fontsize() < 10}
        )
        assert not small, f"{module}.{name}: text below 10 pt is hard to read: {small[:5]}"
    finally:
        plt.close(fig)


def test_figure_html_embeds_image_with_alt_text() -> None:
    fig, ax = plt.subplots()
    ax.set_title("Demo")
    try:
        html = figure_html(fig, alt='Two "axes" & a line', caption="Figure 0.1 A demo")
        assert "<img " in html and 'src="data:image/png;base64,' in html
        assert 'alt="Two &quot;axes&quot; &amp; a line"' in html
        assert "<figcaption>Figure 0.1 A demo</figcaption>" in html
        for empty in ("", "   "):
            with pytest.raises(ValueError):
                figure_html(fig, alt=empty)
    finally:
        plt.close(fig)


def test_show_figure_displays_html_and_closes_the_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    fig, ax = plt.subplots()
    ax.set_title("Demo")
    show_figure(fig, alt="A single empty plot titled Demo")
    assert len(shown) == 1 and 'alt="A single empty plot titled Demo"' in shown[0].data
    assert not plt.fignum_exists(fig.number), (
        "show_figure must close the figure so it is not drawn twice."
    )
    fig2, _ = plt.subplots()
    with pytest.raises(ValueError):
        show_figure(fig2, alt="")
    plt.close(fig2)
