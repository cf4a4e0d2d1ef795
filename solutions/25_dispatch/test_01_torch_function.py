"""__torch_function__: the Python-level hook every torch API call goes through."""

import torch
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode

from kata import __


class Logged(torch.Tensor):
    """A tensor subclass that notes the name of every torch function called on it."""

    log = []

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        cls.log.append(func.__name__)
        return super().__torch_function__(func, types, args, kwargs or {})


class Plain(torch.Tensor):
    """A tensor subclass with the default __torch_function__."""


class Answer42:
    """Not a tensor at all, yet torch functions hand themselves over to it."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return 42


class FunctionLog(TorchFunctionMode):
    def __init__(self):
        super().__init__()
        self.funcs = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        self.funcs.append(func)
        return func(*args, **(kwargs or {}))


def test_subclass_sees_the_api_call():
    """Before torch runs a function on a tensor subclass, it calls the subclass's __torch_function__ with the public function that was called.

    Hint: Logged records func.__name__.
    """
    t = torch.tensor([1.0, 2.0]).as_subclass(Logged)
    Logged.log.clear()
    torch.add(t, 1)
    assert Logged.log == ["add"]


def test_results_keep_the_subclass():
    """The default torch.Tensor.__torch_function__ wraps tensor results in the subclass of the input.

    Hint: the class that Plain inherits from is not the answer.
    """
    t = torch.ones(2).as_subclass(Plain)
    assert type(t.sum()) is Plain


def test_subclass_wins_in_either_position():
    """When a plain tensor and a subclass meet in one op, the subclass's __torch_function__ handles it and the result has the subclass type, whichever operand comes first.

    Hint: the subclass is the second operand here.
    """
    t = torch.ones(2).as_subclass(Plain)
    assert type(torch.ones(2) + t) is Plain


def test_as_subclass_shares_memory():
    """t.as_subclass(cls) reinterprets the same tensor as another class without copying its data.

    Hint: an in-place add through the subclass writes into base's memory.
    """
    base = torch.tensor([1.0, 2.0])
    viewed = base.as_subclass(Plain)
    viewed.add_(10)
    assert base.tolist() == [11.0, 12.0]


def test_any_object_can_take_over_a_torch_function():
    """Any argument whose type defines __torch_function__, even a non-tensor, gets to handle the call and its return value is the call's result.

    Hint: look at what Answer42.__torch_function__ returns.
    """
    assert torch.add(Answer42(), 1) == 42


def test_function_mode_sees_calls_on_plain_tensors():
    """A TorchFunctionMode used as a context manager intercepts torch API calls on ordinary tensors too.

    Hint: F.linear is one public call; the mode sees it before it is broken into smaller ops.
    """
    x, w = torch.ones(2, 3), torch.ones(4, 3)
    with FunctionLog() as mode:
        F.linear(x, w)
    assert [func.__name__ for func in mode.funcs] == ["linear"]


def test_function_mode_can_change_the_call():
    """A mode's __torch_function__ may call a different function than the one it was given.

    Hint: the result must be 5 - 2.
    """

    class AddIsSub(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            if func is torch.add:
                func = torch.sub
            return func(*args, **(kwargs or {}))

    with AddIsSub():
        out = torch.add(torch.tensor([5]), 2)
    assert out.tolist() == [3]


def test_function_mode_only_matches_the_function_it_names():
    """torch.add and the method Tensor.add are different Python callables, so a mode that checks `func is torch.add` leaves the method call alone.

    Hint: the method call is not swapped.
    """

    class AddIsSub(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            if func is torch.add:
                func = torch.sub
            return func(*args, **(kwargs or {}))

    with AddIsSub():
        out = torch.tensor([5]).add(2)
    assert out.tolist() == [7]
