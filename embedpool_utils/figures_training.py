"""Figures of notebook 05: training curves, held-out accuracies, position weights and the word map.

Each function returns a ``Figure`` with alternative text attached; show it
with ``plotting.show(fig)``. Accuracies in the alternative text are whole
percentages, as the notebook prints them: the last bits of a float sum
(which differ between machines and library versions) must not change it.
"""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from embedpool_utils.figure_display import set_alt_text
from embedpool_utils.figure_style import OKABE_ITO, new_figure, styled

if TYPE_CHECKING:  # pragma: no cover - for type hints only
    from matplotlib.figure import Figure

__all__ = ["plot_accuracy_bars", "plot_position_weights", "plot_training_curves", "plot_word_map"]

# One colour, line style and marker per model variant, so that no line relies on colour alone.
VARIANT_STYLES = ({"color": OKABE_ITO["blue"], "linestyle": "-", "marker": "o"},
                  {"color": OKABE_ITO["green"], "linestyle": "--", "marker": "s"},
                  {"color": OKABE_ITO["vermillion"], "linestyle": ":", "marker": "^"})
_LINE_NAMES = {"-": "solid", "--": "dashed", ":": "dotted"}
_MARKER_NAMES = {"o": "circles", "s": "squares", "^": "triangles", "D": "diamonds"}


def _percent(fraction: float) -> str:
    return f"{fraction:.0%}"


@styled
def plot_training_curves(histories: dict[str, dict[str, list[float]]], *, held_out: str) -> "Figure":
    """Training and held-out accuracy per epoch, one colour and line style per model.

    Parameters
    ----------
    histories : dict of str -> dict
        Model name -> ``History.history`` with keys ``"accuracy"`` and ``"val_accuracy"``.
    held_out : str
        Name of the held-out split used as validation data (for the title).
    """
    fig, (train_ax, test_ax) = new_figure(2, size=(12.0, 4.5))
    lines = []
    for style, (name, history) in zip(VARIANT_STYLES, histories.items()):
        epochs = np.arange(1, len(history["accuracy"]) + 1)
        train_ax.plot(epochs, history["accuracy"], label=name, markersize=5, **style)
        test_ax.plot(epochs, history["val_accuracy"], label=name, markersize=5, **style)
        lines.append(f"{name} ({_LINE_NAMES[style['linestyle']]} line, {_MARKER_NAMES[style['marker']]}) "
                     f"ends at {_percent(history['accuracy'][-1])} on training and "
                     f"{_percent(history['val_accuracy'][-1])} held out")
    for ax, title in ((train_ax, "training sentences"), (test_ax, f"held out: {held_out}")):
        ax.set_title(title)
        ax.set_xlabel("epoch")
        ax.set_ylabel("accuracy")
        ax.set_ylim(-0.02, 1.02)
        ax.axhline(0.5, color=OKABE_ITO["black"], linewidth=1, alpha=0.4)
    test_ax.legend(loc="lower left")
    epochs = max(len(h["accuracy"]) for h in histories.values())
    return set_alt_text(fig, (
        f"Two line charts of accuracy over {epochs} epochs, left on the training sentences, right held out "
        f"({held_out}); a grey line marks 50%. {'; '.join(lines)}."
    ))


@styled
def plot_accuracy_bars(accuracy: dict[str, dict[str, float]]) -> "Figure":
    """Grouped bars: held-out accuracy of each model (colour) on each split (group).

    Parameters
    ----------
    accuracy : dict of str -> dict of str -> float
        Split name -> model name -> accuracy in [0, 1].
    """
    splits = list(accuracy)
    models = list(next(iter(accuracy.values())))
    fig, (ax,) = new_figure(size=(12.0, 4.8))
    width = 0.8 / len(models)
    hatches = ("", "//", "..")
    for i, model in enumerate(models):
        positions = np.arange(len(splits)) + (i - (len(models) - 1) / 2) * width
        ax.bar(positions, [accuracy[s][model] * 100 for s in splits], width, label=model,
               color=VARIANT_STYLES[i % 3]["color"], hatch=hatches[i % 3], edgecolor="white")
    ax.set_xticks(np.arange(len(splits)), splits)
    ax.set_ylabel("held-out accuracy (%)")
    ax.set_xlabel("held-out split")
    ax.set_ylim(0, 105)
    ax.axhline(50, color=OKABE_ITO["black"], linewidth=1, alpha=0.4)
    ax.set_title("Same model, three poolings: accuracy on each held-out split")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=len(models))
    groups = [f"{split}: " + ", ".join(f"{m} {_percent(accuracy[split][m])}" for m in models) for split in splits]
    return set_alt_text(fig, (
        f"Grouped bar chart of held-out accuracy, one group per split and one bar per model "
        f"({', '.join(models)}); a grey line marks 50%. {'; '.join(groups)}."
    ))


