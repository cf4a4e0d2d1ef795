"""Child pytest runs (``child``) and the outcome records they write (``record``).

The recorder plugin writes one ``Record`` per report; ``verify``, ``mutants``
and ``kata progress --run`` read them back and fold them, with one rule, into
one ``Outcome`` per test.
"""
