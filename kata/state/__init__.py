"""The learner's state: solved koans and the one progress counter (``progress``), what this
machine's hardware can run (``hardware``), and pytest's cache as read from outside pytest
(``cache``)."""
