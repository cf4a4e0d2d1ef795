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

Where a use of the blank ends and a tool's look at it begins
-------------------------------------------------------------
Tools inspect every object they meet: pytest's collection probes each
module-level name (``_mock_name``, ``__test__``), ``inspect``, ``mock``,
debuggers, IDE variable views and tab completion walk ``dir()``, ``copy`` and
``pickle`` ask for ``__reduce_ex__`` and ``__deepcopy__``, IPython for
``_repr_html_``.  They all probe names that begin with an underscore, and they
expect ``AttributeError`` when the name is not there.  A koan's answer never
needs such a name: the answers are public attributes (``t.shape``) or
operations.  So the line is drawn by the name:

* a name that begins with ``_`` (dunder or private) is simply missing, as on
  any object that lacks it: ``getattr(__, "_x", None)`` is ``None`` and
  ``hasattr`` is ``False``;
* a public name (``__.shape``) is a use of the blank and raises
  :class:`BlankError`, as do the operations listed above.

Setting any attribute is always a use (no tool sets attributes on an object
it only inspects).
"""

from __future__ import annotations

# Not `from typing import TYPE_CHECKING`: importing typing would cost every learner's start 2 ms for types
# only a type checker reads (mypy honours this spelling too).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["Blank", "BlankError", "__"]


class BlankError(BaseException):
    """Raised whenever an unfilled blank is used as a value."""

    def __init__(self, action: str) -> None:
        super().__init__(f"fill in the blank: __ cannot be used for {action}")


# The refusers return Any, not NoReturn: to a type checker (a learner's IDE) the blank
# stands for any value, so a koan's code after `__ * 2` is not shown as unreachable.
def _refuse(action: str) -> Callable[..., Any]:
    def refuse(self: Blank, *args: object, **kwargs: object) -> Any:
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

    def __getattr__(self, name: str) -> Any:
        # Only called for names the class lacks.  Underscore names are the
        # tools' namespace (see the module docstring): missing, not a use.
        if name.startswith("_"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        raise BlankError(f"attribute access (.{name})")

    def __setattr__(self, name: str, value: object) -> None:
        raise BlankError(f"attribute assignment (.{name})")

    __bool__ = _refuse("truth testing")
    __hash__ = _refuse("hashing")
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


_ARITHMETIC = (
    "add",
    "sub",
    "mul",
    "matmul",
    "truediv",
    "floordiv",
    "mod",
    "divmod",
    "pow",
    "lshift",
    "rshift",
    "and",
    "or",
    "xor",
)
for _op in _ARITHMETIC:
    for _name in (f"__{_op}__", f"__r{_op}__", f"__i{_op}__"):
        setattr(Blank, _name, _refuse(f"arithmetic ({_name})"))
del _op, _name

__ = Blank()
