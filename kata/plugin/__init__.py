"""The kata's pytest plugin, registered by the root ``conftest.py`` (``kata.plugin``).

Two modes, each its own plugin object, registered only in its mode:

- learn (default): ``kata.plugin.learner`` - koans in curriculum order, stop
  at the first unsolved koan, a short report (lesson, blank ``file:line``, or
  the assertion diff), then the progress line.
- verify (``--kata-verify=FILE``, what ``python -m kata verify`` and
  ``kata progress --run`` use): ``kata.plugin.recorder`` - run everything and
  write one ``kata.runs.record.Record`` per report to FILE.

Both share ``kata.plugin.classify``, which decides, once, which tests are
koans, what hardware they need (skipping them where it is missing) and why a
failed koan failed, so that the learner's run and the maintainers' check agree
on what "solved" means.  Every other test (the kit's own) passes through.
"""

from __future__ import annotations

import pytest

from kata.layout import HARDWARE_MARKERS


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kata", "PyTorch koans")
    group.addoption(
        "--hint",
        action="store_true",
        default=False,
        help="show the hint of the koan you are stuck on (never its answer)",
    )
    group.addoption(
        "--keep-going",
        action="store_true",
        default=False,
        help="run every selected koan instead of stopping at the first unsolved one",
    )
    from kata.plugin.timeout import DEFAULT_LIMIT

    group.addoption(
        "--kata-timeout",
        metavar="SECONDS",
        type=float,
        default=None,
        help=f"stop a koan that runs longer than this (default: the ini setting kata_timeout, else "
        f"{DEFAULT_LIMIT:g}; 0: no limit); multiprocess koans keep their own bound",
    )
    parser.addini(
        "kata_timeout", "seconds a koan may run before it is stopped (0: no limit)", default=str(DEFAULT_LIMIT)
    )
    group.addoption(
        "--kata-verify",
        metavar="FILE",
        default=None,
        help="for maintainers: run every koan and write each outcome as a JSON line "
        "to FILE (what `python -m kata verify` does)",
    )


def pytest_configure(config: pytest.Config) -> None:
    for name, description in HARDWARE_MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {description}")
    from kata.plugin.classify import Classifier

    classifier = Classifier(config)
    config.pluginmanager.register(classifier, "kata-classifier")
    verify_file = config.getoption("kata_verify")
    if verify_file:
        from kata.plugin.recorder import Recorder

        config.pluginmanager.register(Recorder(config, classifier, verify_file), "kata-recorder")
    else:
        from kata.plugin.learner import LearnerSession

        config.pluginmanager.register(LearnerSession(config, classifier), "kata-learner")
    from kata.plugin import timeout

    timeout.register(config, classifier, verify_file)  # both modes: a koan that never finishes is stopped
