# The kata's pytest plugin lives in the kata package; this is its only registration.
pytest_plugins = ["kata.plugin", "kata.ranks"]
