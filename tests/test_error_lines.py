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


def test_an_error_keras_wraps_in_a_call_header_shows_its_own_message_and_where_it_was_raised():
    # As Keras 3 words it when a layer's call fails: a header, the real error in bold (ANSI), then the arguments.
    wrapped = ValueError(
        "Exception encountered when calling GlobalAveragePooling1D.call().\n\n"
        "\x1b[1mIncompatible shapes for broadcasting: shapes=[(2, 1, 10), (2, 10, 7), ()]\x1b[0m\n\n"
        "Arguments received by GlobalAveragePooling1D.call():\n  • inputs=jnp.ndarray(shape=(2, 10, 7))"
    )
    assert error_line(wrapped) == (
        "ValueError: Incompatible shapes for broadcasting: shapes=[(2, 1, 10), (2, 10, 7), ()] "
        "(raised in GlobalAveragePooling1D.call())"
    )
    # a header alone, or the whole message asked for, is left as it is (without the ANSI codes)
    assert error_line(ValueError("Exception encountered when calling X.call().")) == (
        "ValueError: Exception encountered when calling X.call()."
    )
    assert "\x1b" not in error_line(wrapped, first_line_only=False)
