"""DistributedDataParallel on CPU: one replica per rank, gradients reduced in buckets by gloo.

DDP's reducer registers a hook on every parameter's gradient accumulator.  As
gradients become ready in backward it copies them into flat buckets (about
``bucket_cap_mb`` each, filled roughly in reverse order of the parameters, the
order gradients appear), and each full bucket is launched as one all-reduce,
divided by the world size, while backward goes on.  Two ranks are enough to
see it (and the first DDP in a process is slow to set up).

The heavy torch.distributed modules are imported inside the functions that use
them: the ranks need them, the test process does not, and importing them at the
top would cost every run seconds before its first verdict.
"""

import pytest
import torch
import torch.distributed as dist
import torch.nn as nn

from kata import __, raises
from kata.ranks import RankFailure

pytestmark = pytest.mark.multiprocess


def one_weight_model(value):
    """y = w * x with a single weight w, set to value."""
    model = nn.Linear(1, 1, bias=False)
    with torch.no_grad():
        model.weight.fill_(value)
    return model


def on_rank_ddp_broadcasts_weights(rank, world_size):
    from torch.nn.parallel import DistributedDataParallel as DDP

    model = one_weight_model(float(rank + 5))
    DDP(model)
    return model.weight.item()


def test_ddp_starts_every_replica_from_rank_0_weights(ranks):
    """Wrapping a model in DDP broadcasts rank 0's parameters (and buffers) to every rank, so all replicas start identical.

    Hint: whose weight survives the broadcast?
    """
    results = ranks(on_rank_ddp_broadcasts_weights, world_size=2)
    assert results == [5.0, 5.0]


def on_rank_ddp_gradient(rank, world_size):
    from torch.nn.parallel import DistributedDataParallel as DDP

    ddp = DDP(one_weight_model(1.0))
    x = torch.tensor([[rank + 1.0]])
    ddp(x).sum().backward()
    return ddp.module.weight.grad.item()


def test_ddp_averages_gradients_across_ranks(ranks):
    """The buckets' all-reduce sums the ranks' gradients, and DDP divides by the world size: every rank ends with the mean of the local gradients.

    Hint: for y = w * x the local gradient of w is x, and rank r fed x = r + 1.
    """
    results = ranks(on_rank_ddp_gradient, world_size=2)
    assert results == [1.5, 1.5]


def on_rank_bucket_contents(rank, world_size):
    from torch.nn.parallel import DistributedDataParallel as DDP

    model = nn.Linear(1, 2)
    with torch.no_grad():
        model.weight.fill_(1.0)
        model.bias.zero_()
    ddp = DDP(model)
    seen = []

    def look(state, bucket):
        seen.append(bucket.buffer().tolist())
        future = torch.futures.Future()
        future.set_result(bucket.buffer())  # no reduction at all
        return future

    ddp.register_comm_hook(None, look)
    ddp(torch.tensor([[rank + 1.0]])).sum().backward()
    return seen


def test_a_bucket_is_the_local_gradients_end_to_end(ranks):
    """ddp.register_comm_hook(state, hook) hands each bucket to hook(state, bucket) instead of all-reducing it; bucket.buffer() is one flat 1-D tensor holding the bucket's local gradients one after another (weight, then bias, for a small model that fits in one bucket), and the hook returns a Future of what DDP writes back into .grad.

    Hint: rank 1 fed x = 2; write the weight's gradient (2 x 1) and the bias's (2) flat, in that order.
    """
    results = ranks(on_rank_bucket_contents, world_size=2)
    assert results[1] == [[2.0, 2.0, 1.0, 1.0]]


class ThreeLayers(nn.Module):
    """Three 100x100 float32 weights (40 000 bytes each) and a small weight forward never uses."""

    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(*[nn.Linear(100, 100, bias=False) for _ in range(3)])
        self.spare = nn.Linear(1, 1, bias=False)

    def forward(self, x):
        return self.layers(x)


def on_rank_bucket_order(rank, world_size):
    from torch.nn.parallel import DistributedDataParallel as DDP

    model = ThreeLayers()
    names = {id(p): name for name, p in model.named_parameters()}
    ddp = DDP(model, bucket_cap_mb=0.05, find_unused_parameters=True)
    seen = []

    def record(state, bucket):
        seen.append([names[id(p)] for p in bucket.parameters()])
        future = torch.futures.Future()
        future.set_result(bucket.buffer())
        return future

    ddp.register_comm_hook(None, record)
    ddp(torch.ones(1, 100)).sum().backward()
    return seen


