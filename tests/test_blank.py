"""The blank never lets a koan pass: comparisons are false, every other use raises."""

import pickle

import pytest

from kata import BlankError, __


def test_equality_with_the_blank_is_false_both_ways():
    assert not (__ == 4)
    assert not (4 == __)
    assert not (__ != 4)
    assert not (4 != __)
    assert not ((1, 2) == __)
    assert not (__ == __.__class__())  # even with itself


@pytest.mark.parametrize(
    "use",
    [
        bool, len, iter, hash, int, float, abs,
        lambda b: b[0],
        lambda b: b(),
        lambda b: b + 1,
        lambda b: 1 + b,
        lambda b: 2 * b,
        lambda b: b @ b,
        lambda b: -b,
        lambda b: b < 1,
        lambda b: 1 in b,
        lambda b: {b},
        lambda b: b.shape,
        lambda b: [0, 1][b],
    ],
)
def test_every_other_use_raises_blank_error(use):
    with pytest.raises(BlankError, match="fill in the blank"):
        use(__)


def test_blank_error_escapes_except_exception():
    # A koan's pytest.raises(Exception) or torch's `except Exception` must not swallow it.
    assert not issubclass(BlankError, Exception)
    with pytest.raises(BlankError):
        try:
            bool(__)
        except Exception:  # noqa: BLE001 - the point of the test
            pytest.fail("BlankError was caught as an Exception")


def test_torch_refuses_the_blank_as_dtype_shape_and_device():
    torch = pytest.importorskip("torch")
    for use in (lambda: torch.zeros(2, dtype=__), lambda: torch.zeros(2).view(__),
                lambda: torch.device(__)):
        with pytest.raises(TypeError):
            use()


def test_the_blank_is_one_object_that_pickles_to_itself():
    assert type(__)() is __
    assert pickle.loads(pickle.dumps(__)) is __
    assert repr(__) == "__"
