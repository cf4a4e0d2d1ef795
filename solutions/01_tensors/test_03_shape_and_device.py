"""Shape, size, number of elements, number of dimensions, and the device a tensor lives on."""

import torch

from kata import __, raises


def test_shape_size_numel_dim_and_len_describe_a_tensor():
    """t.shape is a torch.Size, a subclass of tuple (it compares equal to a plain tuple and slices like one); t.size(d) is the length of dimension d, negative d counting from the end; t.numel() is the product of all sizes; t.dim() is the length of the shape; len(t) is the size of the first dimension, what a for loop over t visits.

    Hint: a size may be 0; the product of sizes with a 0 among them is 0, but the other sizes stay.
    """
    t = torch.zeros(2, 3, 4)
    assert (t.shape[1:], t.size(-2), t.numel(), t.dim(), len(t)) == ((3, 4), 3, 24, 3, 2)
    empty = torch.zeros(3, 0)
    assert (empty.numel(), len(empty), empty.dim()) == (0, 3, 2)


def test_a_zero_dim_tensor_has_one_element_and_no_len():
    """A zero-dimensional tensor has an empty shape and holds one element (the product of no sizes is 1); having no first dimension, it has no len(), which raises a TypeError that names the tensor by its number of dimensions, written N-d.

    Hint: how many sizes are there to multiply, and what is an empty product?
    """
    t = torch.tensor(3.5)
    assert (t.dim(), t.numel()) == (0, 1)
    with raises(TypeError, match="0-d tensor"):
        len(t)


def test_item_gives_a_python_number_of_the_tensors_kind():
    """t.item() returns the single value of a one-element tensor, whatever its shape, as the Python number of the matching kind: bool, int, float or complex.

    Hint: look at the kind of each tensor's dtype, not at its shape.
    """
    tensors = [torch.tensor([[42]]), torch.tensor(2.5, dtype=torch.float16), torch.tensor([True]), torch.arange(3)[1:2]]
    assert [type(t.item()) for t in tensors] == [int, float, bool, int]


def test_item_refuses_several_elements():
    """item() works only on tensors with exactly one element; with more it raises a RuntimeError saying how many there are.

    Hint: the message counts elements, not dimensions.
    """
    t = torch.zeros(2, 3)
    with raises(RuntimeError, match="with 6 elements"):
        t.item()


def test_a_dimension_out_of_range_names_the_valid_range():
    """Asking for a dimension a tensor does not have raises IndexError, and the message gives the lowest and the highest dimension number the tensor accepts, negative ones included, then the number asked for.

    Hint: a tensor of n dimensions accepts -n up to n - 1.
    """
    t = torch.zeros(2, 3, 4)
    with raises(IndexError, match=r"\[-3, 2\], but got 3"):
        t.size(3)


def test_a_device_is_a_type_and_an_optional_index():
    """Unless told otherwise, tensors are allocated in main memory, on the device of type "cpu". A torch.device is a type plus an optional index that picks one of several accelerators; the CPU device names the whole CPU and carries no index, and a device can be named without the hardware being present.

    Hint: parse each device string into its type and index; a missing index is Python's value for nothing.
    """
    devices = [torch.zeros(2).device, torch.device("cuda:1"), torch.device("cuda")]
    assert [(d.type, d.index) for d in devices] == [("cpu", None), ("cuda", 1), ("cuda", None)]


def test_to_returns_the_same_tensor_when_nothing_changes():
    """t.to(...) returns t itself, not a copy, when t already has the requested device and dtype, unless copy=True asks for a copy anyway.

    Hint: for each call, does anything about t have to change?
    """
    t = torch.zeros(2)
    results = [t.to("cpu", torch.float32), t.to(torch.float64), t.to("cpu"), t.to(torch.float32, copy=True)]
    assert [r is t for r in results] == [True, False, True, False]
