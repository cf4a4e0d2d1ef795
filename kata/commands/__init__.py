"""The learner's companion commands, one module each: ``progress``, ``hint``, ``compare``,
``git`` (``kata branch`` and ``kata reset``) and ``watch``.  They add to pytest, never
replace it; none imports another, and none imports torch."""
