"""Every figure of the series: labelled, in colour-blind-safe colours, with alternative text that says what it shows.

Expected values are worked out here by hand or with plain numpy, not by
calling the code under test. The colour checks look at the artists each
figure really draws (its images' colormaps, its lines', bars' and markers'
colours), against colour lists written out here from their sources.
"""

import itertools

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex

from embedpool_utils import init_embedding, plotting
from embedpool_utils.explorers import views
from embedpool_utils.inspector.report import Finding, LayerRow, ModelReport
from embedpool_utils.plotting.display import alt_text, figure_png, lays_itself_out
from embedpool_utils.plotting.lookup import lookup_description
from embedpool_utils.plotting.style import new_figure
from embedpool_utils.plotting.tensor import draw_block

# Okabe & Ito (2008), "Color Universal Design": the eight colours, in hex.
OKABE_ITO_HEX = {"#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000"}
# Colormaps readable with the common colour-vision deficiencies: cividis (Nuñez et al. 2018) and
# ColorBrewer's PuOr (marked colour-blind safe by ColorBrewer).
SAFE_COLORMAPS = {"cividis", "PuOr"}

TABLE = init_embedding(30, 7, seed=0)
X = TABLE[np.random.default_rng(0).integers(0, 30, size=(2, 10))]
PADDING = np.zeros((2, 10), dtype=bool)
PADDING[1, 7:] = True  # the second sentence ends in 3 padding tokens
WORDS = ["the", "plot", "was", "thin", "but", "the", "actors", "were", "truly", "great"]
# accuracies of runs: model "last" always right, "first" anywhere (mean 0.5), on two tests
RUN_ACCURACIES = {
    "late": {"last": np.ones((2, 2)), "first": np.array([0.0, 0.25, 0.75, 1.0])},
    "swapped": {"first": np.array([0.1, 0.2, 0.3, 0.2])},
}
# word vectors along one line (after centring: -2, -1, 0, 3 and 0 in the other coordinate), two groups
WORD_ROWS = np.array([[-1.0, 0.0], [0.0, 0.0], [1.0, 0.0], [4.0, 0.0]])
WORD_GROUPS = ["negative", "negative", "positive", "positive"]
BAG_IDS, BAG_OFFSETS = [1, 0, 2, 3, 4], [0, 2, 5]  # bags of 2, 3 and 0 ids; id 0 is padding
INPUT_ROW = LayerRow("token_ids", "InputLayer", (None, 10), ("batch", "tokens"), "none")
# A report written out by hand: a mask dropped by a window, then a pooling over the features.
FLAWED = ModelReport(
    "lost_mask",
    (
        INPUT_ROW,
        LayerRow("embedding", "Embedding", (None, 10, 7), ("batch", "tokens", "features"), "produced"),
        LayerRow("window", "AveragePooling1D", (None, 5, 7), ("batch", "tokens", "features"), "dropped"),
        LayerRow("pool", "GlobalAveragePooling1D", (None, 5), ("batch", "tokens"), "none"),
    ),
    (
        Finding("mask-dropped", "window", "warning", "message", "fix", "see"),
        Finding("pool-over-features", "pool", "error", "message", "fix", "see"),
    ),
)
CLEAN = ModelReport(
    "clean",
    (
        INPUT_ROW,
        LayerRow("embedding", "Embedding", (None, 10, 7), ("batch", "tokens", "features"), "produced"),
        LayerRow("pool", "GlobalAveragePooling1D", (None, 7), ("batch", "features"), "consumed"),
    ),
    (),
)


