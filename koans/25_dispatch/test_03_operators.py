"""Operators: torch.ops.aten, overload packets, overloads and their schemas."""

import torch

from kata import __


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

    Hint: alpha multiplies `other`, not the sum.
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

