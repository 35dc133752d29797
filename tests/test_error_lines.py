"""The one-line error display that notebooks use to demonstrate a failure without a traceback."""

import pytest

from embedpool_utils.error_lines import ExpectedErrorMissing, error_line, expect_error


def test_error_line_names_the_type_and_keeps_the_first_line():
    error = ValueError("Cannot do that.\n\nArguments received:\n  x=tensor(...)")
    assert error_line(error) == "ValueError: Cannot do that."
    assert error_line(error, first_line_only=False) == "ValueError: Cannot do that. Arguments received: x=tensor(...)"


def test_error_line_without_a_message_is_just_the_type():
    assert error_line(StopIteration()) == "StopIteration"


def test_expect_error_prints_one_line_and_the_cell_goes_on(capsys):
    with expect_error(ZeroDivisionError):
        _ = 1 / 0
    assert capsys.readouterr().out == "ZeroDivisionError: division by zero\n"


def test_expect_error_raises_when_nothing_fails():
    with pytest.raises(ExpectedErrorMissing, match="expected to raise KeyError"), expect_error(KeyError):
        pass


def test_an_error_of_another_kind_propagates():
    with pytest.raises(TypeError), expect_error(ValueError):
        raise TypeError("not the one shown")