FIGURES = {
    "plot_table": lambda: plotting.plot_table(TABLE, highlight_ids=[3, 7]),
    "plot_lookup": lambda: plotting.plot_lookup(TABLE, [3, 3, 9], selected_id=3),
    "plot_cost_comparison": lambda: plotting.plot_cost_comparison(10, 30, 7),
    "plot_block": lambda: plotting.plot_block(X, padding=PADDING),
    "plot_box": lambda: plotting.plot_box((2, 10, 7), WORDS, pooled_axis=2, pooled_by="channels_first"),
    "plot_slices": lambda: plotting.plot_slices(X, {"x[0]": np.s_[0]}),
    "plot_averages": lambda: plotting.plot_averages(X),
    "plot_padding_drift": lambda: plotting.plot_padding_drift([4, 6, 8], [0.0, 0.05, 0.1], [0.0, 0.0, 0.0]),
    "plot_data_formats": lambda: plotting.plot_data_formats(X),
    "plot_data_flow": lambda: plotting.plot_data_flow(FLAWED, CLEAN),
    "plot_run_accuracies": lambda: plotting.plot_run_accuracies(RUN_ACCURACIES),
    "plot_word_map": lambda: plotting.plot_word_map(
        {"one table": WORD_ROWS, "turned": WORD_ROWS[:, ::-1]}, WORD_GROUPS
    ),
    "plot_bags": lambda: plotting.plot_bags(TABLE, BAG_IDS, BAG_OFFSETS, np.zeros((3, 7)), padding_idx=0),
    "plot_dense_parameters": lambda: plotting.plot_dense_parameters(
        {"channels_last": (None, 3), "channels_first": (None, 500)},
        {"channels_last": 512, "channels_first": 64_128},
        units=128,
    ),
    "lookup_view": lambda: views.lookup_view().figure,
    "shape_view": lambda: views.shape_view().figure,
    "averaging_view": lambda: views.averaging_view(masked=True).figure,
    "data_format_view": lambda: views.data_format_view("channels_first").figure,
}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(params=sorted(FIGURES))
def figure(request):
    return FIGURES[request.param]()


def axes_with_content(fig):
    """The figure's axes except colour bars."""
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


def test_every_public_figure_function_is_checked_here():
    """The figure functions are read from plotting.__all__: a new one without inputs here fails."""
    public = {name for name in plotting.__all__ if name.startswith("plot_")}
    assert {name for name in FIGURES if name.startswith("plot_")} == public


# ---------------------------------------------------------------- every figure


def test_every_axes_is_labelled_and_the_style_applies(figure):
    assert figure.dpi == 80
    for ax in axes_with_content(figure):
        assert ax.get_title(), "every axes needs a title"
        assert ax.get_xlabel() and ax.get_ylabel(), f"axes {ax.get_title()!r} needs axis labels"


def test_every_figure_carries_alternative_text(figure):
    text = alt_text(figure)
    assert text and len(text.split()) >= 12, f"alternative text too thin: {text!r}"
    assert not text.startswith("<Figure"), text


def test_what_every_figure_draws_lies_inside_it(figure):
    # plotting.show renders a constrained-layout figure as it is, not trimmed to a tight box:
    # that shows the whole picture only if nothing is drawn outside the figure
    assert lays_itself_out(figure)
    figure.draw_without_rendering()
    box = figure.get_tightbbox(figure.canvas.get_renderer())  # in inches
    width, height = figure.get_size_inches()
    assert box.x0 >= 0 and box.x1 <= width and box.y0 >= 0 and box.y1 <= height, (box, width, height)


def colours_drawn(fig):
    """(colormap names, hex colours) of everything the figure draws, colour bars included."""
    cmaps, colours = set(), []
    for ax in fig.axes:
        for image in ax.images:
            if image.get_array().ndim == 2:  # RGBA overlays (the faded cells) carry no colormap
                cmaps.add(image.get_cmap().name)
        for collection in ax.collections:
            if collection.get_array() is not None:
                cmaps.add(collection.get_cmap().name)
            else:
                colours += [to_hex(c) for c in collection.get_facecolors()]
        for line in ax.lines:
            colours += [to_hex(line.get_color()), to_hex(line.get_markerfacecolor())]
        for patch in ax.patches:
            if patch.get_fill():
                colours.append(to_hex(patch.get_facecolor()))
            colours.append(to_hex(patch.get_edgecolor()))
        for text in ax.texts:
            if getattr(text, "arrow_patch", None) is not None:
                colours.append(to_hex(text.arrow_patch.get_edgecolor()))
    return cmaps, colours


def is_grey(colour):
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return red == green == blue


def test_colours_are_colour_blind_safe(figure):
    cmaps, colours = colours_drawn(figure)
    assert cmaps <= SAFE_COLORMAPS, f"colormaps {sorted(cmaps - SAFE_COLORMAPS)}"
    others = {c for c in colours if c not in OKABE_ITO_HEX and not is_grey(c)}
    assert not others, f"colours outside the Okabe-Ito palette: {sorted(others)}"


def test_the_colour_check_can_fail():
    fig, (ax,) = new_figure()
    ax.imshow(np.eye(2), cmap="jet")
    ax.plot([0, 1], color="#ff0000")
    cmaps, colours = colours_drawn(fig)
    assert cmaps == {"jet"} and "#ff0000" in colours and not is_grey("#ff0000")


