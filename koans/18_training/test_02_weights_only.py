"""torch.load's weights_only: on by default, it unpickles tensors and plain containers and refuses everything else."""

import io
import pickle

import pytest
import torch
import torch.nn as nn

from kata import __


class Config:
    def __init__(self, lr):
        self.lr = lr


def saved(obj):
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return buf


def test_plain_containers_load_with_the_default():
    """weights_only=True (the default since PyTorch 2.6) still loads tensors, numbers, strings, lists, tuples and dicts.

    Hint: the nested values come back as they went in.
    """
    ckpt = torch.load(saved({"epoch": 3, "names": ["w"], "shape": (2, 1), "t": torch.ones(2)}))
    assert ckpt["shape"] == __
    assert ckpt["t"].tolist() == __


def test_weights_only_refuses_your_own_classes():
    """Unpickling an instance of an arbitrary class could run arbitrary code, so the default torch.load raises pickle.UnpicklingError for it.

    Hint: the message's short first sentence says what kind of load failed; mind the capital letter.
    """
    buf = saved({"config": Config(0.1)})
    with pytest.raises(pickle.UnpicklingError, match=__):
        torch.load(buf)


def test_the_error_names_the_unsupported_global():
    """The weights-only error names the global it refused to load.

    Hint: the class's name appears in the message.
    """
    buf = saved(Config(0.1))
    with pytest.raises(pickle.UnpicklingError, match=__):
        torch.load(buf)


def test_whole_modules_are_refused_too():
    """torch.save(model) pickles the module's class, so loading it with weights_only=True fails; save model.state_dict() instead.

    Hint: the same exception class as for any other class.
    """
    buf = saved(nn.Linear(2, 1))
    with pytest.raises(Exception) as info:
        torch.load(buf)
    assert info.type is __


def test_weights_only_false_trusts_the_file():
    """weights_only=False unpickles anything, as torch.load did before 2.6; only use it on files you trust.

    Hint: the Config was saved with lr 0.1.
    """
    config = torch.load(saved(Config(0.1)), weights_only=False)
    assert config.lr == __


def test_safe_globals_allowlists_a_class():
    """Inside torch.serialization.safe_globals([...]), weights_only=True also accepts the listed classes.

    Hint: put the class itself in the list.
    """
    buf = saved(Config(0.5))
    with torch.serialization.safe_globals([__]):
        config = torch.load(buf)
    assert config.lr == 0.5
