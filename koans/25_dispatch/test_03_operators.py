"""Operators and dispatch keys: torch.ops.aten, overloads, schemas, and how the dispatcher picks a kernel."""

import torch
from torch._subclasses.fake_tensor import FakeTensorMode

from kata import __

DispatchKey = torch._C.DispatchKey


def test_overload_has_a_qualified_name():
    """torch.ops.aten.add is a packet of overloads; torch.ops.aten.add.Tensor is one of them, named namespace::op.overload.

    Hint: two colons, one dot.
    """
    assert torch.ops.aten.add.Tensor.name() == __


def test_schema_lists_the_arguments():
    """Each overload carries a schema; its arguments have the names the C++ signature declares, starting with self.

    Hint: the docs write torch.add(input, other, *, alpha=1); the schema renames only the first argument.
    """
    schema = torch.ops.aten.add.Tensor._schema
    assert [arg.name for arg in schema.arguments] == __


def test_alpha_is_keyword_only():
    """Arguments after `*` in a schema are keyword-only, and alpha scales `other` before the add.

    Hint: 1 + 3 * 2.
    """
    schema = torch.ops.aten.add.Tensor._schema
    assert schema.arguments[2].kwarg_only is __
    assert torch.ops.aten.add(torch.tensor([1]), torch.tensor([2]), alpha=3).tolist() == __


def test_inplace_schema_is_mutable():
    """An in-place operator's schema marks self as written to (Tensor(a!)), and schema.is_mutable reports it.

    Hint: add_ writes into self; add does not.
    """
    assert torch.ops.aten.add_.Tensor._schema.is_mutable is __
    assert torch.ops.aten.add.Tensor._schema.is_mutable is __


def test_default_overload_has_an_empty_name():
    """An operator's plain functional overload has no overload name in its schema (aten::relu(Tensor self) -> Tensor, not aten::relu.default); Python exposes it as the attribute `.default`.

    Hint: "default" is the Python attribute, not the schema's overload name.
    """
    assert torch.ops.aten.relu.default._schema.overload_name == __


def test_cpu_tensor_has_the_cpu_key():
    """torch._C._dispatch_keys(t) is the set of dispatch keys the dispatcher walks for t; a CPU tensor's backend key is CPU.

    Hint: a member of torch._C.DispatchKey.
    """
    keys = torch._C._dispatch_keys(torch.ones(2))
    assert keys.has(__) is True


def test_meta_tensor_has_the_meta_key():
    """A tensor on the meta device dispatches to the Meta backend, which computes output shapes and dtypes only.

    Hint: the key is named after the device.
    """
    keys = torch._C._dispatch_keys(torch.ones(2, device="meta"))
    assert keys.has(__) is True


def test_requires_grad_does_not_change_the_keys():
    """Every ordinary tensor already carries the Autograd key, whether or not it requires grad; the autograd kernel decides at run time whether to record.

    Hint: compare the two sets.
    """
    plain = torch._C._dispatch_keys(torch.ones(2))
    tracked = torch._C._dispatch_keys(torch.ones(2, requires_grad=True))
    assert (plain == tracked) is __


def test_fake_tensors_carry_the_python_key():
    """Tensors that route ops back to Python, such as FakeTensors, carry the Python dispatch key.

    Hint: that key is what makes __torch_dispatch__ run.
    """
    mode = FakeTensorMode()
    fake = mode.from_tensor(torch.ones(2))
    assert torch._C._dispatch_keys(fake).has(__) is True
    assert torch._C._dispatch_keys(torch.ones(2)).has(DispatchKey.Python) is __
