"""Support package of the PyTorch koans kata: the blank, the pytest plugin and the command line.

Koan files import only the blank: ``from kata import __``.  Importing this
package must stay cheap (no torch): it runs on every learner's pytest start.
"""

from kata.blank import Blank, BlankError, __

__all__ = ["__", "Blank", "BlankError"]
__version__ = "0.1.0"