@styled
def plot_position_weights(weights: ArrayLike, *, trained_positions: tuple[int, int]) -> "Figure":
    """Bar chart of a channels_first model's dense weights, one per token position.

    Parameters
    ----------
    weights : array_like, shape (seq_len,)
    trained_positions : (int, int)
        First and last position that held the sentiment word in training (shaded).
    """
    w = np.asarray(weights, dtype=float).reshape(-1)
    fig, (ax,) = new_figure(size=(8.0, 4.0))
    first, last = trained_positions
    ax.axvspan(first - 0.5, last + 0.5, color=OKABE_ITO["sky_blue"], alpha=0.25, label="sentiment word seen here in training")
    ax.bar(np.arange(w.size), w, color=[OKABE_ITO["blue"] if v >= 0 else OKABE_ITO["vermillion"] for v in w])
    ax.axhline(0, color=OKABE_ITO["black"], linewidth=1)
    ax.set_xticks(np.arange(w.size))
    ax.set_xlabel("token position")
    ax.set_ylabel("dense weight")
    ax.set_title("channels_first: one learned weight per position")
    ax.legend(loc="upper right")
    inside = w[first:last + 1]
    outside = np.delete(w, np.arange(first, last + 1))
    return set_alt_text(fig, (
        f"Bar chart of {w.size} dense weights, one per token position 0 to {w.size - 1}. Positions {first} to "
        f"{last} (shaded, where training put the sentiment word): from {inside.min():.2f} to {inside.max():.2f}. "
        f"The other positions: from {outside.min():.2f} to {outside.max():.2f}."
    ))


@styled
def plot_word_map(coordinates: ArrayLike, words: list[str], groups: list[str]) -> "Figure":
    """Scatter of words in 2-D (e.g. the first two principal components of an embedding table).

    Parameters
    ----------
    coordinates : array_like, shape (n_words, 2)
    words : list of str
        A label for each point.
    groups : list of str
        The group of each word (e.g. "positive"); each group gets its own colour and marker.
    """
    xy = np.asarray(coordinates, dtype=float)
    fig, (ax,) = new_figure(size=(8.0, 6.0))
    palette = [(OKABE_ITO["blue"], "o"), (OKABE_ITO["vermillion"], "s"), (OKABE_ITO["black"], "^"),
               (OKABE_ITO["green"], "D")]
    members = {}
    for (colour, marker), group in zip(palette, dict.fromkeys(groups)):
        chosen = [i for i, g in enumerate(groups) if g == group]
        members[group] = (chosen, marker)
        ax.scatter(xy[chosen, 0], xy[chosen, 1], color=colour, marker=marker, s=80, label=group)
        for i in chosen:
            ax.annotate(words[i], xy[i], textcoords="offset points", xytext=(6, 4), fontsize=12)
    ax.set_xlabel("principal component 1")
    ax.set_ylabel("principal component 2")
    ax.set_title("Learned word vectors, projected to 2-D")
    ax.legend()
    # Whether two groups overlap along component 1 does not depend on the sign a PCA happens to pick.
    apart = [f"{a} and {b}" for a, b in combinations(members, 2)
             if _apart(xy[members[a][0], 0], xy[members[b][0], 0])]
    listed = "; ".join(f"{g} ({_MARKER_NAMES[m]}): {', '.join(words[i] for i in chosen)}"
                       for g, (chosen, m) in members.items())
    return set_alt_text(fig, (
        f"Scatter of {len(words)} words on the first two principal components, each point labelled with its "
        f"word. {listed}. Groups that do not overlap along component 1: {', '.join(apart) or 'none'}."
    ))


def _apart(first: np.ndarray, second: np.ndarray) -> bool:
    return bool(first.min() > second.max() or first.max() < second.min())
