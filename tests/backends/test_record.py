"""The record of what Keras did on TensorFlow and PyTorch: consistent in itself, made with the project's pins, and read right.

Runs everywhere (``make test`` too): nothing here needs TensorFlow or PyTorch.
test_recorded_facts.py observes the record again where they are installed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from embedpool_utils import recorded_backends

ROOT = Path(__file__).resolve().parents[2]
RECORD = json.loads((ROOT / "embedpool_utils" / "recorded_backends.json").read_text(encoding="utf-8"))


def pinned(name: str) -> str:
    """The version requirements/constraints.txt pins for ``name`` on this Python."""
    for line in (ROOT / "requirements" / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            requirement = Requirement(line)
            if requirement.name == name and (requirement.marker is None or requirement.marker.evaluate()):
                (spec,) = requirement.specifier
                return spec.version
    raise AssertionError(f"{name} is not pinned in constraints.txt")


def lock_pin(backend: str, name: str) -> str:
    """The version requirements/backend-<backend>.txt pins for ``name``."""
    text = (ROOT / "requirements" / f"backend-{backend}.txt").read_text()
    (version,) = re.findall(rf"^{re.escape(name)}==(\S+)", text, flags=re.MULTILINE | re.IGNORECASE)
    return version


def test_every_fact_was_recorded_with_the_projects_keras_and_the_backend_pins():
    assert RECORD["bad_ids"]["tensorflow"]["versions"]["keras"] == pinned("keras")
    for backend, seen in RECORD["bad_ids"].items():
        assert seen["versions"]["keras"] == lock_pin(backend, "keras")
        assert seen["device"] == "CPU"
    assert RECORD["bad_ids"]["tensorflow"]["versions"]["tensorflow"] == lock_pin("tensorflow", "tensorflow-cpu")
    assert RECORD["bad_ids"]["torch"]["versions"]["torch"] == lock_pin("torch", "torch")
    assert RECORD["reserved_ids"]["versions"]["tensorflow"] == lock_pin("tensorflow", "tensorflow-cpu")
    for backend, seen in RECORD["adam_embedding_step"].items():
        assert seen["versions"] == RECORD["bad_ids"][backend]["versions"]
        assert seen["device"] == "CPU"


def test_adam_step_table_reads_each_backends_outcomes():
    table = recorded_backends.adam_step_table().splitlines()
    rows = {line.split("  ")[0]: line for line in table[2:]}
    assert list(rows) == ["TensorFlow", "PyTorch"]
    for name, backend in (("TensorFlow", "tensorflow"), ("PyTorch", "torch")):
        seen = RECORD["adam_embedding_step"][backend]
        cells = [cell.strip() for cell in rows[name].split("  ") if cell.strip()]
        assert cells[1:3] == [seen["no id twice"], seen["an id twice"]]
        assert "Keras " + seen["versions"]["keras"] in cells[3]


def test_the_recorded_ids_decode_to_the_sentence():
    # each layer's ids, looked up in its own vocabulary, give the sentence back, the unknown word as [UNK]
    seen = RECORD["reserved_ids"]
    expected = [word if word in seen["words"] else "[UNK]" for word in seen["sentence"].split()]
    for layer, found in seen["layers"].items():
        assert [found["vocabulary"][i] for i in found["ids"]] == expected, layer
        assert found["vocabulary_size"] == len(found["vocabulary"]), layer
        assert found["vocabulary"][-len(seen["words"]) :] == seen["words"], layer


def test_reserved_ids_table_reads_each_layers_numbering():
    seen = RECORD["reserved_ids"]
    table = recorded_backends.reserved_ids_table().splitlines()
    assert (
        "Keras " + seen["versions"]["keras"] in table[0] and "TensorFlow " + seen["versions"]["tensorflow"] in table[0]
    )
    rows = {line.split("  ")[0]: line.split() for line in table[2:]}
    assert list(rows) == list(seen["layers"])
    for layer, found in seen["layers"].items():
        cells = rows[layer]
        first_id = found["vocabulary"].index(seen["words"][0])
        assert str(first_id) in cells and str(found["vocabulary_size"]) in cells
        assert " ".join(cells).endswith(str(found["ids"]))


def test_the_numbering_notebook_01_teaches():
    # TextVectorization: 0 padding, 1 unknown, words from 2, and vocabulary_size() counts both extra ids
    layers = RECORD["reserved_ids"]["layers"]
    text = layers["TextVectorization"]
    assert text["vocabulary"][:2] == ["", "[UNK]"]
    assert text["vocabulary_size"] == len(RECORD["reserved_ids"]["words"]) + 2
    assert layers["StringLookup"]["vocabulary"][0] == "[UNK]"


def test_versions_seen_refuses_a_library_it_cannot_name():
    with pytest.raises(ValueError, match="got 'jaxlib'"):
        recorded_backends.versions_seen({"keras": "3.15.1", "jaxlib": "0.10.2"})


def test_recorded_returns_a_copy():
    first = recorded_backends.recorded()
    first["bad_ids"].clear()
    assert recorded_backends.recorded()["bad_ids"]
