"""The inspector's report: one row per layer and the findings, as plain text and as an HTML table.

:func:`~embedpool_utils.inspector.inspect_model` fills a :class:`ModelReport`;
this module only holds and formats it (no Keras). ``str(report)`` is a
fixed-width table for a terminal or a notebook's text output;
``report._repr_html_()`` is what Jupyter shows: a table with a caption and
column and row headers, every value escaped, and severities written out in
words (nothing is said by colour alone).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = ["Finding", "LayerRow", "ModelReport"]


@dataclass(frozen=True)
class LayerRow:
    """One layer of the model, as the inspector sees it.

    Attributes
    ----------
    name : str
        The layer's name; inside a nested model, prefixed with the model's
        name (``"encoder/dense"``).
    type : str
        Its class name, e.g. ``"GlobalAveragePooling1D"``.
    output_shape : tuple
        Keras' own output shape, ``None`` for an open size, e.g. ``(None, 10, 7)``;
        a tuple of such shapes for a layer with several outputs.
    axes : tuple of str
        A name per output axis: ``"batch"``, ``"tokens"``, ``"features"``, or
        ``"?"`` where the tool cannot know; a tuple of such tuples for several outputs.
    mask : {"none", "produced", "passed", "consumed", "dropped"}
        What the layer does with a padding mask.
    note : str
        For a pooling layer, what it averages, in this model's numbers; else ``""``.
    """

    name: str
    type: str
    output_shape: tuple
    axes: tuple
    mask: str
    note: str = ""


@dataclass(frozen=True)
class Finding:
    """One problem the inspector found.

    Attributes
    ----------
    code : str
        E.g. ``"pool-over-features"``; the list is in :mod:`~embedpool_utils.findings`.
    layer : str
        Name of the layer it concerns (as in :attr:`LayerRow.name`).
    severity : {"error", "warning"}
        ``"error"``: the model computes something other than intended, or fails.
        ``"warning"``: it runs, but something probably weakens it.
    message : str
        What happens, in this model's numbers.
    fix : str
        One line: what to change.
    see : str
        The notebook and section of the series that explains it.
    """

    code: str
    layer: str
    severity: str
    message: str
    fix: str
    see: str


def shape_cell(shape: tuple) -> str:
    """``(None, 10, 7)``; several outputs joined with ``" | "``."""
    if shape and all(isinstance(s, tuple) for s in shape):
        return " | ".join(shape_cell(s) for s in shape)
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def axes_cell(axes: tuple) -> str:
    """``batch, tokens, features``; several outputs joined with ``" | "``."""
    if axes and all(isinstance(a, tuple) for a in axes):
        return " | ".join(axes_cell(a) for a in axes)
    return ", ".join(axes)


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class ModelReport:
    """What :func:`~embedpool_utils.inspector.inspect_model` found in a model.

    Attributes
    ----------
    model_name : str
    layers : tuple of LayerRow
        In data-flow order, the model's inputs first.
    findings : tuple of Finding
        In data-flow order of their layers; empty for a model without problems.
    ids_checked : bool
        Whether sample ids were given, so that ids and padding were checked.
    """

    model_name: str
    layers: tuple[LayerRow, ...]
    findings: tuple[Finding, ...]
    ids_checked: bool = False

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings of severity ``"error"``."""
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def codes(self) -> tuple[str, ...]:
        """The code of every finding, in order (a code appears once per layer it concerns)."""
        return tuple(f.code for f in self.findings)

    def layer(self, name: str) -> LayerRow:
        """The row of the layer called ``name``; a KeyError names the layers there are."""
        for row in self.layers:
            if row.name == name:
                return row
        raise KeyError(f"no layer {name!r} in this report; the layers are {[row.name for row in self.layers]}")

    def summary_line(self) -> str:
        """E.g. ``'Model "demo": 4 layers, 2 findings (1 error, 1 warning)'``."""
        counts = f"{plural(len(self.errors), 'error')}, {plural(len(self.findings) - len(self.errors), 'warning')}"
        found = f"{plural(len(self.findings), 'finding')} ({counts})" if self.findings else "no findings"
        checked = "" if self.ids_checked else "; no ids given, so ids and padding were not checked"
        return f'Model "{self.model_name}": {plural(len(self.layers), "layer")}, {found}{checked}'

    def __str__(self) -> str:
        header = ("layer", "type", "output shape", "axes", "mask")
        cells = [(r.name, r.type, shape_cell(r.output_shape), axes_cell(r.axes), r.mask) for r in self.layers]
        widths = [max(len(row[i]) for row in [header, *cells]) for i in range(len(header))]

        def line(values: tuple) -> str:
            return "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()

        lines = [self.summary_line(), "", line(header), line(tuple("-" * w for w in widths))]
        for row, cell in zip(self.layers, cells):
            lines.append(line(cell))
            if row.note:
                lines.append(f"    -> {row.note}")
        for number, f in enumerate(self.findings, start=1):
            lines += ["", f"{number}. {f.severity.upper()} {f.code} at layer '{f.layer}'",
                      f"   {f.message}", f"   Fix: {f.fix}", f"   See: {f.see}"]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        e = html.escape
        head = "".join(
            f'<th scope="col">{e(h)}</th>'
            for h in ("Layer", "Type", "Output shape", "Axes", "Mask", "What it pools")
        )
        body = "".join(
            f'<tr><th scope="row">{e(r.name)}</th><td>{e(r.type)}</td><td>{e(shape_cell(r.output_shape))}</td>'
            f"<td>{e(axes_cell(r.axes))}</td><td>{e(r.mask)}</td><td>{e(r.note)}</td></tr>"
            for r in self.layers
        )
        items = "".join(
            f"<li><strong>{e(f.severity.capitalize())}</strong> <code>{e(f.code)}</code> at layer "
            f"<code>{e(f.layer)}</code>: {e(f.message)}<br>Fix: {e(f.fix)}<br>See: {e(f.see)}</li>"
            for f in self.findings
        )
        findings = f"<ol>{items}</ol>" if items else ""
        return (
            f'<div class="embedpool-model-report"><table><caption>{e(self.summary_line())}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{findings}</div>"
        )
