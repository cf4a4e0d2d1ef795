"""Saving and loading exported programs with torch.export.save and torch.export.load."""

import io

import torch
from torch.export import ExportedProgram, export

from kata import __


class AddBias(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.bias = torch.nn.Parameter(torch.tensor([10.0, 20.0]))

    def forward(self, x):
        return x + self.bias


def round_trip(ep):
    buffer = io.BytesIO()
    torch.export.save(ep, buffer)
    buffer.seek(0)
    return torch.export.load(buffer)


def test_saved_program_loads_as_an_exported_program():
    """torch.export.save writes the graph, signature and state_dict into one file-like archive, and torch.export.load reads back an ExportedProgram.

    Hint: the same class that export returns.
    """
    loaded = round_trip(export(AddBias(), (torch.zeros(2),)))
    assert isinstance(loaded, ExportedProgram)


def test_loaded_program_computes_the_same_values():
    """The loaded program needs no Python source of the original module: its graph and weights came from the archive.

    Hint: x + [10, 20].
    """
    loaded = round_trip(export(AddBias(), (torch.zeros(2),)))
    assert loaded.module()(torch.tensor([1.0, 2.0])).tolist() == [11.0, 22.0]


def test_loaded_program_keeps_the_weights():
    """The archive carries the state_dict, so parameters come back under their original keys.

    Hint: the parameter's attribute name.
    """
    loaded = round_trip(export(AddBias(), (torch.zeros(2),)))
    assert list(loaded.state_dict) == ["bias"]


def test_unlifted_module_has_the_parameters_back():
    """ep.module() puts lifted parameters back on a GraphModule, so named_parameters works as on the original.

    Hint: one parameter, named as in the original module.
    """
    module = export(AddBias(), (torch.zeros(2),)).module()
    assert [name for name, _ in module.named_parameters()] == ["bias"]
