"""The cutover scheduling engine (golive.cutover.graph): plain data, no database."""

from datetime import UTC, datetime, timedelta

import pytest

from golive.cutover.graph import (
    Actual,
    CycleError,
    DuplicateKey,
    Node,
    UnknownPredecessor,
    check_acyclic,
    downstream,
    find_cycle,
    forecast,
    forecast_end,
    project_finish,
    ready_keys,
    schedule,
    topological_order,
)

START = datetime(2025, 6, 6, 18, 0, tzinfo=UTC)


def minutes(n):
    return timedelta(minutes=n)


def at(n):
    return START + minutes(n)


def textbook():
    return [
        Node("A", 3),
        Node("B", 4, ("A",)),
        Node("C", 2, ("A",)),
        Node("D", 5, ("B",)),
        Node("E", 1, ("C",)),
        Node("F", 2, ("C",)),
        Node("G", 4, ("D", "E")),
        Node("H", 3, ("F", "G")),
    ]


def test_textbook_network_critical_path_and_float():
    slots = schedule(textbook(), START)

    assert project_finish(slots) == at(19)
    assert [key for key, slot in slots.items() if slot.critical] == ["A", "B", "D", "G", "H"]
    # By hand: the longest path through C and E is A-C-E-G-H = 13 minutes, through F is
    # A-C-F-H = 10 minutes, so C and E can slip 19 - 13 = 6 and F 19 - 10 = 9 minutes.
    floats = {key: slot.total_float for key, slot in slots.items()}
    assert floats == {
        "A": minutes(0),
        "B": minutes(0),
        "C": minutes(6),
        "D": minutes(0),
        "E": minutes(6),
        "F": minutes(9),
        "G": minutes(0),
        "H": minutes(0),
    }
    earliest = {key: (slot.earliest_start, slot.earliest_finish) for key, slot in slots.items()}
    assert earliest["G"] == (at(12), at(16))
    assert earliest["H"] == (at(16), at(19))
    assert (slots["F"].latest_start, slots["F"].latest_finish) == (at(14), at(16))
    assert (slots["C"].latest_start, slots["C"].latest_finish) == (at(9), at(11))


def test_topological_order_is_deterministic():
    assert topological_order(textbook()) == ["A", "B", "C", "D", "E", "F", "G", "H"]
    assert topological_order(reversed(textbook())) == ["A", "C", "B", "F", "E", "D", "G", "H"]


def test_fixed_start_later_than_predecessors_delays_the_task_and_its_successors():
    nodes = [
        Node("export", 10),
        Node("load", 5, ("export",), fixed_start=at(60)),
        Node("check", 5, ("load",)),
    ]
    slots = schedule(nodes, START)

    assert slots["load"].earliest_start == at(60)
    assert slots["check"].earliest_start == at(65)
    assert project_finish(slots) == at(70)
    # The export may slip until the fixed start: it is not on the critical path.
    assert slots["export"].total_float == minutes(50)
    assert not slots["export"].critical
    assert slots["load"].critical and slots["check"].critical


def test_fixed_start_before_the_predecessors_finish_changes_nothing():
    nodes = [Node("a", 30), Node("b", 10, ("a",), fixed_start=at(5))]
    assert schedule(nodes, START)["b"].earliest_start == at(30)


def test_a_cycle_is_refused_naming_it():
    nodes = [Node("A", 1, ("C",)), Node("B", 1, ("A",)), Node("C", 1, ("B",)), Node("D", 1, ("C",))]

    assert find_cycle(nodes) == ["A", "B", "C", "A"]
    with pytest.raises(CycleError) as error:
        check_acyclic(nodes)
    assert "A → B → C → A" in str(error.value)
    assert error.value.cycle == ["A", "B", "C", "A"]
    with pytest.raises(CycleError):
        schedule(nodes, START)


def test_a_cycle_is_named_with_the_given_label():
    titles = {1: "Freeze", 2: "Extract", 3: "Load"}
    nodes = [Node(2, 5, (1,)), Node(3, 5, (2,)), Node(1, 5, (3,))]

    with pytest.raises(CycleError) as error:
        check_acyclic(nodes, label=titles.get)
    assert "Extract → Load → Freeze → Extract" in str(error.value)


def test_a_task_that_is_its_own_predecessor_is_a_cycle():
    nodes = [Node("A", 1), Node("B", 1, ("A", "B"))]

    assert find_cycle(nodes) == ["B", "B"]
    with pytest.raises(CycleError, match="B → B"):
        check_acyclic(nodes)


def test_an_unknown_predecessor_is_refused():
    nodes = [Node("A", 1), Node("B", 1, ("A", "Z"))]

    with pytest.raises(UnknownPredecessor) as error:
        check_acyclic(nodes)
    assert (error.value.key, error.value.missing) == ("B", "Z")
    assert "Z" in str(error.value)
    with pytest.raises(UnknownPredecessor):
        schedule(nodes, START)


def test_a_repeated_key_and_a_negative_duration_are_refused():
    with pytest.raises(DuplicateKey):
        find_cycle([Node("A", 1), Node("A", 2)])
    with pytest.raises(ValueError):
        Node("A", -5)


def test_a_graph_without_cycle_has_none():
    assert find_cycle(textbook()) is None
    check_acyclic(textbook())


def test_forecast_on_plan_is_not_late():
    forecasts = forecast(textbook(), {}, now=START, start=START)

    assert forecast_end(forecasts) == at(19)
    assert all(item.late == minutes(0) for item in forecasts.values())


