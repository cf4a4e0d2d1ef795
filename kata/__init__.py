"""Support package of the PyTorch koans kata: the blank, the pytest plugin and the command line.

Koan files import the blank, ``from kata import __``, and message koans
``raises`` too.  Importing this package must stay cheap (no torch, no pytest):
it runs on every learner's pytest start and every ``kata`` command.
"""

from kata.blank import Blank, BlankError, __

__all__ = ["Blank", "BlankError", "__", "__version__", "raises", "warns"]

# The one version source: setuptools reads it (pyproject.toml, dynamic version).
__version__ = "0.2.0"


def __getattr__(name: str) -> object:
    # ``raises`` and ``warns`` wrap pytest's; loaded only where a koan asks for them.
    if name in ("raises", "warns"):
        from kata import messages

        return getattr(messages, name)
    raise AttributeError(f"module 'kata' has no attribute {name!r}")
