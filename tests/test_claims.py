"""A claim prints 'holds:' exactly when its count meets its quantifier, and its words say that quantifier."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from embedpool_utils.experiments import claims

NICE_SHARES = [Fraction(1, 4), Fraction(1, 3), Fraction(1, 2), Fraction(2, 3), Fraction(3, 4), Fraction(9, 10)]


def test_lines_read_holds_or_fails_with_the_count():
    assert str(claims.every("it works", np.array([True, True]))) == "holds: it works, in every run (2 of 2 runs)"
    assert str(claims.every("it works", [True, False])) == "FAILS: it works, in every run (1 of 2 runs)"
    assert str(claims.no("it breaks", [False, False, False])) == "holds: it breaks, in no run (0 of 3 runs)"
    assert str(claims.some("it shines", [False, True])) == "holds: it shines, in at least one run (1 of 2 runs)"
    assert str(claims.some("it shines", [False])) == "FAILS: it shines, in at least one run (0 of 1 run)"
    assert str(claims.every("it moved less", [True] * 4, unit="weight")) == (
        "holds: it moved less, for every weight (4 of 4 weights)"
    )


@given(flags=st.lists(st.booleans(), min_size=1, max_size=40), low=st.sampled_from(NICE_SHARES))
def test_share_holds_when_the_share_of_true_flags_is_at_least_the_bound(flags, low):
    verdict = claims.share("x", flags, at_least=float(low))
    assert verdict.holds == (Fraction(sum(flags), len(flags)) >= low)
    assert str(verdict).endswith(f"({sum(flags)} of {len(flags)} run{'s' if len(flags) != 1 else ''})")


@given(flags=st.lists(st.booleans(), min_size=1, max_size=40), high=st.sampled_from(NICE_SHARES))
def test_share_holds_when_the_share_of_true_flags_is_at_most_the_bound(flags, high):
    assert claims.share("x", flags, at_most=float(high)).holds == (Fraction(sum(flags), len(flags)) <= high)


def test_share_says_its_bounds_in_words():
    assert claims.share("x", [True] * 3, at_least=2 / 3).sentence == "x, in at least two thirds of the runs"
    assert claims.share("x", [True], at_most=1 / 2).sentence == "x, in at most half of the runs"
    assert claims.share("x", [True], at_least=0.1, at_most=0.9).sentence == "x, in 10% to 90% of the runs"
    assert claims.share("x", [True], at_least=0.9, unit="shuffle").sentence == "x, for at least 90% of the shuffles"


def test_measure_compares_one_number_with_its_bounds():
    assert str(claims.measure("r is above 0.5", 0.86, above=0.5, shown="0.86")) == "holds: r is above 0.5 (0.86)"
    assert not claims.measure("r is below 0.5", 0.86, below=0.5, shown="0.86").holds
    assert not claims.measure("r is above 0.5", float("nan"), above=0.5, shown="nan").holds


def test_bad_claims_are_refused_with_what_was_expected():
    with pytest.raises(ValueError, match="array of True/False"):
        claims.every("x", [1, 0])
    with pytest.raises(ValueError, match="non-empty 1-d"):
        claims.every("x", np.zeros((2, 2), bool))
    with pytest.raises(ValueError, match="needs its words"):
        claims.every(" ", [True])
    with pytest.raises(ValueError, match="at least one bound"):
        claims.share("x", [True])
    with pytest.raises(ValueError, match="needs a bound"):
        claims.measure("x", 1.0, shown="1")
