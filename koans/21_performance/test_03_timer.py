"""torch.utils.benchmark.Timer: what it runs, how often, with how many threads, and what its Measurement holds."""

import torch
from torch.utils.benchmark import Timer

from kata import __, raises


def test_timer_accepts_only_a_string_statement():
    """Timer compiles its statement like timeit does, so stmt must be source code; a callable is refused with a ValueError naming the one kind of stmt that is supported.

    Hint: the message quotes the type it wants, in backticks.
    """
    with raises(ValueError, match=__):
        Timer(stmt=lambda: None)


def test_timeit_warms_up_before_measuring():
    """Timer copies the globals you pass and adds torch to them, so a statement can call torch without importing it; timeit(number) first runs the statement max(number // 100, 2) times as a warmup, then number times under the clock.

    Hint: the warmup is at least two runs, more only for large numbers.
    """
    results = []
    Timer("results.append(torch.ones(2).sum().item())", globals={"results": results}).timeit(1)
    calls = []
    Timer("calls.append(1)", globals={"calls": calls}).timeit(300)
    assert results == __
    assert len(calls) == __


def test_timeit_measures_one_block():
    """timeit(number) returns a Measurement holding one raw time, the total for a block of number runs; number_per_run records the block size, and Measurement.times divides each raw block time by it, giving seconds per single run.

    Hint: how many blocks does one timeit call time?
    """
    m = Timer("x + x", globals={"x": torch.ones(4)}).timeit(50)
    assert (m.number_per_run, len(m.raw_times)) == __
    assert m.times == [m.raw_times[0] / m.number_per_run]


def test_timer_sets_the_thread_count_only_while_it_measures():
    """Timer sets torch's intra-op thread count to its num_threads argument while it measures, and that argument defaults to a single thread so that results are comparable across machines; afterwards torch's own setting is back.

    Hint: the statement records the thread count it sees; compare the count after the measurement with the one before.
    """
    before = torch.get_num_threads()
    seen = []
    Timer("seen.append(torch.get_num_threads())", globals={"seen": seen}).timeit(3)
    assert (set(seen), torch.get_num_threads() == before) == __


def test_blocked_autorange_runs_for_at_least_min_run_time():
    """blocked_autorange picks a block size, then keeps timing blocks of that many runs until the raw times add up to at least min_run_time seconds; like timeit, its Measurement turns each raw block time into a time per run.

    Hint: which attribute of the Measurement holds the block size it chose?
    """
    m = Timer("x + x", globals={"x": torch.ones(4)}).blocked_autorange(min_run_time=0.01)
    assert sum(m.raw_times) >= 0.01
    assert m.times == [raw / __ for raw in m.raw_times]
