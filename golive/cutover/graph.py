"""The scheduling engine of a cutover runbook: plain functions on plain data, no models.

A runbook is a graph of tasks (``Node``): each has a key, a duration in whole minutes (0 for
a milestone or a go/no-go checkpoint), the keys of its predecessors and an optional fixed
start. Models, services and pages turn their rows into nodes and call:

- ``find_cycle`` / ``check_acyclic``: refuse a plan whose predecessors loop, naming the loop;
- ``schedule``: the critical path method (forward and backward pass, float, critical flag);
- ``forecast``: during a run, when each task will end given the actual times so far;
- ``ready_keys``: which waiting tasks of a run may start now;
- ``downstream``: every task that depends on one (a failed checkpoint stops them all).

Every function is iterative (a chain of 5,000 tasks must not hit Python's recursion limit),
runs in O(V+E) and is deterministic: the same input gives the same output and the same
cycle. Keys are any hashable values (task ids or codes); the input order of the nodes is
the order of the results.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

# The states of a run task (the values of golive.models.CutoverRunTask.State, kept here as
# plain strings so this module stays free of models).
NOT_READY = "not_ready"
READY = "ready"
IN_PROGRESS = "in_progress"
COMPLETE = "complete"
FAILED = "failed"
SKIPPED = "skipped"
DONE_STATES = frozenset({COMPLETE, SKIPPED})

ZERO = timedelta(0)

Label = Callable[[Hashable], str]


@dataclass(frozen=True)
class Node:
    """One task of the plan. ``predecessors`` is stored as a tuple whatever iterable is given."""

    key: Hashable
    duration_minutes: int
    predecessors: tuple = ()
    fixed_start: datetime | None = None

    def __post_init__(self):
        object.__setattr__(self, "predecessors", tuple(self.predecessors))
        if not isinstance(self.duration_minutes, int) or self.duration_minutes < 0:
            raise ValueError(
                str(
                    _("The duration of task %(task)s must be a whole number of minutes, 0 or more.")
                    % {"task": self.key}
                )
            )

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)


@dataclass(frozen=True)
class Slot:
    """A task's place in the plan: earliest and latest start and finish, total float, critical."""

    earliest_start: datetime
    earliest_finish: datetime
    latest_start: datetime
    latest_finish: datetime
    total_float: timedelta
    critical: bool


@dataclass(frozen=True)
class Actual:
    """What happened to a task in a run so far."""

    started_at: datetime | None = None
    finished_at: datetime | None = None
    skipped: bool = False


@dataclass(frozen=True)
class Forecast:
    """When a task is expected to start and end, and how far its end is past the plan (≥ 0)."""

    start: datetime
    end: datetime
    late: timedelta


class GraphError(ValueError):
    """A plan the engine cannot schedule. Subclasses keep the keys, so callers can word their own message."""


class CycleError(GraphError):
    """The predecessors loop. ``cycle`` lists the keys in order, the first repeated at the end."""

    def __init__(self, cycle: Sequence[Hashable], label: Label = str):
        self.cycle = list(cycle)
        path = " → ".join(label(key) for key in self.cycle)
        super().__init__(str(_("The predecessors form a cycle: %(cycle)s.") % {"cycle": path}))


class UnknownPredecessor(GraphError):
    """A task names a predecessor that is not among the tasks."""

    def __init__(self, key: Hashable, missing: Hashable, label: Label = str):
        self.key = key
        self.missing = missing
        super().__init__(
            str(
                _("Task %(task)s depends on %(missing)s, which is not in the runbook.")
                % {"task": label(key), "missing": label(missing)}
            )
        )


class DuplicateKey(GraphError):
    """Two tasks share a key."""

    def __init__(self, key: Hashable, label: Label = str):
        self.key = key
        super().__init__(str(_("Task %(task)s appears twice.") % {"task": label(key)}))


