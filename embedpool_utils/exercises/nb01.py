"""Exercises of notebook 01 (an embedding is a lookup table): parameters, a lookup read backwards, valid ids, input_dim."""

from __future__ import annotations

import numpy as np

from embedpool_utils import core
from embedpool_utils.exercises.engine import Exercise, Mistake, register
from embedpool_utils.recorded_backends import recorded

# How many parameters does Embedding(2_000, 16) hold, fed batches of 32 sentences of 50 ids?
VOCAB, DIM, BATCH, LENGTH = 2_000, 16, 32, 50
register(
    Exercise(
        "01-params-per-table",
        expected=lambda _: VOCAB * DIM,
        mistakes=(
            Mistake(
                lambda _: BATCH * LENGTH * DIM,
                "That is how many numbers one batch's output holds: what the layer computes, not what it stores.",
            ),
            Mistake(
                lambda _: LENGTH * DIM,
                "That is one sentence's output matrix; the parameters are the entries of the table the layer keeps.",
            ),
            Mistake(
                lambda _: VOCAB * DIM * LENGTH,
                "The table is not repeated for each position: every position reads the same table.",
            ),
            Mistake(
                lambda _: VOCAB * DIM * BATCH,
                "The table is not repeated for each sentence: every sentence of the batch reads the same table.",
            ),
            Mistake(lambda _: VOCAB + DIM, "Every entry of the table is a parameter of its own: multiply, do not add."),
        ),
    )
)

# Which ids did a lookup read, given the table and the lookup's output? (The ids are not among the inputs.)
_LOOKED_UP = (12, 4, 27, 4, 0, 19)


def _ids_from_rows_inputs() -> dict:
    table = core.init_embedding(30, 7, seed=101)
    return {"table": table, "out": core.embedding_lookup(table, np.array(_LOOKED_UP))}


def _ids_from_rows(d: dict) -> np.ndarray:
    """The id of each row of ``out``: the one id whose lookup gives that row (the table's rows all differ)."""
    ids = np.arange(len(d["table"]))
    return np.array([ids[(core.embedding_lookup(d["table"], ids) == row).all(axis=1)][0] for row in d["out"]])


register(
    Exercise(
        "01-ids-from-rows",
        inputs=_ids_from_rows_inputs,
        expected=_ids_from_rows,
        mistakes=(
            Mistake(
                lambda d: np.unique(_ids_from_rows(d)),
                "One id per row of out, in the order of the rows: a row that appears twice came from an id that "
                "appears twice.",
            ),
            Mistake(
                lambda d: np.arange(len(d["out"])),
                "Those are the positions of the rows in out; the question asks which row of the table each one is.",
            ),
            Mistake(lambda d: _ids_from_rows(d) + 1, "Id i reads row i of the table: the rows count from 0."),
            Mistake(lambda d: _ids_from_rows(d) - 1, "Id i reads row i of the table, not row i + 1."),
        ),
        shape_hint="One id per row of out.",
    )
)

# Which of data["ids"] are valid for Embedding(30, 7)? A boolean array.
register(
    Exercise(
        "01-valid-ids",
        inputs=lambda: {"ids": np.array([0, 29, 30, -1, 15, 31, 7])},
        expected=lambda d: (d["ids"] >= 0) & (d["ids"] < 30),
        mistakes=(
            Mistake(
                lambda d: (d["ids"] >= 0) & (d["ids"] <= 30), "A table of 30 rows has rows 0 ... 29: is 30 one of them?"
            ),
            Mistake(lambda d: d["ids"] < 30, "What happens to a negative id? Keras would wrap it, silently."),
            Mistake(lambda d: d["ids"] <= 30, "Check both ends of the range: the smallest and the largest valid id."),
        ),
    )
)


# input_dim for 2,000 words: numbered from 1 with 0 for padding, and numbered by TextVectorization.
WORDS = 2_000


def _input_dims(_: dict) -> dict[str, int]:
    """The largest id + 1 under each numbering; TextVectorization's reserved ids are read from the recorded run."""
    seen = recorded()["reserved_ids"]
    reserved = seen["layers"]["TextVectorization"]["vocabulary_size"] - len(seen["words"])
    return {"tokenizer": WORDS + 1, "text_vectorization": WORDS + reserved}


def _both(tokenizer: int, text_vectorization: int) -> dict[str, int]:
    return {"tokenizer": tokenizer, "text_vectorization": text_vectorization}


register(
    Exercise(
        "01-input-dims",
        expected=_input_dims,
        mistakes=(
            Mistake(
                lambda _: _both(WORDS, WORDS),
                "A table needs one row more than its largest id, and neither numbering gives a word the id 0.",
            ),
            Mistake(
                lambda _: _both(WORDS + 1, WORDS + 1),
                "The tokenizer is right. TextVectorization reserves one id more than it: look again at what ids 0 "
                "and 1 stand for in the table of section 5.",
            ),
            Mistake(
                lambda _: _both(WORDS, WORDS + 2),
                "TextVectorization is right. The tokenizer's largest id is the number of words, and that id needs a "
                "row too.",
            ),
            Mistake(
                lambda _: _both(WORDS + 2, WORDS + 1),
                "The two are the other way round: which of them keeps an id for unknown words?",
            ),
            Mistake(
                lambda _: _both(WORDS + 1, WORDS + 3),
                "The tokenizer is right. TextVectorization's vocabulary_size() already counts its reserved ids: "
                "pass it unchanged.",
            ),
        ),
    )
)
