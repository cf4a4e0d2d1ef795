"""Complex tensors: interleaved real and imaginary parts, the lazy conjugate, promotion and gradients."""

import torch

from kata import __, raises


def test_view_as_real_adds_a_last_dimension_of_two():
    """A complex tensor stores each element as two real numbers side by side, and torch.view_as_real shows that memory as a real tensor with one more dimension, of size 2, at the end.

    Hint: a complex64 element is made of two numbers of which real dtype?
    """
    z = torch.tensor([1 + 2j, 3 - 1j, 0 + 1j])
    r = torch.view_as_real(z)
    assert r.shape == (3, 2)
    assert r.dtype == torch.float32


def test_view_as_real_shares_memory_with_the_complex_tensor():
    """view_as_real makes no copy: its strides are counted in real numbers over the same memory, so writing into it changes the complex tensor.

    Hint: column 1 of the real view holds the imaginary parts.
    """
    z = torch.tensor([1 + 2j, 3 - 1j])
    r = torch.view_as_real(z)
    r[1, 1] = 5.0
    assert r.stride() == (2, 1)
    assert z[1].item() == 3 + 5j


def test_imag_is_a_strided_view_one_number_in():
    """z.real and z.imag are real views over the complex memory: they step over two real numbers per element, and imag starts one real number further in.

    Hint: measure in real numbers, as view_as_real does.
    """
    z = torch.tensor([1 + 2j, 3 - 1j, 5 + 0j])
    assert z.imag.stride() == (2,)
    assert z.imag.storage_offset() == 1


def test_view_as_complex_pairs_up_the_last_dimension():
    """torch.view_as_complex reads a real tensor whose last dimension has size 2 (and stride 1) as complex numbers: element 0 of each pair is the real part, element 1 the imaginary part.

    Hint: arange(6.0) reshaped to (3, 2) holds the pairs (0, 1), (2, 3), (4, 5).
    """
    c = torch.view_as_complex(torch.arange(6.0).reshape(3, 2))
    assert c.tolist() == [1j, 2 + 3j, 4 + 5j]


def test_conj_is_a_lazy_view():
    """z.conj() copies nothing: it returns a view of z's memory with a conjugate bit set (is_conj() is True), and the negation of the imaginary part happens whenever the view is read; resolve_conj() writes the conjugated values into new memory.

    Hint: z is doubled after both were made; which of the two reads z's memory now?
    """
    z = torch.tensor([1 + 1j])
    lazy = z.conj()
    eager = z.conj().resolve_conj()
    z.mul_(2)
    assert lazy.item() == 2 - 2j
    assert eager.item() == 1 - 1j


def test_view_as_real_refuses_an_unresolved_conjugate():
    """A conjugate view's memory still holds the values before conjugation, so a real view of that memory would show the wrong signs; view_as_real refuses it with a RuntimeError saying the tensor's conjugation has not been resolved.

    Hint: the message describes the tensor in two words, one made from resolve and one from conj.
    """
    z = torch.tensor([1 + 2j])
    with raises(RuntimeError, match=r"unresolved conjugated"):
        torch.view_as_real(z.conj())


def test_complex_with_float_promotes_to_the_wider_precision():
    """Mixing complex and float tensors with dimensions gives a complex result whose parts are as precise as the more precise operand; a 0-dim tensor of a lower category (float is below complex) takes no part in choosing the precision.

    Hint: a complex dtype is named by the total bits of its two parts; for the second sum, which operand is 0-dim?
    """
    z = torch.zeros(2, dtype=torch.complex64)
    assert (z + torch.zeros(2, dtype=torch.float64)).dtype == torch.complex128
    assert (z + torch.tensor(1.0, dtype=torch.float64)).dtype == torch.complex64


def test_a_python_complex_scalar_keeps_the_tensors_precision():
    """A Python complex number times a floating-point tensor gives a complex result whose parts keep the tensor's own precision.

    Hint: a float64 tensor's complex counterpart has float64 parts.
    """
    x = torch.zeros(2, dtype=torch.float64)
    assert (x * 1j).dtype == torch.complex128


def test_abs_of_a_complex_tensor_is_real():
    """abs of a complex tensor is the length of each number, sqrt(re ** 2 + im ** 2), returned as a real tensor of the matching precision.

    Hint: a 3-4-5 triangle; the result is no longer complex.
    """
    a = torch.tensor([3 + 4j]).abs()
    assert a.dtype == torch.float32
    assert a.item() == 5.0


def test_the_gradient_of_a_real_loss_is_dl_dx_plus_i_dl_dy():
    """For a real loss L of z = x + iy, PyTorch's z.grad is dL/dx + i * dL/dy (twice the conjugate Wirtinger derivative), so stepping against it descends like a real gradient on (x, y).

    Hint: differentiate L by x and by y separately.
    """
    z = torch.tensor([1 + 2j], requires_grad=True)
    (3 * z.real - z.imag).sum().backward()
    assert z.grad.item() == 3 - 1j


def test_the_gradient_of_the_squared_magnitude():
    """The same rule, dL/dx + i * dL/dy, applies to any real loss, such as the squared magnitude L = |z| ** 2 = x ** 2 + y ** 2.

    Hint: differentiate x ** 2 + y ** 2 by x and by y, then write the pair as one complex number per element.
    """
    z = torch.tensor([1 + 2j, 3 - 1j], requires_grad=True)
    (z.abs() ** 2).sum().backward()
    assert z.grad.tolist() == [2 + 4j, 6 - 2j]


def test_the_gradient_of_the_real_part_of_a_product():
    """The rule dL/dx + i * dL/dy holds for a loss built from complex arithmetic too, such as L = Re(w * z) for a constant complex w.

    Hint: multiply out (2 + 3i)(x + iy) and keep the real part, then differentiate by x and by y.
    """
    w = torch.tensor([2 + 3j])
    z = torch.tensor([1 + 1j], requires_grad=True)
    (w * z).real.sum().backward()
    assert z.grad.item() == 2 - 3j


def test_backward_needs_a_real_scalar():
    """backward() without a gradient argument needs a real scalar, since a complex output is not a loss to minimise; a complex scalar raises a RuntimeError.

    Hint: the message says which kind of scalar outputs grad can be created for.
    """
    z = torch.tensor([1 + 2j], requires_grad=True)
    with raises(RuntimeError, match=r"only for real scalar outputs"):
        (z * z).sum().backward()
