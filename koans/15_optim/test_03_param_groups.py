"""Parameter groups and the optimizer's state_dict."""

import torch
from torch import nn

from kata import __


def test_each_group_steps_with_its_own_options():
    """Each dict passed to an optimizer becomes a parameter group; a key it sets overrides the optimizer-wide default for its parameters only, and step() updates each group with its own options.

    Hint: the same gradient for both; find each group's lr first.
    """
    a = torch.nn.Parameter(torch.zeros(1))
    b = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.25)
    a.grad = torch.ones(1)
    b.grad = torch.ones(1)
    opt.step()
    assert (a.item(), b.item()) == __


def test_step_reads_the_options_from_param_groups_every_time():
    """The param_groups dicts are the optimizer's live settings: step() reads each option from them anew, so writing group["lr"] (or momentum, or weight_decay) between steps changes the next update. That is all a learning-rate scheduler does.

    Hint: the first step uses the lr the optimizer was built with, the second the one written into the group.
    """
    p = torch.nn.Parameter(torch.tensor([1.0]))
    opt = torch.optim.SGD([p], lr=0.5)
    for lr in (None, 2.0):
        if lr is not None:
            opt.param_groups[0]["lr"] = lr
        p.grad = torch.tensor([0.25])
        opt.step()
    assert p.item() == __


def test_no_weight_decay_on_biases_and_norm_weights():
    """The usual recipe decays only the matrices: one group for parameters with two or more dimensions, one with weight_decay=0 for biases and normalisation weights, which decay would only pull towards zero.

    Hint: count the 1-d parameters of a Linear and a LayerNorm; a zero gradient leaves only the decay, and SGD's decay adds wd * p to the gradient.
    """
    model = nn.Sequential(nn.Linear(2, 2), nn.LayerNorm(2))
    for p in model.parameters():
        nn.init.constant_(p, 2.0)
        p.grad = torch.zeros_like(p)
    decay = [p for p in model.parameters() if p.ndim >= 2]
    no_decay = [p for p in model.parameters() if p.ndim < 2]
    opt = torch.optim.SGD([{"params": decay}, {"params": no_decay, "weight_decay": 0.0}], lr=0.5, weight_decay=0.5)
    opt.step()
    assert [len(g["params"]) for g in opt.param_groups] == __
    assert model[0].weight[0, 0].item() == __
    assert model[1].bias.tolist() == __


def test_add_param_group_fills_missing_options_from_defaults():
    """add_param_group appends a new group; options it leaves out are copied from the optimizer's defaults.

    Hint: the new group says nothing about momentum; two steps with the same gradient.
    """
    a = torch.nn.Parameter(torch.zeros(1))
    b = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([a], lr=0.1, momentum=0.5)
    opt.add_param_group({"params": [b], "lr": 1.0})
    for _ in range(2):
        b.grad = torch.ones(1)
        opt.step()
    assert b.item() == __


def test_state_dict_names_params_by_index():
    """optimizer.state_dict() holds the per-parameter 'state' and the 'param_groups' options; in it, each group's 'params' is a list of integer positions, counted across all groups, not the tensors.

    Hint: three parameters in two groups.
    """
    a, b, c = (torch.nn.Parameter(torch.zeros(1)) for _ in range(3))
    opt = torch.optim.SGD([{"params": [a, b]}, {"params": [c]}], lr=0.1)
    groups = opt.state_dict()["param_groups"]
    assert [g["params"] for g in groups] == __


def test_state_is_filled_lazily_on_the_first_step():
    """An optimizer creates a parameter's state (momentum buffers, moments) on the first step that parameter has a gradient, not at construction.

    Hint: the state_dict keys its state by the same positions as param_groups; which parameters got a gradient?
    """
    a, b, c = (torch.nn.Parameter(torch.zeros(1)) for _ in range(3))
    opt = torch.optim.SGD([{"params": [a]}, {"params": [b, c]}], lr=0.1, momentum=0.9)
    before = opt.state_dict()["state"]
    c.grad = torch.ones(1)
    opt.step()
    after = opt.state_dict()["state"]
    assert len(before) == __
    assert list(after) == __


def test_load_state_dict_matches_state_by_position_not_by_tensor():
    """load_state_dict puts back the saved group options and hands each saved state to the parameter at the same position, so an optimizer built with its parameters in another order silently gets them swapped.

    Hint: the saved optimizer listed a first; the new one lists b first.
    """
    a = torch.nn.Parameter(torch.zeros(1))
    b = torch.nn.Parameter(torch.zeros(1))
    first = torch.optim.SGD([a, b], lr=0.1, momentum=0.9)
    a.grad, b.grad = torch.tensor([1.0]), torch.tensor([10.0])
    first.step()
    saved = first.state_dict()
    second = torch.optim.SGD([b, a], lr=5.0, momentum=0.9)
    second.load_state_dict(saved)
    assert second.param_groups[0]["lr"] == __
    assert second.state[b]["momentum_buffer"].item() == __
