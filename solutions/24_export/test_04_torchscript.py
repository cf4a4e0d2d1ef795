"""TorchScript, the deprecated predecessor of torch.export: tracing versus scripting."""

import io

import pytest
import torch

from kata import __


def branchy(x):
    if x.sum() > 0:
        return x + 1
    return x - 1


def deprecated():
    """TorchScript's deprecation warning, caught by its message: its class changed between releases."""
    return pytest.warns(Warning, match="is deprecated")


def test_tracing_warns_when_a_tensor_decides_python_control_flow():
    """TorchScript is deprecated in favour of torch.compile and torch.export, and every torch.jit call says so (a DeprecationWarning up to torch 2.13, a FutureWarning from 2.14: catch it by its message, not its class). Tracing also warns for a reason of its own, with a warning class torch.jit defines: whenever the traced code turns a tensor into a Python value, because the trace can only keep the value it saw.

    Hint: the class lives in torch.jit and is named for the part of TorchScript that records ops as they run.
    """
    with pytest.warns(Warning) as record:
        torch.jit.trace(branchy, (torch.ones(2),))
    assert {w.category for w in record if "is deprecated" not in str(w.message)} == {torch.jit.TracerWarning}


def test_trace_bakes_in_the_branch_it_saw():
    """torch.jit.trace records only the ops that ran for the example input, so a Python branch is frozen the way it went that time (with a TracerWarning).

    Hint: it was traced with a positive sum; the call has a negative one.
    """
    with pytest.warns(Warning):
        traced = torch.jit.trace(branchy, (torch.ones(2),))
    assert traced(torch.tensor([-1.0, -2.0])).tolist() == [0.0, -1.0]


def test_script_keeps_the_branch():
    """torch.jit.script compiles the Python source, so the `if` survives and is decided on every call.

    Hint: negative sum, so the else path.
    """
    with deprecated():
        scripted = torch.jit.script(branchy)
    assert scripted(torch.tensor([-1.0, -2.0])).tolist() == [-2.0, -3.0]


def test_graph_and_code_show_what_was_captured():
    """A TorchScript function's .graph is its IR and .code is Python-like source regenerated from it; a scripted `if` is a prim::If node, while a trace holds only the ops that ran.

    Hint: count the branches each one kept.
    """
    with deprecated():
        scripted = torch.jit.script(branchy)
    with pytest.warns(Warning):
        traced = torch.jit.trace(branchy, (torch.ones(2),))
    assert str(scripted.graph).count("prim::If") == 1
    assert traced.code.count("if") == 0


def test_scripted_code_round_trips_through_save_and_load():
    """torch.jit.save serializes a scripted function with its code; torch.jit.load returns a ScriptModule that still branches.

    Hint: positive sum this time.
    """
    with deprecated():
        scripted = torch.jit.script(branchy)
    buffer = io.BytesIO()
    with deprecated():
        torch.jit.save(scripted, buffer)
    buffer.seek(0)
    with deprecated():
        loaded = torch.jit.load(buffer)
    assert loaded(torch.tensor([1.0, 2.0])).tolist() == [2.0, 3.0]
