"""bad_id_outcomes: what a lookup does with an id that is too large or negative, in words, and the table of it.

The expected outcomes are worked out here from the libraries themselves
(numpy's and JAX's own ``take``), not copied from the module. Keras fixes its
backend on import, so Keras on another backend runs in a fresh Python started
here (``fresh_keras``: test code, since the helper itself only asks this
process's Keras); each costs one Keras import. Notebook 06 answers for the
numpy backend in its own process instead (``keras_numpy_outcomes``, numpy's
``take`` as that backend calls it): a test here proves, in a fresh Python, that
the layer makes that call on that backend and gets the same outcomes. The
TensorFlow and PyTorch rows are read from a record; tests/backends observes
them again where those libraries are installed (``make test-backends``).
"""

import json
import os
import re
import subprocess
import sys

import jax.numpy as jnp
import numpy as np
import pytest
from support import ROOT

from embedpool_utils import embedding_lookup
from embedpool_utils.bad_id_outcomes import (
    DOCUMENTED,
    IdOutcomes,
    id_outcomes,
    keras_id_outcomes,
    keras_numpy_outcomes,
    outcome_table,
    recorded_outcomes,
)

# What a fresh Python runs: the helper's probe, on the backend KERAS_BACKEND names.
PROBE = """
import json, sys
from dataclasses import asdict
import keras
from embedpool_utils.bad_id_outcomes import keras_id_outcomes
found = keras_id_outcomes(vocab_size=int(sys.argv[1]), embedding_dim=int(sys.argv[2]))
print(json.dumps({"backend": keras.backend.backend(), **asdict(found)}))
"""


def fresh_keras(code: str, backend: str, *args: object) -> dict:
    """Run ``code`` in a new Python whose Keras uses ``backend``, and read the JSON it prints last."""
    env = {**os.environ, "KERAS_BACKEND": backend, "JAX_PLATFORMS": "cpu", "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


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
    here = keras_id_outcomes(vocab_size=5, embedding_dim=3)  # this process: conftest fixes KERAS_BACKEND=jax
    assert here == IdOutcomes("row of NaN", "row 4 (the last)", "run here")
    there = fresh_keras(PROBE, "numpy", 5, 3)
    assert there == {
        "backend": "numpy",
        "too_large": "raises IndexError",
        "negative": "row 4 (the last)",
        "how_known": "run here",
    }


# Runs in a fresh Python on the numpy backend: records every call of that backend's take and of
# numpy's take while the whole Embedding layer looks up the probe ids, and prints the layer's
# outcomes with the calls seen.
LAYER_ON_NUMPY = """
import json
from dataclasses import asdict
import numpy
import keras
try:
    from keras.src.backend.numpy import numpy as numpy_backend  # Keras 3.12 to 3.15
except ImportError:
    from keras.src.backend.numpy.ops import numpy as numpy_backend  # Keras' development line (3.16.0.dev)
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
    layer = fresh_keras(LAYER_ON_NUMPY, "numpy")
    assert layer["backend"] == "numpy"
    # Embedding.call reached the numpy backend's take, and it numpy's take, once per probe id, along the rows
    assert layer["calls"] == [
        {"by": by, "indices": [token_id], "axis": 0} for token_id in (30, -1) for by in ("keras numpy backend", "numpy")
    ]
    here = keras_numpy_outcomes()  # notebook 06's shortcut, in this process (Keras on JAX)
    assert (here.too_large, here.negative) == (layer["too_large"], layer["negative"])
    assert (here.too_large, here.negative) == ("raises IndexError", "row 29 (the last)")
    assert here.how_known == "run here: np.take, which its take calls"


def test_documented_rows_are_the_gpu_rows_and_the_cpu_rows_are_recorded():
    assert set(DOCUMENTED) == {"Keras on tensorflow, GPU", "Keras on torch, GPU"}
    assert all(row.how_known.startswith("documented") for row in DOCUMENTED.values())
    assert set(recorded_outcomes()) == {"Keras on tensorflow, CPU", "Keras on torch, CPU"}
    assert all(row.how_known.startswith("run with Keras ") for row in recorded_outcomes().values())


def test_recorded_rows_say_what_the_record_file_holds():
    # the file read here with json, not through embedpool_utils.recorded_backends
    record = json.loads((ROOT / "embedpool_utils" / "recorded_backends.json").read_text(encoding="utf-8"))["bad_ids"]
    rows = recorded_outcomes()
    names = {"tensorflow": "TensorFlow", "torch": "PyTorch"}
    assert sorted(record) == sorted(names)
    for backend, seen in record.items():
        row = rows[f"Keras on {backend}, CPU"]
        assert (row.too_large, row.negative) == (seen["too_large"], seen["negative"])
        keras_version, library_version = seen["versions"]["keras"], seen["versions"][backend]
        assert row.how_known == f"run with Keras {keras_version}, {names[backend]} {library_version}"


def test_the_record_says_what_notebook_06_teaches():
    # notebook 06, section 1: on the CPU both refuse id 30, each with its own error, and both wrap -1
    rows = recorded_outcomes()
    assert rows["Keras on tensorflow, CPU"].too_large == "raises InvalidArgumentError"
    assert rows["Keras on torch, CPU"].too_large == "raises IndexError"
    assert {row.negative for row in rows.values()} == {"row 29 (the last)"}


def test_recorded_rows_exist_only_for_the_table_they_were_run_on():
    with pytest.raises(ValueError, match="a table of 30 rows; there is no recorded outcome for vocab_size=12"):
        recorded_outcomes(vocab_size=12)


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
from embedpool_utils import bad_id_outcomes as b
from embedpool_utils.recorded_backends import reserved_ids_table
rows = {"numpy take": b.keras_numpy_outcomes(), "lookup": b.id_outcomes(lambda table, ids: table[ids])}
b.outcome_table({**rows, **b.recorded_outcomes(), **b.DOCUMENTED})
reserved_ids_table()
heavy = ("keras", "jax", "tensorflow", "torch")
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in heavy)))
"""


def test_only_the_function_that_asks_keras_imports_it():
    # the module docstring names keras_id_outcomes; everything else, the recorded rows too, needs numpy only
    done = subprocess.run([sys.executable, "-c", WITHOUT_KERAS], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