def legend_entries_differ_beyond_colour(ax):
    handles, _ = ax.get_legend_handles_labels()

    def shape(handle):
        if isinstance(handle, matplotlib.lines.Line2D):
            return ("line", handle.get_linestyle(), handle.get_marker())
        if isinstance(handle, matplotlib.collections.PathCollection):
            return ("markers", handle.get_paths()[0].vertices.round(3).tobytes())
        if isinstance(handle, matplotlib.container.BarContainer):
            return ("bars", handle.patches[0].get_hatch())
        return ("patch", type(handle).__name__, handle.get_hatch())

    return all(shape(a) != shape(b) for a, b in itertools.combinations(handles, 2))


def test_colour_is_never_the_only_difference_between_legend_entries(figure):
    for ax in axes_with_content(figure):
        assert legend_entries_differ_beyond_colour(ax), f"{ax.get_title()!r}: entries differ by colour alone"


def test_the_legend_check_can_fail():
    _fig, (ax,) = new_figure()
    ax.plot([0, 1], color="#0072b2", label="a")
    ax.plot([1, 0], color="#d55e00", label="b")
    assert not legend_entries_differ_beyond_colour(ax)


# ---------------------------------------------------------------- what each figure says


def alt(name):
    return alt_text(FIGURES[name]())


def test_table_alt_text_states_the_shape_and_the_colours_as_drawn():
    text = alt("plot_table")
    assert (
        "(30, 7)" in text and "token id 0 to 29" in text and "Rows 3, 7 are outlined in black on a white band" in text
    )
    low = f"{TABLE.min():.2f}".replace("-0.00", "0.00")
    assert f"from {low} to" in text
    # PuOr as drawn: its low end (negative values) is orange-brown, its high end purple.
    red, _, blue, _ = matplotlib.colormaps["PuOr"](0.0)
    assert red > blue and "orange for negative" in text and "purple for positive" in text


def outlines(ax):
    """{(first row, last row): [edge colours, bottom first]} of the row outlines drawn on a heatmap."""
    drawn = {}
    for patch in ax.patches:
        if not patch.get_fill():
            top = patch.get_y() + 0.5
            drawn.setdefault((round(top), round(top + patch.get_height() - 1)), []).append(
                to_hex(patch.get_edgecolor())
            )
    return drawn


def test_lookup_figure_outlines_the_rows_read_and_the_selected_id():
    fig = plotting.plot_lookup(TABLE, [4, 9, 4], selected_id=4)
    left, right = axes_with_content(fig)
    # rows 4 and 9 outlined once each (white band, black line), the selected row 4 again (band, line, blue dashes)
    read, selected = ["#ffffff", "#000000"], ["#ffffff", "#000000", "#0072b2"]
    assert outlines(left) == {(4, 4): read + selected, (9, 9): read}
    # the selected id stands at two positions of the output
    assert outlines(right) == {(0, 0): selected, (2, 2): selected}
    # the selected id's outline differs from the others by its dashes, not by colour alone
    styles = {to_hex(p.get_edgecolor()): p.get_linestyle() for p in left.patches}
    assert styles["#0072b2"] not in ("-", "solid") and styles["#000000"] in ("-", "solid")
    assert "(3, 7)" in right.get_title()
    assert [t.get_text() for t in right.get_yticklabels()] == ["0: 4", "1: 9", "2: 4"]
    text = alt_text(fig)
    assert "(30, 7)" in text and "(3, 7)" in text and "[4, 9, 4]" in text and "2 output positions (0, 2)." in text
    assert lookup_description((30, 7), [4, 9, 4], selected_id=9).endswith("table row 9 and 1 output position (1).")
    assert "blue dashes" in text and "black on a white band" in text


