"""How much the helper's checks cost next to the numpy a learner would write, as ratios.

Run with ``make bench`` (or ``python benchmarks/bench_core.py``). Each line
prints the median time of the helper and of the bare-numpy equivalent,
measured in this one process over many repeats, and their ratio. Ratios, not
seconds, are what carry from one machine to another; this is a report, not a
test, so a busy machine cannot make CI flaky.

Targets: the lookup at most 1.3x ``np.take``; each form of the pooling
(channels_last and channels_first, with and without a mask) at most 1.5x the
plain numpy formula a learner would write for it, ``x.mean(axis=1)`` or
``np.where(mask[..., None], x, 0).sum(axis=1) / mask.sum(axis=1, keepdims=True)``
and their channels_first forms; and ``import embedpool_utils`` at most 1.5x
``import numpy``. The one-hot matmul / lookup line is the figure notebook 01
quotes: how much more a one-hot product costs than a lookup.

Last, each explorer's redraw after one control changes (new figure drawn in
place, PNG re-encoded, sentence rewritten), for its default sizes, as a
fraction of a one-second budget: an explorer must answer well within it.
"""

from __future__ import annotations

import functools
import statistics
import subprocess
import sys
import timeit
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from embedpool_utils import (
    embedding_lookup,
    global_average_pool_1d,
    init_embedding,
    one_hot,
    padding_mask,
)

# A realistic small batch: 64 sentences of 100 tokens, a 5 000-word vocabulary,
# 64-dimensional vectors.
BATCH, SEQ_LEN, VOCAB, DIM = 64, 100, 5000, 64
REPEATS = 31
POOLING_TARGET = 1.5
LABEL_WIDTH = 58


