"""The four explorers and the figures of the core notebooks, without a browser.

Expected values are worked out here with plain numpy (or by hand), not by calling
the code under test; the widget tests set a control's ``.value`` as a learner
would and check what the explorer then shows.
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from embedpool_utils import init_embedding, plotting, widgets


def axes_with_content(fig):
    """The figure's axes except colour bars."""
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


def assert_labelled(fig):
    for ax in axes_with_content(fig):
        assert ax.get_title(), "every axes needs a title"
        assert ax.get_xlabel() and ax.get_ylabel(), f"axes {ax.get_title()!r} needs axis labels"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# ---------------------------------------------------------------- figures


def test_every_core_figure_is_labelled():
    table = init_embedding(30, 7, seed=0)
    x = table[np.random.default_rng(0).integers(0, 30, size=(2, 10))]
    figures = [
        plotting.plot_table(table),
        plotting.plot_lookup(table, [3, 3, 9], selected_id=3),
        plotting.plot_cost_comparison(10, 30, 7),
        plotting.plot_block(x),
        plotting.plot_slices(x, {"x[0]": np.s_[0]}),
        plotting.plot_averages(x),
        plotting.plot_padding_drift([4, 6], [0.0, 0.1], [0.0, 0.0]),
        plotting.plot_data_formats(x),
    ]
    for fig in figures:
        assert_labelled(fig)
        assert fig.dpi == 80


def test_lookup_figure_outlines_the_rows_read_and_the_selected_id():
    table = init_embedding(30, 7, seed=0)
    fig = plotting.plot_lookup(table, [4, 9, 4], selected_id=4)
    left, right = axes_with_content(fig)
    # rows 4 and 9 outlined once each, plus the selected row 4 again in blue
    assert len(left.patches) == 3
    # the selected id stands at two positions of the output
    assert len(right.patches) == 2
    assert "(3, 7)" in right.get_title()
    assert [t.get_text() for t in right.get_yticklabels()] == ["0: 4", "1: 9", "2: 4"]


def test_cost_bars_are_the_operation_counts():
    fig = plotting.plot_cost_comparison(100, 50_000, 300)
    (ax,) = axes_with_content(fig)
    heights = [bar.get_height() for bar in ax.patches]
    assert heights == [100 * 300, 100 * 50_000 * 300]
    assert ax.get_yscale() == "log"


def test_slice_titles_state_the_shapes():
    x = np.zeros((2, 10, 7))
    fig = plotting.plot_slices(x, {"x[0]": np.s_[0], "x[:, 3]": np.s_[:, 3], "x[..., 0]": np.s_[..., 0]})
    titles = [ax.get_title() for ax in axes_with_content(fig)]
    assert titles == ["x[0]  ->  shape (10, 7)", "x[:, 3]  ->  shape (2, 7)", "x[..., 0]  ->  shape (2, 10)"]


def test_average_figure_shows_each_result_shape():
    fig = plotting.plot_averages(np.ones((2, 10, 7)))
    result_titles = [ax.get_title() for ax in axes_with_content(fig) if ax.get_title().startswith("result")]
    assert result_titles == ["result (10, 7)", "result (2, 7)", "result (2, 10)"]


def test_data_format_figure_titles():
    fig = plotting.plot_data_formats(np.ones((2, 10, 7)))
    titles = [ax.get_title() for ax in axes_with_content(fig)]
    assert titles == ["channels_last: averages the tokens", "pooled (2, 7)",
                      "channels_first: averages the features", "pooled (2, 10)"]


def test_block_refuses_wrong_shapes():
    fig, (ax,) = plotting.new_figure()
    with pytest.raises(ValueError, match="3-D"):
        plotting.draw_block(ax, np.ones((10, 7)))
    with pytest.raises(ValueError, match="highlight must have the shape"):
        plotting.draw_block(ax, np.ones((2, 10, 7)), highlight=np.ones((2, 10), bool))


# ---------------------------------------------------------------- lookup explorer


@pytest.mark.parametrize("text, ids", [("3, 7 3", [3, 7, 3]), ("[1,2]", [1, 2]), ("  ", []), ((4, 5), [4, 5])])
def test_parse_ids(text, ids):
    assert widgets.parse_ids(text) == ids


def test_parse_ids_refuses_words():
    with pytest.raises(ValueError, match="could not read 'x'"):
        widgets.parse_ids("1, x")


def test_lookup_view_names_the_positions_of_the_selected_id():
    view = widgets.lookup_view("8, 2, 8, 8", selected_id=8)
    assert "output shape (4, 7)" in view.text
    assert "position(s) [0, 2, 3]" in view.text and "identical" in view.text
    assert "not in this sequence" in view.update(ids="8, 2", selected_id=5)


@pytest.mark.parametrize("bad, words", [("1, 30", "< vocab_size = 30"), ("-1", ">= 0"), ("one", "could not read")])
def test_lookup_view_explains_bad_ids_instead_of_raising(bad, words):
    view = widgets.lookup_view()
    text = view.update(ids=bad, selected_id=0)
    assert text.startswith("Cannot look these ids up") and words in text