def test_forecast_moves_when_a_task_finishes_late():
    nodes = [Node("backup", 60), Node("migrate", 30, ("backup",)), Node("smoke", 15, ("migrate",))]
    actuals = {"backup": Actual(started_at=START, finished_at=at(90))}

    forecasts = forecast(nodes, actuals, now=at(90), start=START)

    assert forecast_end(forecasts) == at(135)  # planned 105, 30 minutes later
    assert forecasts["backup"].late == minutes(30)
    assert (forecasts["migrate"].start, forecasts["migrate"].end) == (at(90), at(120))
    assert forecasts["smoke"].late == minutes(30)


def test_forecast_of_a_task_finished_early_is_not_late():
    nodes = [Node("backup", 60), Node("migrate", 30, ("backup",))]
    actuals = {"backup": Actual(started_at=START, finished_at=at(40))}

    forecasts = forecast(nodes, actuals, now=at(40), start=START)

    assert forecasts["backup"].late == minutes(0)
    assert forecast_end(forecasts) == at(70)


def test_a_skipped_task_takes_no_time():
    nodes = [Node("a", 10), Node("optional", 120, ("a",)), Node("b", 10, ("optional",))]
    actuals = {"a": Actual(started_at=START, finished_at=at(10)), "optional": Actual(skipped=True)}

    forecasts = forecast(nodes, actuals, now=at(10), start=START)

    assert (forecasts["optional"].start, forecasts["optional"].end) == (at(10), at(10))
    assert forecasts["b"].end == at(20)
    assert forecast_end(forecasts) == at(20)


def test_a_task_in_progress_past_its_duration_pushes_with_now():
    nodes = [Node("load", 60), Node("reconcile", 20, ("load",))]
    actuals = {"load": Actual(started_at=START)}

    within = forecast(nodes, actuals, now=at(30), start=START)
    assert within["load"].end == at(60)
    assert forecast_end(within) == at(80)

    overrun = forecast(nodes, actuals, now=at(100), start=START)
    assert overrun["load"].end == at(100)
    assert overrun["load"].late == minutes(40)
    assert (overrun["reconcile"].start, overrun["reconcile"].end) == (at(100), at(120))


def test_a_task_not_started_waits_for_now_and_its_fixed_start():
    nodes = [Node("a", 10), Node("b", 10, ("a",), fixed_start=at(180))]
    actuals = {"a": Actual(started_at=START, finished_at=at(10))}

    forecasts = forecast(nodes, actuals, now=at(30), start=START)

    assert forecasts["b"].start == at(180)
    assert forecasts["b"].late == minutes(0)


def test_ready_keys_respects_fixed_start():
    nodes = [Node("a", 10), Node("b", 10, ("a",), fixed_start=at(60)), Node("c", 10, ("a",))]
    states = {"a": "complete", "b": "not_ready", "c": "not_ready"}

    assert ready_keys(nodes, states, now=at(30)) == ["c"]
    assert ready_keys(nodes, states, now=at(60)) == ["b", "c"]


def test_ready_keys_needs_every_predecessor_complete_or_skipped():
    nodes = [Node("a", 1), Node("b", 1), Node("c", 1, ("a", "b")), Node("d", 1, ("a",))]

    assert ready_keys(nodes, {"a": "complete", "b": "in_progress"}, now=START) == ["d"]
    assert ready_keys(nodes, {"a": "complete", "b": "skipped"}, now=START) == ["c", "d"]
    assert ready_keys(nodes, {"a": "failed", "b": "complete"}, now=START) == []
    # Tasks already ready, running or done are not offered again.
    assert ready_keys(nodes, {"a": "complete", "b": "complete", "c": "ready", "d": "in_progress"}, now=START) == []


def test_downstream_of_a_checkpoint():
    nodes = [
        Node("load", 60),
        Node("go/no-go", 0, ("load",)),
        Node("open users", 10, ("go/no-go",)),
        Node("announce", 5, ("go/no-go",)),
        Node("hypercare", 0, ("open users", "announce")),
        Node("archive logs", 15, ("load",)),
    ]

    assert downstream(nodes, "go/no-go") == {"open users", "announce", "hypercare"}
    assert downstream(nodes, "hypercare") == set()
    with pytest.raises(KeyError):
        downstream(nodes, "nothing")


SIZE = 5000


def test_five_thousand_tasks_in_one_chain():
    nodes = [Node(0, 1)] + [Node(i, 1, (i - 1,)) for i in range(1, SIZE)]

    assert find_cycle(nodes) is None
    slots = schedule(nodes, START)
    assert project_finish(slots) == at(SIZE)
    assert all(slot.critical for slot in slots.values())
    assert len(downstream(nodes, 0)) == SIZE - 1
    assert forecast_end(forecast(nodes, {}, now=START, start=START)) == at(SIZE)

    looped = [Node(0, 1, (SIZE - 1,)), *nodes[1:]]
    with pytest.raises(CycleError) as error:
        check_acyclic(looped)
    assert len(error.value.cycle) == SIZE + 1


def test_five_thousand_tasks_in_a_wide_graph():
    # A start, 4,998 tasks in parallel of 1 to 50 minutes, an end after all of them.
    middle = [Node(i, 1 + i % 50, ("start",)) for i in range(SIZE - 2)]
    nodes = [Node("start", 0), *middle, Node("end", 0, tuple(node.key for node in middle))]

    slots = schedule(nodes, START)
    assert project_finish(slots) == at(50)
    assert sum(slot.critical for slot in slots.values()) == 2 + len([n for n in middle if n.duration_minutes == 50])
    assert slots[0].total_float == minutes(49)
    assert len(downstream(nodes, "start")) == SIZE - 1
    states = {"start": "complete"}
    assert len(ready_keys(nodes, states, now=START)) == SIZE - 2