def relative_luminance(colour):
    """WCAG 2.1 relative luminance of an sRGB colour."""
    channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in matplotlib.colors.to_rgb(colour)]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast(a, b):
    """WCAG 2.1 contrast ratio, 1 (none) to 21 (black on white)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def weakest_contrast(outline_colours, cmap="PuOr"):
    """The least contrast an outline reaches over any colour of ``cmap``, its best colour counting at each."""
    backgrounds = matplotlib.colormaps[cmap](np.linspace(0, 1, 101))
    return min(max(contrast(line, background) for line in outline_colours) for background in backgrounds)


@pytest.mark.parametrize("name", ["plot_lookup", "plot_table", "lookup_view"])
def test_every_row_outline_stands_out_on_both_halves_of_the_colormap(name):
    # WCAG 2.1 asks 3:1 for graphical objects; the outline's white band or its line must reach it on every cell colour.
    drawn = [colours for ax in axes_with_content(FIGURES[name]()) for colours in outlines(ax).values()]
    assert drawn, "the figure should outline some rows"
    for colours in drawn:
        assert weakest_contrast(colours) >= 3, colours


def test_the_outline_contrast_check_can_fail():
    # A single vermillion line (the first edition's outline) fades into the orange half of PuOr.
    assert weakest_contrast(["#d55e00"]) < 3
    assert weakest_contrast(["#0072b2"]) < 3  # and blue alone into the purple half
    assert contrast("#000000", "#ffffff") == pytest.approx(21)


def test_cost_bars_are_the_operation_counts_to_scale_and_on_a_log_scale_from_1():
    fig = plotting.plot_cost_comparison(100, 50_000, 300)
    linear, logarithmic = axes_with_content(fig)
    for ax in (linear, logarithmic):
        heights = [bar.get_height() for bar in ax.patches if isinstance(bar, matplotlib.patches.Rectangle)]
        assert heights == [100 * 300, 100 * 50_000 * 300]
        hatches = [bar.get_hatch() for bar in ax.patches if isinstance(bar, matplotlib.patches.Rectangle)]
        assert hatches[0] != hatches[1]  # the bars differ by more than colour
    assert linear.get_yscale() == "linear" and linear.get_ylim()[0] == 0
    assert logarithmic.get_yscale() == "log" and logarithmic.get_ylim()[0] == 1  # the bars start at 10^0
    assert any(t.get_text() == "x 50,000" for t in logarithmic.texts)
    text = alt_text(fig)
    assert "30,000" in text and "1,500,000,000" in text and "50,000 times more" in text
    assert "too thin to see" in text and "starting at 1" in text


def test_cost_chart_labels_its_decades_as_plain_text_from_10_to_the_0():
    fig = plotting.plot_cost_comparison(100, 50_000, 300)
    _, ax = axes_with_content(fig)
    fig.canvas.draw()
    low, high = ax.get_ylim()
    shown = [label.get_text() for label, tick in zip(ax.get_yticklabels(), ax.get_yticks()) if low <= tick <= high]
    assert shown == ["10" + d for d in ("\u2070", "\u00b9", "\u00b2", "\u00b3", "\u2074", "\u2075", "\u2076")] + [
        "10\u2077",
        "10\u2078",
        "10\u2079",
        "10\u00b9\u2070",
    ]
    assert not ax.yaxis.get_minorticklocs().size  # no unlabelled minor ticks
    assert high >= 10 * 1_500_000_000


def test_slice_titles_state_the_shapes():
    x = np.zeros((2, 10, 7))
    fig = plotting.plot_slices(x, {"x[0]": np.s_[0], "x[:, 3]": np.s_[:, 3], "x[..., 0]": np.s_[..., 0]})
    titles = [ax.get_title() for ax in axes_with_content(fig)]
    assert titles == ["x[0]  ->  shape (10, 7)", "x[:, 3]  ->  shape (2, 7)", "x[..., 0]  ->  shape (2, 10)"]
    assert "x[:, 3] keeps 14 numbers, shape (2, 7)" in alt_text(fig)


def test_average_figure_shows_each_result_shape_in_words():
    fig = plotting.plot_averages(np.ones((2, 10, 7)))
    titles = [ax.get_title() for ax in axes_with_content(fig)]
    assert titles == [
        "x.mean(axis=0): same cell, across samples",
        "result (10, 7)",
        "x.mean(axis=1): down the tokens of each sample",
        "result (2, 7)",
        "x.mean(axis=2): across the features of each token",
        "result (2, 10): a column per sample",
    ]
    text = alt_text(fig)
    for row in (
        "x.mean(axis=0) averages the samples (same cell, across samples) and gives (10, 7), one average sample",
        "x.mean(axis=1) averages the tokens (down the tokens of each sample) and gives (2, 7), one vector per sample",
        "x.mean(axis=2) averages the features (across the features of each token) and gives (2, 10), "
        "one number per token",
    ):
        assert row in text
    assert "curved arrows join the same outlined cell of each sample" in text


def matrices_and_cells(ax, seq_len, dim):
    """The drawn sample frames (seq_len x dim rectangles) and the outlined single cells, as (x, y) corners."""
    corners = {(p.get_width(), p.get_height()): [] for p in ax.patches}
    for patch in ax.patches:
        corners[(patch.get_width(), patch.get_height())].append(patch.get_xy())
    return corners.get((dim, seq_len), []), corners.get((1, 1), [])


def where(point, frames, cells):
    """(sample index, row, column) of the outlined cell that holds ``point``; None if no outlined cell does."""
    px, py = point
    for cx, cy in cells:
        if cx <= px <= cx + 1 and cy <= py <= cy + 1:
            sample = max(i for i, (fx, _) in enumerate(sorted(frames)) if fx <= cx)
            fx, fy = sorted(frames)[sample]
            return sample, round(cy - fy), round(cx - fx)
    return None


@pytest.mark.parametrize("batch", [2, 3])
def test_axis_0_arrows_join_the_same_cell_of_neighbouring_samples(batch):
    fig = plotting.plot_block(np.zeros((batch, 10, 7)), averaged_axis=0)
    (ax,) = axes_with_content(fig)
    frames, cells = matrices_and_cells(ax, 10, 7)
    assert len(frames) == batch and len(cells) % batch == 0 and len(cells) >= batch
    arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    assert len(arrows) == (batch - 1) * len(cells) // batch
    for arrow in arrows:
        start, end = where(arrow.xyann, frames, cells), where(arrow.xy, frames, cells)
        assert start is not None and end is not None, "every arrow starts and ends on an outlined cell"
        assert end[0] == start[0] + 1, "from one sample to the next, never within one sample"
        assert end[1:] == start[1:], "the same token and the same feature"
    words = [t.get_text() for t in ax.texts]
    assert words.count("+") == batch - 1 and any("same cell, across samples" in w for w in words)
    text = alt_text(fig)
    assert f"drawn as {batch} matrices" in text and "same token, same feature" in text and "cell by cell" in text


def test_the_same_cell_check_can_fail():
    _fig, (ax,) = new_figure()
    draw_block(ax, np.zeros((2, 10, 7)), averaged_axis=2)  # arrows under each matrix, no outlined cells
    frames, cells = matrices_and_cells(ax, 10, 7)
    arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    assert len(frames) == 2 and not cells and all(where(a.xyann, frames, cells) is None for a in arrows)


def test_data_format_figure_titles():
    fig = plotting.plot_data_formats(np.ones((2, 10, 7)))
    titles = [ax.get_title() for ax in axes_with_content(fig)]
    assert titles == [
        "channels_last: averages the tokens",
        "pooled (2, 7)",
        "channels_first: averages the features",
        "pooled (2, 10): a column per sentence",
    ]
    text = alt_text(fig)
    assert "channels_last: the tensor (2, 10, 7) with arrows along the tokens, and the pooled result (2, 7)" in text
    assert (
        "channels_first: the tensor (2, 10, 7) with arrows along the features, and the pooled result (2, 10), "
        "one number per token, drawn as a column per sentence beside its tokens" in text
    )


def test_block_refuses_wrong_shapes():
    _fig, (ax,) = new_figure()
    with pytest.raises(ValueError, match="3-D"):
        draw_block(ax, np.ones((10, 7)))
    with pytest.raises(ValueError, match="highlight must have the shape"):
        draw_block(ax, np.ones((2, 10, 7)), highlight=np.ones((2, 10), bool))


def test_padding_drift_alt_text_gives_both_curves():
    text = alt("plot_padding_drift")
    assert "4 to 8" in text and "from 0.000 to 0.100" in text and "at most 0.000" in text


def test_run_accuracies_draw_one_dot_per_run_and_say_each_spread():
    fig = FIGURES["plot_run_accuracies"]()
    late, swapped = axes_with_content(fig)
    assert [c.get_offsets().shape[0] for c in late.collections] == [4, 4] and len(swapped.collections) == 1
    assert sorted(late.collections[1].get_offsets()[:, 1]) == [0, 25, 75, 100]  # in percent
    means = [line.get_ydata()[0] for line in late.lines if line.get_linewidth() == 3]
    assert means == [100, 50]
    text = alt_text(fig)
    assert "one dot per run (4 runs per model)" in text
    assert "late: last (circles) mean 100%, from 100% to 100%; first (squares) mean 50%, from 0% to 100%" in text
    # a model keeps its marker in every panel
    assert "swapped: first (squares) mean 20%, from 10% to 30%" in text
    assert text.startswith("Dot plots of held-out accuracy, 2 panels, one dot per run")
    one = alt_text(plotting.plot_run_accuracies({"late": RUN_ACCURACIES["late"]}))
    assert one.startswith("Dot plots of held-out accuracy, 1 panel, one dot per run")


def test_word_map_is_drawn_to_scale_and_its_alt_text_gives_shares_and_ranges():
    fig = FIGURES["plot_word_map"]()
    for ax in axes_with_content(fig):
        assert ax.get_aspect() == 1.0
        assert ax.get_xlabel() == "direction 1 (100% of the variance)" and ax.get_ylabel() == "direction 2 (0%)"
    text = alt_text(fig)
    assert "one table: direction 1 explains 100% of the variance, direction 2 0%" in text
    # centred coordinates -2, -1 (negative) and 0, 3 (positive); the same words turned by 90 degrees look alike
    for table in ("one table", "turned"):
        part = text.split(f"{table}: ")[1]
        assert "negative (circles) from -2.0 to -1.0 along direction 1 and from 0.0 to 0.0 along direction 2" in part
        assert "positive (squares) from 0.0 to 3.0 along direction 1" in part
    assert text.startswith("2 scatter plots of 4 word vectors")
    assert alt_text(plotting.plot_word_map({"one table": WORD_ROWS}, WORD_GROUPS)).startswith(
        "1 scatter plot of 4 word vectors"
    )
    with pytest.raises(ValueError, match=r"\(4, dim\)"):
        plotting.plot_word_map({"bad": WORD_ROWS[:3]}, WORD_GROUPS)


def test_bag_figure_alt_text_gives_bag_sizes_and_the_empty_bag():
    fig = FIGURES["plot_bags"]()
    (left, _) = axes_with_content(fig)
    assert sum(p.get_hatch() == "xx" for p in left.patches) == 1  # the one padding id is crossed out
    text = alt_text(fig)
    assert (
        "3 bags of 2, 3, 0 ids" in text and "Crossed out, since they do not count: 1 row of the padding id 0." in text
    )
    assert "Bag 2 is empty: its row is zeros." in text
    # ids 0, 3 | 0, 0, 5: three rows of padding id 0 in two bags
    two = alt_text(plotting.plot_bags(TABLE, [0, 3, 0, 0, 5], [0, 2], np.zeros((2, 7)), padding_idx=0))
    assert "Crossed out, since they do not count: 3 rows of the padding id 0." in two


def test_dense_parameters_alt_text_gives_the_counts():
    text = alt("plot_dense_parameters")
    assert "channels_last, pooled (None, 3): 512 parameters" in text
    assert "channels_first, pooled (None, 500): 64,128 parameters" in text


def test_dense_parameter_bars_label_their_decades_as_plain_text():
    fig = FIGURES["plot_dense_parameters"]()
    (ax,) = axes_with_content(fig)
    fig.canvas.draw()
    low, high = ax.get_xlim()
    shown = [label.get_text() for label, tick in zip(ax.get_xticklabels(), ax.get_xticks()) if low <= tick <= high]
    assert shown == ["10\u2070", "10\u00b9", "10\u00b2", "10\u00b3", "10\u2074", "10\u2075", "10\u2076"]
    assert ax.get_xscale() == "log" and not ax.xaxis.get_minorticklocs().size
    assert [bar.get_width() for bar in ax.patches] == [512, 64_128]


def test_data_flow_marks_each_flagged_layer_in_words_and_hatching():
    fig = FIGURES["plot_data_flow"]()
    flawed, clean = axes_with_content(fig)
    assert [flawed.get_title(), clean.get_title()] == ['"lost_mask": 1 error, 1 warning', '"clean": no findings']
    assert sorted(p.get_hatch() for p in flawed.patches if p.get_hatch()) == ["..", "//"]
    assert not [p for p in clean.patches if p.get_hatch()]
    boxes = [t.get_text() for t in flawed.texts if t.get_text()]
    assert (
        boxes[2]
        == "window (AveragePooling1D)\n(None, 5, 7): batch, tokens, features\nmask: dropped\nWARNING: mask-dropped"
    )
    assert boxes[3].endswith("ERROR: pool-over-features")
    assert len([t for t in clean.texts if not t.get_text()]) == 2  # an arrow between each two of the 3 layers


def test_data_flow_alt_text_follows_each_model_layer_by_layer():
    text = alt("plot_data_flow")
    assert text.startswith(
        'Model "lost_mask", top to bottom: token_ids (InputLayer) gives (None, 10) with axes batch, tokens;'
    )
    assert (
        "window (AveragePooling1D) gives (None, 5, 7) with axes batch, tokens, features, mask dropped, warning mask-dropped;"
        in text
    )
    assert (
        "pool (GlobalAveragePooling1D) gives (None, 5) with axes batch, tokens, error pool-over-features. 1 error, 1 warning."
        in text
    )
    assert text.endswith(
        "pool (GlobalAveragePooling1D) gives (None, 7) with axes batch, features, mask consumed. No findings."
    )


def test_data_flow_needs_a_report():
    with pytest.raises(ValueError, match="at least one report"):
        plotting.plot_data_flow()


@pytest.mark.parametrize(
    "make", [lambda: plotting.plot_averages(X), lambda: plotting.plot_table(TABLE)], ids=["averages", "table"]
)
def test_figure_png_gives_the_picture_savefig_gives(make):
    """figure_png draws once on its own Agg canvas; the pixels must be those of matplotlib's own savefig."""
    import io

    from PIL import Image

    def pixels(png):
        return np.asarray(Image.open(io.BytesIO(png)))

    ours, theirs = make(), make()
    buffer = io.BytesIO()
    theirs.savefig(buffer, format="png", dpi=theirs.dpi, facecolor="white", edgecolor="white")
    canvas = ours.canvas
    png = figure_png(ours)
    assert ours.canvas is canvas  # the figure keeps its own canvas afterwards
    assert np.array_equal(pixels(png), pixels(buffer.getvalue()))
    plt.close(ours)
    plt.close(theirs)


