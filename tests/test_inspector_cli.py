"""The command line as a learner runs it: ``python -m embedpool_utils inspect MODEL.keras [--ids IDS.npy]``.

The four exit statuses are checked in a real subprocess (0: no error
finding, 1: an error finding, 2: input that cannot be read, 3: part of the
model not checked); the other
unreadable inputs go through ``main()`` in this process, which is the same
code without the start-up cost. Notebook 07 calls ``main()`` in its kernel
instead of starting the command: the subprocess tests check that the real
command prints the same and exits with the same status as that call, on
notebook 07's own model and ids among others.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import warnings
from pathlib import Path

import keras
import numpy as np
import pytest

from embedpool_utils.inspector.cli import main

L = keras.layers
IDS = np.array([[5, 12, 7, 3, 0, 0, 0, 0, 0, 0], [8, 14, 2, 19, 6, 10, 21, 0, 0, 0]])


def saved_model(folder, name, pooling, *, mask):
    model = keras.Sequential(
        [
            keras.Input((10,), dtype="int32", name="token_ids"),
            L.Embedding(30, 7, mask_zero=mask, name="embedding"),
            pooling,
            L.Dense(1, name="out"),
        ],
        name=name,
    )
    path = folder / f"{name}.keras"
    model.save(path)
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    saved_model(folder, "good", L.GlobalAveragePooling1D(name="pool"), mask=True)
    saved_model(folder, "unmasked", L.GlobalAveragePooling1D(name="pool"), mask=False)
    saved_model(folder, "broken", L.GlobalAveragePooling1D(data_format="channels_first", name="pool"), mask=False)
    unbuilt = keras.Sequential(
        [L.Embedding(30, 7, name="embedding"), L.GlobalAveragePooling1D(name="pool")], name="unbuilt"
    )
    with warnings.catch_warnings():  # Keras warns that the model has no weights yet: that is the point
        warnings.simplefilter("ignore")
        unbuilt.save(folder / "unbuilt.keras")
    np.save(folder / "ids.npy", IDS)
    np.save(folder / "float_ids.npy", IDS.astype("float32"))
    np.save(folder / "short_ids.npy", IDS[:, :8])
    (folder / "notes.txt").write_text("not a model\n")
    return folder


def run(folder, *args):
    """Run the command line in ``folder`` (relative paths, as a learner types them)."""
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    return subprocess.run(
        [sys.executable, "-m", "embedpool_utils", *args], cwd=folder, env=env, capture_output=True, text=True
    )


def in_process(folder, *args):
    """``main(args)`` in this process, the files named by their full path (as notebook 07 calls it): (status, stdout)."""
    absolute = [str(folder / arg) if (folder / arg).is_file() else arg for arg in args]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(absolute)
    return status, out.getvalue()


def test_exit_0_without_an_error_finding(files):
    done = run(files, "inspect", "good.keras", "--ids", "ids.npy")
    assert done.returncode == 0, done.stderr
    assert (done.returncode, done.stdout) == in_process(files, "inspect", "good.keras", "--ids", "ids.npy")
    assert done.stdout.startswith('Model "good": 4 layers, no findings')
    assert "GlobalAveragePooling1D  (None, 7)" in done.stdout and "consumed" in done.stdout
    assert "Traceback" not in done.stderr


def test_exit_1_with_an_error_finding(files):
    done = run(files, "inspect", "broken.keras")
    assert done.returncode == 1, done.stderr
    assert (done.returncode, done.stdout) == in_process(files, "inspect", "broken.keras")
    assert "ERROR pool-over-features at layer 'pool'" in done.stdout
    assert "Averages the 7 features of each of the 10 tokens" in done.stdout


def test_notebook_07s_call_of_main_prints_what_the_command_prints(tmp_path):
    # notebook 07, section 6: the channels_first question model and the learner's two padded sentences
    keras.Sequential(
        [
            keras.Input((10,), dtype="int32", name="token_ids"),
            L.Embedding(30, 7, name="embedding"),
            L.GlobalAveragePooling1D(data_format="channels_first", name="pool"),
        ],
        name="channels_first",
    ).save(tmp_path / "model.keras")
    np.save(tmp_path / "ids.npy", IDS)
    done = run(tmp_path, "inspect", "model.keras", "--ids", "ids.npy")  # as the notebook's bash block types it
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith('Model "channels_first": 3 layers, 1 finding (1 error, 0 warnings)\n')
    assert (done.returncode, done.stdout) == in_process(tmp_path, "inspect", "model.keras", "--ids", "ids.npy")


def test_exit_2_with_one_line_and_no_traceback_when_the_ids_cannot_be_used(files):
    done = run(files, "inspect", "good.keras", "--ids", "float_ids.npy")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: float_ids.npy: ids must be integer token ids")
    assert "Traceback" not in done.stderr


def test_a_model_saved_before_it_was_built_is_status_2_with_one_line(files):
    done = run(files, "inspect", "unbuilt.keras")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: unbuilt.keras: the Sequential model 'unbuilt' is not built yet")
    assert "Traceback" not in done.stderr


@keras.saving.register_keras_serializable(package="test_inspector_cli")
class SubclassedPooling(keras.Model):
    """A subclassed model: its layers are joined in ``call``, which the inspector cannot read."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embedding = L.Embedding(30, 7)
        self.pool = L.GlobalAveragePooling1D()

    def call(self, ids):
        return self.pool(self.embedding(ids))


