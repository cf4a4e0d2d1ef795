"""Dispatch key sets: what a tensor carries decides which kernels run for it, and why inference_mode is cheaper than no_grad."""

import torch
from torch._subclasses.fake_tensor import FakeTensorMode

from kata import __, raises

DispatchKey = torch._C.DispatchKey
NAMES = ["CPU", "Meta", "Python", "ADInplaceOrView", "AutogradCPU", "AutogradMeta"]


def key_names(t):
    """The keys of t, among a few worth knowing, in the order of NAMES."""
    keys = torch._C._dispatch_keys(t)
    return [name for name in NAMES if keys.has(getattr(DispatchKey, name))]


class Plain(torch.Tensor):
    """A subclass that only inherits __torch_function__."""


def test_an_ordinary_tensor_carries_autograd_and_view_keys():
    """An ordinary tensor's key set has its backend key plus the keys of the layers above it: ADInplaceOrView (bumps version counters and records views) and the autograd key of its backend; the dispatcher runs the highest one first, and each layer calls down to the next.

    Hint: a CPU tensor that is neither fake nor a subclass.
    """
    assert key_names(torch.ones(2)) == __


def test_the_autograd_key_is_per_backend():
    """The autograd key is named after the backend it sits above, so a tensor on another device carries another autograd key with the same layers.

    Hint: the meta device has a backend key of its own.
    """
    assert key_names(torch.ones(2, device="meta")) == __


def test_requires_grad_is_not_a_key():
    """requires_grad is a flag the autograd kernel reads at run time, not a key, so flipping it changes nothing in the set.

    Hint: list the keys in one set but not the other.
    """
    plain = key_names(torch.ones(2))
    tracked = key_names(torch.ones(2, requires_grad=True))
    assert [k for k in tracked if k not in plain] == __


def test_an_inference_tensor_skips_two_layers():
    """A tensor created under torch.inference_mode() is an inference tensor: it is made without the autograd and ADInplaceOrView keys, so its ops go straight to the backend kernel, even after the mode is left.

    Hint: one of the three keys of an ordinary CPU tensor remains.
    """
    with torch.inference_mode():
        t = torch.ones(2)
    assert key_names(t) == __
    assert key_names(t * 1) == __


def test_no_grad_changes_no_key_but_inference_mode_does():
    """no_grad only flips the thread-local grad mode flag that the autograd kernel checks on every op, so the autograd layer still runs; inference_mode also adds the autograd keys to the thread-local exclude set, so the dispatcher skips that layer entirely.

    Hint: compare each mode's exclude set with the one outside any mode.
    """
    outside = torch._C._dispatch_tls_local_exclude_set()
    with torch.no_grad():
        no_grad_same = torch._C._dispatch_tls_local_exclude_set() == outside
    with torch.inference_mode():
        inference_same = torch._C._dispatch_tls_local_exclude_set() == outside
    assert (no_grad_same, inference_same) == __


def test_without_the_view_layer_there_is_no_version_counter():
    """Version counters are bumped by the ADInplaceOrView layer, which an inference tensor lacks, so it has no counter at all and asking for one raises.

    Hint: the message says what inference tensors do not do.
    """
    with torch.inference_mode():
        t = torch.ones(2)
    with raises(RuntimeError, match=__):
        t._version


def test_only_a_dispatch_subclass_carries_the_python_key():
    """The Python key sends every aten call on a tensor back to its class's __torch_dispatch__; a subclass that only has __torch_function__ works above the dispatcher and does not carry it, while FakeTensor does.

    Hint: keep the names whose tensor is handled by __torch_dispatch__.
    """
    tensors = {
        "plain": torch.ones(2),
        "subclass": torch.ones(2).as_subclass(Plain),
        "fake": FakeTensorMode().from_tensor(torch.ones(2)),
    }
    assert [name for name, t in tensors.items() if "Python" in key_names(t)] == __
