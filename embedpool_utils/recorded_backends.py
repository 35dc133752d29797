"""What Keras did on the TensorFlow and PyTorch backends when run there, read from the record kept in this package.

The series runs Keras on JAX; the learner's environment installs neither
TensorFlow nor PyTorch. Some facts the notebooks state need them, so they are
observed where they are installed and stored, with the versions they were
seen with, in ``recorded_backends.json`` beside this module:

* what Keras' ``Embedding`` gives for the id ``vocab_size`` and for ``-1`` on
  each backend, on the CPU (read by :mod:`embedpool_utils.bad_id_outcomes`);
* whether one step of Keras' ``Adam`` moves an embedding's rows as Adam's
  formula says, when a batch holds no id twice and when it holds one twice
  (notebook 05 checks its numpy training against Keras' on JAX);
* how Keras' ``TextVectorization`` and ``StringLookup`` number a vocabulary:
  which ids they keep for padding and for unknown words (they need TensorFlow
  on every backend).

``make test-backends`` builds an environment per backend, observes every fact
again and fails when one no longer holds (``tests/backends``);
``tools/record_backend_facts.py`` writes the record. Reading it needs numpy
only, so the notebooks print the same whether or not TensorFlow or PyTorch is
installed.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from embedpool_utils.plain_text import aligned_columns

__all__ = ["RECORD_FILE", "adam_step_table", "recorded", "reserved_ids_table", "versions_seen"]

# The record's file name, inside the package.
RECORD_FILE = "recorded_backends.json"

# How each library names itself in the record's "versions", as the sentences below name it.
_LIBRARY_NAMES = {"keras": "Keras", "tensorflow": "TensorFlow", "torch": "PyTorch", "python": "Python"}


@cache
def _record() -> dict[str, Any]:
    """The parsed record, read once."""
    return json.loads(resources.files("embedpool_utils").joinpath(RECORD_FILE).read_text(encoding="utf-8"))


def recorded() -> dict[str, Any]:
    """The whole record: ``{"bad_ids": {backend: ...}, "reserved_ids": {...}}``, as stored.

    Returns
    -------
    dict
        ``"bad_ids"``: for each backend (``"tensorflow"``, ``"torch"``) the
        probe's size (``vocab_size``, ``embedding_dim``), the ``device``, what
        the id ``vocab_size`` gave (``too_large``) and what ``-1`` gave
        (``negative``), in the words of :func:`embedpool_utils.bad_id_outcomes.id_outcomes`,
        and the ``versions`` it ran with. ``"adam_embedding_step"``: for
        each backend, ``"as the formula"`` or ``"not as the formula"`` for a
        batch with ``"no id twice"`` and with ``"an id twice"``, the
        ``device`` and the ``versions``. ``"reserved_ids"``: the
        ``words`` given as vocabulary, the ``sentence`` looked up, the
        ``backends`` it was seen on, the ``versions``, and per layer its
        ``vocabulary`` (id ``i`` is entry ``i``), ``vocabulary_size`` and the
        sentence's ``ids``. A copy: changing it changes nothing here.

    Examples
    --------
    >>> sorted(recorded()["bad_ids"])
    ['tensorflow', 'torch']
    """
    return json.loads(json.dumps(_record()))


def versions_seen(versions: dict[str, str]) -> str:
    """The libraries of a record entry, in words: ``"Keras 3.15.1, TensorFlow 2.21.0"``.

    Parameters
    ----------
    versions : dict of str -> str
        Library (``"keras"``, ``"tensorflow"``, ``"torch"``, ``"python"``) -> its
        version, as an entry of :func:`recorded` holds them.

    Returns
    -------
    str
        Keras first, then the backend's library; Python is left out.

    Examples
    --------
    >>> versions_seen({"python": "3.11.7", "torch": "2.13.0+cpu", "keras": "3.15.1"})
    'Keras 3.15.1, PyTorch 2.13.0+cpu'
    """
    unknown = sorted(set(versions) - set(_LIBRARY_NAMES))
    if unknown:
        raise ValueError(f"versions may name {', '.join(_LIBRARY_NAMES)}; got {', '.join(map(repr, unknown))}.")
    order = ["keras", "tensorflow", "torch"]
    return ", ".join(f"{_LIBRARY_NAMES[name]} {versions[name]}" for name in order if name in versions)


def adam_step_table() -> str:
    """Whether one step of Keras' ``Adam`` moved an embedding's rows as Adam's formula says, as recorded per backend.

    The model was Embedding(5, 2) -> GlobalAveragePooling1D -> Dense(1), one
    sentence of four ids, one step of ``Adam(0.01)`` from zero moments; the
    formula is Adam's first step in numpy, from the gradient that one step of
    SGD with learning rate 1 showed. The sentence held no id twice
    (``[1, 2, 3, 4]``) or id 2 twice (``[1, 2, 2, 3]``).

    Returns
    -------
    str
        A heading, then an aligned table: one line per backend, its two
        outcomes and the versions it was recorded with.

    Examples
    --------
    >>> print(adam_step_table().splitlines()[2])  # doctest: +NORMALIZE_WHITESPACE
    TensorFlow  as the formula  not as the formula  Keras 3.15.1, TensorFlow 2.21.0
    """
    seen = _record()["adam_embedding_step"]
    lines = [("backend", "no id twice in the batch", "an id twice in the batch", "recorded with")]
    for backend, found in seen.items():
        if found["device"] != "CPU":
            raise ValueError(f"the record for {backend} was made on a {found['device']}; this table is for the CPU")
        lines.append(
            (_LIBRARY_NAMES[backend], found["no id twice"], found["an id twice"], versions_seen(found["versions"]))
        )
    heading = "one Adam step on an embedding's rows, against Adam's formula, on the CPU:"
    return heading + "\n" + aligned_columns(lines)


def _quoted(token: str) -> str:
    """A vocabulary entry as the table shows it: ``''`` for the empty string, the word itself otherwise."""
    return repr(token) if token == "" else token


def reserved_ids_table() -> str:
    """How ``TextVectorization`` and ``StringLookup`` numbered the same five words, as recorded: one line per layer.

    Each layer was given the same vocabulary (``recorded()["reserved_ids"]["words"]``)
    and looked up the same sentence, whose last word is not in it. The
    columns: what ids 0 and 1 stand for (``''`` is the empty string, the
    padding or mask token; ``[UNK]`` is any unknown word), which id the first
    word got, ``vocabulary_size()``, and the sentence's ids.

    Returns
    -------
    str
        A line saying what was given and what it was recorded with, then an
        aligned table.

    Examples
    --------
    >>> print(reserved_ids_table().splitlines()[-3])  # doctest: +NORMALIZE_WHITESPACE
    TextVectorization  ''  [UNK]  2  7  [2, 3, 4, 1]
    """
    seen = _record()["reserved_ids"]
    words, sentence = seen["words"], seen["sentence"]
    first = words[0]
    lines = [
        (
            "layer",
            "id 0",
            "id 1",
            f"id of {first!r}",
            "vocabulary_size()",
            f"ids of {sentence!r}",
        )
    ]
    for layer, found in seen["layers"].items():
        vocabulary = found["vocabulary"]
        lines.append(
            (
                layer,
                _quoted(vocabulary[0]),
                _quoted(vocabulary[1]),
                str(vocabulary.index(first)),
                str(found["vocabulary_size"]),
                str(found["ids"]),
            )
        )
    heading = (
        f"vocabulary given: {', '.join(words)} ({len(words)} words); recorded with {versions_seen(seen['versions'])} "
        f"on the {' and '.join(seen['backends'])} backends"
    )
    return heading + "\n" + aligned_columns(lines)
