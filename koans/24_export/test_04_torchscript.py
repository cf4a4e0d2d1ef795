"""TorchScript, the deprecated predecessor of torch.export: tracing versus scripting."""

import io

import pytest
import torch

from kata import __


def branchy(x):
    if x.sum() > 0:
        return x + 1
    return x - 1


def test_torchscript_is_deprecated():
    """TorchScript (torch.jit.trace, torch.jit.script) is deprecated in favour of torch.compile and torch.export, and calling it emits a warning of the standard category for deprecated APIs.

    Hint: a subclass of Warning named for deprecation.
    """
    with pytest.warns(Warning, match="deprecated") as record:
        torch.jit.trace(lambda x: x * 2, (torch.ones(2),))
    assert __ in [warning.category for warning in record]


def test_trace_bakes_in_the_branch_it_saw():
    """torch.jit.trace records only the ops that ran for the example input, so a Python branch is frozen the way it went that time (with a TracerWarning).

    Hint: it was traced with a positive sum; the call has a negative one.
    """
    with pytest.warns(Warning):
        traced = torch.jit.trace(branchy, (torch.ones(2),))
    assert traced(torch.tensor([-1.0, -2.0])).tolist() == __


def test_script_keeps_the_branch():
    """torch.jit.script compiles the Python source, so the `if` survives and is decided on every call.

    Hint: negative sum, so the else path.
    """
    with pytest.warns(DeprecationWarning):
        scripted = torch.jit.script(branchy)
    assert scripted(torch.tensor([-1.0, -2.0])).tolist() == __


def test_graph_and_code_show_what_was_captured():
    """A TorchScript function's .graph is its IR and .code is Python-like source regenerated from it; a scripted `if` is a prim::If node, while a trace holds only the ops that ran.

    Hint: count the branches each one kept.
    """
    with pytest.warns(DeprecationWarning):
        scripted = torch.jit.script(branchy)
    with pytest.warns(Warning):
        traced = torch.jit.trace(branchy, (torch.ones(2),))
    assert str(scripted.graph).count("prim::If") == __
    assert traced.code.count("if") == __


def test_scripted_code_round_trips_through_save_and_load():
    """torch.jit.save serializes a scripted function with its code; torch.jit.load returns a ScriptModule that still branches.

    Hint: positive sum this time.
    """
    with pytest.warns(DeprecationWarning):
        scripted = torch.jit.script(branchy)
    buffer = io.BytesIO()
    with pytest.warns(DeprecationWarning):
        torch.jit.save(scripted, buffer)
    buffer.seek(0)
    with pytest.warns(DeprecationWarning):
        loaded = torch.jit.load(buffer)
    assert loaded(torch.tensor([1.0, 2.0])).tolist() == __
