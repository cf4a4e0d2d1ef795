"""Checkpoints: what torch.save writes, what a resumed run needs, and the keys wrappers add to a state_dict."""

import io

import torch
import torch.nn as nn
from torch.nn.modules.utils import consume_prefix_in_state_dict_if_present

from kata import __


def make_run():
    torch.manual_seed(0)
    model = nn.Linear(2, 1)
    opt = torch.optim.Adam(model.parameters(), lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    return model, opt, sched


def train_step(model, opt, sched):
    x = torch.tensor([[1.0, 2.0], [3.0, -1.0]])
    y = torch.tensor([[1.0], [0.0]])
    opt.zero_grad()
    nn.functional.mse_loss(model(x), y).backward()
    opt.step()
    sched.step()


def checkpoint_of(model, opt, sched, epoch):
    return {
        "model": model.state_dict(),
        "optimizer": opt.state_dict(),
        "scheduler": sched.state_dict(),
        "epoch": epoch,
    }


def round_trip(obj, **load_kwargs):
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return torch.load(buf, **load_kwargs)


def test_saving_a_view_saves_its_whole_storage():
    """torch.save writes each tensor as its whole storage plus the offset, size and stride that select the tensor from it, so a small view of a big tensor drags the big storage along; clone() first to save only the view.

    Hint: the storage belongs to `base`; count its elements and their size in bytes.
    """
    base = torch.arange(10.0)
    loaded = round_trip(base[3:5])
    assert loaded.tolist() == [3.0, 4.0]
    assert loaded.storage_offset() == 3
    assert loaded.untyped_storage().nbytes() == 40


def test_map_location_is_called_once_per_storage():
    """torch.load passes every storage it restores through map_location (a device, a string or a function of the storage and the location tag it was saved from), and tensors that shared a storage when saved share one again after loading.

    Hint: a transpose and a slice are views; ones() is a storage of its own.
    """
    w = torch.arange(4.0).reshape(2, 2)
    ckpt = {"w": w, "w_t": w.t(), "row": w[1], "b": torch.ones(2)}
    seen = []

    def to_cpu(storage, location):
        seen.append(location)
        return storage

    loaded = round_trip(ckpt, map_location=to_cpu)
    loaded["row"][0] = 100.0
    assert seen == ["cpu", "cpu"]
    assert loaded["w_t"].tolist() == [[0.0, 100.0], [1.0, 3.0]]


def test_the_scheduler_counts_steps_and_the_optimizer_holds_the_lr():
    """A scheduler's state_dict holds last_epoch, the number of scheduler.step() calls so far; the lr it last set is written into the optimizer's param_groups, so the optimizer's state_dict carries it too.

    Hint: StepLR multiplies the lr by gamma each time last_epoch reaches a multiple of step_size.
    """
    model, opt, sched = make_run()
    for _ in range(5):
        train_step(model, opt, sched)
    assert sched.state_dict()["last_epoch"] == 5
    assert opt.state_dict()["param_groups"][0]["lr"] == 0.025


def test_a_resumed_adam_continues_its_step_count():
    """Adam's bias correction depends on how many steps it has taken, a count kept per parameter in the optimizer's state; restoring model, optimizer and scheduler makes the next step the one the original run takes, while a fresh Adam starts counting again.

    Hint: count the steps each optimizer has taken itself plus those it inherited from the checkpoint.
    """
    model, opt, sched = make_run()
    train_step(model, opt, sched)
    ckpt = round_trip(checkpoint_of(model, opt, sched, epoch=1))
    train_step(model, opt, sched)

    resumed, opt2, sched2 = make_run()
    resumed.load_state_dict(ckpt["model"])
    opt2.load_state_dict(ckpt["optimizer"])
    sched2.load_state_dict(ckpt["scheduler"])
    train_step(resumed, opt2, sched2)
    assert torch.equal(resumed.weight, model.weight)

    weights_only, opt3, sched3 = make_run()
    weights_only.load_state_dict(ckpt["model"])
    train_step(weights_only, opt3, sched3)
    assert opt2.state[resumed.weight]["step"].item() == 2.0
    assert opt3.state[weights_only.weight]["step"].item() == 1.0


def test_wrappers_prefix_the_keys_with_the_attribute_that_holds_the_model():
    """A state_dict key is the dotted attribute path from the module it was called on; DataParallel and DistributedDataParallel keep the model as .module, torch.compile's wrapper as ._orig_mod, so a checkpoint of a wrapped model does not match the bare one.

    Hint: wrap from the inside out; strict=False reports both sides of the mismatch.
    """
    net = nn.Linear(2, 1)
    wrapped = torch.compile(nn.DataParallel(net))
    sd = wrapped.state_dict()
    result = nn.Linear(2, 1).load_state_dict(sd, strict=False)
    assert result.missing_keys == ["weight", "bias"]
    assert result.unexpected_keys == ["_orig_mod.module.weight", "_orig_mod.module.bias"]


def test_consume_prefix_strips_one_leading_prefix_in_place():
    """torch.nn.modules.utils.consume_prefix_in_state_dict_if_present(sd, prefix) renames, in place, every key that starts with prefix to the rest of the key; keys without it are left as they are.

    Hint: the compile wrapper is the outermost layer.
    """
    sd = torch.compile(nn.DataParallel(nn.Linear(2, 1))).state_dict()
    consume_prefix_in_state_dict_if_present(sd, "_orig_mod.")
    consume_prefix_in_state_dict_if_present(sd, "_orig_mod.")
    assert list(sd) == ["module.weight", "module.bias"]
