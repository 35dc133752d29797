"""bad_id_outcomes: what a lookup does with an id that is too large or negative, in words, and the table of it.

The expected outcomes are worked out here from the libraries themselves
(numpy's and JAX's own ``take``), not copied from the module. The numpy
backend runs in a fresh Python, as ``keras_id_outcomes("numpy")`` runs it; each
costs one Keras import. Notebook 06 answers for the numpy backend in its own
process instead (``keras_numpy_outcomes``, numpy's ``take`` as that backend
calls it): a test here proves, in a fresh Python, that the layer makes that
call on that backend and gets the same outcomes.
"""

import importlib.util
import json
import os
import re
import subprocess
import sys

import jax.numpy as jnp
import numpy as np
import psutil
import pytest

from embedpool_utils import embedding_lookup
from embedpool_utils.bad_id_outcomes import (
    DOCUMENTED,
    KERAS_BACKENDS,
    IdOutcomes,
    id_outcomes,
    keras_id_outcomes,
    keras_numpy_outcomes,
    observe_keras,
    outcome_table,
)


def test_numpy_take_raises_for_too_large_and_wraps_minus_one():
    with pytest.raises(IndexError):
        np.take(np.zeros((30, 7)), [[30]], axis=0)  # what the outcome below reports
    found = id_outcomes(lambda table, ids: np.take(table, ids, axis=0))
    assert found == IdOutcomes("raises IndexError", "row 29 (the last)", "run here")


def test_jax_take_fills_with_nan_and_wraps_minus_one():
    table = np.arange(12, dtype="float32").reshape(4, 3)
    assert np.isnan(np.asarray(jnp.take(table, 4, axis=0))).all()
    assert np.array_equal(np.asarray(jnp.take(table, -1, axis=0)), table[3])
    found = id_outcomes(lambda table, ids: jnp.take(table, ids, axis=0), vocab_size=4, embedding_dim=3)
    assert (found.too_large, found.negative) == ("row of NaN", "row 3 (the last)")


def test_the_helper_refuses_both():
    assert id_outcomes(embedding_lookup) == IdOutcomes("raises IndexError", "raises IndexError")


@pytest.mark.parametrize(
    "lookup, said",
    [
        (lambda table, ids: np.zeros(table.shape[1]), "row of zeros"),
        (lambda table, ids: table[0] + 0.5, "other numbers"),
        (lambda table, ids: table[2], "row 2"),
        (lambda table, ids: table[:2], "an array of shape (2, 7)"),
    ],
)
def test_every_kind_of_answer_is_named(lookup, said):
    assert id_outcomes(lookup).too_large == said


def test_the_error_type_is_what_is_reported():
    def refuse(table, ids):
        raise KeyError("no")

    assert id_outcomes(refuse) == IdOutcomes("raises KeyError", "raises KeyError")


def test_sizes_must_be_positive_ints():
    with pytest.raises(TypeError, match="vocab_size must be a positive int"):
        id_outcomes(embedding_lookup, vocab_size=2.5)
    with pytest.raises(ValueError, match="embedding_dim must be a positive int"):
        keras_id_outcomes(embedding_dim=0)


def test_keras_here_and_on_numpy_in_a_fresh_python():
    rows = observe_keras(fresh=["numpy"], vocab_size=5, embedding_dim=3)
    assert list(rows) == ["Keras on jax", "Keras on numpy"]  # this process first (conftest: KERAS_BACKEND=jax)
    assert rows["Keras on jax"] == IdOutcomes("row of NaN", "row 4 (the last)", "run here")
    assert rows["Keras on numpy"] == IdOutcomes("raises IndexError", "row 4 (the last)", "run here, in a fresh Python")


