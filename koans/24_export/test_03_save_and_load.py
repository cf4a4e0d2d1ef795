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


class Scaled(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(2, 2)
        self.register_buffer("scale", torch.tensor(3.0))

    def forward(self, x):
        return self.lin(x) * self.scale


def round_trip(ep):
    buffer = io.BytesIO()
    torch.export.save(ep, buffer)
    buffer.seek(0)
    return torch.export.load(buffer)


def test_the_archive_holds_the_values_at_save_time():
    """torch.export.save writes the graph, signature and state_dict into one file-like archive, and torch.export.load reads back an ExportedProgram that needs no Python source of the original module; its weights are copies of the values at save time.

    Hint: the bias was changed only after the program was saved.
    """
    model = AddBias()
    archive = io.BytesIO()
    torch.export.save(export(model, (torch.zeros(2),)), archive)
    with torch.no_grad():
        model.bias.zero_()
    archive.seek(0)
    loaded = torch.export.load(archive)
    assert isinstance(loaded, ExportedProgram)
    assert list(loaded.state_dict) == __
    assert loaded.module()(torch.tensor([1.0, 2.0])).tolist() == __


def test_unlifted_module_has_the_parameters_and_buffers_back():
    """ep.module() puts lifted parameters and buffers back on a GraphModule under their original state_dict keys, so named_parameters and named_buffers work as on the original, after a save and load too.

    Hint: the keys of the original module's state_dict, split by kind.
    """
    module = round_trip(export(Scaled(), (torch.zeros(1, 2),))).module()
    assert [name for name, _ in module.named_parameters()] == __
    assert [name for name, _ in module.named_buffers()] == __
