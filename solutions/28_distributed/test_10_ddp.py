"""DistributedDataParallel on CPU: one replica per rank, gradients averaged by gloo.

Two ranks are enough to see it (and the first DDP in a process is slow to set up).
"""

import pytest
import torch
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP

from kata import __

pytestmark = pytest.mark.multiprocess


def one_weight_model(value):
    """y = w * x with a single weight w, set to value."""
    model = nn.Linear(1, 1, bias=False)
    with torch.no_grad():
        model.weight.fill_(value)
    return model


def on_rank_ddp_broadcasts_weights(rank, world_size):
    model = one_weight_model(float(rank + 5))
    DDP(model)
    return model.weight.item()


def test_ddp_starts_every_replica_from_rank_0_weights(ranks):
    """Wrapping a model in DDP broadcasts rank 0's parameters to every rank, so all replicas start identical.

    Hint: rank r built its weight as r + 5.
    """
    results = ranks(on_rank_ddp_broadcasts_weights, world_size=2)
    assert results == [5.0, 5.0]


def on_rank_ddp_gradient(rank, world_size):
    ddp = DDP(one_weight_model(1.0))
    x = torch.tensor([[rank + 1.0]])
    ddp(x).sum().backward()
    return ddp.module.weight.grad.item()


def test_ddp_averages_gradients_across_ranks(ranks):
    """During backward DDP all-reduces each gradient and divides by the world size: every rank ends with the mean of the local gradients.

    Hint: for y = w * x the local gradient of w is x, and rank r fed x = r + 1.
    """
    results = ranks(on_rank_ddp_gradient, world_size=2)
    assert results == [1.5, 1.5]


def on_rank_ddp_no_sync(rank, world_size):
    ddp = DDP(one_weight_model(1.0))
    x = torch.tensor([[rank + 1.0]])
    with ddp.no_sync():
        ddp(x).sum().backward()
    return ddp.module.weight.grad.item()


def test_no_sync_keeps_gradients_local(ranks):
    """Inside ddp.no_sync() backward skips the all-reduce: each rank keeps its own local gradient.

    Hint: the local gradient of w is x = rank + 1.
    """
    results = ranks(on_rank_ddp_no_sync, world_size=2)
    assert results == [1.0, 2.0]


def on_rank_ddp_accumulate(rank, world_size):
    ddp = DDP(one_weight_model(1.0))
    x = torch.tensor([[rank + 1.0]])
    with ddp.no_sync():
        ddp(x).sum().backward()  # micro-batch 1: local only
    ddp(x).sum().backward()  # micro-batch 2: synchronised
    return ddp.module.weight.grad.item()


def test_no_sync_then_one_synced_backward_accumulates(ranks):
    """Gradient accumulation: backward under no_sync adds to .grad locally; the next backward outside it adds again and all-reduces the accumulated .grad, averaging it.

    Hint: each rank accumulates 2 * (rank + 1); then the mean over ranks.
    """
    results = ranks(on_rank_ddp_accumulate, world_size=2)
    assert results[0] == 3.0


def on_rank_ddp_step(rank, world_size):
    ddp = DDP(one_weight_model(1.0))
    optimizer = torch.optim.SGD(ddp.parameters(), lr=0.5)
    ddp(torch.tensor([[rank + 1.0]])).sum().backward()
    optimizer.step()
    return ddp.module.weight.item()


def test_an_optimizer_step_keeps_the_replicas_identical(ranks):
    """Same starting weights plus the same averaged gradient give the same optimizer step on every rank: the replicas never drift apart.

    Hint: w = 1 - lr * mean gradient, and the mean gradient is 1.5.
    """
    results = ranks(on_rank_ddp_step, world_size=2)
    assert results == [0.25, 0.25]


def on_rank_ddp_state_dict(rank, world_size):
    return list(DDP(one_weight_model(1.0)).state_dict())


def test_ddp_state_dict_keys_start_with_module(ranks):
    """DDP keeps the wrapped model as its submodule ddp.module, so its state_dict keys gain a "module." prefix; save ddp.module.state_dict() to get the plain names.

    Hint: the model has one parameter, called weight.
    """
    results = ranks(on_rank_ddp_state_dict, world_size=2)
    assert results[0] == ["module.weight"]
