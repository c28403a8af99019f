"""Suite files (`evals/*.toml`): scenarios x variants x repeats, the metrics to report, regression gates."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hrlab.lab.fields import NAME, Fields, read_toml
from hrlab.lab.gates import Gate, parse_gates
from hrlab.lab.paths import evals_dir, scenarios_dir
from hrlab.lab.scenario import Scenario, load_scenarios
from hrlab.lab.variant import Variant, config_hash, load_variant, variant_path


@dataclass(frozen=True)
class Suite:
    """What to run and how to judge it."""

    name: str
    file: str
    scenarios: tuple[str, ...]
    variants: tuple[str, ...]
    repeats: int = 1
    concurrency: int = 1
    baseline: str | None = None
    metrics: tuple[str, ...] = ()
    gates: tuple[Gate, ...] = ()
    bootstrap: int = 2000
    seed: int = 0
    confidence: float = 0.95
    description: str = ""

    @property
    def baseline_variant(self) -> str:
        return self.baseline or self.variants[0]

    def load_scenarios(self, *, folder: Path | None = None, check_files: bool = True) -> list[Scenario]:
        """The suite's scenarios (names may be globs), each checked."""
        return load_scenarios(list(self.scenarios), folder=folder, check_files=check_files)

    def load_variants(self, *, folder: Path | None = None) -> list[Variant]:
        """The suite's variants, each checked."""
        return [load_variant(variant_path(name, folder=folder)) for name in self.variants]

    def run_keys(self, scenario_names: list[str]) -> list[tuple[str, str, int]]:
        """Every (scenario, variant, repeat) this suite runs; repeat is the outer loop, so a batch cut short
        still has every scenario and variant."""
        return [(s, v, r) for r in range(self.repeats) for s in scenario_names for v in self.variants]

    def pending_keys(self, scenario_names: list[str], *,
                     finished: set[tuple[str, str, str, int]] = frozenset()) -> list[tuple[str, str, int]]:
        """The run keys still to do for `--resume`; `finished` is `RunLog.finished_keys(suite.name)`."""
        return [key for key in self.run_keys(scenario_names) if (self.name, *key) not in finished]


def run_config(scenario: Scenario, variant: Variant) -> dict:
    """What one run was configured with (stored in `runs.config`); file paths and prose left out."""
    scenario_data = scenario.to_dict()
    for key in ("file", "description"):
        scenario_data.pop(key)
    return {"scenario": scenario_data, "variant": {k: v for k, v in variant.to_dict().items() if k != "description"}}


def run_config_hash(scenario: Scenario, variant: Variant) -> str:
    """16 hex characters identifying a (scenario, variant) configuration, for `runs.config_hash`."""
    return config_hash(run_config(scenario, variant))


def load_suite(path: str | Path, *, check_refs: bool = True, scenario_folder: Path | None = None,
               variant_folder: Path | None = None) -> Suite:
    """Read a suite; `check_refs` also loads every scenario and variant it names."""
    path = Path(path)
    f = Fields(read_toml(path), file=path)
    variants = f.string_list("variants", required=True)
    if not variants:
        raise f.error("variants", "needs at least one variant")
    if len(set(variants)) != len(variants):
        raise f.error("variants", "lists a variant twice")
    suite = Suite(
        name=f.string("name", path.stem, pattern=NAME), file=str(path),
        scenarios=tuple(_non_empty(f, "scenarios")), variants=tuple(variants),
        repeats=int(f.number("repeats", 1, low=1, high=1000, integer=True)),
        concurrency=int(f.number("concurrency", 1, low=1, high=64, integer=True)),
        baseline=f.string("baseline"), metrics=tuple(f.string_list("metrics")),
        gates=parse_gates(f, "gates", variants=variants),
        bootstrap=int(f.number("bootstrap", 2000, low=100, high=100_000, integer=True)),
        seed=int(f.number("seed", 0, low=0, integer=True)),
        confidence=float(f.number("confidence", 0.95, low=0.5, high=0.999)),
        description=f.string("description", "") or "",
    )
    f.reject_unknown()
    if suite.baseline is not None and suite.baseline not in variants:
        raise f.error("baseline", f"{suite.baseline!r} is not one of the suite's variants ({', '.join(variants)})")
    if check_refs:
        _check_refs(f, suite, scenario_folder=scenario_folder, variant_folder=variant_folder)
    return suite


def suite_path(name_or_path: str | Path) -> Path:
    """A suite given by name (`smoke` → evals/smoke.toml) or by path."""
    text = str(name_or_path)
    if text.endswith(".toml") or "/" in text:
        return Path(text)
    return evals_dir() / f"{text}.toml"


def _non_empty(f: Fields, key: str) -> list[str]:
    items = f.string_list(key, required=True)
    if not items:
        raise f.error(key, "needs at least one entry")
    return items


def _check_refs(f: Fields, suite: Suite, *, scenario_folder: Path | None, variant_folder: Path | None) -> None:
    folder = scenario_folder or scenarios_dir()
    for i, pattern in enumerate(suite.scenarios):
        if not list(folder.glob(f"{pattern}.toml")):
            raise f.error(f"scenarios[{i}]", f"no scenario file {folder / (pattern + '.toml')}")
    for i, name in enumerate(suite.variants):
        if not variant_path(name, folder=variant_folder).is_file():
            raise f.error(f"variants[{i}]", f"no variant file {variant_path(name, folder=variant_folder)}")
    suite.load_scenarios(folder=scenario_folder, check_files=False)
    suite.load_variants(folder=variant_folder)
