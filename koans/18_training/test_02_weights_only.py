"""torch.load's weights_only: on by default, it unpickles tensors and plain containers and refuses everything else."""

import collections
import datetime
import io
import pickle

import pytest
import torch
import torch.nn as nn

from kata import __, raises


class Config:
    def __init__(self, lr):
        self.lr = lr


CALLS = []


def record(value):
    CALLS.append(value)
    return value


class Recorded:
    """Pickles as "call record('ran')": unpickling runs whatever __reduce__ names."""

    def __reduce__(self):
        return (record, ("ran",))


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


def test_the_error_names_a_class_by_the_module_that_defines_it():
    """A pickle names a class by its __module__ and __qualname__, the module where it is defined, not the shorter path you import it by; a weights-only failure quotes that name as the global it was not allowed to load.

    Hint: nn.Linear is re-exported by torch.nn; where is it defined?
    """
    with raises(pickle.UnpicklingError, match=__):
        torch.load(saved(nn.Linear(2, 1)))


def test_the_weights_only_unpickler_refuses_before_it_calls_anything():
    """Unpickling an object calls the function its __reduce__ named, once per object; weights_only=True checks each global against its allowlist as the pickle names it, before anything is called, while weights_only=False (torch.load before 2.6) runs whatever the file says, so use it only on files you trust.

    Hint: count the calls record has logged after each of the two loads.
    """
    CALLS.clear()
    buf = saved([Recorded(), Recorded()])
    with pytest.raises(pickle.UnpicklingError):
        torch.load(buf)
    after_default = len(CALLS)
    buf.seek(0)
    torch.load(buf, weights_only=False)
    assert (after_default, len(CALLS)) == __


def test_get_unsafe_globals_lists_what_a_file_would_need():
    """torch.serialization.get_unsafe_globals_in_checkpoint reads a checkpoint without loading it and lists, once each, the globals weights_only would refuse: classes of your own, of the standard library and of torch.nn alike.

    Hint: tensors and Parameters need nothing; each distinct class counts once.
    """
    buf = saved(
        {
            "a": Config(0.1),
            "b": [Config(0.2)],
            "model": nn.Linear(2, 1),
            "w": torch.ones(2),
            "day": datetime.date(2024, 1, 1),
        }
    )
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
