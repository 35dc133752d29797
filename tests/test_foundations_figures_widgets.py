"""The shared figure style and the Explorer base that every notebook's figures and explorers use."""

import time

import matplotlib
import numpy as np
import pytest

from embedpool_utils import plotting
from embedpool_utils.widgets import Explorer, View, figure_png


def test_new_figure_uses_the_projector_style_and_returns_flat_axes():
    fig, axes = plotting.new_figure(3, 2)
    assert axes.shape == (6,)
    assert fig.dpi == 80
    assert axes[0].title.get_fontsize() >= 16
    matplotlib.pyplot.close(fig)


def test_heatmap_is_labelled_centred_and_highlights_rows():
    fig, (ax,) = plotting.new_figure()
    values = np.array([[0.1, -0.3], [0.2, 0.0], [0.0, 0.05]])
    image = plotting.draw_heatmap(ax, values, title="T", xlabel="feature", ylabel="token id", highlight_rows=[2, 2, 0])
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("T", "feature", "token id")
    assert image.get_cmap().name == plotting.DIVERGING_CMAP
    assert image.get_clim() == (-0.3, 0.3)  # symmetric about 0
    assert len(ax.patches) == 2  # rows 0 and 2, each outlined once
    assert len(fig.axes) == 2  # the heatmap and its colour bar
    matplotlib.pyplot.close(fig)


def test_heatmap_sequential_and_refuses_non_2d():
    fig, (ax,) = plotting.new_figure()
    image = plotting.draw_heatmap(ax, np.ones((2, 2)), title="t", xlabel="x", ylabel="y", signed=False, colorbar=False)
    assert image.get_cmap().name == plotting.SEQUENTIAL_CMAP
    with pytest.raises(ValueError, match="2-D"):
        plotting.draw_heatmap(ax, np.ones(3), title="t", xlabel="x", ylabel="y")
    matplotlib.pyplot.close(fig)


def test_colour_choices_are_colour_blind_safe():
    assert plotting.SEQUENTIAL_CMAP == "cividis" and plotting.DIVERGING_CMAP == "PuOr"
    assert len(set(plotting.OKABE_ITO.values())) == 8


def make_counter_view(n=1):
    fig, (ax,) = plotting.new_figure()
    image = plotting.draw_heatmap(ax, np.eye(3) * n, title="count", xlabel="x", ylabel="y", limit=5)

    def update(n):
        image.set_data(np.eye(3) * n)
        return f"n is {n}"

    return View(fig, f"n is {n}", update)


def test_explorer_redraws_the_same_figure_when_a_control_changes():
    import ipywidgets

    view = make_counter_view()
    slider = ipywidgets.IntSlider(value=1, min=0, max=5)
    explorer = Explorer("counter explorer", {"n": slider}, view)
    first_png = bytes(explorer.image.value)
    assert first_png.startswith(b"\x89PNG") and explorer.text == "n is 1"
    slider.value = 4
    assert explorer.text == "n is 4" and "n is 4" in explorer.html.value
    assert bytes(explorer.image.value) != first_png
    assert explorer.view.figure is view.figure  # reused, not rebuilt
    assert repr(explorer) == "<counter explorer: n=4>"
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == "<counter explorer: n=4>"
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "embedpool-explorer" in explorer.widget._dom_classes


def test_explorer_html_escapes_the_sentence():
    view = make_counter_view()
    view.text = "<b>bold</b>"
    import ipywidgets

    explorer = Explorer("x", {"n": ipywidgets.IntSlider(1)}, view)
    assert "<b>" not in explorer.html.value and "&lt;b&gt;" in explorer.html.value


def test_figure_png_is_a_png():
    view = make_counter_view()
    assert figure_png(view.figure)[:4] == b"\x89PNG"
