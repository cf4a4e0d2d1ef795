"""The teaching lint: an answer in the docstring, the test name or an earlier koan's code is flagged, exactly."""

import textwrap

from kata.dev import teaching

KOANS = '''
    """A lesson."""

    import torch

    from kata import __, raises


    def test_shape_of_a_reshape():
        """reshape keeps the elements and changes the shape to (3, 4).

        Hint: count.
        """
        assert torch.arange(12).reshape(3, 4).shape == __


    def test_first_element():
        """The first element of a range is its start.

        Hint: start.
        """
        assert torch.arange(5)[0].item() == __


    def test_message_names_the_leaf():
        """In-place on a leaf is refused.

        Hint: what kind of tensor.
        """
        w = torch.ones(1, requires_grad=True)
        with raises(RuntimeError, match=__):
            w.add_(1)


    def test_is_contiguous_is_true():
        """A fresh tensor is contiguous.

        Hint: row-major.
        """
        x = torch.zeros(2, 3)
        assert x.shape == (2, 3)
        assert x.is_contiguous() is __


    def test_view_keeps_the_shape():
        """A view of a view.

        Hint: look.
        """
        assert torch.zeros(6).view(2, 3).view(-1, 3).shape == __
'''
ANSWERS = ["(3, 4)", "0", 'r"leaf Variable"', "True", "(2, 3)"]


def write_pair(kata, koans=KOANS, answers=ANSWERS):
    koan = textwrap.dedent(koans).lstrip()
    head, sep, body = koan.partition("from kata import __, raises\n")
    pieces = body.split("__")
    solution = head + sep + pieces[0] + "".join(a + rest for a, rest in zip(answers, pieces[1:], strict=True))
    kata.lesson("koans", "01_x", "test_01_x.py", koan)
    kata.lesson("solutions", "01_x", "test_01_x.py", solution)


def test_each_kind_of_give_away_is_flagged_with_where_it_is(kata):
    write_pair(kata)
    found = teaching.lint(kata.root, ["01_x"], exceptions={}).give_aways
    assert [g.describe() for g in found] == [
        "koans/01_x/test_01_x.py::test_shape_of_a_reshape: the answer (3, 4) is in its docstring",
        "koans/01_x/test_01_x.py::test_is_contiguous_is_true: the answer True is in its test name",
        "koans/01_x/test_01_x.py::test_view_keeps_the_shape: the answer (2, 3) is in the code of the earlier koan "
        "test_is_contiguous_is_true",
    ]


def test_short_numbers_and_call_arguments_in_earlier_code_are_not_give_aways(kata):
    # `0` is one character; `torch.zeros(2, 3)` is a call's arguments, not the shape literal (2, 3).
    koans = KOANS.replace("        assert x.shape == (2, 3)\n", "")
    write_pair(kata, koans)
    found = teaching.lint(kata.root, ["01_x"], exceptions={}).give_aways
    assert [g.koan_id.split("::")[1] for g in found] == ["test_shape_of_a_reshape", "test_is_contiguous_is_true"]


def test_a_message_answer_is_looked_for_by_its_words(kata):
    koans = KOANS.replace("In-place on a leaf is refused.", "In-place on a leaf Variable is refused.")
    write_pair(kata, koans)
    found = teaching.lint(kata.root, ["01_x"], exceptions={}).give_aways
    assert [g.describe() for g in found] == [
        "koans/01_x/test_01_x.py::test_shape_of_a_reshape: the answer (3, 4) is in its docstring",
        'koans/01_x/test_01_x.py::test_message_names_the_leaf: the answer r"leaf Variable" is in its docstring',
        "koans/01_x/test_01_x.py::test_is_contiguous_is_true: the answer True is in its test name",
        "koans/01_x/test_01_x.py::test_view_keeps_the_shape: the answer (2, 3) is in the code of the earlier koan "
        "test_is_contiguous_is_true",
    ]


def test_the_exception_list_excuses_with_a_reason_and_cannot_go_stale(kata):
    write_pair(kata)
    excused = "koans/01_x/test_01_x.py::test_shape_of_a_reshape"
    stale = "koans/01_x/test_01_x.py::test_first_element"
    result = teaching.lint(kata.root, ["01_x"], exceptions={excused: "the shape is the lesson", stale: "no longer"})
    assert [g.koan_id for g in result.give_aways] == [
        "koans/01_x/test_01_x.py::test_is_contiguous_is_true",
        "koans/01_x/test_01_x.py::test_view_keeps_the_shape",
    ]
    assert result.excused == {excused: "the shape is the lesson"}
    assert result.stale == [stale]


def test_the_shipped_exception_list_gives_a_reason_for_every_entry():
    # (An entry naming no flagged koan is verify's finding: the lint's `stale`, tested above.)
    shipped = teaching.read_exceptions()
    assert [k for k, why in shipped.items() if not why.strip()] == []
    assert all("::test_" in k for k in shipped)


def test_a_message_blank_in_plain_pytest_raises_is_found(kata):
    koans = KOANS.replace("with raises(RuntimeError, match=__):", "with pytest.raises(RuntimeError, match=__):")
    write_pair(kata, koans.replace("    import torch\n", "    import pytest\n    import torch\n", 1))
    assert teaching.loose_message_blanks(kata.root, ["01_x"]) == [("koans/01_x/test_01_x.py", 31)]
