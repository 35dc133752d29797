"""The inspector's report: one row per layer and the findings, as plain text and as an HTML table.

:func:`~embedpool_utils.inspector.walk.inspect_model` fills a :class:`ModelReport`;
this module only holds and formats it (no Keras). ``str(report)`` is a
fixed-width table for a terminal or a notebook's text output (IPython's
plain-text display shows it too);
``report._repr_html_()`` is what Jupyter shows: a table with a caption and
column and row headers, every value escaped, and severities written out in
words (nothing is said by colour alone). Notices say what the tool could not
check; a report with one is never called clean. :func:`pooling_note` puts what
a pooling layer averages into words, with the model's own numbers.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from embedpool_utils.plain_text import aligned_columns, plural
from embedpool_utils.shapes import FEATURES, TOKENS, PoolingReduction

__all__ = ["Finding", "LayerRow", "ModelReport", "Notice", "pooling_note"]


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
        For a pooling layer, what it averages, in this model's numbers; for a
        layer whose axes were found by running it, that it was run; else ``""``.
    reduction : PoolingReduction or None
        What the layer reduces, when it reduces one axis of a
        (batch, ·, ·) input: a 1-D pooling layer, or a layer run on test
        inputs whose output turned out to be a mean, max, min or sum over one axis.
    probed : bool
        Whether the axis names come from running the layer on test inputs
        (a layer the tool has no rule for) rather than from a rule.
    """

    name: str
    type: str
    output_shape: tuple
    axes: tuple
    mask: str
    note: str = ""
    reduction: PoolingReduction | None = None
    probed: bool = False


