"""The blank, ``__``: the one thing a learner replaces in a koan.

An unfilled blank must never let a koan pass.  Comparing with it is always
false (``==`` and ``!=`` alike), so ``assert x == __`` fails.  Everything
else a value can be used for (truthiness, iteration, indexing, calling,
arithmetic, hashing, ``len``, numeric conversion) raises :class:`BlankError`.
Torch refuses it as a dtype, shape, device or exception class by itself,
because it is none of those.

``BlankError`` derives from ``BaseException`` on purpose: a koan's own
``pytest.raises(Exception)`` or an ``except Exception`` inside torch must not
swallow it and turn an unfilled koan green.
"""

from __future__ import annotations

__all__ = ["__", "Blank", "BlankError"]


class BlankError(BaseException):
    """Raised whenever an unfilled blank is used as a value."""

    def __init__(self, action: str) -> None:
        super().__init__(f"fill in the blank: __ cannot be used for {action}")


def _refuse(action: str):
    def refuse(self, *args, **kwargs):
        raise BlankError(action)

    refuse.__name__ = f"refuse_{action.replace(' ', '_')}"
    return refuse


class Blank:
    """The type of ``__``.  There is exactly one instance."""

    __slots__ = ()
    _instance: Blank | None = None

    def __new__(cls) -> Blank:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "__"

    __str__ = __repr__

    # Comparisons for equality are false both ways, so no assertion passes.
    def __eq__(self, other: object) -> bool:
        return False

    def __ne__(self, other: object) -> bool:
        return False

    # Pickled by name, so a blank returned from a worker process stays the blank.
    def __reduce__(self) -> str:
        return "__"

    def __getattr__(self, name: str):
        # Dunder probes (copy, pickle, numpy and torch protocol checks) get the
        # ordinary "no such attribute" so that tools inspecting the object keep
        # working; a learner's ``__.shape`` is a use of the blank.
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        raise BlankError(f"attribute access (.{name})")

    def __setattr__(self, name: str, value: object) -> None:
        raise BlankError(f"attribute assignment (.{name})")

    __bool__ = _refuse("truth testing")
    __hash__ = _refuse("hashing")  # type: ignore[assignment]
    __len__ = _refuse("len()")
    __iter__ = _refuse("iteration")
    __contains__ = _refuse("membership tests")
    __getitem__ = _refuse("indexing")
    __setitem__ = _refuse("item assignment")
    __call__ = _refuse("calling")
    __index__ = _refuse("an integer index")
    __int__ = _refuse("int()")
    __float__ = _refuse("float()")
    __complex__ = _refuse("complex()")
    __lt__ = _refuse("ordering (<)")
    __le__ = _refuse("ordering (<=)")
    __gt__ = _refuse("ordering (>)")
    __ge__ = _refuse("ordering (>=)")
    __neg__ = _refuse("unary minus")
    __pos__ = _refuse("unary plus")
    __abs__ = _refuse("abs()")
    __invert__ = _refuse("bitwise not")
    __enter__ = _refuse("a with statement")
    __exit__ = _refuse("a with statement")


_ARITHMETIC = ("add", "sub", "mul", "matmul", "truediv", "floordiv", "mod",
               "divmod", "pow", "lshift", "rshift", "and", "or", "xor")
for _op in _ARITHMETIC:
    for _name in (f"__{_op}__", f"__r{_op}__", f"__i{_op}__"):
        setattr(Blank, _name, _refuse(f"arithmetic ({_name})"))
del _op, _name

__ = Blank()
