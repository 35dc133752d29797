"""Where Keras is missing, every function that needs it says what needed it, why the import failed and what to install."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from embedpool_utils import bad_id_outcomes, mask_support
from embedpool_utils.exercises import nb07
from embedpool_utils.optional_keras import import_keras


@pytest.fixture
def no_keras(monkeypatch):
    # None in sys.modules makes `import keras` raise ImportError, as in a Python without Keras
    monkeypatch.setitem(sys.modules, "keras", None)


def test_import_keras_gives_keras_where_it_is_installed():
    assert import_keras("This test").__name__ == "keras"


def test_a_missing_keras_is_named_with_what_needed_it_and_the_install(no_keras):
    with pytest.raises(ImportError) as caught:
        import_keras("Reading a model")
    message = str(caught.value)
    assert message.startswith("Reading a model needs Keras 3")
    assert "keras" in message.split("failed:")[1]  # the import's own error
    assert "pip install 'embedpool-utils[notebooks]'" in message


@pytest.mark.parametrize(
    ("call", "needed_for"),
    [
        (lambda: bad_id_outcomes.keras_id_outcomes(), "Asking Keras"),
        (lambda: mask_support.measure_mask_support(np.zeros((3, 2)), np.array([[1, 2, 0]])), "Measuring what layers"),
    ],
)
def test_the_helpers_that_need_keras_raise_its_message(no_keras, call, needed_for):
    with pytest.raises(ImportError, match=f"^{needed_for}"):
        call()


def test_an_exercise_judged_without_keras_says_so_instead_of_a_verdict(no_keras):
    assert nb07._repair_verdict(object(), {}).startswith(nb07.JUDGING + " needs Keras 3")
