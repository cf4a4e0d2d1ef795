"""torch.load's weights_only: on by default, it unpickles tensors and plain containers and refuses everything else."""

import collections
import io
import pickle

import torch
import torch.nn as nn

from kata import __, raises


class Config:
    def __init__(self, lr):
        self.lr = lr


class Sorts:
    """Pickles as "call sorted([3, 1, 2])": unpickling runs whatever __reduce__ names."""

    def __reduce__(self):
        return (sorted, ([3, 1, 2],))


def saved(obj):
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return buf


def refused_by_default(values):
    """The names of the values that torch.load (weights_only=True) refuses to load."""
    refused = []
    for name, value in values.items():
        try:
            torch.load(saved(value))
        except pickle.UnpicklingError:
            refused.append(name)
    return refused


def test_weights_only_loads_tensors_and_plain_containers_only():
    """weights_only=True (the default since PyTorch 2.6) loads tensors, Parameters, numbers, strings and the usual containers and torch's own plain types (dtypes, sizes, devices); any other class is refused with pickle.UnpicklingError, because unpickling an arbitrary class can run arbitrary code.

    Hint: a pickled object names its class; a state_dict is an OrderedDict of tensors.
    """
    model = nn.Linear(2, 1)
    values = {
        "weights": model.state_dict(),
        "whole": model,
        "param": model.weight,
        "hparams": Config(0.1),
        "meta": {"dtype": torch.float16, "shape": torch.Size([2, 1]), "order": collections.OrderedDict(a=1)},
    }
    assert refused_by_default(values) == __


def test_the_error_names_the_global_it_refused():
    """A weights-only failure says which global (module path and name) the file needed and was not allowed to load, and how to allow it.

    Hint: what does the pickle of a Sorts instance name as the thing to call?
    """
    with raises(pickle.UnpicklingError, match=__):
        torch.load(saved(Sorts()))


def test_weights_only_false_runs_what_the_pickle_says():
    """weights_only=False unpickles anything, as torch.load did before 2.6: the file decides which function runs during loading, so use it only on files you trust.

    Hint: loading calls the function __reduce__ returned, on its arguments.
    """
    assert torch.load(saved(Sorts()), weights_only=False) == __


def test_get_unsafe_globals_lists_what_a_file_would_need():
    """torch.serialization.get_unsafe_globals_in_checkpoint reads a checkpoint without loading it and lists, once each, the globals weights_only would refuse.

    Hint: tensors and Parameters need nothing; each distinct class counts once.
    """
    buf = saved({"a": Config(0.1), "b": [Config(0.2)], "model": nn.Linear(2, 1), "w": torch.ones(2)})
    assert len(torch.serialization.get_unsafe_globals_in_checkpoint(buf)) == __


def test_safe_globals_allowlists_a_class():
    """Inside torch.serialization.safe_globals([...]), weights_only=True also accepts the listed classes and only those; the allowlist ends with the block.

    Hint: refused_by_default loads after the block has ended.
    """
    buf = saved([Config(0.5)])
    with torch.serialization.safe_globals([__]):
        inside = torch.load(buf)
    assert inside[0].lr == 0.5
    assert refused_by_default({"before": Config(0.5)}) == __
