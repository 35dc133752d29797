"""Every exercise accepts its solution, rejects the classic wrong answers with a hint, and never gives itself away.

The solutions here are written independently of the bank: they are the code a
learner would type (the same as the notebooks' revealed solutions). The
bank-wide checks throw many wrong answers at every exercise (near misses,
wrong kinds, the right answer written as text) and read every verdict.
"""

import itertools
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embedpool_utils import check, exercise_inputs
from embedpool_utils.exercises.engine import evaluate, exercise_ids, get_exercise
from embedpool_utils.experiments import sentiment_data

# exercise id -> function of the exercise's inputs that returns the right answer
SOLUTIONS = {
    "01-params-per-table": lambda inputs: 32_000,  # 2,000 rows of 16; batch and length play no part
    # the nearest table row to each output row
    "01-ids-from-rows": lambda d: np.array([int(np.argmin(np.abs(d["table"] - row).sum(axis=1))) for row in d["out"]]),
    "01-valid-ids": lambda d: np.array([0 <= i < 30 for i in d["ids"]]),
    # ids 0 (padding) to 2000; TextVectorization: 0 padding, 1 [UNK], words 2 to 2001
    "01-input-dims": lambda d: {"tokenizer": len(range(0, 2000 + 1)), "text_vectorization": len(range(0, 2001 + 1))},
    "02-summary-shape": lambda d: (None, None, 32),
    "02-last-words": lambda d: np.array([d["x"][s, np.flatnonzero(row)[-1]] for s, row in enumerate(d["ids"])]),
    "02-repair-old-model": lambda d: repaired_old_model,
    "03-window-shape": lambda d: (8, 20 // 4, 16),  # windows of 4 tokens side by side, each averaged
    "03-masked-mean": lambda d: np.array(
        [d["table"][[i for i in sentence if i != 0]].mean(axis=0) for sentence in d["ids"]]
    ),
    "03-masked-max": lambda d: np.array(
        [[max(d["table"][i][f] for i in sentence if i != 0) for f in range(7)] for sentence in d["ids"]]
    ),
    "03-debug-model": lambda d: {
        "layer": "flatten",
        "by": "keras.layers.GlobalAveragePooling1D()",
        "classifier_params": 68,
    },
    "04-debug-default": lambda d: {
        "layer": "pool",
        "data_format": "channels_last",
        "params_before": 51,
        "params_after": 33,
    },
    "04-row-means": lambda d: np.array([[d["table"][i].sum() / 7 for i in sentence] for sentence in d["ids"]]),
    "04-mask-fit": lambda d: np.array([maxlen != d["embedding_dim"] for maxlen in d["maxlens"]]),
    # channels_first turns a word into the mean of its row; a position reads right when its weight times
    # (positive words' mean number - negative words' mean number) is positive
    "05-right-way-round": lambda d: np.array(
        [
            t
            for t in range(len(d["kernel"]))
            if d["kernel"][t, 0]
            * (
                np.mean([d["table"][i].mean() for i in d["positive_ids"]])
                - np.mean([d["table"][i].mean() for i in d["negative_ids"]])
            )
            > 0
        ]
    ),
    "05-forward": lambda d: np.array(
        [
            1 / (1 + np.exp(-(np.mean([d["table"][i] for i in row if i], axis=0) @ d["kernel"][:, 0] + d["bias"][0])))
            for row in d["ids"]
        ]
    ),
    # the label pairs met along a fine grid of s wide enough to pass both thresholds, in another order
    "05-combinations": lambda d: sorted(
        {tuple(int(v) for v in s * d["kernel"][0] + d["bias"] > 0) for s in np.linspace(-10, 10, 20001)},
        reverse=True,
    ),
    # another right answer than the bank's example: the sentiment word late instead of early
    "05-design-split": lambda d: {"n": 400, "seed": 9, "lengths": (9, 10), "positions": (8, 9)},
    "06-bag-mean": lambda d: np.array(
        [
            np.mean([d["table"][i] for i in bag if i != 0], axis=0)
            if any(i != 0 for i in bag)
            else np.zeros(d["table"].shape[1])  # an empty bag: zeros, as wide as a table row
            for bag in np.split(d["indices"], d["offsets"][1:])
        ]
    ),
    "06-torch-pool": lambda d: np.array(
        [[sentence[:, e].mean() for e in range(sentence.shape[1])] for sentence in d["x"]]
    ),
    "06-port-shape": lambda d: (16, 40, 32 // 4),  # PyTorch pools the last axis, read as the length, 4 at a time
    "07-repair": lambda d: repaired_model(),
    "07-report-codes": lambda d: ("mask-dropped", "pool-over-features"),  # worked out by reading the model
}


def repaired_old_model():
    """Notebook 02's Keras 2 model, repaired: any length, no input_length, the data_format written out."""
    import keras

    token_ids = keras.Input(shape=(None,), dtype="int32")
    embedded = keras.layers.Embedding(30, 7)(token_ids)
    return keras.Model(token_ids, keras.layers.GlobalAveragePooling1D(data_format="channels_last")(embedded))


def repaired_model():
    """The broken model of notebook 07's exercise 1, with both fixes: a mask, and pooling over the tokens."""
    import keras

    return keras.Sequential(
        [
            keras.Input((12,), dtype="int32"),
            keras.layers.Embedding(30, 8, mask_zero=True),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1),
        ],
        name="solution",
    )


MISTAKES = [(e, i) for e in exercise_ids() for i in range(len(get_exercise(e).mistakes))]


def test_every_exercise_has_an_independent_solution_here():
    assert sorted(SOLUTIONS) == exercise_ids()


@pytest.mark.parametrize("exercise_id", sorted(SOLUTIONS))
def test_solution_is_accepted(exercise_id):
    verdict = evaluate(exercise_id, SOLUTIONS[exercise_id](exercise_inputs(exercise_id)))
    assert verdict.correct, verdict.message
    assert verdict.message.startswith("Correct")


@pytest.mark.parametrize("exercise_id, index", MISTAKES)
def test_registered_mistakes_are_rejected_with_their_hint(exercise_id, index):
    mistake = get_exercise(exercise_id).mistakes[index]
    verdict = evaluate(exercise_id, mistake.answer(exercise_inputs(exercise_id)))
    assert not verdict.correct
    assert mistake.hint in verdict.message


@pytest.mark.parametrize("exercise_id", sorted(SOLUTIONS))
@pytest.mark.parametrize("answer", [None, ..., "a string", object(), [[1, 2], [3]]])
def test_unusable_answers_get_a_hint_not_a_traceback(exercise_id, answer):
    verdict = evaluate(exercise_id, answer)
    assert not verdict.correct
    assert verdict.message.startswith(("Not quite", "Not answered"))


def test_check_prints_the_verdict(capsys):
    check("01-params-per-table", 32_000)
    assert capsys.readouterr().out == "Correct! (01-params-per-table)\n"
    check("01-params-per-table", 2_016)
    assert "multiply" in capsys.readouterr().out


def test_unknown_exercise_lists_the_known_ones():
    with pytest.raises(KeyError, match="01-params-per-table"):
        check("no-such-exercise", 1)


def test_inputs_are_fresh_copies():
    for exercise_id in exercise_ids():
        first = exercise_inputs(exercise_id)
        for value in first.values():
            if isinstance(value, np.ndarray):
                value[...] = 0
        assert all(
            not isinstance(v, np.ndarray) or not np.array_equal(v, 0) or v.size == 0
            for v in exercise_inputs(exercise_id).values()
        )


# ---------------------------------------------------------------- the cases issue 9 named


def test_the_number_written_as_text_does_not_pass():
    verdict = evaluate("01-params-per-table", "32000")
    assert not verdict.correct and "without quotes" in verdict.message and "32000" not in verdict.message


def test_a_fixed_length_gets_its_own_hint_not_the_generic_one():
    """Notebook 02 teaches that keras.Input(shape=(None,)) leaves the length open: a fixed one gets a hint of its own."""
    verdict = evaluate("02-summary-shape", (None, 40, 32))
    assert not verdict.correct
    assert "Is the length fixed" in verdict.message and "Check each axis size" not in verdict.message
    assert "None, None" not in verdict.message


def test_a_single_int_for_a_shape_gets_a_hint_without_the_answer():
    verdict = evaluate("02-summary-shape", 32)
    assert not verdict.correct and "trailing comma" in verdict.message
    assert "(None, None, 32)" not in verdict.message


def test_floats_in_a_shape_are_not_rounded_into_a_near_miss():
    verdict = evaluate("03-window-shape", (8.5, 5, 16))
    assert not verdict.correct and "wrong order" not in verdict.message and "int" in verdict.message
    assert not evaluate("03-window-shape", (8.0, 5.0, 16.0)).correct  # a shape holds ints


# ---------------------------------------------------------------- the whole bank


def texts_of(expected):
    """Regular expressions for the ways the expected answer could be written in a sentence."""
    if isinstance(expected, (bool, np.bool_)):
        return [rf"\b{bool(expected)}\b"]
    if isinstance(expected, str):
        return [re.escape(expected)]
    if not is_data(expected):
        return []  # a Keras model: there is no text of it that a hint could give away
    if isinstance(expected, dict):
        return [re.escape(repr(expected)), re.escape(str(expected))]
    if isinstance(expected, tuple) and any(isinstance(s, str) for s in expected):  # words, quoted or not
        return [r"['\"]?[,;\s]+['\"]?".join(re.escape(w) for w in expected)]
    if isinstance(expected, tuple):
        sizes = [str(s) for s in expected]
        inner = r",\s*".join(sizes) + (r",\s*" if len(sizes) == 1 else "")
        return [rf"[(\[]\s*{inner}\s*[)\]]"] + ([rf"\b{inner}\b"] if len(sizes) > 1 else [])
    values = np.asarray(expected)
    if values.ndim == 0:
        number = float(values)
        written = {f"{number:g}", f"{number:,.0f}"} if number == int(number) else {f"{number:.3f}", f"{number:.2g}"}
        return [rf"(?<![\d.,]){re.escape(w)}(?![\d.,]*\d)" for w in written]
    flat = values.ravel()
    patterns = [
        re.escape(str(values)),
        re.escape(str(values.tolist())),
        re.escape(np.array2string(values, precision=4)),
    ]
    if values.dtype.kind in "iub":
        patterns.append(r"\b" + r"[,\s]+".join(str(v) for v in flat[:3]) + r"\b")
    else:
        patterns += [re.escape(f"{v:.3f}") for v in flat if abs(v) >= 0.001]
    return patterns


def wrong_answers(expected):
    """Near misses and wrong kinds of answer for an exercise whose answer is ``expected``."""
    answers = [None, ..., "a string", str(expected), repr(expected), object(), [[1, 2], [3]], True, 0, 3.5]
    if not is_data(expected):
        return answers
    if isinstance(expected, tuple) and any(isinstance(s, str) for s in expected):  # a tuple of words
        words = list(expected)
        return answers + [
            words[0],
            words[::-1],
            tuple(words[:-1]),
            (*words, words[0]),
            tuple(w.replace("-", "_") for w in words),
        ]
    if isinstance(expected, (bool, np.bool_)):
        answers += [not expected, "yes", "no", int(expected), 1 - int(expected)]
    elif isinstance(expected, dict):
        answers += [{}, list(expected.items()), list(expected.values()), dict(list(expected.items())[:-1])]
    elif isinstance(expected, tuple):
        sizes = [s for s in expected]
        answers += [
            sizes[0],
            list(reversed(sizes)),
            tuple(sizes[:-1]),
            tuple(sizes) + (1,),
            tuple(None if s is None else float(s) for s in sizes),  # None: a size left open
            tuple(str(s) for s in sizes),
            tuple(None if s is None else s + 0.5 for s in sizes),
        ]
        answers += [tuple(p) for p in itertools.permutations(sizes)]
    else:
        values = np.asarray(expected)
        answers += [values.astype(str), values.tolist() if values.ndim else [values.item()]]
        if values.ndim == 0:
            number = values.item()
            answers += [number + 1, number - 1, -number, number * 2, number + 0.5, [number, number], np.array([number])]
        else:
            answers += [
                values.T,
                values * 2,
                values + 1,
                values[:1],
                values.ravel(),
                values[..., None],
                np.zeros_like(values),
                [str(v) for v in values.ravel()],
            ]
    return answers


def is_data(expected):
    """Whether an expected answer is a value a hint could spell out (not, say, a Keras model)."""
    return isinstance(expected, (bool, np.bool_, str, tuple, int, float, np.number, np.ndarray, list, dict))


def is_text(answer):
    return (
        isinstance(answer, (str, bytes))
        or (isinstance(answer, np.ndarray) and answer.dtype.kind in "US")
        or (isinstance(answer, (list, tuple)) and any(isinstance(a, str) for a in answer))
    )


@pytest.mark.parametrize("exercise_id", exercise_ids())
def test_no_verdict_or_hint_contains_the_expected_answer(exercise_id):
    exercise = get_exercise(exercise_id)
    inputs = exercise.inputs()
    expected = exercise.expected(inputs)
    answers = wrong_answers(expected) + [m.answer(inputs) for m in exercise.mistakes] + [SOLUTIONS[exercise_id](inputs)]
    for answer in answers:
        message = evaluate(exercise_id, answer).message
        for pattern in texts_of(expected):
            assert not re.search(pattern, message), f"{exercise_id}: answer {answer!r} got {message!r}"


@pytest.mark.parametrize("exercise_id", exercise_ids())
def test_no_text_passes_for_a_number_a_shape_or_a_bool(exercise_id):
    expected = get_exercise(exercise_id).expected(exercise_inputs(exercise_id))
    if isinstance(expected, str) or is_text(expected):
        pytest.skip("this exercise asks for text")
    for answer in wrong_answers(expected):
        if is_text(answer):
            verdict = evaluate(exercise_id, answer)
            assert not verdict.correct, f"{exercise_id}: the text {answer!r} passed"
            assert verdict.message.startswith("Not quite"), verdict.message


def test_the_bank_check_can_fail():
    """The patterns find an answer that a hint would give away."""
    assert re.search(texts_of((10,))[0], "a one-axis shape is written (10,)")
    assert re.search(texts_of(800)[0], "multiply: 50 x 16 = 800.")
    assert re.search(texts_of(np.array([3, 4, 12, 27]))[-1], "the rows are 3, 4, 12 and 27")
    assert re.search(texts_of(False)[0], "The answer is False.")
    assert not re.search(texts_of(11)[0], "channels_last with 118 features")
    assert re.search(texts_of(("a-b", "c"))[0], "the codes are ('a-b', 'c')")


# ---------------------------------------------------------------- a question with many right answers


TRAINED_POSITIONS, TRAINED_LENGTHS = range(4, 8), range(8, 11)  # the exercise's training recipe, by hand


def split_tests_one_new_thing(answer):
    """Judge a split by the sentences it makes: new ones, sentiment words only where training put none,
    lengths that training used, length not tied to the label, 10 tokens, enough sentences."""
    try:
        data = sentiment_data.make_sentences(**answer)
    except (TypeError, ValueError, IndexError):
        return False
    lengths = set(data.lengths.tolist())
    return (
        answer["seed"] != 1
        and data.ids.shape[1] == 10
        and len(data) >= 200
        and not set(data.sentiment_positions.tolist()) & set(TRAINED_POSITIONS)
        and lengths <= set(TRAINED_LENGTHS)
        and answer.get("negative_lengths") in (None, answer.get("lengths"))
    )


# ranges around the edges of the training recipe (positions 4-7, lengths 8-10), and a few far off
LENGTHS = [(8, 10), (9, 10), (8, 8), (10, 10), (7, 10), (8, 11), (4, 10), (1, 12), (0, 5)]
POSITIONS = [(0, 3), (1, 2), (8, 9), (8, 8), (9, 9), (0, 9), (3, 4), (7, 9), (4, 7), (2, 1)]


@settings(max_examples=300, deadline=None)
@given(
    n=st.sampled_from([20, 199, 200, 300]),
    seed=st.integers(0, 2),
    lengths=st.sampled_from(LENGTHS),
    positions=st.sampled_from(POSITIONS),
    negative_lengths=st.sampled_from([None, "same", (9, 10), (4, 6)]),
    max_len=st.sampled_from([None, 10, 12]),
)
def test_design_split_passes_exactly_the_splits_that_test_one_new_thing(
    n, seed, lengths, positions, negative_lengths, max_len
):
    answer = {"n": n, "seed": seed, "lengths": lengths, "positions": positions}
    if negative_lengths is not None:
        answer["negative_lengths"] = lengths if negative_lengths == "same" else negative_lengths
    if max_len is not None:
        answer["max_len"] = max_len
    verdict = evaluate("05-design-split", answer)
    assert verdict.correct == split_tests_one_new_thing(answer), verdict.message


def test_several_right_splits_pass_and_odd_values_get_a_hint_not_a_traceback():
    for answer in (
        {"n": 500, "seed": 3, "lengths": [8, 10], "positions": [0, 2]},
        {"n": 250, "seed": 0, "lengths": (9, 10), "positions": (8, 8), "max_len": 10},
        {"n": 300, "seed": 4, "lengths": (8, 10), "positions": (1, 3), "negative_lengths": (8, 10)},
    ):
        assert evaluate("05-design-split", answer).correct, answer
    for answer in (
        {"n": "500", "seed": 2},
        {"n": 500, "seed": np.array([2, 3])},
        {"n": 500, "seed": 2, "positions": 3},
        {"n": 500, "seed": 2, "lengths": None},
        {"n": -5, "seed": 2},
        {1: 2},
    ):
        verdict = evaluate("05-design-split", answer)
        assert not verdict.correct and verdict.message.startswith("Not quite"), answer


# ---------------------------------------------------------------- exercises judged by a function


def test_accepts_decides_alone_and_a_false_leaves_the_hint_to_the_mistakes(monkeypatch):
    from embedpool_utils.exercises import engine

    verdicts = {"right": True, "close": "A hint of its own.", "wrong": False}
    exercise = engine.Exercise(
        "00-accepts",
        expected=lambda _: "right",
        accepts=lambda answer, _: verdicts.get(answer, False),
        mistakes=(engine.Mistake(lambda _: "wrong", "The registered hint."),),
    )
    monkeypatch.setitem(engine._REGISTRY, exercise.exercise_id, exercise)
    assert evaluate("00-accepts", "right").correct
    assert evaluate("00-accepts", "close").message == "Not quite. A hint of its own."
    assert evaluate("00-accepts", "wrong").message == "Not quite. The registered hint."
    monkeypatch.setitem(verdicts, "right", False)  # accepts has the last word, even against expected
    assert not evaluate("00-accepts", "right").correct


def sequential(*layers, length=12):
    import keras

    return keras.Sequential([keras.Input((length,), dtype="int32"), *layers], name="attempt")


def test_the_repair_hints_name_the_finding_still_there_and_never_its_fix():
    import keras

    L = keras.layers
    attempts = {
        "pool-over-features": [L.Embedding(30, 8), L.GlobalAveragePooling1D(data_format="channels_first"), L.Dense(1)],
        "padding-averaged": [L.Embedding(30, 8), L.GlobalAveragePooling1D(), L.Dense(1)],
        "flatten-tokens": [L.Embedding(30, 8), L.Flatten(), L.Dense(1)],
    }
    for code, layers in attempts.items():
        message = evaluate("07-repair", sequential(*layers)).message
        assert message.startswith(f"Not quite. The report still finds {code} at layer"), message
        assert "mask_zero" not in message and "channels_last" not in message and "data_format" not in message


def test_the_repair_keeps_the_table_and_the_output():
    import keras

    L = keras.layers
    smaller = evaluate(
        "07-repair", sequential(L.Embedding(30, 4, mask_zero=True), L.GlobalAveragePooling1D(), L.Dense(1))
    )
    assert "Keep the Embedding(30, 8)" in smaller.message
    two = evaluate("07-repair", sequential(L.Embedding(30, 8, mask_zero=True), L.GlobalAveragePooling1D(), L.Dense(2)))
    assert "one number per sentence" in two.message and "(None, 2)" in two.message
    other_length = evaluate(
        "07-repair", sequential(L.Embedding(30, 8), L.GlobalAveragePooling1D(), L.Dense(1), length=10)
    )
    assert "cannot read this model with data['ids']" in other_length.message
    recurrent = sequential(L.Embedding(30, 8, mask_zero=True), L.LSTM(4), L.Dense(1))  # clean, but averages nothing
    assert "no layer of this model averages the tokens" in evaluate("07-repair", recurrent).message


def test_the_repair_is_judged_by_what_the_model_does_not_by_the_codes_it_lacks():
    """A Lambda averaging each token's features is no repair; one averaging the real tokens is (run it to see)."""
    import keras

    L, ops = keras.layers, keras.ops
    features = sequential(L.Embedding(30, 8), L.Lambda(lambda t: ops.mean(t, axis=-1)), L.Dense(1))
    verdict = evaluate("07-repair", features)
    assert not verdict.correct and "reduce-over-features" in verdict.message

    class MaskedMean(L.Layer):  # a layer of one's own that averages the real tokens
        def call(self, x, mask=None):
            keep = ops.expand_dims(ops.cast(mask, x.dtype), -1)
            return ops.sum(x * keep, axis=1) / ops.sum(keep, axis=1)

        def compute_mask(self, x, mask=None):
            return None

    own = sequential(L.Embedding(30, 8, mask_zero=True), MaskedMean(), L.Dense(1))
    ids = exercise_inputs("07-repair")["ids"]
    table = np.asarray(own.layers[0].embeddings)
    real = ids != 0
    pooled = keras.Model(own.inputs[0], own.layers[1].output)(ids)
    assert np.allclose(pooled, (table[ids] * real[..., None]).sum(1) / real.sum(1, keepdims=True), atol=1e-6)
    assert evaluate("07-repair", own).correct


@pytest.mark.filterwarnings("ignore::UserWarning")  # Keras warns about the masks these attempts drop
def test_the_repair_hints_name_layers_the_model_has():
    import keras

    L = keras.layers
    for layers, layer in [
        ([L.Embedding(30, 8, mask_zero=True, name="embedding"), L.GlobalMaxPooling1D(name="max"), L.Dense(1)], "max"),
        ([L.Embedding(30, 8, mask_zero=True, name="embedding"), L.Flatten(name="flat"), L.Dense(1)], "flat"),
    ]:
        message = evaluate("07-repair", sequential(*layers)).message
        named = re.findall(r"[Ll]ayer '([^']+)'", message)
        assert named and set(named) == {layer}, message


def test_the_report_codes_hints():
    assert "wrong order" in evaluate("07-report-codes", ("pool-over-features", "mask-dropped")).message
    assert "Follow the mask" in evaluate("07-report-codes", ("pool-over-features",)).message
    assert "Which axis" in evaluate("07-report-codes", ("mask-dropped",)).message
    assert (
        "does not find mask-axis-mismatch"
        in evaluate("07-report-codes", ("mask-dropped", "pool-over-features", "mask-axis-mismatch")).message
    )
    assert "not a code of the inspector" in evaluate("07-report-codes", ("mask_dropped", "pool-over-features")).message
    assert "(code,)" in evaluate("07-report-codes", "mask-dropped").message
