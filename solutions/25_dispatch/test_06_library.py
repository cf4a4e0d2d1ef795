"""torch.library at the dispatcher level: defining an operator, registering a kernel per dispatch key, and checking them with opcheck."""

import torch
from torch._subclasses.fake_tensor import FakeTensorMode

from kata import __, raises

# koans/ and solutions/ both import this file; an operator can be defined only
# once per process, so each is defined only if it is missing.
if not hasattr(torch.ops.kata_lib, "bare"):
    torch.library.define("kata_lib::bare", "(Tensor x) -> Tensor")

if not hasattr(torch.ops.kata_lib, "tell"):
    # The Meta kernel deliberately returns one element too many, so that an
    # output's shape tells which of the two kernels computed it.
    torch.library.define("kata_lib::tell", "(Tensor x) -> Tensor")
    torch.library.impl("kata_lib::tell", "CPU", lambda x: x + 1)
    torch.library.impl("kata_lib::tell", "Meta", lambda x: x.new_empty(x.shape[0] + 1))

if not hasattr(torch.ops.kata_lib, "sin_twice"):
    torch.library.define("kata_lib::sin_twice", "(Tensor x) -> Tensor")
    torch.library.impl("kata_lib::sin_twice", "CompositeImplicitAutograd", lambda x: x.sin() * 2)

if not hasattr(torch.ops.kata_lib, "triple"):
    torch.library.define("kata_lib::triple", "(Tensor x) -> Tensor")
    torch.library.impl("kata_lib::triple", "CPU", lambda x: x * 3)
    torch.library.impl("kata_lib::triple", "Meta", lambda x: torch.empty_like(x))
    torch.library.register_autograd(
        "kata_lib::triple", lambda ctx, grad: grad * 3, setup_context=lambda ctx, inputs, output: None)

if not hasattr(torch.ops.kata_lib, "wrong_meta"):
    torch.library.define("kata_lib::wrong_meta", "(Tensor x) -> Tensor")
    torch.library.impl("kata_lib::wrong_meta", "CPU", lambda x: x * 2)
    torch.library.impl("kata_lib::wrong_meta", "Meta", lambda x: x.new_empty(x.shape[0] * 2))

if not hasattr(torch.ops.kata_lib, "secret_write"):

    def _secret_write(x):
        x.mul_(2)
        return x.clone()

    torch.library.define("kata_lib::secret_write", "(Tensor x) -> Tensor")
    torch.library.impl("kata_lib::secret_write", "CPU", _secret_write)
    torch.library.impl("kata_lib::secret_write", "Meta", lambda x: torch.empty_like(x))


def test_a_defined_op_has_no_kernels_yet():
    """torch.library.define only adds a schema to the dispatcher; with no kernel for the key a call resolves to, the dispatcher raises NotImplementedError naming that key.

    Hint: the message says the op could not run with arguments from a backend, and quotes the backend's key.
    """
    with raises(NotImplementedError, match="from the 'CPU' backend"):
        torch.ops.kata_lib.bare(torch.ones(2))


def test_the_backend_key_picks_the_kernel():
    """torch.library.impl(name, key, fn) registers fn for one dispatch key, and a call runs the kernel of the key its tensors carry; FakeTensorMode has no data to run the CPU kernel on, so it runs an op's Meta kernel on meta stand-ins.

    Hint: read each output's length; the Meta kernel of this op adds one to it.
    """
    cpu = torch.ops.kata_lib.tell(torch.ones(2))
    meta = torch.ops.kata_lib.tell(torch.ones(2, device="meta"))
    with FakeTensorMode():
        fake = torch.ops.kata_lib.tell(torch.ones(2))
    assert [len(cpu), len(meta), len(fake)] == [2, 3, 3]
    assert cpu.tolist() == [2.0, 2.0]


def test_a_composite_kernel_gets_autograd_for_free():
    """A kernel registered for CompositeImplicitAutograd serves every backend and runs above the autograd layer, so the aten ops inside it record their own backward nodes and no gradient formula is needed.

    Hint: grad_fn is the backward node of the last aten op the kernel calls.
    """
    x = torch.zeros(2, requires_grad=True)
    y = torch.ops.kata_lib.sin_twice(x)
    assert y.grad_fn.name() == "MulBackward0"
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_register_autograd_fills_the_autograd_key():
    """A backend kernel runs below autograd, so the op needs a kernel for the Autograd key too; torch.library.register_autograd builds one from a backward formula, and the output's grad_fn is a node made for the op rather than one per aten op inside it.

    Hint: the formula multiplies the incoming gradient by the op's factor; the node's name is not an aten op's.
    """
    x = torch.ones(2, requires_grad=True)
    y = torch.ops.kata_lib.triple(x)
    assert y.grad_fn.name() != "MulBackward0"
    y.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_opcheck_catches_a_fake_kernel_that_disagrees():
    """torch.library.opcheck runs an op on sample inputs and checks it several ways: that it honours its schema (writes and aliases only what the schema says), that its fake kernel's output metadata matches the real output, that its autograd registration is sound, and that it works under AOTAutograd; the error names the check that failed.

    Hint: the checks are named test_<what they check>; which kernel of wrong_meta is wrong?
    """
    with raises(Exception, match="test_faketensor"):
        torch.library.opcheck(torch.ops.kata_lib.wrong_meta, (torch.ones(2),))


def test_opcheck_catches_a_schema_that_hides_a_write():
    """The dispatcher and every compiler trust the schema's alias annotations; a kernel that mutates an input its schema does not mark with (a!) breaks functionalization silently, and opcheck says which argument.

    Hint: the message names the argument that was not defined as mutable.
    """
    with raises(Exception, match="Argument x is not defined as mutable"):
        torch.library.opcheck(torch.ops.kata_lib.secret_write, (torch.ones(2),))