# ---------------------------------------------------------------- one colour rule, columns, padding, ticks, the box


def heatmaps(fig):
    """The images with a colormap (the heatmaps), with the axes they are drawn on."""
    return [(ax, image) for ax in axes_with_content(fig) for image in ax.images if image.get_array().ndim == 2]


@pytest.mark.parametrize(
    ("make", "x"),
    [
        (lambda: plotting.plot_averages(X), X),
        (lambda: plotting.plot_data_formats(X), X),
        (lambda: views.averaging_view(axis=2).figure, views.averaging_result(2)[0]),
        (lambda: views.data_format_view("channels_first").figure, None),
    ],
    ids=["plot_averages", "plot_data_formats", "averaging_view", "data_format_view"],
)
def test_every_result_is_drawn_on_its_inputs_colour_scale_with_a_colour_bar(make, x):
    fig = make()
    largest = None if x is None else float(np.abs(x).max())
    limits = {tuple(np.round(image.get_clim(), 6)) for _, image in heatmaps(fig)}
    assert len(limits) == 1, f"panels on different colour scales: {limits}"
    (low, high) = limits.pop()
    assert low == -high and (largest is None or high == pytest.approx(largest, abs=1e-6))
    result_axes = [ax for ax in axes_with_content(fig) if ax.get_title().startswith(("result", "pooled"))]
    assert result_axes
    bars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    for ax in result_axes:
        (image,) = ax.images
        assert any(bar.collections or bar.images for bar in bars) and image.colorbar is not None
        assert image.colorbar.ax.get_ylabel() == "value (as input)"


