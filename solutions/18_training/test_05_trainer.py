"""A tiny trainer with callbacks: the loop every training framework wraps, and the order of its hooks."""

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from kata import __


class Callback:
    def on_train_begin(self, trainer): pass
    def on_epoch_begin(self, trainer, epoch): pass
    def on_batch_end(self, trainer, batch, loss): pass
    def on_epoch_end(self, trainer, epoch): pass
    def on_train_end(self, trainer): pass


class Trainer:
    def __init__(self, model, loader, callbacks=()):
        self.model = model
        self.loader = loader
        self.opt = torch.optim.SGD(model.parameters(), lr=0.1)
        self.callbacks = list(callbacks)
        self.should_stop = False
        self.epochs_run = 0

    def call(self, hook, *args):
        for cb in self.callbacks:
            getattr(cb, hook)(self, *args)

    def fit(self, epochs):
        self.call("on_train_begin")
        for epoch in range(epochs):
            self.call("on_epoch_begin", epoch)
            for i, (x, y) in enumerate(self.loader):
                self.opt.zero_grad()
                loss = nn.functional.mse_loss(self.model(x), y)
                loss.backward()
                self.opt.step()
                self.call("on_batch_end", i, loss.item())
            self.epochs_run += 1
            self.call("on_epoch_end", epoch)
            if self.should_stop:
                break
        self.call("on_train_end")


class Recorder(Callback):
    def __init__(self):
        self.events = []

    def on_train_begin(self, trainer): self.events.append("train_begin")
    def on_epoch_begin(self, trainer, epoch): self.events.append(f"epoch_begin {epoch}")
    def on_batch_end(self, trainer, batch, loss): self.events.append(f"batch_end {batch}")
    def on_epoch_end(self, trainer, epoch): self.events.append(f"epoch_end {epoch}")
    def on_train_end(self, trainer): self.events.append("train_end")


class StopAfter(Callback):
    def __init__(self, epochs):
        self.epochs = epochs

    def on_epoch_end(self, trainer, epoch):
        if epoch + 1 >= self.epochs:
            trainer.should_stop = True


class Tag(Callback):
    def __init__(self, name, log):
        self.name, self.log = name, log

    def on_epoch_end(self, trainer, epoch):
        self.log.append(self.name)


def tiny_loader(n=4, batch_size=2):
    x = torch.arange(float(n)).reshape(n, 1)
    return DataLoader(TensorDataset(x, 2 * x), batch_size=batch_size)


def test_hooks_fire_in_loop_order():
    """The trainer calls the hooks where they sit in the loop: train begin, then per epoch a begin, one batch_end per batch and an end, then train end.

    Hint: one epoch over 4 samples in batches of 2.
    """
    rec = Recorder()
    Trainer(nn.Linear(1, 1), tiny_loader(), [rec]).fit(epochs=1)
    assert rec.events == ["train_begin", "epoch_begin 0", "batch_end 0", "batch_end 1", "epoch_end 0", "train_end"]


def test_callbacks_run_in_the_order_given():
    """For each hook, the callbacks run in the order of the list passed to the trainer.

    Hint: two epochs, two callbacks each.
    """
    log = []
    Trainer(nn.Linear(1, 1), tiny_loader(), [Tag("b", log), Tag("a", log)]).fit(epochs=2)
    assert log == ["b", "a", "b", "a"]


def test_a_callback_can_stop_training():
    """A callback stops training by setting a flag that the loop checks after each epoch; on_train_end still runs.

    Hint: fit asks for 10 epochs; StopAfter(3) raises the flag at the end of the third.
    """
    rec = Recorder()
    trainer = Trainer(nn.Linear(1, 1), tiny_loader(), [StopAfter(3), rec])
    trainer.fit(epochs=10)
    assert trainer.epochs_run == 3
    assert rec.events[-1] == "train_end"


def test_batch_hooks_count_optimizer_steps():
    """One optimizer step per batch: the number of batch_end calls is epochs times batches per epoch.

    Hint: 6 samples in batches of 4 give a short last batch.
    """
    rec = Recorder()
    Trainer(nn.Linear(1, 1), tiny_loader(n=6, batch_size=4), [rec]).fit(epochs=3)
    assert sum(e.startswith("batch_end") for e in rec.events) == 6
