"""kata.raises: a message koan's answer must name part of the message, and a wrong one is shown where it was written."""

import traceback

import pytest

from kata import BlankError, __, raises
from kata.messages import MatchesAnything


def fail(message):
    raise RuntimeError(message)


def test_an_unfilled_pattern_is_a_blank():
    with pytest.raises(BlankError, match="match=__"), raises(RuntimeError, match=__):
        fail("one of the variables needed for gradient computation has been modified")


@pytest.mark.parametrize("pattern", ["", ".*", "(?:)", "x?", ".", r"\S|\s", "[\\s\\S]"])
def test_a_pattern_that_matches_any_message_never_passes(pattern):
    with pytest.raises(MatchesAnything, match="would match any message"), raises(RuntimeError, match=pattern):
        fail("is at version 1; expected version 0")


@pytest.mark.parametrize("answer", [None, 0, b"version"])
def test_a_non_string_answer_is_refused(answer):
    with pytest.raises(MatchesAnything, match="as a string"), raises(RuntimeError, match=answer):
        fail("is at version 1; expected version 0")


def test_a_matching_part_of_the_message_passes_and_gives_the_exception_info():
    with raises(RuntimeError, match=r"version 1") as info:
        fail("is at version 1; expected version 0")
    assert info.type is RuntimeError


def test_a_wrong_pattern_is_reported_at_the_with_line_with_the_message():
    here = test_a_wrong_pattern_is_reported_at_the_with_line_with_the_message.__code__
    # Nested on purpose: the inner `with` is the line the learner wrote, the one the traceback must name.
    with pytest.raises(AssertionError) as info:  # noqa: SIM117
        with raises(RuntimeError, match="version 2"):  # the line the learner wrote
            fail("is at version 1; expected version 0")
    frames = [f for f in traceback.extract_tb(info.tb) if f.name == here.co_name]
    assert [f.line for f in frames] == ['with raises(RuntimeError, match="version 2"):  # the line the learner wrote']
    assert "'version 2' is not in the message of RuntimeError:\nis at version 1; expected version 0" in str(info.value)


def test_a_wrong_type_and_no_exception_fail_as_with_pytest_raises():
    with pytest.raises(ValueError), raises(RuntimeError, match="x"):
        raise ValueError("x")
    with pytest.raises(pytest.fail.Exception, match="DID NOT RAISE"), raises(RuntimeError, match="x"):
        pass


def test_warns_refuses_a_match_anything_pattern_and_finds_the_message():
    import warnings

    from kata import warns

    with pytest.raises(MatchesAnything), warns(UserWarning, match=".*"):
        warnings.warn("the backward hook fires twice", UserWarning, stacklevel=1)
    with warns(UserWarning, match="fires twice"):
        warnings.warn("the backward hook fires twice", UserWarning, stacklevel=1)
    with pytest.raises(AssertionError, match="is in no message"), warns(UserWarning, match="fires once"):
        warnings.warn("the backward hook fires twice", UserWarning, stacklevel=1)
    with pytest.raises(BlankError):
        warns(UserWarning, match=__)
