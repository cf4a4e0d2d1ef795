"""Support package of the PyTorch koans kata: the blank, the pytest plugin and the command line.

Koan files import the blank, ``from kata import __``, and message koans
``raises`` too.  Importing this package must stay cheap (no torch, no pytest):
it runs on every learner's pytest start and every ``kata`` command.
"""

from kata.blank import Blank, BlankError, __

__all__ = ["__", "Blank", "BlankError", "__version__", "raises"]

# The one version source: setuptools reads it (pyproject.toml, dynamic version).
__version__ = "0.2.0"


def __getattr__(name: str) -> object:
    # ``raises`` wraps pytest.raises; loaded only where a koan asks for it.
    if name == "raises":
        from kata.messages import raises

        return raises
    raise AttributeError(f"module 'kata' has no attribute {name!r}")