def test_the_colour_scale_check_can_fail():
    fig, axes = new_figure(2)
    axes[0].imshow(np.eye(2), vmin=-1, vmax=1)
    axes[1].imshow(np.eye(2) * 0.5, vmin=-0.5, vmax=0.5)  # each panel scaled to its own maximum
    assert len({tuple(image.get_clim()) for _, image in heatmaps(fig)}) == 2


def test_a_result_of_one_number_per_token_is_a_column_per_sample_beside_the_tokens():
    fig = plotting.plot_data_formats(X)
    pooled = [ax for ax in axes_with_content(fig) if ax.get_title().startswith("pooled (2, 10)")]
    (ax,) = pooled
    (image,) = ax.images
    assert image.get_array().shape == (10, 2)  # tokens down, one column per sentence
    np.testing.assert_allclose(image.get_array(), X.mean(axis=2).T, rtol=1e-6)
    assert ax.get_ylabel() == "token" and ax.get_xlabel() == "sample"


def test_padding_rows_are_hatched_and_outlined_not_marked_by_colour_alone():
    fig = plotting.plot_block(X, padding=PADDING)
    (ax,) = axes_with_content(fig)
    hatched = [p for p in ax.patches if p.get_hatch() == "xx"]
    assert sorted(round(p.get_y() + 0.5) for p in hatched) == [7, 8, 9]
    assert all(to_hex(p.get_edgecolor()) == "#000000" and p.get_linewidth() > 0 for p in hatched)
    assert "Padding rows are faded, hatched and outlined: 0 in x[0], 3 in x[1]." in alt_text(fig)


