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
        bool,
        len,
        iter,
        hash,
        int,
        float,
        abs,
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

    def use_it_under_except_exception() -> None:
        try:
            bool(__)
        except Exception:  # noqa: BLE001 - the point of the test
            pytest.fail("BlankError was caught as an Exception")

    with pytest.raises(BlankError):
        use_it_under_except_exception()


def test_torch_refuses_the_blank_as_dtype_shape_and_device():
    torch = pytest.importorskip("torch")
    for use in (lambda: torch.zeros(2, dtype=__), lambda: torch.zeros(2).view(__), lambda: torch.device(__)):
        with pytest.raises(TypeError):
            use()


def test_the_blank_is_one_object_that_pickles_to_itself():
    assert type(__)() is __
    assert pickle.loads(pickle.dumps(__)) is __
    assert repr(__) == "__"


# -- tools inspect the blank as they would any object that lacks an attribute ----------


def test_private_and_dunder_names_are_missing_public_ones_are_a_use():
    assert getattr(__, "_mock_name", None) is None  # pytest >= 9.2's fixture probe
    assert not hasattr(__, "_repr_html_")  # IPython's rich display probe
    assert not hasattr(__, "__wrapped__")  # inspect.unwrap, doctest
    with pytest.raises(BlankError, match=r"\.shape"):
        hasattr(__, "shape")


def test_pytest_collects_a_module_that_imports_the_blank(kata, pytester):
    # The real collector of the pytest installed here (9.2 probed `_mock_name`
    # on every module-level object), not a simulation of its probes.
    kata.lesson(
        "koans",
        "01_arith",
        "test_01_blank.py",
        """
        from kata import __

        def test_compares_with_the_blank():
            assert not (1 == __)
    """,
    )
    result = pytester.runpytest_subprocess("koans/01_arith")
    result.assert_outcomes(passed=1)


def test_inspect_mock_and_completion_walk_the_blank():
    import inspect
    import rlcompleter
    from unittest import mock

    names = dict(inspect.getmembers(__))
    assert names["__class__"] is type(__)
    spec = mock.create_autospec(__, instance=True)
    with pytest.raises(AttributeError):
        _ = spec.shape  # the spec has only the blank's own names
    completer = rlcompleter.Completer({"__": __})
    assert completer.complete("__.__rep", 0) == "__.__repr__()"


def test_copy_pickle_and_pydoc_treat_the_blank_as_an_ordinary_object():
    import copy
    import pydoc

    assert copy.copy(__) is __
    assert copy.deepcopy([__])[0] is __
    assert pickle.loads(pickle.dumps(__, protocol=pickle.HIGHEST_PROTOCOL)) is __
    assert "Blank" in pydoc.render_doc(__)


def test_doctest_finds_the_examples_of_a_module_holding_the_blank():
    import doctest
    import types

    module = types.ModuleType("lesson_with_blank", "A lesson.\n\n>>> 1 + 1\n2\n")
    module.__ = __
    tests = doctest.DocTestFinder().find(module)
    assert [len(t.examples) for t in tests] == [1]
    assert doctest.DocTestRunner().run(tests[0]).failed == 0


def test_a_debugger_can_show_the_blank_in_a_frame():
    import io
    import pdb

    out = io.StringIO()
    # `p`, `pp` and `display` are what an IDE's variable view does with a local.
    debugger = pdb.Pdb(stdin=io.StringIO("p b\npp b\ndisplay b\nwhatis b\nc\n"), stdout=out)
    debugger.runcall(lambda b=__: b)
    shown = out.getvalue()
    assert shown.count("(Pdb) __") >= 2 and "Error" not in shown and "Blank" in shown