def test_buckets_are_filled_in_parameter_order_and_reduced_last_layer_first(ranks):
    """DDP assigns parameters to buckets in the order of model.parameters(), closing a bucket as soon as its size reaches bucket_cap_mb (the parameter that crosses the cap stays in it), then reverses the list: bucket 0 holds the last parameters, whose gradients backward produces first, and the buckets are reduced in index order. (With find_unused_parameters=True this release uses the caps from the first iteration on.)

    Hint: 0.05 MiB is 52 428 bytes; list each bucket's parameter names, bucket 0 first.
    """
    results = ranks(on_rank_bucket_order, world_size=2)
    assert results[0] == [["layers.2.weight", "spare.weight"], ["layers.0.weight", "layers.1.weight"]]


def on_rank_sum_hook(rank, world_size):
    from torch.nn.parallel import DistributedDataParallel as DDP

    ddp = DDP(one_weight_model(1.0))

    def sum_only(state, bucket):
        return dist.all_reduce(bucket.buffer(), async_op=True).get_future().then(
            lambda fut: fut.value()[0])

    ddp.register_comm_hook(None, sum_only)
    ddp(torch.tensor([[rank + 1.0]])).sum().backward()
    return ddp.module.weight.grad.item()


def test_a_comm_hook_replaces_the_reduction_division_included(ranks):
    """A comm hook replaces DDP's whole reduction, the division by the world size included (torch's own allreduce_hook divides the bucket itself): a hook that only all-reduces leaves summed gradients.

    Hint: the same local gradients as in the averaging koan, without the division.
    """
    results = ranks(on_rank_sum_hook, world_size=2)
    assert results == [3.0, 3.0]


def on_rank_ddp_no_sync(rank, world_size):
    from torch.nn.parallel import DistributedDataParallel as DDP

    ddp = DDP(one_weight_model(1.0))
    x = torch.tensor([[rank + 1.0]])
    with ddp.no_sync():
        ddp(x).sum().backward()
    return ddp.module.weight.grad.item()


def test_no_sync_keeps_gradients_local(ranks):
    """Inside ddp.no_sync() the reducer launches no all-reduce: each rank keeps its own local gradient.

    Hint: the local gradient of w is x = rank + 1.
    """
    results = ranks(on_rank_ddp_no_sync, world_size=2)
    assert results == [1.0, 2.0]


def on_rank_ddp_accumulate(rank, world_size):
    from torch.nn.parallel import DistributedDataParallel as DDP

    ddp = DDP(one_weight_model(1.0))
    x = torch.tensor([[rank + 1.0]])
    with ddp.no_sync():
        ddp(x).sum().backward()  # micro-batch 1: local only
    ddp(x).sum().backward()  # micro-batch 2: synchronised
    return ddp.module.weight.grad.item()


def test_no_sync_then_one_synced_backward_accumulates(ranks):
    """Gradient accumulation: backward under no_sync adds to .grad locally; the next backward outside it adds again, and the reducer all-reduces the accumulated .grad, averaging it.

    Hint: what has each rank accumulated before the one all-reduce?
    """
    results = ranks(on_rank_ddp_accumulate, world_size=2)
    assert results[0] == 3.0


def on_rank_ddp_step(rank, world_size):
    from torch.nn.parallel import DistributedDataParallel as DDP

    ddp = DDP(one_weight_model(1.0))
    optimizer = torch.optim.SGD(ddp.parameters(), lr=0.5)
    ddp(torch.tensor([[rank + 1.0]])).sum().backward()
    optimizer.step()
    return ddp.module.weight.item()


def test_an_optimizer_step_keeps_the_replicas_identical(ranks):
    """Same starting weights plus the same averaged gradient give the same optimizer step on every rank: the replicas never drift apart.

    Hint: w - lr * gradient, with the gradient every rank now holds.
    """
    results = ranks(on_rank_ddp_step, world_size=2)
    assert results == [0.25, 0.25]