def test_faded_cells_are_hatched_so_a_fade_is_not_a_value_near_zero():
    fig = plotting.plot_slices(X, {"x[:, 3]": np.s_[:, 3]})
    (ax,) = axes_with_content(fig)
    dotted = [p for p in ax.patches if p.get_hatch() == "/"]
    # one run of faded cells per row of each sample, except the kept row 3: 2 samples x 9 rows
    assert len(dotted) == 18 and {p.get_width() for p in dotted} == {7}


def test_the_lookup_table_labels_exactly_the_rows_read():
    fig = plotting.plot_lookup(TABLE, [14, 15, 28, 28], selected_id=28)
    left, _ = axes_with_content(fig)
    assert [t.get_text() for t in left.get_yticklabels()] == ["0", "14", "15", "28", "29"]
    table_fig = plotting.plot_table(TABLE, highlight_ids=[3, 7])
    (ax,) = axes_with_content(table_fig)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0", "3", "7", "29"]


def test_the_box_names_its_three_axes_and_writes_the_words_on_the_token_rows():
    fig = plotting.plot_box((2, 10, 7), WORDS)
    (ax,) = axes_with_content(fig)
    assert ax.get_xlabel() == "axis 2: features (7)" and ax.get_ylabel() == "axis 1: tokens (10)"
    texts = [t.get_text() for t in ax.texts]
    assert [f"{i}: {w}" for i, w in enumerate(WORDS)] == [t for t in texts if ": " in t and "axis" not in t]
    assert any(t.startswith("axis 0: batch (2)") for t in texts)
    cards = [p for p in ax.patches if p.get_width() == 7 and p.get_height() == 10]
    assert len(cards) == 2  # one card per sentence
    text = alt_text(fig)
    assert "(2, 10, 7)" in text and "2 cards" in text and " ".join(WORDS) in text


