"""Figures of notebook 05: every run's held-out accuracy, and the learned word vectors on their main directions.

Each function returns a ``Figure`` with alternative text attached; show it
with ``plotting.show(fig)``. Accuracies in the alternative text are whole
percentages and coordinates have one decimal, as the notebook prints them: the
last bits of a float sum (which differ between machines and library versions)
must not change it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from embedpool_utils.experiments.learned_weights import explained_variance, principal_coordinates
from embedpool_utils.plain_text import plural
from embedpool_utils.plotting.display import set_alt_text
from embedpool_utils.plotting.style import OKABE_ITO, new_figure, styled

if TYPE_CHECKING:  # pragma: no cover - for type hints only
    from matplotlib.figure import Figure

__all__ = ["plot_run_accuracies", "plot_word_map"]

# One colour and marker per model or word group, in order of first appearance: never colour alone.
MARKERS = (("o", "circles"), ("s", "squares"), ("^", "triangles"), ("D", "diamonds"), ("v", "down triangles"))
COLOURS = (OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["green"], OKABE_ITO["purple"], OKABE_ITO["black"])


def _percent(fraction: float) -> str:
    return f"{fraction:.0%}"


def _coordinate(value: float) -> str:
    """One decimal, without a "-0.0" that a last-bit difference could turn into "0.0"."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _spread_offsets(values: np.ndarray, width: float = 0.3) -> np.ndarray:
    """Horizontal offsets for a strip of dots: equal values side by side, in a fixed order (no random jitter)."""
    order = np.argsort(values, kind="stable")
    offsets = np.empty(values.size)
    offsets[order] = np.linspace(-width, width, values.size) if values.size > 1 else 0.0
    return offsets


@styled
def plot_run_accuracies(panels: dict[str, dict[str, ArrayLike]], *, chance: float = 0.5) -> Figure:
    """Dot plots of held-out accuracy: one panel per test, one column of dots per model, one dot per run.

    A short black bar marks each model's mean, a dashed line the accuracy of guessing.

    Parameters
    ----------
    panels : dict of str to dict of str to array_like
        Panel title -> model name -> accuracies in [0, 1], one per run (any shape; flattened).
    chance : float
        The accuracy of guessing, drawn as a dashed line.

    Returns
    -------
    Figure
        One panel per entry of ``panels``, with alt text attached.
    """
    names = list(dict.fromkeys(name for models in panels.values() for name in models))
    style = {name: (COLOURS[i % len(COLOURS)], MARKERS[i % len(MARKERS)]) for i, name in enumerate(names)}
    # each panel as wide as its number of models, so that every model's name fits under its dots
    widths = [len(models) for models in panels.values()]
    fig, axes = new_figure(
        len(panels),
        size=(1.3 * sum(widths) + 1.0 * len(panels), 5.0),
        sharey=True,
        gridspec_kw={"width_ratios": widths},
    )
    described, runs = [], set()
    for ax, (title, models) in zip(axes, panels.items()):
        parts = []
        for x, (name, values) in enumerate(models.items()):
            values = np.asarray(values, dtype=float).ravel()
            runs.add(values.size)
            colour, (marker, marker_name) = style[name]
            ax.scatter(x + _spread_offsets(values), values * 100, s=28, color=colour, marker=marker, alpha=0.8)
            ax.plot([x - 0.38, x + 0.38], [values.mean() * 100] * 2, color=OKABE_ITO["black"], linewidth=3)
            parts.append(
                f"{name} ({marker_name}) mean {_percent(values.mean())}, from {_percent(values.min())} "
                f"to {_percent(values.max())}"
            )
        ax.axhline(chance * 100, color=OKABE_ITO["black"], linewidth=1.5, linestyle="--", alpha=0.6)
        ax.set_xticks(np.arange(len(models)), [name.replace(" + ", "\n+ ") for name in models], fontsize=11)
        ax.set_xlim(-0.6, len(models) - 0.4)
        ax.set_ylim(-3, 103)
        ax.set_title(title)
        ax.set_xlabel("model")
        described.append(f"{title}: {'; '.join(parts)}")
        ax.set_ylabel("held-out accuracy (%)")
    count = " or ".join(str(n) for n in sorted(runs))
    return set_alt_text(
        fig,
        (
            f"Dot plots of held-out accuracy, {plural(len(panels), 'panel')}, one dot per run ({count} runs per model), "
            f"a black bar at each model's mean and a dashed line at {_percent(chance)} (guessing). "
            + ". ".join(described)
            + "."
        ),
    )


@styled
def plot_word_map(tables: dict[str, ArrayLike], groups: list[str]) -> Figure:
    """Word vectors on their first two principal directions, one panel per table, equal scale on both axes.

    Parameters
    ----------
    tables : dict of str to array_like, shape (n_words, dim)
        Panel title -> word vectors (e.g. a learned table without its padding row).
    groups : list of str, length n_words
        The group of each word (e.g. "positive"); each group has its own colour and marker.

    Returns
    -------
    Figure
        One scatter plot of the n_words points per table, with alt text attached.
    """
    names = list(dict.fromkeys(groups))
    members = {g: np.array([i for i, x in enumerate(groups) if x == g]) for g in names}
    fig, axes = new_figure(len(tables), size=(5.2 * len(tables) + 1.5, 5.6))
    described = []
    for ax, (title, rows) in zip(axes, tables.items()):
        rows = np.asarray(rows, dtype=float)
        if rows.ndim != 2 or rows.shape[0] != len(groups):
            raise ValueError(
                f"each table must have shape (n_words, dim) = ({len(groups)}, dim); {title!r} has {rows.shape}."
            )
        xy = principal_coordinates(rows)
        share = explained_variance(rows)
        where = []
        for i, group in enumerate(names):
            marker, marker_name = MARKERS[i % len(MARKERS)]
            points = xy[members[group]]
            ax.scatter(
                points[:, 0],
                points[:, 1],
                s=60,
                color=COLOURS[i % len(COLOURS)],
                marker=marker,
                label=group,
                alpha=0.85,
            )
            low, high = points.min(axis=0), points.max(axis=0)
            where.append(
                f"{group} ({marker_name}) from {_coordinate(low[0])} to {_coordinate(high[0])} along "
                f"direction 1 and from {_coordinate(low[1])} to {_coordinate(high[1])} along direction 2"
            )
        ax.set_aspect("equal", adjustable="datalim")
        ax.axhline(0, color=OKABE_ITO["black"], linewidth=0.8, alpha=0.3)
        ax.axvline(0, color=OKABE_ITO["black"], linewidth=0.8, alpha=0.3)
        ax.set_title(title)
        ax.set_xlabel(f"direction 1 ({_percent(share[0])} of the variance)")
        ax.set_ylabel(f"direction 2 ({_percent(share[1])})")
        described.append(
            f"{title}: direction 1 explains {_percent(share[0])} of the variance, direction 2 "
            f"{_percent(share[1])}; " + "; ".join(where)
        )
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside right center")
    return set_alt_text(
        fig,
        (
            f"{plural(len(tables), 'scatter plot')} of {len(groups)} word vectors on their first two principal directions, "
            f"drawn to the same scale on both axes. " + ". ".join(described) + "."
        ),
    )