class _Graph:
    """The nodes indexed by position: predecessor and successor lists of positions (each edge once)."""

    __slots__ = ("nodes", "position", "preds", "succs")

    def __init__(self, nodes: Iterable[Node], label: Label = str):
        self.nodes: list[Node] = list(nodes)
        self.position: dict[Hashable, int] = {}
        for index, node in enumerate(self.nodes):
            if node.key in self.position:
                raise DuplicateKey(node.key, label)
            self.position[node.key] = index
        self.preds: list[list[int]] = []
        self.succs: list[list[int]] = [[] for _node in self.nodes]
        for index, node in enumerate(self.nodes):
            preds = []
            for pred_key in dict.fromkeys(node.predecessors):
                pred = self.position.get(pred_key)
                if pred is None:
                    raise UnknownPredecessor(node.key, pred_key, label)
                preds.append(pred)
                self.succs[pred].append(index)
            self.preds.append(preds)

    def find_cycle(self) -> list[int] | None:
        """Depth-first search along successors with an explicit stack; a back edge closes a cycle."""
        white, grey, black = 0, 1, 2
        colour = [white] * len(self.nodes)
        for root in range(len(self.nodes)):
            if colour[root] != white:
                continue
            colour[root] = grey
            path = [root]
            stack = [iter(self.succs[root])]
            while stack:
                following = next(stack[-1], None)
                if following is None:
                    colour[path.pop()] = black
                    stack.pop()
                elif colour[following] == grey:
                    cycle = path[path.index(following) :]
                    # Start at the task that comes first in the input, so the same loop reads the same way.
                    first = cycle.index(min(cycle))
                    cycle = cycle[first:] + cycle[:first]
                    return [*cycle, cycle[0]]
                elif colour[following] == white:
                    colour[following] = grey
                    path.append(following)
                    stack.append(iter(self.succs[following]))
        return None

    def order(self, label: Label = str) -> list[int]:
        """Kahn's algorithm: the tasks without predecessors in input order, then each as it is released."""
        waiting = [len(preds) for preds in self.preds]
        queue = deque(index for index, count in enumerate(waiting) if count == 0)
        order = []
        while queue:
            index = queue.popleft()
            order.append(index)
            for following in self.succs[index]:
                waiting[following] -= 1
                if waiting[following] == 0:
                    queue.append(following)
        if len(order) < len(self.nodes):
            raise CycleError([self.nodes[i].key for i in self.find_cycle()], label)
        return order


def find_cycle(nodes: Iterable[Node]) -> list[Hashable] | None:
    """A dependency cycle as its keys in execution order, e.g. ``[a, b, c, a]``, or None.

    A task that is its own predecessor is the cycle ``[a, a]``. The cycle starts at the task
    that comes first in the input. Raises ``UnknownPredecessor`` or ``DuplicateKey`` first.
    """
    graph = _Graph(nodes)
    cycle = graph.find_cycle()
    return None if cycle is None else [graph.nodes[i].key for i in cycle]


def check_acyclic(nodes: Iterable[Node], label: Label = str) -> None:
    """Raise ``CycleError`` naming the loop ("A → B → C → A"), with ``label(key)`` printing each key.

    Unknown predecessors raise ``UnknownPredecessor`` and repeated keys ``DuplicateKey``, worded
    with the same ``label``.
    """
    graph = _Graph(nodes, label)
    cycle = graph.find_cycle()
    if cycle is not None:
        raise CycleError([graph.nodes[i].key for i in cycle], label)


def topological_order(nodes: Iterable[Node], label: Label = str) -> list[Hashable]:
    """The keys so that every task comes after its predecessors (Kahn's algorithm, deterministic)."""
    graph = _Graph(nodes, label)
    return [graph.nodes[i].key for i in graph.order(label)]


def _forward_backward(graph: _Graph, start: datetime) -> list[Slot]:
    order = graph.order()
    nodes = graph.nodes
    early_start: list[datetime] = [start] * len(nodes)
    early_finish: list[datetime] = [start] * len(nodes)
    for index in order:
        node = nodes[index]
        begin = start
        for pred in graph.preds[index]:
            begin = max(begin, early_finish[pred])
        if node.fixed_start is not None:
            begin = max(begin, node.fixed_start)
        early_start[index] = begin
        early_finish[index] = begin + node.duration
    finish = max(early_finish, default=start)
    late_start: list[datetime] = [finish] * len(nodes)
    late_finish: list[datetime] = [finish] * len(nodes)
    for index in reversed(order):
        end = finish
        for following in graph.succs[index]:
            end = min(end, late_start[following])
        late_finish[index] = end
        late_start[index] = end - nodes[index].duration
    slots = []
    for index in range(len(nodes)):
        total_float = late_start[index] - early_start[index]
        slots.append(
            Slot(
                earliest_start=early_start[index],
                earliest_finish=early_finish[index],
                latest_start=late_start[index],
                latest_finish=late_finish[index],
                total_float=total_float,
                critical=total_float == ZERO,
            )
        )
    return slots


