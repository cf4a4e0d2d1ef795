"""The verified torch releases: one list, named in the README, and one line for a learner on another release."""

from pathlib import Path

from kata.state import compat

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_a_verified_release_says_nothing_whatever_its_build():
    assert compat.release_note("2.13.0+cpu") is None
    assert compat.release_note("2.15.0+cu132") is None


def test_another_release_gets_one_line_naming_it_and_the_verified_ones():
    note = compat.release_note("2.12.1")
    assert note is not None and "\n" not in note
    assert "torch 2.12.1" in note and ", ".join(compat.VERIFIED_TORCH) in note


def test_the_readme_names_the_verified_releases():
    verified = compat.VERIFIED_TORCH
    assert f"**torch {', '.join(verified[:-1])} and {verified[-1]}**" in README
