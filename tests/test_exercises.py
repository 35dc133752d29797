"""Every exercise accepts its solution and rejects the classic wrong answers with a hint.

The solutions here are written independently of the registry: they are the
code a learner would type (the same as the notebooks' revealed solutions).
"""

import numpy as np
import pytest

from embedpool_utils import check, exercise_inputs
from embedpool_utils.exercises import EXERCISES, evaluate, exercise_ids

# exercise id -> function of the exercise's inputs that returns the right answer
SOLUTIONS = {
    "01-param-count": lambda inputs: 800,
    "01-lookup-rows": lambda d: d["table"][d["ids"]],
    "01-valid-ids": lambda d: np.array([0 <= i < 30 for i in d["ids"]]),
    "02-output-shape": lambda d: (32, 20, 64),
    "02-sentence-matrix": lambda d: np.stack([row for row in d["x"][1]]),
    "02-input-shape": lambda d: (10,),
    "03-sentence-vectors": lambda d: np.array([[row.sum() / len(row) for row in sentence.T] for sentence in d["x"]]),
    "03-masked-mean": lambda d: np.array(
        [d["table"][[i for i in sentence if i != 0]].mean(axis=0) for sentence in d["ids"]]
    ),
    "03-keepdims-shape": lambda d: (2, 1, 7),
    "04-channels-first-shape": lambda d: (8, 20),
    "04-row-means": lambda d: np.array([[d["table"][i].sum() / 7 for i in sentence] for sentence in d["ids"]]),
    "04-same-size-trap": lambda d: False,
    "05-dense-params": lambda d: 11,
    "05-forward": lambda d: np.array([
        1 / (1 + np.exp(-(np.mean([d["table"][i] for i in row if i], axis=0) @ d["kernel"][:, 0] + d["bias"][0])))
        for row in d["ids"]
    ]),
    "05-gradient-rows": lambda d: np.array(sorted({int(i) for i in d["ids"].ravel() if i != 0})),
    "06-bag-mean": lambda d: np.array([
        np.mean([d["table"][i] for i in bag if i != 0], axis=0) if any(i != 0 for i in bag) else np.zeros(4)
        for bag in np.split(d["indices"], d["offsets"][1:])
    ]),
    "06-torch-pool": lambda d: np.array([[sentence[:, e].mean() for e in range(5)] for sentence in d["x"]]),
    "06-dense-params": lambda d: 512,
}


def test_every_exercise_has_an_independent_solution_here():
    assert sorted(SOLUTIONS) == exercise_ids()


@pytest.mark.parametrize("exercise_id", sorted(SOLUTIONS))
def test_solution_is_accepted(exercise_id):
    verdict = evaluate(exercise_id, SOLUTIONS[exercise_id](exercise_inputs(exercise_id)))
    assert verdict.correct, verdict.message
    assert verdict.message.startswith("Correct")


@pytest.mark.parametrize(
    "exercise_id, index", [(e, i) for e in exercise_ids() for i in range(len(EXERCISES[e].mistakes))]
)
def test_registered_mistakes_are_rejected_with_their_hint(exercise_id, index):
    mistake = EXERCISES[exercise_id].mistakes[index]
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
    check("01-param-count", 800)
    assert capsys.readouterr().out == "Correct! (01-param-count)\n"
    check("01-param-count", 66)
    assert "multiply" in capsys.readouterr().out


def test_unknown_exercise_lists_the_known_ones():
    with pytest.raises(KeyError, match="01-param-count"):
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