class TwoHeads(nn.Module):
    """Two linear layers, of which forward uses only the first."""

    def __init__(self):
        super().__init__()
        self.used = nn.Linear(1, 1)
        self.unused = nn.Linear(1, 1)

    def forward(self, x):
        return self.used(x)


def on_rank_unused_parameter(rank, world_size):
    from torch.nn.parallel import DistributedDataParallel as DDP

    ddp = DDP(TwoHeads())
    ddp(torch.ones(1, 1)).sum().backward()
    ddp(torch.ones(1, 1)).sum().backward()


def test_an_unused_parameter_leaves_its_bucket_unfinished(ranks):
    """The reducer waits for every parameter's gradient before it can finish a bucket; a parameter that forward never used gets none, the reduction of that iteration never finishes, and the next forward raises a RuntimeError.

    Hint: run it and match the words that say what was expected to be finished before a new iteration.
    """
    with raises(RankFailure, match="Expected to have finished reduction"):
        ranks(on_rank_unused_parameter, world_size=2)


def on_rank_find_unused(rank, world_size):
    from torch.nn.parallel import DistributedDataParallel as DDP

    ddp = DDP(TwoHeads(), find_unused_parameters=True)
    ddp(torch.ones(1, 1)).sum().backward()
    ddp(torch.ones(1, 1)).sum().backward()
    return ddp.module.unused.weight.grad, ddp.module.used.weight.grad is None


def test_find_unused_parameters_marks_them_ready_without_a_gradient(ranks):
    """find_unused_parameters=True makes DDP walk the autograd graph after each forward and mark the parameters it did not reach as ready, so the buckets finish; those parameters get no gradient at all.

    Hint: rank 0 returns (the unused weight's .grad, is the used weight's .grad None?).
    """
    results = ranks(on_rank_find_unused, world_size=2)
    assert results[0] == (None, False)


def on_rank_buffers(rank, world_size):
    from torch.nn.parallel import DistributedDataParallel as DDP

    model = nn.BatchNorm1d(1, momentum=0.5)
    ddp = DDP(model)
    ddp(torch.tensor([[rank * 4.0], [rank * 4.0 + 4.0]]))
    after_first = model.running_mean.item()
    ddp(torch.tensor([[0.0], [0.0]]))
    return after_first, model.running_mean.item()


def test_buffers_are_copied_from_rank_0_before_each_forward(ranks):
    """By default DDP broadcasts rank 0's buffers (BatchNorm's running statistics) to every rank at the start of each forward (the option broadcast_buffers, called forward_sync_buffers in newer releases); the forward then updates them locally. BatchNorm's running_mean becomes (1 - momentum) * running_mean + momentum * batch mean.

    Hint: rank 1 returns (running_mean after its first forward, after its second); the second starts from rank 0's value.
    """
    results = ranks(on_rank_buffers, world_size=2)
    assert results[1] == (3.0, 0.5)


def on_rank_join(rank, world_size):
    from torch.distributed.algorithms.join import Join
    from torch.nn.parallel import DistributedDataParallel as DDP

    model = one_weight_model(1.0)
    ddp = DDP(model)
    with Join([ddp]):
        for _ in range(rank + 1):  # rank r has r + 1 batches
            model.zero_grad()
            ddp(torch.ones(1, 1)).sum().backward()
    return model.weight.grad.item()


def test_join_shadows_the_ranks_that_ran_out_of_data(ranks):
    """With uneven inputs the rank with more batches would wait forever in an all-reduce nobody else joins; inside Join([ddp]) a rank that has run out shadows the others' all-reduces with zeros, and the divisor stays the world size.

    Hint: rank 1's last batch: its own gradient, rank 0's zeros, and DDP's division.
    """
    results = ranks(on_rank_join, world_size=2)
    assert results == [1.0, 0.5]


def on_rank_ddp_state_dict(rank, world_size):
    from torch.nn.parallel import DistributedDataParallel as DDP

    return list(DDP(one_weight_model(1.0)).state_dict())


def test_ddp_state_dict_keys_start_with_module(ranks):
    """DDP keeps the wrapped model as its submodule ddp.module, so its state_dict keys gain the prefix of that attribute; save ddp.module.state_dict() to get the plain names.

    Hint: the model has one parameter, called weight.
    """
    results = ranks(on_rank_ddp_state_dict, world_size=2)
    assert results[0] == ["module.weight"]
