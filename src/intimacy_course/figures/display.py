"""Show a matplotlib figure as an image with alternative text and a caption.

JupyterLab renders plain matplotlib output as an ``<img>`` without ``alt`` text, which
leaves screen-reader users with nothing. Rendering the figure ourselves into an HTML
``<figure>`` gives it a text alternative, a visible caption and a stable class for tests.
"""

from __future__ import annotations

import base64
import html
import io

from matplotlib.figure import Figure

FIGURE_CLASS = "course-figure"


def figure_png(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes (white background, tight bounds)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


def figure_html(fig: Figure, alt: str, caption: str | None = None) -> str:
    """An HTML ``<figure>`` holding the figure as a PNG with ``alt`` text.

    ``alt`` must describe what the picture shows for someone who cannot see it; an empty
    one is refused rather than shipped.
    """
    if not alt or not alt.strip():
        raise ValueError("Every course figure needs alternative text describing what it shows.")
    encoded = base64.b64encode(figure_png(fig)).decode("ascii")
    caption_html = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return (
        f'<figure class="{FIGURE_CLASS}" style="margin:0.5em 0">'
        f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt, quote=True)}" '
        f'style="max-width:100%;height:auto"/>{caption_html}</figure>'
    )


def show_figure(fig: Figure, alt: str, caption: str | None = None) -> None:
    """Display ``fig`` in the notebook with alternative text, then close it.

    Closing stops the inline backend from drawing the same figure a second time, without
    alt text, at the end of the cell.
    """
    import matplotlib.pyplot as plt
    from IPython.display import HTML, display

    display(HTML(figure_html(fig, alt, caption)))
    plt.close(fig)
