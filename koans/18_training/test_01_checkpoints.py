"""Checkpoints: saving model, optimizer, scheduler and epoch together, and resuming from them."""

import io

import torch
import torch.nn as nn

from kata import __


def make_run():
    torch.manual_seed(0)
    model = nn.Linear(2, 1)
    opt = torch.optim.Adam(model.parameters(), lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
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


def test_a_checkpoint_is_a_dict_saved_with_torch_save():
    """torch.save pickles any dict of state_dicts and numbers to a file or buffer; torch.load gives the dict back.

    Hint: sorted keys, and the epoch saved.
    """
    model, opt, sched = make_run()
    buf = io.BytesIO()
    torch.save(checkpoint_of(model, opt, sched, epoch=7), buf)
    buf.seek(0)
    ckpt = torch.load(buf)
    assert sorted(ckpt) == __
    assert ckpt["epoch"] == __


def test_checkpoint_to_a_file(tmp_path):
    """torch.save takes a path as well as a buffer, and writes a zip archive, so the file starts with the zip signature b"PK".

    Hint: the first two bytes, as a bytes literal.
    """
    model, opt, sched = make_run()
    path = tmp_path / "ckpt.pt"
    torch.save(checkpoint_of(model, opt, sched, epoch=1), path)
    assert path.read_bytes()[:2] == __
    assert torch.load(path)["epoch"] == 1


def test_scheduler_state_remembers_its_step_count():
    """A scheduler's state_dict holds last_epoch, the number of scheduler.step() calls so far; the lr it set lives in the optimizer's param_groups, so the optimizer's state_dict carries it too.

    Hint: three steps of StepLR halving 0.1 each time.
    """
    model, opt, sched = make_run()
    for _ in range(3):
        train_step(model, opt, sched)
    assert sched.state_dict()["last_epoch"] == __
    assert opt.state_dict()["param_groups"][0]["lr"] == __


def test_resuming_from_a_checkpoint_gives_the_same_next_step():
    """Restoring model, optimizer (Adam's moments) and scheduler makes the next step identical to the one the original run takes.

    Hint: the missing piece holds Adam's exp_avg and exp_avg_sq.
    """
    model, opt, sched = make_run()
    train_step(model, opt, sched)
    buf = io.BytesIO()
    torch.save(checkpoint_of(model, opt, sched, epoch=1), buf)
    train_step(model, opt, sched)

    buf.seek(0)
    ckpt = torch.load(buf)
    model2, opt2, sched2 = make_run()
    model2.load_state_dict(ckpt["model"])
    opt2.load_state_dict(ckpt[__])
    sched2.load_state_dict(ckpt["scheduler"])
    train_step(model2, opt2, sched2)
    assert torch.equal(model2.weight, model.weight)


def test_resuming_without_the_optimizer_state_diverges():
    """A fresh Adam starts its moments and bias correction from scratch, so resuming with only the model weights takes a different step.

    Hint: the two runs' weights after the second step.
    """
    model, opt, sched = make_run()
    train_step(model, opt, sched)
    saved = {k: v.clone() for k, v in model.state_dict().items()}
    train_step(model, opt, sched)

    model2, opt2, sched2 = make_run()
    model2.load_state_dict(saved)
    train_step(model2, opt2, sched2)
    assert torch.equal(model2.weight, model.weight) is __


def test_saving_a_view_saves_its_whole_storage():
    """torch.save writes a tensor's whole storage, so saving a small view of a big tensor saves the big one; clone() first to save only the view.

    Hint: the base tensor holds ten float32 numbers of 4 bytes each.
    """
    base = torch.arange(10.0)
    buf = io.BytesIO()
    torch.save(base[:2], buf)
    buf.seek(0)
    loaded = torch.load(buf)
    assert loaded.tolist() == __
    assert loaded.untyped_storage().nbytes() == __