def median_seconds(function: Callable[[], object], repeats: int = REPEATS) -> float:
    """Median over ``repeats`` of the mean time of one call (calls batched to ~20 ms)."""
    timer = timeit.Timer(function)
    number, _ = timer.autorange()
    number = max(1, number // 10)
    return statistics.median(t / number for t in timer.repeat(repeat=repeats, number=number))


def import_seconds(module: str, repeats: int = 15) -> float:
    """Median time of ``import module`` in a fresh interpreter (startup excluded)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    root = str(Path(__file__).resolve().parents[1])
    times = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root).stdout)
        for _ in range(repeats)
    ]
    return statistics.median(times)


def row(label: str, ours: float, bare: float, target: float | None, ratio: float | None = None) -> bool:
    ratio = ours / bare if ratio is None else ratio
    verdict = "" if target is None else ("  ok" if ratio <= target else f"  ABOVE TARGET {target}x")
    target_text = "" if target is None else f" (target <= {target}x)"
    print(f"{label:<{LABEL_WIDTH}} {ours * 1e6:10.1f} us / {bare * 1e6:10.1f} us = {ratio:6.2f}x{target_text}{verdict}")
    return target is None or ratio <= target


def compare(
    label: str,
    ours: Callable[[], object],
    bare: Callable[[], object],
    target: float | None,
    repeats: int = REPEATS,
) -> bool:
    """Time ``ours`` and ``bare`` in alternation and print the median of the per-round ratios.

    Two cores are shared with other work here: timing the two back to back, round
    after round, lets both see the same load, so the ratio moves less than the times.
    """
    timers = timeit.Timer(ours), timeit.Timer(bare)
    number = max(1, min(timer.autorange()[0] for timer in timers) // 10)
    rounds = []
    for i in range(repeats):
        order = timers if i % 2 == 0 else timers[::-1]
        seconds = {id(timer): timer.timeit(number) / number for timer in order}
        rounds.append((seconds[id(timers[0])], seconds[id(timers[1])]))
    ours_s, bare_s = (statistics.median(times) for times in zip(*rounds))
    return row(label, ours_s, bare_s, target, ratio=statistics.median(o / b for o, b in rounds))


def pooling_rows(x: np.ndarray, token_mask: np.ndarray, feature_mask: np.ndarray) -> list[bool]:
    """Each form of global_average_pool_1d against the numpy formula a learner would write for it."""
    forms = {  # label -> (our call, the learner's formula)
        "global_average_pool_1d(x) / x.mean(axis=1)": (
            lambda: global_average_pool_1d(x),
            lambda: x.mean(axis=1),
        ),
        "masked / np.where(...).sum(axis=1) / count": (
            lambda: global_average_pool_1d(x, mask=token_mask),
            lambda: np.where(token_mask[..., None], x, 0).sum(axis=1) / token_mask.sum(axis=1, keepdims=True),
        ),
        "channels_first / x.mean(axis=2)": (
            lambda: global_average_pool_1d(x, data_format="channels_first"),
            lambda: x.mean(axis=2),
        ),
        "channels_first masked / np.where(...).sum(axis=2) / count": (
            lambda: global_average_pool_1d(x, data_format="channels_first", mask=feature_mask),
            lambda: np.where(feature_mask[:, None, :], x, 0).sum(axis=2) / feature_mask.sum(axis=1, keepdims=True),
        ),
    }
    return [compare(label, ours, bare, POOLING_TARGET) for label, (ours, bare) in forms.items()]


REDRAW_BUDGET_S = 1.0


def set_next_value(widget: Any, values: Iterator[Any]) -> None:
    """Change a control, as a learner does: its explorer redraws."""
    widget.value = next(values)


def explorer_rows() -> list[bool]:
    """Median redraw time of each explorer after one control changes, against the budget."""
    import matplotlib

    matplotlib.use("Agg")  # no screen needed; the explorers draw into PNG bytes
    from embedpool_utils import explorers

    changes: dict[Callable[[], Any], tuple[str, tuple[Any, Any]]] = {  # explorer -> (control, two values to alternate)
        explorers.lookup_explorer: ("selected_id", (26, 25)),
        explorers.shape_explorer: ("batch", (3, 2)),
        explorers.averaging_explorer: ("masked", (True, False)),
        explorers.data_format_explorer: ("data_format", ("channels_first", "channels_last")),
    }
    ok = []
    for make, (control, values) in changes.items():
        explorer = make()
        flips = iter(values * 1000)
        control_widget = explorer.controls[control]
        seconds = median_seconds(functools.partial(set_next_value, control_widget, flips), repeats=7)
        share = seconds / REDRAW_BUDGET_S
        verdict = "ok" if share <= 0.5 else "SLOW"
        print(
            f"{explorer.name + ' redraw (' + control + ')':<{LABEL_WIDTH}} {seconds * 1e3:8.1f} ms = "
            f"{share:4.2f} of the {REDRAW_BUDGET_S:.0f} s budget (target <= 0.5)  {verdict}"
        )
        ok.append(share <= 0.5)
    return ok


def main() -> int:
    rng = np.random.default_rng(0)
    table = init_embedding(VOCAB, DIM, seed=0)
    lengths = rng.integers(1, SEQ_LEN + 1, size=BATCH)
    ids = rng.integers(1, VOCAB, size=(BATCH, SEQ_LEN))
    ids[np.arange(SEQ_LEN)[None, :] >= lengths[:, None]] = 0  # pad the tails with id 0
    x = np.take(table, ids, axis=0)
    mask = padding_mask(ids)
    # channels_first averages the features: a mask keeps each row's first few of them
    feature_mask = np.arange(DIM) < rng.integers(1, DIM + 1, size=(BATCH, 1))

    print(f"batch={BATCH}, seq_len={SEQ_LEN}, vocab_size={VOCAB}, embedding_dim={DIM}; medians of {REPEATS} repeats")
    results = [
        compare(
            "embedding_lookup / np.take", lambda: embedding_lookup(table, ids), lambda: np.take(table, ids, axis=0), 1.3
        ),
        *pooling_rows(x, mask, feature_mask),
        row("import embedpool_utils / import numpy", import_seconds("embedpool_utils"), import_seconds("numpy"), 1.5),
    ]
    encoded = one_hot(ids, VOCAB)
    row(
        "one-hot matmul / embedding_lookup (not a target)",
        median_seconds(lambda: encoded @ table, repeats=5),
        median_seconds(lambda: embedding_lookup(table, ids)),
        None,
    )
    print()
    results += explorer_rows()
    if not all(results):
        print("Some ratios are above their targets.")
        return 1
    print("All ratios are within their targets.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