def test_a_subclassed_model_is_status_2_with_one_line(files, monkeypatch, capsys):
    """In this process the class is registered, so the file loads; a new Python could not even load it."""
    model = SubclassedPooling(name="subclassed")
    model(IDS)
    model.save(files / "subclassed.keras")
    monkeypatch.chdir(files)
    assert main(["inspect", "subclassed.keras", "--ids", "ids.npy"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(
        "error: subclassed.keras: the model 'subclassed' (SubclassedPooling) is a subclassed"
    )
    assert captured.err.count("\n") == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["inspect", "missing.keras"], "error: no such file: missing.keras"),
        (["inspect", "notes.txt"], "error: notes.txt is not a Keras model file"),
        (["inspect", "ids.npy"], "error: ids.npy is not a Keras model file"),
        (["inspect", "good.keras", "--ids", "missing.npy"], "error: no such file: missing.npy"),
        (["inspect", "good.keras", "--ids", "notes.txt"], "error: notes.txt is not a .npy or .npz file of token ids"),
        (["inspect", "good.keras", "--ids", "good.keras"], "error: good.keras is a zip archive"),
        (["inspect", "good.keras", "--ids", "short_ids.npy"], "error: short_ids.npy: ids have shape (2, 8)"),
    ],
)
def test_unreadable_input_is_status_2_with_one_line(files, monkeypatch, capsys, args, message):
    monkeypatch.chdir(files)
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(message) and captured.err.count("\n") == 1


def test_warnings_alone_exit_0(files, monkeypatch, capsys):
    monkeypatch.chdir(files)
    assert main(["inspect", "unmasked.keras", "--ids", "ids.npy"]) == 0
    out = capsys.readouterr().out
    assert "WARNING padding-averaged at layer 'pool'" in out and "ERROR" not in out


def test_a_usage_error_exits_2_with_the_usage(capsys):
    with pytest.raises(SystemExit) as stop:
        main([])
    assert stop.value.code == 2
    assert "usage: python -m embedpool_utils" in capsys.readouterr().err


@pytest.mark.parametrize("columns", ["40", "200"])
def test_the_help_names_the_three_exit_statuses_and_reads_the_same_in_any_terminal(columns, monkeypatch, capsys):
    # notebook 07 prints this help in its kernel, whose width no one chooses; argparse reads COLUMNS
    def help_text():
        with pytest.raises(SystemExit) as stop:
            main(["inspect", "--help"])
        assert stop.value.code == 0
        return capsys.readouterr().out

    monkeypatch.delenv("COLUMNS", raising=False)
    unset = help_text()
    monkeypatch.setenv("COLUMNS", columns)
    assert help_text() == unset
    assert " ".join(unset.split()).startswith(
        "usage: python -m embedpool_utils inspect [-h] [--ids IDS] [--custom-objects PATH] [--unsafe-deserialization] model"
    )
    assert (
        "Exit status: 0 no error, 1 an error finding, 2 unreadable input, 3 no error but part of the model not checked."
        in " ".join(unset.split())
    )


