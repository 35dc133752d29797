"""The machinery of every explorer: a View (figure, sentence, redraw) and an Explorer that wires controls to it.

Each explorer of the series is two layers:

* a plain *view*, a :class:`View` made by a function such as
  ``lookup_view(**inputs)``: it draws the figure (with alternative text) and
  writes the sentence for given inputs. It needs no browser and no widgets,
  so tests call it directly;
* an :class:`Explorer` that wires ipywidgets controls to that view. On every
  change the view clears its figure and draws it again for the new inputs,
  and the explorer refreshes the picture and the sentence.

For places where widgets do not run (GitHub's viewer, nbviewer, the static
site, a printed handout), :meth:`Explorer.show_static` shows the explorer's
first picture and sentence as a plain figure with alternative text: the
picture it already drew for its starting values, not a second drawing.

The picture is an ``ipywidgets.Image`` holding PNG bytes and the sentence an
``ipywidgets.HTML``, so a test can set a control's ``.value`` and read what
changed without a kernel or a browser. An explorer's text repr is a short
deterministic line (strict nbval compares it; the widget model id is not
compared). ipywidgets and matplotlib are imported only when an explorer or a
view is made.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from embedpool_utils.plotting.display import FigureImage, alt_text, display_image, figure_png

if TYPE_CHECKING:  # pragma: no cover - for type hints only
    from matplotlib.figure import Figure

__all__ = ["Explorer", "View", "redrawing_view"]


@dataclass
class View:
    """What a view function returns: the figure, a sentence, and how to redraw.

    Attributes
    ----------
    figure : Figure
        The drawn figure, with alternative text attached (show it with
        ``plotting.show(view.figure)``).
    text : str
        One or two plain sentences describing what the figure shows
        (shapes, which axis was averaged, ...).
    update : callable
        ``update(**inputs) -> str`` clears *this* figure, draws it again for
        the new inputs (no new figure is made) and returns the new text.
        Explorers call it on every change.
    """

    figure: Figure
    text: str
    update: Callable[..., str] = field(repr=False)


def redrawing_view(draw: Callable[..., str], size: tuple[float, float], **inputs: Any) -> View:
    """A :class:`View` whose ``update`` clears the same figure and calls ``draw`` again.

    Parameters
    ----------
    draw : callable
        ``draw(figure, **inputs) -> str`` draws into an empty figure, attaches
        its alternative text (``plotting.set_alt_text``) and returns the sentence.
    size : (float, float)
        Figure size in inches (the projector style's 80 dpi applies).
    **inputs
        The first inputs to draw.

    Returns
    -------
    View
        The figure, the first sentence and ``update(**new_inputs) -> str``.

    Raises
    ------
    ValueError
        If ``draw`` attached no alternative text to the figure.
    """
    from embedpool_utils.plotting.style import new_figure, projector_style

    figure, _ = new_figure(size=size)

    def update(**new_inputs: Any) -> str:
        figure.clear()
        with projector_style():
            return draw(figure, **new_inputs)

    view = View(figure, update(**inputs), update)
    if alt_text(figure) is None:
        raise ValueError(f"{getattr(draw, '__name__', 'draw')} must attach alternative text to its figure")
    return view


class Explorer:
    """Controls, a picture and a sentence, kept in step with a :class:`View`.

    Parameters
    ----------
    name : str
        Shown in the repr, e.g. ``"lookup explorer"``.
    controls : dict of str -> ipywidgets.ValueWidget
        One control per input of the view; each control's ``.value`` is passed
        to ``view.update`` under its key.
    view : View
        Drawn for the controls' initial values.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The whole explorer; displaying the explorer displays it.
    image : ipywidgets.Image
        The current figure as PNG (the sentence below it says what it shows; a
        tooltip would hold the alt text, but ipywidgets 8.1's image view then
        fails to render in JupyterLab).
    html : ipywidgets.HTML
        The current sentence.
    """

    def __init__(self, name: str, controls: dict[str, Any], view: View) -> None:
        import ipywidgets as widgets
        import matplotlib.pyplot as plt

        self.name = name
        self.controls = controls
        self.view = view
        plt.close(view.figure)  # drawn into the Image widget only, never shown twice
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.html = widgets.HTML()
        self.widget = widgets.VBox(
            [widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap")), self.image, self.html]
        )
        self.widget.add_class("embedpool-explorer")
        self._show(view.text)
        # the starting picture and sentence, for show_static
        alt = alt_text(view.figure)
        if (
            alt is None
        ):  # a View's figure carries its alt text; a new view that forgets it fails here, not in a notebook
            raise ValueError(f"the {name} view drew a figure without alternative text: attach it with set_alt_text")
        self._first = (FigureImage(bytes(self.image.value), alt), view.text)
        for control in controls.values():
            control.observe(self._on_change, names="value")

    @property
    def text(self) -> str:
        """The sentence currently shown (plain text)."""
        return self._text

    def values(self) -> dict[str, Any]:
        """The controls' current values, by input name.

        Returns
        -------
        dict of str to value
            E.g. ``{"batch": 2, "seq_len": 10, "embedding_dim": 7}``.
        """
        return {key: control.value for key, control in self.controls.items()}

    def show_static(self) -> None:
        """Print the first sentence and display the first picture of this explorer, with its alternative text.

        The picture the explorer drew for its starting values, whatever its
        controls say now, shown as a plain figure (PNG plus alternative text,
        as ``plotting.show`` shows one) for readers whose viewer does not run
        widgets.
        """
        image, text = self._first
        print(text)
        display_image(image)

    def _show(self, text: str) -> None:
        self._text = text
        self.image.value = figure_png(self.view.figure)
        self.html.value = f"<p style='font-size:1.2em'>{html.escape(text)}</p>"

    def _on_change(self, _change: dict) -> None:
        self._show(self.view.update(**self.values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{key}={value!r}" for key, value in self.values().items())
        return f"<{self.name}: {shown}>"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        return bundle
