"""`kata mutants`: a nudged answer must fail its koan."""

import ast
import io

import pytest

from kata.dev import mutants


@pytest.mark.parametrize(
    "answer, wrong",
    [
        ("3", "4"),
        ("True", "False"),
        ("0.5", "1.0"),
        ("-2", "-1"),
        ("(2, 3)", "(2, 4)"),
        ("[1.0, 2.0]", "[1.0, 4.0]"),
        ("(5,)", "(6,)"),
        ("torch.float32", "torch.float64"),
        ("torch.int64", "torch.int32"),
        ("RuntimeError", "ValueError"),
        ("UserWarning", "DeprecationWarning"),
    ],
)
def test_literal_answers_are_nudged(answer, wrong):
    assert mutants.nudge(ast.parse(answer, mode="eval").body, answer) == wrong


@pytest.mark.parametrize("answer", ['"view size"', "x.cos()", "torch.nn.Linear", "None"])
def test_code_and_text_answers_are_left_alone(answer):
    assert mutants.nudge(ast.parse(answer, mode="eval").body, answer) is None


def test_a_koan_whose_blank_does_not_decide_survives(kata, koan_source):
    koan, solution = koan_source
    kata.pair(
        "01_arith",
        "test_01_add.py",
        koan.replace("assert 3 * 3 == __", "assert 3 * 3 == __ or 3 * 3 == 9"),
        solution.replace("assert 3 * 3 == 9", "assert 3 * 3 == 9 or 3 * 3 == 9"),
    )
    out = io.StringIO()
    assert mutants.run(kata.root, ["01_arith"], workers="0", out=out) == 1
    text = out.getvalue()
    assert "solutions/01_arith/test_01_add.py:19 test_three_times_three: 9 -> 10 still passes" in text
    assert "1 killed, 1 survived" in text
