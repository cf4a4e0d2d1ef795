"""The maintainers' checks: ``static`` (the file rules), ``mutants`` (nudged answers must
fail), ``verify`` (everything, ``python -m kata verify``).  ``teaching`` (the teaching
lint, issue 12) joins them here.  Nothing outside ``kata.cli`` imports this package."""
