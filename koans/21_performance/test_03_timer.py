"""torch.utils.benchmark.Timer: what it runs, how often, with how many threads, and what its Measurement holds."""

import pytest
import torch
from torch.utils.benchmark import Timer

from kata import __


def test_timer_accepts_only_a_string_statement():
    """Timer compiles its statement like timeit does, so stmt must be source code in a string; a
    callable is refused with a ValueError saying only a `str` stmt is supported.

    Hint: the message quotes the type it wants.
    """
    with pytest.raises(ValueError, match=__):
        Timer(stmt=lambda: None)


def test_timer_puts_torch_in_the_statement_globals():
    """Timer copies the globals you pass and adds torch to them, so a statement can call torch
    without importing it.

    Hint: the statement sums two ones.
    """
    results = []
    Timer("results.append(torch.ones(2).sum().item())", globals={"results": results}).timeit(1)
    assert results[0] == __


def test_timeit_warms_up_before_measuring():
    """timeit(number) first runs the statement max(number // 100, 2) times as a warmup, then
    number times under the clock.

    Hint: number is 5 here.
    """
    calls = []
    Timer("calls.append(1)", globals={"calls": calls}).timeit(5)
    assert len(calls) == __


def test_timeit_measures_one_block():
    """timeit(number) returns a Measurement holding one raw time, the total for a block of number
    runs, and number_per_run records the block size.

    Hint: one block of 5 runs.
    """
    m = Timer("x + x", globals={"x": torch.ones(4)}).timeit(5)
    assert (m.number_per_run, len(m.raw_times)) == __


def test_measurement_times_are_per_run():
    """Measurement.times divides each raw block time by number_per_run, giving seconds per single
    run of the statement.

    Hint: the size of each timed block.
    """
    m = Timer("x + x", globals={"x": torch.ones(4)}).timeit(5)
    assert m.times[0] == m.raw_times[0] / __


def test_timer_runs_single_threaded_by_default():
    """Timer sets torch's intra-op thread count to its num_threads argument while it measures,
    and that argument defaults to 1, so results are comparable across machines.

    Hint: the statement records the thread count it sees.
    """
    seen = []
    Timer("seen.append(torch.get_num_threads())", globals={"seen": seen}).timeit(3)
    assert set(seen) == __


def test_timer_restores_the_thread_count_afterwards():
    """The thread count Timer sets applies only during the measurement; afterwards torch's own
    setting is back.

    Hint: compare with the count read before the measurement.
    """
    before = torch.get_num_threads()
    Timer("x + x", globals={"x": torch.ones(4)}, num_threads=1).timeit(3)
    assert (torch.get_num_threads() == before) == __


def test_blocked_autorange_runs_for_at_least_min_run_time():
    """blocked_autorange picks a block size, then keeps timing blocks until the raw times add up
    to at least min_run_time seconds.

    Hint: the loop stops only once the total reaches min_run_time.
    """
    m = Timer("x + x", globals={"x": torch.ones(4)}).blocked_autorange(min_run_time=0.01)
    assert (sum(m.raw_times) >= 0.01) == __
