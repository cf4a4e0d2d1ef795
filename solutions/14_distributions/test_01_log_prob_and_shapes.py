"""torch.distributions: log_prob, sample versus rsample, and the three shapes of a draw."""

import pytest
import torch
from torch.distributions import Bernoulli, Categorical, Exponential, Independent, MultivariateNormal, Normal, Poisson, Uniform

from kata import __


def test_normal_log_prob_differences_cancel_the_constant():
    """Normal(mu, sigma).log_prob(x) is -(x - mu) ** 2 / (2 * sigma ** 2) - log(sigma) - log(sqrt(2 * pi)), so the difference of two log_probs of one Normal keeps only the squared terms.

    Hint: the log_prob at the mean has no squared term at all.
    """
    d = Normal(torch.tensor(1.0), torch.tensor(2.0))
    diff = d.log_prob(torch.tensor(4.0)) - d.log_prob(torch.tensor(1.0))
    assert round(diff.item(), 4) == -1.125


def test_bernoulli_log_prob_is_the_log_of_p_or_of_one_minus_p():
    """Bernoulli(probs=p).log_prob(x) is x * log(p) + (1 - x) * log(1 - p): the log of the probability of the outcome x, element by element.

    Hint: exp undoes the log; a 0 outcome has the probability 1 - p.
    """
    d = Bernoulli(probs=torch.tensor([0.25, 0.5, 0.75]))
    probs = d.log_prob(torch.tensor([0.0, 1.0, 1.0])).exp()
    assert [round(v, 4) for v in probs.tolist()] == [0.75, 0.5, 0.75]


def test_categorical_divides_probs_by_their_sum():
    """Categorical accepts unnormalised probs along the last dim and stores them divided by their sum.

    Hint: the weights are in the ratio one to three.
    """
    d = Categorical(probs=torch.tensor([1.0, 3.0]))
    assert d.probs.tolist() == [0.25, 0.75]


def test_sample_is_a_constant_for_autograd():
    """sample() draws under torch.no_grad(): the draw is a constant for autograd, even though its distribution depends on mu, so no gradient reaches mu through it.

    Hint: only the terms of the loss that autograd can see contribute.
    """
    mu = torch.tensor(1.0, requires_grad=True)
    loss = 3 * mu + Normal(mu, 2.0).sample()
    loss.backward()
    assert mu.grad.item() == 3.0


def test_rsample_lets_gradients_reach_the_parameters():
    """rsample() reparameterises: it draws eps from N(0, 1) without gradient and returns mu + sigma * eps, so each draw has d(draw)/d(mu) = 1.

    Hint: count the draws that the sum adds up.
    """
    mu = torch.tensor(1.0, requires_grad=True)
    sigma = torch.tensor(2.0, requires_grad=True)
    x = Normal(mu, sigma).rsample((4,))
    x.sum().backward()
    assert mu.grad.item() == 4.0
    eps = (x - mu) / sigma
    assert torch.allclose(sigma.grad, eps.sum())


def test_only_continuous_reparameterisable_families_have_rsample():
    """has_rsample is True where a draw is a differentiable function of the parameters and parameter-free noise (inverse CDF, location-scale); a draw from a discrete family is an integer that no such function can give.

    Hint: decide for each family whether a small change of its parameter can move a draw a little.
    """
    dists = [Exponential(1.0), Poisson(2.0), Uniform(0.0, 1.0), Categorical(torch.tensor([0.5, 0.5]))]
    assert [d.has_rsample for d in dists] == [True, False, True, False]


def test_rsample_of_a_discrete_family_raises():
    """Distribution.rsample is a stub that subclasses without a reparameterised sampler do not override, so calling it fails.

    Hint: the exception Python keeps for methods that are not implemented.
    """
    with pytest.raises(Exception) as info:
        Bernoulli(probs=torch.tensor(0.5)).rsample()
    assert info.type is NotImplementedError


def test_batch_shape_counts_distributions_event_shape_one_draw():
    """batch_shape is the shape of the independent, differently parameterised distributions; event_shape is the shape of one draw of one of them. A MultivariateNormal's event is a whole vector, the last dim of its loc.

    Hint: loc has shape (3, 2), the covariance is 2x2.
    """
    d = MultivariateNormal(torch.zeros(3, 2), torch.eye(2))
    assert d.batch_shape == (3,)
    assert d.event_shape == (2,)


def test_a_draw_is_sample_shape_then_batch_then_event():
    """sample(sample_shape) returns sample_shape + batch_shape + event_shape, and log_prob gives one number per event: it drops the event dims.

    Hint: five draws of three 2-vectors.
    """
    d = MultivariateNormal(torch.zeros(3, 2), torch.eye(2))
    x = d.sample((5,))
    assert x.shape == (5, 3, 2)
    assert d.log_prob(x).shape == (5, 3)


def test_independent_moves_batch_dims_into_the_event():
    """Independent(base, n) reinterprets the rightmost n batch dims of base as event dims: the draws are the same, but log_prob sums over those dims.

    Hint: base has batch_shape (3, 2) and event_shape (); x holds four draws of the whole batch.
    """
    base = Normal(torch.zeros(3, 2), torch.ones(3, 2))
    x = torch.zeros(4, 3, 2)
    assert base.log_prob(x).shape == (4, 3, 2)
    assert Independent(base, 1).log_prob(x).shape == (4, 3)
    assert Independent(base, 2).log_prob(x).shape == (4,)


def test_independent_log_prob_is_a_log_of_a_product():
    """A sum of log-probabilities is the log of the product of the probabilities, so exp of an Independent's log_prob is the joint probability of each whole event.

    Hint: one event per row, the probability of each outcome as in the Bernoulli koan.
    """
    base = Bernoulli(probs=torch.tensor([[0.5, 0.5], [0.25, 0.75]]))
    joint = Independent(base, 1).log_prob(torch.tensor([[1.0, 0.0], [1.0, 1.0]])).exp()
    assert [round(v, 4) for v in joint.tolist()] == [0.25, 0.1875]


def test_validation_refuses_values_outside_the_support():
    """With argument validation on, log_prob checks its value against the support and raises; with validate_args=False the formula is applied blindly, here x * log(p) + (1 - x) * log(1 - p) at an impossible x. Validation is on by default only until torch.compile first starts Dynamo, which turns the default off for the whole process: pass validate_args=True where you rely on it.

    Hint: first a built-in exception about a bad value; then put x = 2 into the formula, with p = 1 - p.
    """
    with pytest.raises(Exception) as info:
        Bernoulli(probs=torch.tensor(0.5), validate_args=True).log_prob(torch.tensor(2.0))
    assert info.type is ValueError
    blind = Bernoulli(probs=torch.tensor(0.5), validate_args=False)
    assert round(blind.log_prob(torch.tensor(2.0)).exp().item(), 4) == 0.5
