"""The inspector's rules about padding: averages and maxima that take padded positions in, and rows of nothing but padding.

Each rule reads one :class:`~embedpool_utils.inspector.facts.LayerFacts` and
returns ``(message, fix)`` or None, like the rules of
:mod:`~embedpool_utils.inspector.findings`, which lists them all. No Keras here.
"""

from __future__ import annotations

import numpy as np

from embedpool_utils.inspector.facts import LayerFacts
from embedpool_utils.inspector.report import count
from embedpool_utils.shapes import TOKENS, window_coverage

__all__ = ["padding_sides"]  # the rules themselves are listed, with the others, in findings.RULES


def padding_averaged(facts: LayerFacts) -> tuple[str, str] | None:
    """``padding-averaged``: an unmasked average over tokens whose sample ids hold padding (0)."""
    r = facts.reduction
    if r is None or r.operation != "average" or r.axis_name != TOKENS or facts.token_ids is None:
        return None
    if facts.applies_mask and facts.mask_axes is not None and facts.mask != "dropped":
        return None  # the mask keeps the padding out of the average
    ids = facts.token_ids
    covered = window_coverage(ids.shape[1], r.pool_size, r.strides, r.padding or "valid")
    averaged = ids[:, covered]
    padding = int(np.count_nonzero(averaged == 0))
    if padding == 0:
        return None
    dropped = facts.mask == "dropped"  # a mask arrives, but this layer cannot apply it
    message = (
        f"averages the tokens without {'applying the' if dropped else 'a'} mask, and {padding} of the "
        f"{averaged.size} positions it averages in the given ids are padding (id 0): {padding / averaged.size:.0%}. "
        "Each sentence's average is pulled towards the padding row, the more the shorter the sentence."
    )
    if dropped:
        fix = "Average with GlobalAveragePooling1D(), which applies the mask, instead of this layer."
    elif facts.probed:
        fix = (
            "Give the Embedding mask_zero=True and average with GlobalAveragePooling1D(), which applies the mask, "
            "instead of this layer."
        )
    else:
        fix = "Give the Embedding mask_zero=True, with only mask-aware layers between it and this pooling."
    return message, fix


def padding_sides(ids: np.ndarray) -> set[str]:
    """Where the given ids hold padding (0) around the real tokens: ``"leading"``, ``"trailing"``, or both.

    Parameters
    ----------
    ids : ndarray of int, shape (batch, seq_len)
        Sample ids; a row of nothing but padding says nothing about sides.

    Returns
    -------
    set of str
    """
    sides = set()
    for row in ids:
        real = np.flatnonzero(row != 0)
        if real.size == 0:
            continue
        if real[0] > 0:
            sides.add("leading")
        if real[-1] < row.size - 1:
            sides.add("trailing")
    return sides


SIDE_WORDS = {"leading": "at the start", "trailing": "at the end"}
STEP_WORDS = {"zeros": "zeros", "other": "values that belong to no real token"}
MASKED_MAX = (
    "take a masked maximum: set the padded steps to -inf before the maximum over the tokens (a small layer whose "
    "call takes the mask), so that only real tokens compete."
)


def max_over_padding(facts: LayerFacts) -> tuple[str, str] | None:
    """``max-over-padding``: a maximum over tokens that takes padded steps in (no mask, or one dropped or spent)."""
    if not facts.max_over_steps:
        return None
    r = facts.reduction
    assert r is not None
    if facts.mask_origin is not None and facts.applies_mask and facts.mask != "dropped":
        return None  # a maximum that applies the mask itself
    tokens = count(r.length, "token")
    if facts.mask_origin is not None and not facts.mask_used_before:
        message = (
            f"the mask made by '{facts.mask_origin}' reaches this {facts.type}, which does not apply it: the "
            f"maximum runs over {tokens}, padded positions included, so the vector at the padded positions "
            "competes with the words in every feature."
        )
        return message, MASKED_MAX[0].upper() + MASKED_MAX[1:]
    if facts.mask_origin is not None:
        steps = facts.padded_steps
        if steps is None:
            return None  # not measured: the walk says so in a notice
        present = padding_sides(facts.token_ids) if facts.token_ids is not None else set(SIDE_WORDS)
        harmful = [side for side in SIDE_WORDS if side in present and steps[side] != "copies"]
        if not harmful:
            return None
        kinds = dict.fromkeys(steps[s] for s in harmful)  # e.g. zeros at both ends: said once
        outputs = " and ".join(
            f"{STEP_WORDS[kind]} at the steps padded {' and '.join(SIDE_WORDS[s] for s in harmful if steps[s] == kind)}"
            for kind in kinds
        )
        effect = (
            "Those zeros floor every feature's maximum: a feature whose real values are all negative comes out "
            "as 0 instead of its largest real value."
            if any(steps[s] == "zeros" for s in harmful)
            else "Those values compete with the real steps in every feature's maximum."
        )
        where = (
            ""
            if facts.token_ids is not None or len(harmful) == 2
            else (
                " (Without sample ids the tool cannot tell where your padding is; keras.utils.pad_sequences pads "
                'at the start unless given padding="post".)'
            )
        )
        message = (
            f"the mask made by '{facts.mask_origin}' was applied by '{facts.mask_applied_by}' and stops here: "
            f"this {facts.type} takes the maximum over {tokens}, padded steps included, and "
            f"'{facts.mask_applied_by}' outputs {outputs} (measured on a copy of it with seeded weights). "
            f"{effect}{where}"
        )
        return message, MASKED_MAX[0].upper() + MASKED_MAX[1:]
    if facts.token_ids is None:
        return None
    covered = window_coverage(facts.token_ids.shape[1], r.pool_size, r.strides, r.padding or "valid")
    read = facts.token_ids[:, covered]
    padding = int(np.count_nonzero(read == 0))
    if padding == 0:
        return None
    message = (
        f"takes the maximum over the tokens without a mask, and {padding} of the {read.size} positions it reads "
        "in the given ids are padding (id 0): the padding row's vector competes with the words in every feature."
    )
    return message, "Give the Embedding mask_zero=True and " + MASKED_MAX


def all_padding_row(facts: LayerFacts) -> tuple[str, str] | None:
    """``all-padding-row``: a masked average over tokens, and a row of sample ids that is all padding (NaN)."""
    r = facts.reduction
    if r is None or r.operation != "average" or r.axis_name != TOKENS or facts.token_ids is None:
        return None
    if not facts.applies_mask or facts.mask_axes is None or facts.mask == "dropped" or not r.is_global:
        return None
    empty = np.flatnonzero((facts.token_ids == 0).all(axis=1))
    if empty.size == 0:
        return None
    rows = f"row {empty[0]}" if empty.size == 1 else "rows " + ", ".join(str(int(i)) for i in empty)
    message = (
        f"{rows} of the given ids (counting from 0) {'is' if empty.size == 1 else 'are'} all padding (id 0): "
        "the mask leaves nothing to average, so the masked average divides 0 by 0 and predict gives NaN "
        f"for {'it' if empty.size == 1 else 'them'}, in this layer and every layer after it."
    )
    fix = (
        "Keep texts without a word out of the batch, or give each one a token that is not padding (a reserved "
        "id for an empty text), so that its average has something to average."
    )
    return message, fix
