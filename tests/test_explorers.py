"""The explorer machinery and the four explorers of the core notebooks, without a browser.

Expected values are worked out here with plain numpy (or by hand), not by calling
the code under test; the widget tests set a control's ``.value`` as a learner
would and check what the explorer then shows.
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from embedpool_utils import explorers, init_embedding
from embedpool_utils.explorers import views
from embedpool_utils.explorers.base import Explorer, View, redrawing_view
from embedpool_utils.plotting.display import alt_text, set_alt_text
from embedpool_utils.plotting.style import draw_heatmap, new_figure


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# ---------------------------------------------------------------- the Explorer machinery


def make_counter_view(n=1):
    fig, (ax,) = new_figure()
    image = draw_heatmap(ax, np.eye(3) * n, title="count", xlabel="x", ylabel="y", limit=5)
    set_alt_text(fig, f"A 3 x 3 grid with {n} on the diagonal.")

    def update(n):
        image.set_data(np.eye(3) * n)
        set_alt_text(fig, f"A 3 x 3 grid with {n} on the diagonal.")
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


def test_show_static_shows_the_first_picture_and_sentence_whatever_the_controls_say(capsys, monkeypatch):
    import ipywidgets

    from embedpool_utils.plotting import display

    shown = []
    monkeypatch.setattr(display, "display_image", shown.append)
    monkeypatch.setattr("embedpool_utils.explorers.base.display_image", shown.append)
    slider = ipywidgets.IntSlider(value=2, min=0, max=5)
    explorer = Explorer("counter explorer", {"n": slider}, make_counter_view(2))
    first_png = bytes(explorer.image.value)
    slider.value = 5  # a learner moved the slider before scrolling on
    explorer.show_static()
    assert capsys.readouterr().out == "n is 2\n"
    (image,) = shown
    assert image.png == first_png and image.alt == "A 3 x 3 grid with 2 on the diagonal."
    data, metadata = image._repr_mimebundle_()
    assert data["text/plain"] == metadata["image/png"]["alt"] == "A 3 x 3 grid with 2 on the diagonal."


def test_explorer_html_escapes_the_sentence():
    import ipywidgets

    view = make_counter_view()
    view.text = "<b>bold</b>"
    explorer = Explorer("x", {"n": ipywidgets.IntSlider(1)}, view)
    assert "<b>" not in explorer.html.value and "&lt;b&gt;" in explorer.html.value


def test_redrawing_view_clears_and_redraws_one_figure_and_needs_alt_text():
    def draw(figure, n):
        figure.subplots().plot(range(n))
        set_alt_text(figure, f"A line through {n} points.")
        return f"{n} points"

    view = redrawing_view(draw, (4.0, 3.0), n=3)
    figure = view.figure
    assert view.update(n=5) == "5 points" and view.figure is figure
    assert len(figure.axes) == 1 and len(figure.axes[0].lines[0].get_xdata()) == 5  # the old drawing is gone
    assert alt_text(figure) == "A line through 5 points."
    with pytest.raises(ValueError, match="alternative text"):
        redrawing_view(lambda figure, n: "no alt", (4.0, 3.0), n=1)


@pytest.mark.parametrize(
    "view, words",
    [
        (lambda: views.lookup_view("8, 2, 8", selected_id=8), ["(30, 7)", "[8, 2, 8]", "2 output positions (0, 2)"]),
        (lambda: views.lookup_view("1, 99", selected_id=1), ["Cannot look these ids up", "(30, 7)"]),
        (lambda: views.shape_view(3, 4, 5), ["(3, 4, 5)", "3 matrices", "4 rows (tokens) by 5 columns"]),
        (lambda: views.averaging_view(2), ["(2, 10, 7)", "axis 2", "the features", "(2, 10)"]),
        (lambda: views.averaging_view(0), ["(2, 10, 7)", "same cell of each sample", "(10, 7), one average sample"]),
        (lambda: views.averaging_view(1, masked=True), ["(2, 7)", "padding tokens are hatched and outlined"]),
        (lambda: views.data_format_view("channels_first", 6, 3), ["(2, 6, 3)", "the features", "(2, 6)"]),
    ],
)
def test_static_views_carry_alternative_text(view, words):
    text = alt_text(view().figure)
    for word in words:
        assert word in text, f"{word!r} not in {text!r}"


# ---------------------------------------------------------------- lookup explorer


@pytest.mark.parametrize("text, ids", [("3, 7 3", [3, 7, 3]), ("[1,2]", [1, 2]), ("  ", []), ((4, 5), [4, 5])])
def test_parse_ids(text, ids):
    assert views.parse_ids(text) == ids


def test_parse_ids_refuses_words():
    with pytest.raises(ValueError, match="could not read 'x'"):
        views.parse_ids("1, x")


def test_lookup_view_names_the_positions_of_the_selected_id():
    view = views.lookup_view("8, 2, 8, 8", selected_id=8)
    assert "output shape (4, 7)" in view.text
    assert "it stands at 3 positions (0, 2, 3), so those output rows are identical." in view.text
    assert view.update(ids="8, 2, 8", selected_id=2).endswith("it stands at 1 position (1).")
    assert "not in this sequence" in view.update(ids="8, 2", selected_id=5)


@pytest.mark.parametrize("bad, words", [("1, 30", "< vocab_size = 30"), ("-1", ">= 0"), ("one", "could not read")])
def test_lookup_view_explains_bad_ids_instead_of_raising(bad, words):
    view = views.lookup_view()
    text = view.update(ids=bad, selected_id=0)
    assert text.startswith("Cannot look these ids up") and words in text


def test_lookup_explorer_follows_its_controls():
    explorer = explorers.lookup_explorer()
    first_png, first_text = bytes(explorer.image.value), explorer.text
    explorer.controls["selected_id"].value = 19
    assert explorer.text != first_text and "Id 19" in explorer.text
    assert bytes(explorer.image.value) != first_png
    explorer.controls["ids"].value = "19, 19"
    assert "output shape (2, 7)" in explorer.text
    assert repr(explorer) == "<lookup explorer: selected_id=19, ids='19, 19'>"


# ---------------------------------------------------------------- shape explorer


def test_shape_view_states_the_shape():
    view = views.shape_view(3, 4, 5)
    assert "output shape (3, 4, 5)" in view.text and "3 matrices of 4 rows" in view.text
    figure = view.figure
    assert "1 matrix of" in view.update(batch=1, seq_len=2, embedding_dim=2)
    assert view.figure is figure  # the same figure, cleared and drawn again


@pytest.mark.parametrize(
    "args, error",
    [((0, 10, 7), ValueError), ((2, -1, 7), ValueError), ((2, 10, 2.5), TypeError), ((True, 10, 7), TypeError)],
)
def test_shape_view_refuses_bad_sizes(args, error):
    with pytest.raises(error, match="positive int"):
        views.shape_view(*args)


def test_shape_explorer_follows_its_sliders():
    explorer = explorers.shape_explorer()
    explorer.controls["seq_len"].value = 3
    assert "(2, 3, 7)" in explorer.text
    explorer.controls["embedding_dim"].value = 4
    assert "(2, 3, 4)" in explorer.text


# ---------------------------------------------------------------- averaging explorer


def demo_batch():
    ids = explorers.AVERAGING_IDS
    return ids, init_embedding(30, 7, seed=0)[ids]


@pytest.mark.parametrize("axis", [0, 1, 2])
@pytest.mark.parametrize("keepdims", [False, True])
def test_averaging_result_is_the_numpy_mean(axis, keepdims):
    _, x = demo_batch()
    got_x, result, sentence = views.averaging_result(axis, keepdims)
    np.testing.assert_array_equal(got_x, x)
    np.testing.assert_allclose(result, np.mean(x, axis=axis, keepdims=keepdims), rtol=1e-6)
    assert f"-> {np.mean(x, axis=axis, keepdims=keepdims).shape}" in sentence


def test_averaging_with_the_mask_averages_real_tokens_only():
    ids, x = demo_batch()
    _, result, sentence = views.averaging_result(1, masked=True)
    for row in range(2):
        real = [x[row, k] for k in range(10) if ids[row, k] != 0]
        np.testing.assert_allclose(result[row], sum(real) / len(real), rtol=1e-5)
    assert "real tokens only" in sentence


@pytest.mark.parametrize("axis", [0, 2])
def test_averaging_says_the_mask_does_not_apply_to_other_axes(axis):
    _, x = demo_batch()
    _, result, sentence = views.averaging_result(axis, masked=True)
    np.testing.assert_allclose(result, x.mean(axis=axis), rtol=1e-6)
    assert "does not apply" in sentence


def test_averaging_refuses_a_fourth_axis():
    with pytest.raises(ValueError, match="axis must be 0, 1 or 2"):
        views.averaging_view(axis=3)


def test_averaging_explorer_follows_its_controls():
    explorer = explorers.averaging_explorer()
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
    last = views.data_format_sentence("channels_last", 2, 10, 7)
    first = views.data_format_sentence("channels_first", 2, 10, 7)
    assert "averages the 10 tokens" in last and "-> (2, 7)" in last
    assert "averages the 7 features" in first and "-> (2, 10)" in first
    with pytest.raises(ValueError, match="channels_last"):
        views.data_format_sentence("channels_middle", 2, 10, 7)


def test_data_format_explorer_follows_its_toggle():
    explorer = explorers.data_format_explorer()
    png = bytes(explorer.image.value)
    explorer.controls["data_format"].value = "channels_first"
    assert "one number per token" in explorer.text and bytes(explorer.image.value) != png
    explorer.controls["embedding_dim"].value = 3
    assert "averages the 3 features" in explorer.text and "(2, 10)" in explorer.text
    assert "data_format='channels_first'" in repr(explorer)