# --- models people write: layers of their own, several inputs, code in the file ----------------------

CORPUS = Path(__file__).with_name("inspector_corpus.py")


@pytest.fixture(scope="module")
def corpus_files(tmp_path_factory):
    import inspector_corpus as corpus

    folder = tmp_path_factory.mktemp("corpus")
    keras.utils.set_random_seed(0)
    corpus.transformer_classifier("channels_first").save(folder / "transformer.keras")
    corpus.fnet_classifier().save(folder / "fnet.keras")
    corpus.shared_embedding().save(folder / "two_inputs.keras")
    ids = keras.Input((10,), dtype="int32", name="token_ids")
    doubled = L.Lambda(lambda t: t * 2.0, name="double")(L.Embedding(30, 7, name="embedding")(ids))
    keras.Model(ids, L.GlobalAveragePooling1D(name="pool")(doubled), name="with_lambda").save(folder / "lambda.keras")
    question = np.array([[5, 12, 7, 3, 0, 0, 0, 0, 0, 0, 0, 0]])
    np.savez(folder / "two.npz", question=question, answer=np.where(question == 7, corpus.VOCAB, question))
    np.save(folder / "one.npy", question)
    return folder


def test_a_model_with_layers_of_ones_own_loads_with_custom_objects_and_gets_its_finding(corpus_files):
    done = run(corpus_files, "inspect", "transformer.keras", "--custom-objects", str(CORPUS))
    assert done.returncode == 1, done.stderr
    assert "ERROR pool-over-features at layer 'pool'" in done.stdout
    assert "axes found by running it on test inputs" in done.stdout


def test_a_missing_class_is_one_line_that_names_it_and_says_how_to_provide_it(corpus_files):
    done = run(corpus_files, "inspect", "transformer.keras")
    assert done.returncode == 2 and done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("error: transformer.keras needs the class '")
    assert "TokenAndPositionEmbedding" in line or "TransformerBlock" in line
    assert "--custom-objects" in line and "register_keras_serializable" in line


def test_custom_objects_that_cannot_be_imported_are_one_line(corpus_files, tmp_path, monkeypatch, capsys):
    broken = tmp_path / "broken_layers.py"
    broken.write_text("raise RuntimeError('not today')\n")
    monkeypatch.chdir(corpus_files)
    assert main(["inspect", "transformer.keras", "--custom-objects", str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "could not be imported (RuntimeError: not today)" in err


def test_a_model_the_tool_cannot_fully_check_exits_3(corpus_files, monkeypatch, capsys):
    import inspector_corpus  # noqa: F401  (registers the corpus' layers in this process)

    monkeypatch.chdir(corpus_files)
    assert main(["inspect", "fnet.keras"]) == 3
    out = capsys.readouterr().out
    assert "NOT CHECKED at layer 'fnet'" in out and "ERROR" not in out


def test_two_inputs_take_ids_from_an_npz_keyed_by_input_name(corpus_files, monkeypatch, capsys):
    import inspector_corpus  # noqa: F401

    monkeypatch.chdir(corpus_files)
    assert main(["inspect", "two_inputs.keras", "--ids", "two.npz"]) == 1
    out = capsys.readouterr().out
    assert "ERROR ids-out-of-range at layer 'embedding (call 2)'" in out and "input 'answer'" in out


def test_two_inputs_with_one_npy_get_a_line_that_says_how_to_give_ids(corpus_files, monkeypatch, capsys):
    import inspector_corpus  # noqa: F401

    monkeypatch.chdir(corpus_files)
    assert main(["inspect", "two_inputs.keras", "--ids", "one.npy"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "the model has 2 inputs" in line and "numpy.savez('IDS.npz', question=..., answer=...)" in line


def test_code_stored_in_the_file_loads_only_with_the_unsafe_flag(corpus_files, monkeypatch, capsys):
    monkeypatch.chdir(corpus_files)
    assert main(["inspect", "lambda.keras"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "safe mode" in line and "--unsafe-deserialization" in line
    assert main(["inspect", "lambda.keras", "--unsafe-deserialization"]) == 0
    assert any(line.split()[:2] == ["double", "Lambda"] for line in capsys.readouterr().out.splitlines())