# Runs in a fresh Python on the numpy backend: records every call of that backend's take and of
# numpy's take while the whole Embedding layer looks up the probe ids, and prints the layer's
# outcomes with the calls seen.
LAYER_ON_NUMPY = """
import json
from dataclasses import asdict
import numpy
import keras
from keras.src.backend.numpy import numpy as numpy_backend
from embedpool_utils.bad_id_outcomes import keras_id_outcomes
calls = []
def recording(name, real):
    def take(x, indices, axis=None, **kwargs):
        calls.append({"by": name, "indices": numpy.asarray(indices).ravel().tolist(), "axis": axis})
        return real(x, indices, axis=axis, **kwargs)
    return take
numpy_backend.take = recording("keras numpy backend", numpy_backend.take)
numpy.take = recording("numpy", numpy.take)
found = keras_id_outcomes()
print(json.dumps({"backend": keras.backend.backend(), "calls": calls, **asdict(found)}))
"""


def test_keras_on_numpy_answered_here_is_what_the_layer_does_in_a_fresh_python():
    env = {**os.environ, "KERAS_BACKEND": "numpy", "JAX_PLATFORMS": "cpu"}
    done = subprocess.run([sys.executable, "-c", LAYER_ON_NUMPY], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    layer = json.loads(done.stdout.strip().splitlines()[-1])
    assert layer["backend"] == "numpy"
    # Embedding.call reached the numpy backend's take, and it numpy's take, once per probe id, along the rows
    assert layer["calls"] == [
        {"by": by, "indices": [token_id], "axis": 0} for token_id in (30, -1) for by in ("keras numpy backend", "numpy")
    ]
    here = keras_numpy_outcomes()  # notebook 06's shortcut, in this process (Keras on JAX)
    assert (here.too_large, here.negative) == (layer["too_large"], layer["negative"])
    assert (here.too_large, here.negative) == ("raises IndexError", "row 29 (the last)")
    assert here.how_known == "run here: np.take, which its take calls"


def test_an_unknown_backend_is_refused_and_no_python_is_left_running():
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with pytest.raises(ValueError, match="backend must be one of jax, numpy"):
        observe_keras(fresh=["numpy", "theano"])  # the numpy probe starts before the name is checked
    assert {p.pid for p in psutil.Process().children(recursive=True)} <= before


@pytest.mark.skipif(importlib.util.find_spec("torch") is not None, reason="PyTorch is installed: the backend would run")
def test_a_backend_whose_library_is_missing_says_why():
    with pytest.raises(RuntimeError, match=r"torch backend .* No module named 'torch'"):
        keras_id_outcomes(backend="torch")


def test_documented_rows_are_the_backends_that_do_not_run_here():
    assert set(DOCUMENTED) == {"Keras on tensorflow", "Keras on torch"}
    assert all(name.split()[-1] in KERAS_BACKENDS for name in DOCUMENTED)
    assert all(row.how_known.startswith("documented") for row in DOCUMENTED.values())
    for name in DOCUMENTED:
        assert importlib.util.find_spec(name.split()[-1]) is None, f"{name} could be run here instead of documented"


def test_table_columns_line_up_whatever_the_widths():
    rows = {"a": IdOutcomes("raises IndexError", "raises IndexError"), "a much longer label": IdOutcomes("x", "y", "z")}
    lines = outcome_table(rows, vocab_size=12).splitlines()
    assert lines[0].split()[:3] == ["who", "id", "12"]
    starts = [[m.start() for m in re.finditer(r"(?<=  )\S", line)] for line in lines]
    assert starts[1][:3] == starts[2][:3] == starts[0][:3], lines  # each column starts at the same place
    assert all(len(s) == 3 for s in starts)


def test_table_refuses_a_row_that_is_not_an_outcome():
    with pytest.raises(TypeError, match="the row 'jax' is a dict"):
        outcome_table({"jax": {"too_large": "row of NaN"}})


WITHOUT_KERAS = """\
import json, sys
import numpy
from embedpool_utils.bad_id_outcomes import DOCUMENTED, id_outcomes, keras_numpy_outcomes, outcome_table
rows = {"numpy take": keras_numpy_outcomes(), "lookup": id_outcomes(lambda table, ids: table[ids])}
outcome_table({**rows, **DOCUMENTED})
print(json.dumps(sorted(name for name in sys.modules if name == "keras" or name.startswith("keras."))))
"""


def test_only_the_functions_that_ask_keras_import_it():
    # the module docstring names keras_id_outcomes and observe_keras; everything else stays numpy-only
    done = subprocess.run([sys.executable, "-c", WITHOUT_KERAS], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