@dataclass(frozen=True)
class Finding:
    """One problem the inspector found.

    Attributes
    ----------
    code : str
        E.g. ``"pool-over-features"``; the list is in :mod:`~embedpool_utils.inspector.findings`.
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


@dataclass(frozen=True)
class Notice:
    """Something the inspector could not check, and why.

    Attributes
    ----------
    layer : str
        The layer where the tool lost track (as in :attr:`LayerRow.name`),
        e.g. a layer of your own whose axes neither a rule nor a test run settled.
    message : str
        What could not be followed, and which layers after it were therefore not checked.
    """

    layer: str
    message: str


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


NOUNS = {TOKENS: "token", FEATURES: "feature"}
# What a reduction does, as a verb; a reduction found by running a layer may be none of these ("reduces").
VERBS = {"average": "averages", "max": "takes the maximum over", "min": "takes the minimum over", "sum": "sums"}


def count(length: int | None, noun: str) -> str:
    """``"the 10 tokens"``, ``"the 1 feature"``, or ``"the tokens"`` for an open size."""
    return f"the {noun}s" if length is None else f"the {plural(length, noun)}"


def axis_words(name: str, length: int | None, axis: int) -> str:
    """An axis in words: ``"the 7 features"`` for a named axis, ``"axis 2 (7 long)"`` otherwise."""
    if name in NOUNS:
        return count(length, NOUNS[name])
    return f"axis {axis} ({'open length' if length is None else f'{length} long'})"


def pooling_note(r: PoolingReduction | None, input_shape: tuple | None, output_shape: tuple) -> str:
    """What a 1-D pooling layer computes, in the model's numbers; ``""`` when ``r`` is None.

    Parameters
    ----------
    r : PoolingReduction or None
        What the layer pools (:func:`~embedpool_utils.shapes.pooling_reduction`).
    input_shape, output_shape : tuple of int or None
        The layer's 3-D input shape and its output shape, as Keras gives them.

    Returns
    -------
    str
        E.g. ``"averages the 10 tokens: one 7-number vector per sample"`` or
        ``"averages the 7 features of each of the 10 tokens: one number per token"``.
    """
    if r is None or input_shape is None:
        return ""
    verb = VERBS.get(r.operation, "reduces")
    pooled = axis_words(r.axis_name, r.length, r.axis)
    if r.axis_name not in NOUNS or r.other_name not in NOUNS:  # nothing to name: say it in shapes
        window = "" if r.is_global else f"windows of {r.pool_size} along "
        return f"{verb} {window}{pooled} of {shape_cell(input_shape)}, giving {shape_cell(output_shape)}"
    of_each = ""
    if r.axis_name == FEATURES:
        each = "each" if r.other_length is None else f"each of the {r.other_length}"
        of_each = f" of {each} {NOUNS[r.other_name]}{'' if r.other_length == 1 else 's'}"
    if r.is_global:
        if r.axis_name == FEATURES:
            result = "one number per token"
        else:
            result = f"one {'' if r.other_length is None else f'{r.other_length}-number '}vector per sample"
        return f"{verb} {pooled}{of_each}: {result}"
    step = f", stride {r.strides}" if r.strides != r.pool_size else ""
    before, after = input_shape[r.axis], output_shape[r.axis]
    return f"{verb} windows of {r.pool_size}{step} along {pooled}{of_each}: {before} positions become {after}"


@dataclass(frozen=True)
class ModelReport:
    """What :func:`~embedpool_utils.inspector.walk.inspect_model` found in a model.

    Attributes
    ----------
    model_name : str
    layers : tuple of LayerRow
        In data-flow order, the model's inputs first.
    findings : tuple of Finding
        In data-flow order of their layers; empty for a model without problems.
    ids_checked : bool
        Whether sample ids were given, so that ids and padding were checked.
    notices : tuple of Notice
        What could not be checked (axes the tool could not follow into a
        pooling, Flatten or reduction); a report with a notice is not clean.
    keras_version : str
        The version of Keras whose behaviour was applied (how its layers pass
        masks on changes between versions); ``""`` when not recorded.
    """

    model_name: str
    layers: tuple[LayerRow, ...]
    findings: tuple[Finding, ...]
    ids_checked: bool = False
    notices: tuple[Notice, ...] = ()
    keras_version: str = ""

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings of severity ``"error"``."""
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def codes(self) -> tuple[str, ...]:
        """The code of every finding, in order (a code appears once per layer it concerns)."""
        return tuple(f.code for f in self.findings)

    @property
    def clean(self) -> bool:
        """No finding, and nothing the tool could not check."""
        return not self.findings and not self.notices

    def layer(self, name: str) -> LayerRow:
        """The row of the layer called ``name``.

        Parameters
        ----------
        name : str
            The layer's name, as in the report's first column.

        Returns
        -------
        LayerRow

        Raises
        ------
        KeyError
            Naming the layers there are, if none is called ``name``.
        """
        for row in self.layers:
            if row.name == name:
                return row
        raise KeyError(f"no layer {name!r} in this report; the layers are {[row.name for row in self.layers]}")

    def summary_line(self) -> str:
        """The report in one line: the model, its layers and how many findings of each severity.

        Returns
        -------
        str
            E.g. ``'Model "demo": 4 layers, 2 findings (1 error, 1 warning)'``.
        """
        counts = f"{plural(len(self.errors), 'error')}, {plural(len(self.findings) - len(self.errors), 'warning')}"
        found = f"{plural(len(self.findings), 'finding')} ({counts})" if self.findings else "no findings"
        if self.notices:
            found += f", {plural(len(self.notices), 'notice')}: part of the model was not checked"
        checked = "" if self.ids_checked else "; no ids given, so ids and padding were not checked"
        return f'Model "{self.model_name}": {plural(len(self.layers), "layer")}, {found}{checked}'

    def version_line(self) -> str:
        """The Keras version whose behaviour the report applied, as one line.

        Returns
        -------
        str
            E.g. ``'Read with Keras 3.15.1 (how layers pass masks on differs between Keras versions)'``;
            ``""`` when the version is not known.
        """
        if not self.keras_version:
            return ""
        return f"Read with Keras {self.keras_version} (how layers pass masks on differs between Keras versions)"

    def __str__(self) -> str:
        header = ("layer", "type", "output shape", "axes", "mask")
        cells = [(r.name, r.type, shape_cell(r.output_shape), axes_cell(r.axes), r.mask) for r in self.layers]
        rule = tuple("-" * max(len(row[i]) for row in [header, *cells]) for i in range(len(header)))
        table = aligned_columns([header, rule, *cells]).splitlines()
        version = self.version_line()
        lines = [self.summary_line(), *([version] if version else []), "", *table[:2]]
        for row, line in zip(self.layers, table[2:]):
            lines.append(line)
            if row.note:
                lines.append(f"    -> {row.note}")
        for number, f in enumerate(self.findings, start=1):
            lines += [
                "",
                f"{number}. {f.severity.upper()} {f.code} at layer '{f.layer}'",
                f"   {f.message}",
                f"   Fix: {f.fix}",
                f"   See: {f.see}",
            ]
        for n in self.notices:
            lines += ["", f"NOT CHECKED at layer '{n.layer}'", f"   {n.message}"]
        return "\n".join(lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's plain-text display (a terminal, a text-only front end): ``str(report)``, not the field dump."""
        printer.text(str(self))

    def _repr_html_(self) -> str:
        e = html.escape
        head = "".join(
            f'<th scope="col">{e(h)}</th>' for h in ("Layer", "Type", "Output shape", "Axes", "Mask", "Note")
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
        items += "".join(
            f"<li><strong>Not checked</strong> at layer <code>{e(n.layer)}</code>: {e(n.message)}</li>"
            for n in self.notices
        )
        findings = f"<ol>{items}</ol>" if items else ""
        version = f"<p>{e(self.version_line())}</p>" if self.keras_version else ""
        return (
            f'<div class="embedpool-model-report"><table><caption>{e(self.summary_line())}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{version}{findings}</div>"
        )
