"""Figure of notebook 07: a model's data flow as the inspector reports it, one box per layer.

The figure is drawn from a :class:`~embedpool_utils.inspector.report.ModelReport`
(:func:`~embedpool_utils.inspector.walk.inspect_model`), not from the model, so it
shows exactly what the report says. It returns a ``Figure`` with alternative
text attached; show it with ``plotting.show(fig)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from embedpool_utils.inspector.report import ModelReport, axes_cell, shape_cell
from embedpool_utils.plain_text import plural
from embedpool_utils.plotting.display import set_alt_text
from embedpool_utils.plotting.style import OKABE_ITO, new_figure, styled

if TYPE_CHECKING:  # pragma: no cover - for type hints only
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["draw_data_flow", "plot_data_flow"]

# How a layer with a finding is marked: edge colour and a hatched stripe, and its severity written out.
MARKS = {
    "error": (OKABE_ITO["vermillion"], "//"),
    "warning": (OKABE_ITO["orange"], ".."),
}


def layer_lines(report: ModelReport) -> list[list[str]]:
    """The text of each layer's box: name and type, shape and axis names, the mask, the findings by severity."""
    boxes = []
    for row in report.layers:
        lines = [f"{row.name} ({row.type})", f"{shape_cell(row.output_shape)}: {axes_cell(row.axes)}"]
        if row.mask != "none":
            lines.append(f"mask: {row.mask}")
        for severity in MARKS:
            codes = [f.code for f in report.findings if f.layer == row.name and f.severity == severity]
            if codes:
                lines.append(f"{severity.upper()}: {', '.join(codes)}")
        boxes.append(lines)
    return boxes


def findings_words(report: ModelReport) -> str:
    """``"no findings"``, ``"1 error"``, ``"1 error, 2 warnings"``; and ``", 1 notice (not all checked)"``."""
    counts = [plural(sum(f.severity == s for f in report.findings), s) for s in MARKS]
    found = [c for c in counts if not c.startswith("0 ")]
    words = ", ".join(found) if found else "no findings"
    return words + (f", {plural(len(report.notices), 'notice')} (not all checked)" if report.notices else "")


@styled
def draw_data_flow(ax: Axes, report: ModelReport, *, rows: int | None = None) -> None:
    """Draw one report on ``ax``: a box per layer, top to bottom, joined by arrows.

    Parameters
    ----------
    ax : Axes
    report : ModelReport
        From :func:`~embedpool_utils.inspector.walk.inspect_model`.
    rows : int, optional
        Room for this many layers (to align panels of models of different
        lengths); default: the report's number of layers.
    """
    import matplotlib.patches as patches

    rows = max(rows or 0, len(report.layers), 1)
    ax.set_xlim(0, 1)
    ax.set_ylim(rows - 0.5, -0.5)  # first layer at the top
    for index, (row, lines) in enumerate(zip(report.layers, layer_lines(report))):
        severities = [s for s in MARKS if any(f.layer == row.name and f.severity == s for f in report.findings)]
        edge = MARKS[severities[0]][0] if severities else OKABE_ITO["black"]
        ax.add_patch(
            patches.FancyBboxPatch(
                (0.03, index - 0.42),
                0.94,
                0.84,
                boxstyle="round,pad=0,rounding_size=0.03",
                facecolor="white",
                edgecolor=edge,
                linewidth=3 if severities else 1.5,
            )
        )
        if severities:  # a hatched stripe, so that the mark does not rely on colour alone
            colour, hatch = MARKS[severities[0]]
            ax.add_patch(
                patches.Rectangle(
                    (0.03, index - 0.42), 0.05, 0.84, facecolor="white", edgecolor=colour, hatch=hatch, linewidth=0
                )
            )
        ax.text(0.11, index, "\n".join(lines), ha="left", va="center", fontsize=12, linespacing=1.35)
        if index:
            ax.annotate(
                "",
                xy=(0.5, index - 0.42),
                xytext=(0.5, index - 0.58),
                arrowprops={"arrowstyle": "-|>", "color": OKABE_ITO["black"], "linewidth": 2},
            )
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(f'"{report.model_name}": {findings_words(report)}')
    ax.set_xlabel("each box: layer (type), output shape: axis names")
    ax.set_ylabel("data flow, top to bottom")


@styled
def plot_data_flow(*reports: ModelReport) -> Figure:
    """Models side by side as the inspector reads them: each layer's output shape, axis names, mask and findings.

    Parameters
    ----------
    *reports : ModelReport
        One panel each, from :func:`~embedpool_utils.inspector.walk.inspect_model`.

    Returns
    -------
    Figure
        A layer with a finding has a coloured edge, a hatched stripe (``//``
        error, ``..`` warning) and its severity and codes written in the box.

    Raises
    ------
    ValueError
        If no report is given.
    """
    if not reports:
        raise ValueError("plot_data_flow needs at least one report from ep.inspect_model(model)")
    rows = max(len(r.layers) for r in reports)
    fig, axes = new_figure(len(reports), size=(5.4 * len(reports), 1.0 + 1.2 * rows))
    for ax, report in zip(axes, reports):
        draw_data_flow(ax, report, rows=rows)
    return set_alt_text(fig, " ".join(flow_words(r) for r in reports))


def flow_words(report: ModelReport) -> str:
    """One model's data flow in words, for the alternative text."""
    said = []
    for row in report.layers:
        words = f"{row.name} ({row.type}) gives {shape_cell(row.output_shape)} with axes {axes_cell(row.axes)}"
        if row.mask != "none":
            words += f", mask {row.mask}"
        words += "".join(f", {f.severity} {f.code}" for f in report.findings if f.layer == row.name)
        said.append(words)
    return f'Model "{report.model_name}", top to bottom: {"; ".join(said)}. {findings_words(report).capitalize()}.'
