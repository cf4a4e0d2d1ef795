"""A lesson file that fails to import: reported once, as its file:line and the cause, and the rest still runs."""

from __future__ import annotations

import pytest

MISSING_MODULE = '''
    """A lesson whose import fails."""
    import no_such_module_for_kata

    from kata import __


    def test_it():
        """It.

        Hint: none.
        """
        assert 1 == __
'''

FAILS_IN_A_HELPER = '''
    """A lesson whose module-level code fails inside a helper."""
    from kata import __


    def table():
        return {}["missing"]


    TABLE = table()


    def test_it():
        """It.

        Hint: none.
        """
        assert TABLE == __
'''


@pytest.fixture
def run(kata, koan_source, pytester):
    """`pytest koans` over a broken lesson in 01_broken and a solved one in 02_fine."""
    _, solution = koan_source
    kata.lesson("koans", "02_fine", "test_01_fine.py", solution)

    def go(broken: str) -> tuple[pytest.RunResult, str]:
        kata.lesson("koans", "01_broken", "test_01_broken.py", broken)
        result = pytester.runpytest_subprocess("koans")
        return result, result.stdout.str() + result.stderr.str()

    return go


def test_an_import_error_is_reported_once_with_the_file_line_and_the_cause(run):
    result, out = run(MISSING_MODULE)
    block = (
        "  koans/01_broken/test_01_broken.py:2: ModuleNotFoundError: No module named 'no_such_module_for_kata'\n"
        "    import no_such_module_for_kata\n"
        "  The other lessons still run.\n"
    )
    assert out.count(block) == 1
    assert out.count("no_such_module_for_kata'") == 1  # no summary line or traceback repeating it
    assert "Traceback" not in out
    assert "_pytest" not in out  # none of pytest's own frames
    result.assert_outcomes(passed=2, errors=1)


def test_an_error_inside_a_helper_is_placed_at_the_deepest_line_of_the_lesson(run):
    result, out = run(FAILS_IN_A_HELPER)
    block = (
        "  koans/01_broken/test_01_broken.py:6: KeyError: 'missing'\n"
        '    return {}["missing"]\n'
        "  The other lessons still run.\n"
    )
    assert out.count(block) == 1
    assert out.count("KeyError") == 1
    result.assert_outcomes(passed=2, errors=1)
