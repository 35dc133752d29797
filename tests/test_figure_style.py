"""The shared figure style, the drawing primitives, and how a figure is shown with its alternative text."""

import base64
import io
import sys

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from embedpool_utils import plotting
from embedpool_utils.plotting.display import alt_text, set_alt_text
from embedpool_utils.plotting.style import colour_limit, draw_heatmap, new_figure, outline_rows


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_new_figure_uses_the_projector_style_and_returns_flat_axes():
    fig, axes = new_figure(3, 2)
    assert axes.shape == (6,)
    assert fig.dpi == 80
    assert axes[0].title.get_fontsize() >= 16


def test_heatmap_is_labelled_centred_and_highlights_rows():
    fig, (ax,) = new_figure()
    values = np.array([[0.1, -0.3], [0.2, 0.0], [0.0, 0.05]])
    image = draw_heatmap(ax, values, title="T", xlabel="feature", ylabel="token id", highlight_rows=[2, 2, 0])
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("T", "feature", "token id")
    assert image.get_cmap().name == "PuOr"
    assert image.get_clim() == (-0.3, 0.3)  # symmetric about 0
    assert len(ax.patches) == 2  # rows 0 and 2, each outlined once
    assert len(fig.axes) == 2  # the heatmap and its colour bar


def test_heatmap_sequential_and_refuses_non_2d():
    _fig, (ax,) = new_figure()
    image = draw_heatmap(ax, np.ones((2, 2)), title="t", xlabel="x", ylabel="y", signed=False, colorbar=False)
    assert image.get_cmap().name == "cividis"
    with pytest.raises(ValueError, match="2-D"):
        draw_heatmap(ax, np.ones(3), title="t", xlabel="x", ylabel="y")


def test_outline_rows_draws_one_box_per_row_over_the_whole_width():
    _fig, (ax,) = new_figure()
    outline_rows(ax, [3, 1, 3], 7, hatch="xx")
    boxes = sorted((p.get_xy(), p.get_width(), p.get_height(), p.get_hatch()) for p in ax.patches)
    assert boxes == [((-0.5, 0.5), 7, 1, "xx"), ((-0.5, 2.5), 7, 1, "xx")]


@pytest.mark.parametrize(
    "arrays, limit",
    [
        (([[0.5, -2.0]], [1.0]), 2.0),
        (([], [[0.0]]), 1.0),  # nothing but zeros: a scale still needs a width
        (([np.nan, -0.25],), 0.25),  # NaN is ignored
        (([np.nan],), 1.0),
    ],
)
def test_colour_limit_is_the_largest_absolute_value(arrays, limit):
    assert colour_limit(*arrays) == limit


# ---------------------------------------------------------------- alternative text and show


def figure_with_alt(text="A diagonal line from 0 to 1."):
    fig, (ax,) = new_figure(size=(2.0, 2.0))
    ax.plot([0, 1], [0, 1])
    return set_alt_text(fig, text)


def test_alt_text_is_attached_and_normalised():
    fig = figure_with_alt("  Two\n lines   of text. ")
    assert alt_text(fig) == "Two lines of text."
    with pytest.raises(ValueError, match="empty"):
        set_alt_text(fig, "   ")
    with pytest.raises(TypeError, match="str"):
        set_alt_text(fig, None)


@pytest.fixture
def shown(monkeypatch):
    """What show() hands to IPython's display, as the (data, metadata) bundles IPython would publish."""
    import IPython.display

    bundles = []
    monkeypatch.setattr(IPython.display, "display", lambda image: bundles.append(image._repr_mimebundle_()))
    return bundles


def test_show_publishes_png_and_alt_text_and_closes_the_figure(shown):
    fig = figure_with_alt()
    plotting.show(fig)
    [(data, metadata)] = shown
    png = base64.b64decode(data["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert data["text/plain"] == "A diagonal line from 0 to 1."
    assert metadata["image/png"]["alt"] == "A diagonal line from 0 to 1."
    assert (metadata["image/png"]["width"], metadata["image/png"]["height"]) == plt.imread(io.BytesIO(png)).shape[1::-1]
    assert not plt.fignum_exists(fig.number), "the inline backend would show an open figure a second time"


def test_show_renders_a_constrained_figure_as_it_is_and_trims_any_other(shown):
    plotting.show(figure_with_alt())  # new_figure: constrained layout, 2 x 2 inches at 80 dpi
    loose = plt.figure(figsize=(2.0, 2.0), dpi=80)
    loose.add_subplot().text(1.5, 0.5, "drawn past the right edge")  # a tight rendering widens the picture to show it
    plotting.show(loose, alt="A sentence that runs past the figure's right edge.")
    (_, constrained_meta), (_, loose_meta) = shown
    assert (constrained_meta["image/png"]["width"], constrained_meta["image/png"]["height"]) == (160, 160)
    assert loose_meta["image/png"]["width"] > 200


def test_show_needs_no_interactive_backend(shown):
    assert matplotlib.get_backend().lower() == "agg"  # the backend with which plt.show() shows nothing
    plotting.show(figure_with_alt())
    [(data, _)] = shown
    assert len(data["image/png"]) > 100


def test_show_alt_overrides_and_a_figure_without_alt_is_refused(shown):
    plotting.show(figure_with_alt(), alt="Another description.")
    [(data, metadata)] = shown
    assert data["text/plain"] == metadata["image/png"]["alt"] == "Another description."
    bare, _ = new_figure()
    with pytest.raises(ValueError, match="no alternative text"):
        plotting.show(bare)


def test_show_without_ipython_prints_the_alt_text(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "IPython.display", None)  # any import of it now fails
    plotting.show(figure_with_alt())
    assert capsys.readouterr().out == "A diagonal line from 0 to 1.\n"