def schedule(nodes: Iterable[Node], start: datetime) -> dict[Hashable, Slot]:
    """The critical path method, keyed by task in input order.

    Forward pass in topological order: earliest start = the latest of the predecessors'
    earliest finishes, ``start`` and the task's fixed start; earliest finish = earliest start
    + duration. Backward pass from the project finish (the latest earliest finish): latest
    finish = the earliest of the successors' latest starts, or the project finish for a task
    without successors; latest start = latest finish − duration. Total float = latest start −
    earliest start; a task is critical when its float is 0. Raises ``CycleError``.
    """
    graph = _Graph(nodes)
    slots = _forward_backward(graph, start)
    return {node.key: slot for node, slot in zip(graph.nodes, slots, strict=True)}


def project_finish(slots: Mapping[Hashable, Slot]) -> datetime | None:
    """When the plan ends: the latest earliest finish (None for an empty plan)."""
    return max((slot.earliest_finish for slot in slots.values()), default=None)


def forecast(
    nodes: Iterable[Node], actuals: Mapping[Hashable, Actual], now: datetime, start: datetime
) -> dict[Hashable, Forecast]:
    """When each task of a run in progress will start and end, from the actual times so far.

    - a finished task ends at its actual end (and started at its actual start);
    - a task in progress ends at the later of ``now`` and its actual start + duration;
    - a skipped task takes 0 minutes from when its predecessors end (or the run's ``start``);
    - a task not started starts at the latest of its predecessors' forecast ends, ``now``, the
      run's ``start`` and its fixed start, and lasts its duration.

    ``late`` is how far the forecast end is past the planned earliest finish of
    ``schedule(nodes, start)``, 0 when on time or early. Tasks missing from ``actuals`` have
    not started.
    """
    graph = _Graph(nodes)
    plan = _forward_backward(graph, start)
    ends: list[datetime] = [start] * len(graph.nodes)
    results: list[Forecast | None] = [None] * len(graph.nodes)
    for index in graph.order():
        node = graph.nodes[index]
        actual = actuals.get(node.key) or Actual()
        after_preds = start
        for pred in graph.preds[index]:
            after_preds = max(after_preds, ends[pred])
        if actual.skipped:
            begin = end = after_preds
        elif actual.finished_at is not None:
            begin = actual.started_at or actual.finished_at
            end = actual.finished_at
        elif actual.started_at is not None:
            begin = actual.started_at
            end = max(now, begin + node.duration)
        else:
            begin = max(after_preds, now)
            if node.fixed_start is not None:
                begin = max(begin, node.fixed_start)
            end = begin + node.duration
        ends[index] = end
        results[index] = Forecast(start=begin, end=end, late=max(ZERO, end - plan[index].earliest_finish))
    return {node.key: result for node, result in zip(graph.nodes, results, strict=True)}


def forecast_end(forecasts: Mapping[Hashable, Forecast]) -> datetime | None:
    """When the run is expected to end: the latest forecast end (None for an empty run)."""
    return max((item.end for item in forecasts.values()), default=None)


def ready_keys(nodes: Iterable[Node], states: Mapping[Hashable, str], now: datetime) -> list[Hashable]:
    """The waiting tasks that may start now, in input order.

    A task is ready when its state is "not_ready" (a task missing from ``states`` counts as
    such), every predecessor is complete or skipped, and its fixed start, if any, is not
    after ``now``. A failed predecessor keeps its successors waiting.
    """
    graph = _Graph(nodes)
    keys = []
    for index, node in enumerate(graph.nodes):
        if states.get(node.key, NOT_READY) != NOT_READY:
            continue
        if node.fixed_start is not None and node.fixed_start > now:
            continue
        if all(states.get(graph.nodes[pred].key) in DONE_STATES for pred in graph.preds[index]):
            keys.append(node.key)
    return keys


def downstream(nodes: Iterable[Node], key: Hashable) -> set[Hashable]:
    """Every task that depends on ``key`` directly or through others (not ``key`` itself unless in a loop).

    Used to stop the successors of a failed go/no-go checkpoint. Raises ``KeyError`` for an
    unknown key.
    """
    graph = _Graph(nodes)
    root = graph.position[key]
    seen = [False] * len(graph.nodes)
    queue = deque(graph.succs[root])
    found = set()
    while queue:
        index = queue.popleft()
        if seen[index]:
            continue
        seen[index] = True
        found.add(graph.nodes[index].key)
        queue.extend(graph.succs[index])
    return found