@pytest.mark.parametrize(("axis", "left", "cards"), [(1, (2, 7), (7, 1)), (2, (2, 10), (1, 10)), (0, (10, 7), (7, 10))])
def test_the_pooled_box_squashes_the_averaged_axis_to_one(axis, left, cards):
    fig = plotting.plot_box((2, 10, 7), WORDS, pooled_axis=axis, pooled_by="a pooling")
    _, pooled = axes_with_content(fig)
    squashed = [p for p in pooled.patches if (p.get_width(), p.get_height()) == cards]
    assert len(squashed) == (1 if axis == 0 else 2)
    assert str(left) in pooled.get_title() and "a pooling" in pooled.get_title()
    assert "(pooled)" in (pooled.get_xlabel() + pooled.get_ylabel()) or axis == 0
    assert f"shape {left}" in alt_text(fig)


def test_the_box_refuses_what_it_cannot_draw():
    with pytest.raises(ValueError, match="three sizes"):
        plotting.plot_box((2, 10))
    with pytest.raises(ValueError, match="one word per token row, 10; got 3"):
        plotting.plot_box((2, 10, 7), ["a", "b", "c"])
    with pytest.raises(ValueError, match="pooled_axis"):
        plotting.plot_box((2, 10, 7), pooled_axis=3)


def test_words_of_gives_each_id_its_word_and_refuses_ids_without_one():
    from embedpool_utils.plotting.box import TOY_VOCABULARY

    assert len(TOY_VOCABULARY) == 30 == len(set(TOY_VOCABULARY))  # one word per row of the series' tables
    assert plotting.words_of([0, 1, 29]) == [TOY_VOCABULARY[0], TOY_VOCABULARY[1], TOY_VOCABULARY[29]]
    assert TOY_VOCABULARY[0] == "<pad>"  # id 0 pads, as everywhere in the series
    with pytest.raises(IndexError, match=r"0 \.\.\. 29"):
        plotting.words_of([30])
