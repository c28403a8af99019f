"""Regression gates: `latency_p95_s <= 1.8`, or "variant B not worse than A by more than X".

A threshold names a statistic of a metric over one variant's runs: `p95(latency_s)`, or the short
form `latency_p95_s` (the statistic sits before the unit suffix), `false_cutoff_rate` (rate = mean
of a 0/1 metric) or a bare metric name (its mean); a registered metric's own name (`probe_rate`) is
always that metric's mean. Statistics: mean, rate, median, min, max, pNN.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

from hrlab.lab.fields import Fields
from hrlab.lab.metrics.registry import METRICS

OPERATORS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt, "==": operator.eq}
_STAT = r"p\d{1,2}|mean|rate|median|min|max"
_CALL = re.compile(rf"({_STAT})\(([A-Za-z][A-Za-z0-9_]*)\)")
_SHORT = re.compile(rf"([A-Za-z][A-Za-z0-9_]*?)_({_STAT})(_[a-z]+)?")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_THRESHOLD = re.compile(r"\s*(\S+?)\s*(<=|>=|==|<|>)\s*(-?\d+(?:\.\d+)?(?:[eE]-?\d+)?)\s*")


class GateSyntaxError(ValueError):
    """A gate expression is malformed."""


@dataclass(frozen=True)
class StatRef:
    """A statistic of one metric: ("latency_s", "p95")."""

    metric: str
    stat: str

    def __str__(self) -> str:
        return f"{self.stat}({self.metric})"


@dataclass(frozen=True)
class ThresholdGate:
    """Each listed variant's statistic must satisfy `op value` (all variants when none listed),
    computed over the runs of the listed scenarios (names or globs; all when none listed)."""

    ref: StatRef
    op: str
    value: float
    variants: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = ()

    def holds(self, observed: float) -> bool:
        return OPERATORS[self.op](observed, self.value)

    def __str__(self) -> str:
        scope = f" [{', '.join(self.variants)}]" if self.variants else ""
        scope += f" on {', '.join(self.scenarios)}" if self.scenarios else ""
        return f"{self.ref} {self.op} {self.value:g}{scope}"


@dataclass(frozen=True)
class CompareGate:
    """`candidate` may be worse than `baseline` on the statistic by at most `max_worse` (metric units)."""

    ref: StatRef
    candidate: str
    baseline: str
    max_worse: float

    def __str__(self) -> str:
        return f"{self.candidate} not worse than {self.baseline} on {self.ref} by more than {self.max_worse:g}"


Gate = ThresholdGate | CompareGate


def parse_stat(text: str) -> StatRef:
    """Read `p95(latency_s)`, `latency_p95_s`, `false_cutoff_rate` or `stt_wer` (mean)."""
    text = text.strip()
    if match := _CALL.fullmatch(text):
        return StatRef(metric=match.group(2), stat=_canonical(match.group(1)))
    if text in METRICS:  # a registered name such as probe_rate is that metric (its mean), not rate(probe)
        return StatRef(metric=text, stat="mean")
    for name in METRICS:  # probe_rate_min: a registered name, then the statistic
        rest = text.removeprefix(name + "_")
        if rest != text and re.fullmatch(_STAT, rest):
            return StatRef(metric=name, stat=_canonical(rest))
    if match := _SHORT.fullmatch(text):
        return StatRef(metric=match.group(1) + (match.group(3) or ""), stat=_canonical(match.group(2)))
    if _NAME.fullmatch(text):
        return StatRef(metric=text, stat="mean")
    raise GateSyntaxError(f"{text!r} is not a metric statistic (try p95(latency_s) or latency_p95_s)")


def parse_threshold(text: str, *, variants: tuple[str, ...] = (), scenarios: tuple[str, ...] = ()) -> ThresholdGate:
    """Parse `<statistic> <op> <number>`."""
    match = _THRESHOLD.fullmatch(text)
    if not match:
        raise GateSyntaxError(f"{text!r} must look like 'latency_p95_s <= 1.8' (ops: {', '.join(OPERATORS)})")
    return ThresholdGate(ref=parse_stat(match.group(1)), op=match.group(2), value=float(match.group(3)),
                         variants=variants, scenarios=scenarios)


def parse_gates(f: Fields, key: str, *, variants: list[str]) -> tuple[Gate, ...]:
    """Read the suite's `gates` list: strings, `{ check, variants, scenarios }` or
    `{ metric, candidate, baseline, max_worse }`."""
    items = f.raw(key, [])
    if not isinstance(items, list):
        raise f.error(key, "must be a list of gates")
    gates = []
    for i, item in enumerate(items):
        where = f"{key}[{i}]"
        try:
            gates.append(_gate(item, Fields(item, file=f.file, prefix=f.where(where)) if isinstance(item, dict)
                               else None, variants=variants))
        except GateSyntaxError as exc:
            raise f.error(where, str(exc)) from None
    return tuple(gates)


def _gate(item: object, table: Fields | None, *, variants: list[str]) -> Gate:
    if isinstance(item, str):
        return parse_threshold(item)
    if table is None:
        raise GateSyntaxError("must be a string like 'latency_p95_s <= 1.8' or a table")
    if table.has("check"):
        scope = tuple(table.string_list("variants"))
        _known(table, "variants", scope, variants)
        scenarios = tuple(table.string_list("scenarios"))
        try:
            gate = parse_threshold(table.string("check", required=True), variants=scope, scenarios=scenarios)
        except GateSyntaxError as exc:
            raise table.error("check", str(exc)) from None
    else:
        gate = _compare(table, variants=variants)
    table.reject_unknown()
    return gate


def _compare(table: Fields, *, variants: list[str]) -> CompareGate:
    metric = table.string("metric", required=True)
    candidate = table.string("candidate", required=True)
    baseline = table.string("baseline", required=True)
    _known(table, "candidate", (candidate,), variants)
    _known(table, "baseline", (baseline,), variants)
    max_worse = float(table.number("max_worse", required=True, low=0))
    try:
        ref = parse_stat(metric)
    except GateSyntaxError as exc:
        raise table.error("metric", str(exc)) from None
    return CompareGate(ref=ref, candidate=candidate, baseline=baseline, max_worse=max_worse)


def _known(table: Fields, key: str, names: tuple[str, ...], variants: list[str]) -> None:
    for name in names:
        if name not in variants:
            raise table.error(key, f"variant {name!r} is not in this suite's variants ({', '.join(variants)})")


def _canonical(stat: str) -> str:
    if stat == "rate":
        return "mean"
    if stat == "median":
        return "p50"
    if stat.startswith("p") and not 0 < int(stat[1:]) < 100:
        raise GateSyntaxError(f"percentile {stat!r} must be between p1 and p99")
    return stat
