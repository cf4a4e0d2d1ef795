"""The outcome record and its one fold (kata/runs/record.py), which verify, mutants and `kata progress --run` share.

The fold's rule, phase by phase: a failure in any phase wins (and one outside the call is named as such); a skip
counts when nothing failed; a pass is a passed call, and nothing later undoes a failure.
"""

from kata.runs.record import Outcome, Record, fold, read, write

KID = "koans/01_arith/test_01_add.py::test_two_and_two_make_four"
PLACE = ("koans", "01_arith")


def folded(*records: Record) -> Outcome:
    result = fold(list(records))
    assert list(result.outcomes) == [KID]
    return result.outcomes[KID]


def test_a_passed_call_is_a_pass():
    o = folded(Record(KID, "setup", "passed"), Record(KID, "call", "passed"), Record(KID, "teardown", "passed"))
    assert (o.outcome, o.verdict, o.message) == ("passed", None, "")


def test_a_failing_teardown_after_a_passed_call_is_a_failure_named_as_such():
    o = folded(
        Record(KID, "setup", "passed"),
        Record(KID, "call", "passed"),
        Record(KID, "teardown", "failed", message="a fixture broke"),
    )
    assert (o.outcome, o.verdict, o.message) == ("failed", "error in teardown", "a fixture broke")


def test_the_first_failure_keeps_its_message_and_a_failed_call_its_verdict():
    o = folded(
        Record(KID, "setup", "passed"),
        Record(KID, "call", "failed", verdict="blank", message="fill in the blank"),
        Record(KID, "teardown", "passed"),
    )
    assert (o.outcome, o.verdict, o.message) == ("failed", "blank", "fill in the blank")


def test_nothing_later_undoes_a_failure():
    # The same test id reported again (a rerun in one record file): a pass or a skip after it changes nothing.
    o = folded(
        Record(KID, "call", "failed", verdict="wrong", message="assert 5 == 4"),
        Record(KID, "call", "passed"),
        Record(KID, "setup", "skipped", skip_reason="needs a CUDA GPU"),
    )
    assert (o.outcome, o.verdict, o.message, o.skip_reason) == ("failed", "wrong", "assert 5 == 4", "")


def test_a_skip_counts_when_nothing_failed_and_keeps_its_reason_and_hardware():
    o = folded(
        Record(KID, "setup", "skipped", place=PLACE, hardware="cuda", skip_reason="needs a CUDA GPU"),
        Record(KID, "teardown", "passed"),
    )
    assert (o.outcome, o.skip_reason, o.hardware, o.place) == ("skipped", "needs a CUDA GPU", "cuda", PLACE)


def test_setup_and_teardown_passing_without_a_call_is_no_pass():
    o = folded(Record(KID, "setup", "passed"), Record(KID, "teardown", "passed"))
    assert o.outcome == "missing"


def test_collection_errors_belong_to_no_test():
    error = Record("koans/01_arith/test_01_add.py", "collect", "failed", message="SyntaxError")
    result = fold([error, Record(KID, "call", "passed")])
    assert result.loose == [error]
    assert list(result.outcomes) == [KID]


def test_records_survive_the_json_file(tmp_path):
    records = [
        Record(KID, "call", "failed", place=PLACE, hardware="cuda", verdict="blank", message="m\nn"),
        Record(KID, "setup", "skipped", skip_reason="why"),
    ]
    write(tmp_path / "records.jsonl", records)
    assert read(tmp_path / "records.jsonl") == records
    assert read(tmp_path / "absent.jsonl") == []
