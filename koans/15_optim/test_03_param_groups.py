"""Parameter groups and the optimizer's state_dict."""

import torch

from kata import __


def test_param_groups_carry_their_own_lr():
    """Each dict passed to an optimizer becomes a parameter group; a key it sets overrides the optimizer-wide default.

    Hint: only the second group sets lr.
    """
    a = torch.nn.Parameter(torch.zeros(1))
    b = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.25)
    assert [g["lr"] for g in opt.param_groups] == __


def test_each_group_steps_with_its_own_lr():
    """step() updates the parameters of each group with that group's options.

    Hint: the same gradient 1.0 for both, different learning rates.
    """
    a = torch.nn.Parameter(torch.zeros(1))
    b = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.25)
    a.grad = torch.ones(1)
    b.grad = torch.ones(1)
    opt.step()
    assert (a.item(), b.item()) == __


def test_add_param_group_fills_missing_options_from_defaults():
    """add_param_group appends a new group; options it leaves out are copied from the optimizer's defaults.

    Hint: the new group says nothing about momentum.
    """
    a = torch.nn.Parameter(torch.zeros(1))
    b = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([a], lr=0.1, momentum=0.9)
    opt.add_param_group({"params": [b], "lr": 1.0})
    assert len(opt.param_groups) == __
    assert opt.param_groups[1]["momentum"] == __


def test_state_dict_has_two_keys():
    """optimizer.state_dict() is a dict with the per-parameter 'state' and the 'param_groups' options.

    Hint: sorted alphabetically.
    """
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=0.1)
    assert sorted(opt.state_dict()) == __


def test_state_is_filled_lazily_on_the_first_step():
    """An optimizer creates its per-parameter state (momentum buffers, moments) on the first step, not at construction.

    Hint: in the state_dict, parameters are named by their position in the groups.
    """
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
    before = opt.state_dict()["state"]
    p.grad = torch.ones(1)
    opt.step()
    after = opt.state_dict()["state"]
    assert before == __
    assert list(after) == __


def test_state_dict_names_params_by_index():
    """In the state_dict, each group's 'params' is a list of integer indices, counted across all groups, not the tensors.

    Hint: three parameters in two groups.
    """
    a, b, c = (torch.nn.Parameter(torch.zeros(1)) for _ in range(3))
    opt = torch.optim.SGD([{"params": [a, b]}, {"params": [c]}], lr=0.1)
    groups = opt.state_dict()["param_groups"]
    assert [g["params"] for g in groups] == __


def test_load_state_dict_restores_group_options():
    """load_state_dict puts back the saved group options, such as lr, into the optimizer.

    Hint: the change to lr happened after the state_dict was taken.
    """
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=0.1)
    saved = opt.state_dict()
    opt.param_groups[0]["lr"] = 5.0
    opt.load_state_dict(saved)
    assert opt.param_groups[0]["lr"] == __
