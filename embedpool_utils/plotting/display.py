"""Showing a figure in a notebook: its alternative text, its PNG, and a display that needs no backend.

A notebook cell ends with ``plotting.show(fig)``, not ``plt.show()``. ``show``
renders the PNG itself and publishes it with its alternative text, so that:

* the figure appears whatever ``MPLBACKEND`` says (with ``Agg``, common on
  servers, ``plt.show()`` shows nothing);
* the alternative text travels with the notebook: it is the output's
  ``text/plain`` (what strict nbval compares, and what a text-only front end
  shows) and the ``alt`` of the image's output metadata (which nbconvert and
  the static site turn into ``<img alt=...>``);
* the figure is closed afterwards, so the inline backend does not show it a
  second time at the end of the cell.

Every figure function of the helper attaches its alternative text with
:func:`set_alt_text`; ``show(fig, alt=...)`` may override it, and ``show``
refuses a figure that has none.
"""

from __future__ import annotations

import base64
import io
import struct
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - for type hints only
    from matplotlib.figure import Figure

__all__ = ["FigureImage", "alt_text", "display_image", "figure_png", "set_alt_text", "show"]

# Where the alternative text is kept on a matplotlib Figure (an attribute of our own).
_ALT_ATTRIBUTE = "embedpool_alt_text"


def set_alt_text(figure: Figure, text: str) -> Figure:
    """Attach alternative text to ``figure`` (what it shows, in words); return the figure.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    text : str
        A sentence or two for a reader who cannot see the figure: what is
        drawn, its shapes and the numbers that matter.

    Returns
    -------
    matplotlib.figure.Figure
        The same figure, so that a figure function can end with
        ``return set_alt_text(fig, ...)``.

    Raises
    ------
    ValueError
        If ``text`` is empty or only white space.
    TypeError
        If ``text`` is not a string.
    """
    if not isinstance(text, str):
        raise TypeError(f"alternative text must be a str; got {type(text).__name__}")
    if not text.strip():
        raise ValueError("alternative text must say what the figure shows; got an empty string")
    setattr(figure, _ALT_ATTRIBUTE, " ".join(text.split()))
    return figure


def alt_text(figure: Figure) -> str | None:
    """The alternative text attached by :func:`set_alt_text`, or None.

    Parameters
    ----------
    figure : matplotlib.figure.Figure

    Returns
    -------
    str or None
        The text with its white space collapsed, or None if none was attached.
    """
    return getattr(figure, _ALT_ATTRIBUTE, None)


def figure_png(figure: Figure, *, tight: bool = False) -> bytes:
    """The figure as PNG bytes, at the figure's own dpi.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    tight : bool
        Fit the picture to what is drawn, with a small margin (as the inline
        backend does); measuring the drawing costs an extra pass over it.
        Explorers keep it off, so that their picture keeps one size while its
        content changes.

    Returns
    -------
    bytes
        The PNG file's bytes.
    """
    buffer = io.BytesIO()
    if tight:
        figure.savefig(buffer, format="png", dpi=figure.dpi, bbox_inches="tight", facecolor="white", edgecolor="white")
        return buffer.getvalue()
    # One drawing pass: the Agg canvas runs the layout engine and renders in the same draw, where savefig lays
    # the figure out in a drawing pass of its own first and then draws it again to render.
    import matplotlib.image
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    backend_canvas, colours = figure.canvas, (figure.get_facecolor(), figure.get_edgecolor())
    canvas = FigureCanvasAgg(figure)  # becomes figure.canvas until restored below
    try:
        figure.set_facecolor("white")
        figure.set_edgecolor("white")
        canvas.draw()
        matplotlib.image.imsave(buffer, canvas.buffer_rgba(), format="png", dpi=figure.dpi)
    finally:
        figure.set_facecolor(colours[0])
        figure.set_edgecolor(colours[1])
        figure.set_canvas(backend_canvas)
    return buffer.getvalue()


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels, read from a PNG's header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not PNG data")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def lays_itself_out(figure: Figure) -> bool:
    """True if the figure uses constrained layout, which keeps what it draws inside the figure.

    Such a figure needs no trimming: rendered as it is, it shows the same
    picture as a tight rendering, without the pass that measures it. Every figure
    made with ``new_figure`` does (``tests/test_figures.py`` checks that what
    each one draws lies inside it).

    Parameters
    ----------
    figure : matplotlib.figure.Figure

    Returns
    -------
    bool
    """
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    return isinstance(figure.get_layout_engine(), ConstrainedLayoutEngine)


class FigureImage:
    """A rendered figure: PNG bytes and alternative text, displayable by IPython.

    Its text repr is the alternative text, so a front end that shows only text
    (or plain Python) still says what the figure shows.
    """

    def __init__(self, png: bytes, alt: str) -> None:
        self.png = png
        self.alt = alt

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        width, height = png_size(self.png)
        data = {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.alt}
        metadata = {"image/png": {"alt": self.alt, "width": width, "height": height}}
        return data, metadata

    def __repr__(self) -> str:
        return self.alt


def show(figure: Figure, alt: str | None = None) -> None:
    """Display ``figure`` as a PNG with its alternative text, then close it.

    Works with any matplotlib backend (inline, ``Agg``, ...): the PNG is
    rendered here, not by the backend.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        A figure from a helper function (which attaches alternative text) or
        your own.
    alt : str, optional
        Alternative text to use instead of the one attached to the figure
        (it is attached, replacing the old one).

    Raises
    ------
    ValueError
        If the figure has no alternative text and ``alt`` is not given.

    Notes
    -----
    Publishes ``{"image/png": <base64>, "text/plain": <alt>}`` with metadata
    ``{"image/png": {"alt": <alt>, "width": <px>, "height": <px>}}``. Outside
    IPython it prints the alternative text.
    """
    if alt is not None:
        set_alt_text(figure, alt)
    text = alt_text(figure)
    if text is None:
        raise ValueError(
            "this figure has no alternative text: pass show(fig, alt='what the figure shows, with its "
            "numbers') or attach it first with plotting.set_alt_text(fig, ...)"
        )
    image = FigureImage(figure_png(figure, tight=not lays_itself_out(figure)), text)
    import matplotlib.pyplot as plt

    plt.close(figure)  # the inline backend would otherwise show it again when the cell ends
    display_image(image)


def display_image(image: FigureImage) -> None:
    """Display an already rendered figure with its alternative text, as :func:`show` does.

    Parameters
    ----------
    image : FigureImage
        PNG bytes and alternative text (an explorer keeps its first picture as one).

    Notes
    -----
    Outside IPython it prints the alternative text.
    """
    try:
        from IPython.display import display
    except ImportError:  # plain Python without IPython: say what the figure shows
        print(image)
    else:
        display(image)
