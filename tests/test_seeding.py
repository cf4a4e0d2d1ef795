"""pytest-randomly's torch seeder (kata/plugin/seeding.py): registered for every project in the environment,
so it must never import torch itself, and where torch is in use it makes a shuffled run repeatable."""

from __future__ import annotations

import importlib.metadata
import sys

import pytest

from kata.plugin.seeding import seed_torch

# Another project's conftest: says at the end whether anything in the run imported torch.
PROBE = """
import sys

def pytest_sessionfinish(session):
    print("\\ntorch imported:", "torch" in sys.modules)
"""


def test_the_seeder_is_registered_with_pytest_randomly():
    seeders = importlib.metadata.entry_points(group="pytest_randomly.random_seeder")
    assert [(e.name, e.value) for e in seeders if e.value.startswith("kata.")] == [
        ("torch", "kata.plugin.seeding:seed_torch")
    ]


def test_another_projects_shuffled_run_does_not_import_torch(pytester):
    pytester.makeconftest(PROBE)
    pytester.makepyfile(test_other="def test_something_else():\n    assert 1 + 1 == 2\n")
    result = pytester.runpytest_subprocess("-p", "randomly", "--randomly-seed=7", "-s")
    result.assert_outcomes(passed=1)
    assert "torch imported: False" in result.outlines


def test_where_torch_is_imported_the_seed_repeats_its_numbers():
    torch = pytest.importorskip("torch")
    seed_torch(7)
    first = torch.rand(4)
    seed_torch(7)
    assert torch.equal(torch.rand(4), first)
    assert "torch" in sys.modules
