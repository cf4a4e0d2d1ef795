"""The KL registry and transformed distributions: kl_divergence, register_kl, TransformedDistribution and log-det-Jacobians."""

import math

import pytest
import torch
from torch.distributions import Categorical, Independent, LogNormal, Normal, TransformedDistribution, kl_divergence, register_kl
from torch.distributions.transforms import AffineTransform, ComposeTransform, ExpTransform

from kata import __


def test_kl_between_normals_of_one_scale_is_half_the_squared_shift():
    """kl_divergence(p, q) looks up a closed form registered for the pair of types; for two Normals it is log(s_q / s_p) + (s_p ** 2 + (m_p - m_q) ** 2) / (2 * s_q ** 2) - 1 / 2, elementwise over the batch.

    Hint: with equal scales the log is 0 and the 1/2 cancels.
    """
    p = Normal(torch.tensor([2.0, 3.0]), torch.tensor([1.0, 2.0]))
    q = Normal(torch.tensor([0.0, 0.0]), torch.tensor([1.0, 2.0]))
    assert kl_divergence(p, q).tolist() == [2.0, 1.125]


def test_kl_is_not_symmetric():
    """KL(p || q) weighs the log-ratio by p, so swapping the arguments changes the value: a narrow p inside a wide q costs less than a wide p inside a narrow q.

    Hint: use the closed form with m_p = m_q; log(2) is about 0.6931.
    """
    narrow, wide = Normal(0.0, 1.0), Normal(0.0, 2.0)
    assert round(kl_divergence(narrow, wide).item(), 4) == 0.3181
    assert round(kl_divergence(wide, narrow).item(), 4) == 0.8069


def test_a_pair_without_a_registered_kl_raises():
    """kl_divergence knows only the pairs registered with register_kl (or a parent class pair); for any other pair it gives up rather than estimate.

    Hint: the exception Python keeps for what has not been implemented.
    """
    p = Categorical(probs=torch.tensor([0.5, 0.5]))
    with pytest.raises(Exception) as info:
        kl_divergence(p, Normal(0.0, 1.0))
    assert info.type is NotImplementedError


def test_register_kl_picks_the_most_specific_pair():
    """Lookup takes the most specific registered (type_p, type_q) pair by subclass: a subclass of Normal uses the Normal-Normal rule until a rule for the subclass itself is registered.

    Hint: the first KL is the inherited closed form, the second whatever the new rule returns.
    """

    class Shifted(Normal):
        pass

    p, q = Shifted(1.0, 1.0), Normal(0.0, 1.0)
    before = kl_divergence(p, q).item()

    @register_kl(Shifted, Normal)
    def _kl_shifted_normal(p, q):
        return torch.tensor(7.0)

    assert before == 0.5
    assert kl_divergence(p, q).item() == 7.0
    assert kl_divergence(Normal(1.0, 1.0), q).item() == 0.5


def test_kl_of_independents_sums_over_the_event():
    """The KL of two Independent distributions is the KL of their bases summed over the reinterpreted dims, so it has the batch_shape of the Independent.

    Hint: each row is one event of two independent Normals of scale 1.
    """
    p = Independent(Normal(torch.tensor([[1.0, 2.0], [0.0, 4.0]]), 1.0), 1)
    q = Independent(Normal(torch.zeros(2, 2), 1.0), 1)
    assert kl_divergence(p, q).tolist() == [2.5, 8.0]


def test_quantiles_go_through_a_monotone_transform():
    """LogNormal(mu, sigma) is TransformedDistribution(Normal(mu, sigma), [ExpTransform()]): mu and sigma are the base Normal's, and as exp is increasing, each quantile (icdf) of the result is exp of the base's quantile.

    Hint: the median of a Normal is its mean.
    """
    d = LogNormal(torch.tensor(math.log(3.0)), 1.0)
    assert round(d.icdf(torch.tensor(0.5)).item(), 4) == 3.0


def test_transformed_log_prob_subtracts_the_log_det_jacobian():
    """For y = f(x), TransformedDistribution.log_prob(y) = base.log_prob(f^-1(y)) - log|df/dx| at x = f^-1(y); for f = exp that correction is x itself.

    Hint: y = 1 and y = e come from x = 0 and x = 1; the Normal(0, 1) log_probs at those x differ by the squared term.
    """
    d = TransformedDistribution(Normal(0.0, 1.0), [ExpTransform()])
    diff = d.log_prob(torch.tensor(1.0)) - d.log_prob(torch.tensor(math.e))
    assert round(diff.item(), 4) == 1.5


def test_composed_transforms_add_their_log_dets():
    """A ComposeTransform applies its parts in order, and by the chain rule its log_abs_det_jacobian is the sum of the parts' log-dets, each at its own input.

    Hint: first y = 2 * x (log-det log 2), then exp of that (log-det its own input, 2 * x).
    """
    t = ComposeTransform([AffineTransform(0.0, 2.0), ExpTransform()])
    x = torch.tensor([0.0, 1.0])
    ladj = t.log_abs_det_jacobian(x, t(x))
    assert [round(v, 4) for v in ladj.tolist()] == [0.6931, 2.6931]


def test_rsample_goes_through_the_transform():
    """A TransformedDistribution has rsample when its base does: it applies the differentiable transforms to the base's rsample, so gradients reach the base's parameters through the chain rule.

    Hint: d(exp(mu + eps))/d(mu) is the draw itself.
    """
    mu = torch.tensor(0.0, requires_grad=True)
    d = TransformedDistribution(Normal(mu, 1.0), [ExpTransform()])
    y = d.rsample()
    y.backward()
    assert torch.allclose(mu.grad, y.detach())
