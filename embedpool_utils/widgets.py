"""Interactive explorers (ipywidgets 8) for the core notebooks.

Each explorer is two layers:

* a plain *view* function, ``something_view(**inputs) -> View``, that draws
  the figure and writes the sentence for given inputs. It needs no browser
  and no widgets, so tests call it directly, and the notebook calls it once
  more to show a static figure for the default inputs (for GitHub's viewer,
  nbviewer or a printed handout, where widgets do not run);
* an *explorer* function, ``something_explorer() -> Explorer``, that wires
  controls to that view. On every change it redraws the same figure (the
  view updates its artists in place) and refreshes the picture and the text.

The picture is an ``ipywidgets.Image`` holding PNG bytes and the sentence an
``ipywidgets.HTML``, so a test can set a control's ``.value`` and read what
changed without a kernel or a browser. An explorer's text repr is a short
deterministic line (strict nbval compares it; the widget model id is not
compared). ipywidgets and matplotlib are imported only when an explorer or
view is made.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["Explorer", "View", "figure_png"]


@dataclass
class View:
    """What a view function returns: the figure, a sentence, and how to redraw.

    Attributes
    ----------
    figure : Figure
        The drawn figure.
    text : str
        One or two plain sentences describing what the figure shows
        (shapes, which axis was averaged, ...).
    update : callable
        ``update(**inputs) -> str`` redraws *this* figure for new inputs (by
        updating its artists, not by making a new figure) and returns the new
        text. Explorers call it on every change.
    """

    figure: "Figure"
    text: str
    update: Callable[..., str] = field(repr=False)


def figure_png(figure: "Figure") -> bytes:
    """The figure as PNG bytes, at the figure's own dpi."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


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
        The current figure as PNG.
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
        for control in controls.values():
            control.observe(self._on_change, names="value")

    @property
    def text(self) -> str:
        """The sentence currently shown (plain text)."""
        return self._text

    def values(self) -> dict[str, Any]:
        """The controls' current values, by input name."""
        return {key: control.value for key, control in self.controls.items()}

    def _show(self, text: str) -> None:
        self._text = text
        self.image.value = figure_png(self.view.figure)
        self.html.value = f"<p style='font-size:1.2em'>{html.escape(text)}</p>"

    def _on_change(self, _change: dict) -> None:
        self._show(self.view.update(**self.values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{key}={value!r}" for key, value in self.values().items())
        return f"<{self.name}: {shown}>"

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        return bundle


# ---- notebook 01: lookup explorer -------------------------------------------

# ---- notebook 02: shape explorer --------------------------------------------

# ---- notebook 03: averaging explorer ----------------------------------------

# ---- notebook 04: data_format explorer --------------------------------------