def test_lookup_explorer_follows_its_controls():
    explorer = widgets.lookup_explorer()
    first_png, first_text = bytes(explorer.image.value), explorer.text
    explorer.controls["selected_id"].value = 19
    assert explorer.text != first_text and "Id 19" in explorer.text
    assert bytes(explorer.image.value) != first_png
    explorer.controls["ids"].value = "19, 19"
    assert "output shape (2, 7)" in explorer.text
    assert repr(explorer) == "<lookup explorer: selected_id=19, ids='19, 19'>"


# ---------------------------------------------------------------- shape explorer


def test_shape_view_states_the_shape():
    view = widgets.shape_view(3, 4, 5)
    assert "output shape (3, 4, 5)" in view.text and "3 matrices of 4 rows" in view.text
    figure = view.figure
    assert "1 matrix of" in view.update(batch=1, seq_len=2, embedding_dim=2)
    assert view.figure is figure  # redrawn in place


@pytest.mark.parametrize("args", [(0, 10, 7), (2, -1, 7), (2, 10, 2.5)])
def test_shape_view_refuses_bad_sizes(args):
    with pytest.raises(ValueError, match="positive int"):
        widgets.shape_view(*args)


def test_shape_explorer_follows_its_sliders():
    explorer = widgets.shape_explorer()
    explorer.controls["seq_len"].value = 3
    assert "(2, 3, 7)" in explorer.text
    explorer.controls["embedding_dim"].value = 4
    assert "(2, 3, 4)" in explorer.text


# ---------------------------------------------------------------- averaging explorer


def demo_batch():
    ids = widgets.AVERAGING_IDS
    return ids, init_embedding(30, 7, seed=0)[ids]


@pytest.mark.parametrize("axis", [0, 1, 2])
@pytest.mark.parametrize("keepdims", [False, True])
def test_averaging_result_is_the_numpy_mean(axis, keepdims):
    _, x = demo_batch()
    got_x, result, sentence = widgets.averaging_result(axis, keepdims)
    np.testing.assert_array_equal(got_x, x)
    np.testing.assert_allclose(result, np.mean(x, axis=axis, keepdims=keepdims), rtol=1e-6)
    assert f"-> {np.mean(x, axis=axis, keepdims=keepdims).shape}" in sentence


def test_averaging_with_the_mask_averages_real_tokens_only():
    ids, x = demo_batch()
    _, result, sentence = widgets.averaging_result(1, masked=True)
    for row in range(2):
        real = [x[row, k] for k in range(10) if ids[row, k] != 0]
        np.testing.assert_allclose(result[row], sum(real) / len(real), rtol=1e-5)
    assert "real tokens only" in sentence


@pytest.mark.parametrize("axis", [0, 2])
def test_averaging_says_the_mask_does_not_apply_to_other_axes(axis):
    _, x = demo_batch()
    _, result, sentence = widgets.averaging_result(axis, masked=True)
    np.testing.assert_allclose(result, x.mean(axis=axis), rtol=1e-6)
    assert "does not apply" in sentence


def test_averaging_refuses_a_fourth_axis():
    with pytest.raises(ValueError, match="axis must be 0, 1 or 2"):
        widgets.averaging_view(axis=3)


def test_averaging_explorer_follows_its_controls():
    explorer = widgets.averaging_explorer()
    png = bytes(explorer.image.value)
    explorer.controls["axis"].value = 2
    assert "(2, 10, 7) -> (2, 10)" in explorer.text and bytes(explorer.image.value) != png
    explorer.controls["keepdims"].value = True
    assert "-> (2, 10, 1)" in explorer.text
    explorer.controls["axis"].value = 1
    explorer.controls["masked"].value = True
    assert "masked mean(axis=1, keepdims=True): (2, 10, 7) -> (2, 1, 7)" in explorer.text


# ---------------------------------------------------------------- data_format explorer


def test_data_format_sentences():
    last = widgets.data_format_sentence("channels_last", 2, 10, 7)
    first = widgets.data_format_sentence("channels_first", 2, 10, 7)
    assert "averages the 10 tokens" in last and "-> (2, 7)" in last
    assert "averages the 7 features" in first and "-> (2, 10)" in first
    with pytest.raises(ValueError, match="channels_last"):
        widgets.data_format_sentence("channels_middle", 2, 10, 7)


def test_data_format_explorer_follows_its_toggle():
    explorer = widgets.data_format_explorer()
    png = bytes(explorer.image.value)
    explorer.controls["data_format"].value = "channels_first"
    assert "one number per token" in explorer.text and bytes(explorer.image.value) != png
    explorer.controls["embedding_dim"].value = 3
    assert "averages the 3 features" in explorer.text and "(2, 10)" in explorer.text
    assert "data_format='channels_first'" in repr(explorer)
