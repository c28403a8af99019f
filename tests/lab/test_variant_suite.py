from __future__ import annotations

import pytest

from hrlab.domain.plan import Budget
from hrlab.lab.fields import LabFileError
from hrlab.lab.gates import CompareGate, GateSyntaxError, ThresholdGate, parse_stat, parse_threshold
from hrlab.lab.paths import evals_dir
from hrlab.lab.suite import load_suite, suite_path
from hrlab.lab.variant import load_variant

VARIANT = """
stt = "whisper/base"
llm = "llamacpp/gemma3-270m"
tts = { en = "piper/en_US-joe", ru = "festival/ru" }
"""


def variant_error(write, body: str) -> LabFileError:
    path = write("variants/v.toml", body)
    with pytest.raises(LabFileError) as info:
        load_variant(path)
    assert info.value.file == str(path)
    return info.value


def test_variant_defaults_and_per_language_providers(write):
    variant = load_variant(write("variants/base.toml", VARIANT))
    assert variant.name == "base" and variant.prompts == "default"
    assert variant.providers("ru") == {"stt": "whisper/base", "llm": "llamacpp/gemma3-270m", "tts": "festival/ru"}
    assert variant.providers("en")["tts"] == "piper/en_US-joe"
    assert isinstance(variant.plan.to_budget(), Budget)
    assert variant.endpointing.min_endpointing_delay == 0.5


def test_config_hash_follows_behaviour_not_description(write):
    a = load_variant(write("variants/a.toml", VARIANT))
    b = load_variant(write("variants/b.toml", VARIANT + 'description = "other words"\n'))
    c = load_variant(write("variants/c.toml", VARIANT + "[endpointing]\nmin_endpointing_delay = 0.2\n"))
    assert a.config_hash() == b.config_hash() != c.config_hash()


@pytest.mark.parametrize(("body", "field", "words"), [
    ('llm = "x/y"\ntts = "a/b"\n', "stt", "required"),
    ('stt = "whisper/huge"\nllm = "llamacpp/gemma3-270m"\ntts = "piper/en_US-joe"\n', "stt", "unknown stt model"),
    ('stt = "whisper/base"\nllm = "llamacpp/gemma3-270m"\ntts = { en = "piper/en_US-joe", ru = "acme/x" }\n',
     "tts.ru", "unknown tts provider"),
    ('stt = "whisper base"\nllm = "x/y"\ntts = "a/b"\n', "stt", "must match"),
    ('stt = "whisper/base"\nllm = "llamacpp/gemma3-270m"\ntts = { en = "piper/en_US-joe" }\n', "tts.ru", "required"),
    (VARIANT.replace("}", ', de = "espeak/de" }'), "tts.de", "unknown field"),
    (VARIANT + 'prompts = "nonexistent"\n', "prompts", "no prompt set"),
    (VARIANT + "[plan]\nmax_questions = 0\n", "plan.max_questions", "1..50"),
    (VARIANT + "[plan]\nfollowups_per_topic = 9\n", "plan.followups_per_topic", "0..5"),
    (VARIANT + '[plan]\nmax_minutes = "ten"\n', "plan.max_minutes", "number"),
    (VARIANT + "[endpointing]\nmin_endpointing_delay = 2.0\nmax_endpointing_delay = 1.0\n",
     "endpointing.max_endpointing_delay", ">= min_endpointing_delay"),
    (VARIANT + "[endpointing]\nvad_threshold = 1.5\n", "endpointing.vad_threshold", "0.05..0.95"),
    (VARIANT + "[endpointing]\nsilence = 1\n", "endpointing.silence", "unknown"),
    (VARIANT + "temperature = 0.2\n", "temperature", "unknown"),
])
def test_variant_errors_name_file_and_field(write, body, field, words):
    error = variant_error(write, body)
    assert error.field == field
    assert words in error.problem


SUITE = """
scenarios = ["s1"]
variants = ["a", "b"]
"""


@pytest.fixture
def lab(write):
    """A scenario folder with s1 and a variant folder with a and b."""
    write("scenarios/s1.toml", 'language = "en"\nresume = "hrlab/samples/resume_en.md"\n[[turns]]\ntext = "hi"\n')
    write("variants/a.toml", VARIANT)
    write("variants/b.toml", VARIANT)

    def load(body: str):
        path = write("suite.toml", body)
        return load_suite(path, scenario_folder=path.parent / "scenarios", variant_folder=path.parent / "variants")

    return load


def test_suite_reads_gates_of_every_form(lab):
    suite = lab(SUITE + """
        repeats = 3
        baseline = "a"
        gates = [
            "latency_p95_s <= 1.8",
            { check = "false_cutoff_rate <= 0.05", variants = ["b"] },
            { metric = "p50(latency_s)", candidate = "b", baseline = "a", max_worse = 0.1 },
        ]
    """)
    threshold, scoped, compare = suite.gates
    assert isinstance(threshold, ThresholdGate) and threshold.ref.metric == "latency_s"
    assert scoped.variants == ("b",) and scoped.ref.stat == "mean"
    assert isinstance(compare, CompareGate) and compare.ref.stat == "p50" and compare.max_worse == 0.1
    assert len(suite.run_keys(["s1"])) == 6


@pytest.mark.parametrize(("body", "field", "words"), [
    ('variants = ["a"]\n', "scenarios", "required"),
    ('scenarios = ["s1"]\n', "variants", "required"),
    ('scenarios = ["s1"]\nvariants = []\n', "variants", "at least one"),
    ('scenarios = ["s1"]\nvariants = ["a", "a"]\n', "variants", "twice"),
    ('scenarios = ["nope"]\nvariants = ["a"]\n', "scenarios[0]", "no scenario file"),
    ('scenarios = ["s1"]\nvariants = ["a", "zz"]\n', "variants[1]", "no variant file"),
    (SUITE + "repeats = 0\n", "repeats", "1..1000"),
    (SUITE + 'baseline = "c"\n', "baseline", "not one of"),
    (SUITE + 'gates = ["latency_p95_s is small"]\n', "gates[0]", "must look like"),
    (SUITE + 'gates = ["latency_p95_s <= 1.8", { check = "x <= 1", variants = ["q"] }]\n', "gates[1].variants",
     "not in this suite"),
    (SUITE + 'gates = [{ metric = "latency_s", candidate = "b", baseline = "a" }]\n', "gates[0].max_worse",
     "required"),
    (SUITE + 'gates = [{ metric = "latency_s", candidate = "c", baseline = "a", max_worse = 1 }]\n',
     "gates[0].candidate", "not in this suite"),
    (SUITE + 'gates = [{ check = "a <= 1", extra = 2 }]\n', "gates[0].extra", "unknown"),
    (SUITE + 'gates = [3]\n', "gates[0]", "string"),
    (SUITE + 'bootstrap = 5\n', "bootstrap", "100..100000"),
])
def test_suite_errors_name_file_and_field(lab, body, field, words):
    with pytest.raises(LabFileError) as info:
        lab(body)
    assert info.value.field == field
    assert words in info.value.problem
    assert info.value.file.endswith("suite.toml")


def test_suite_reports_a_broken_variant_file_by_its_own_name(lab, write):
    write("variants/b.toml", 'stt = "whisper/base"\n')
    with pytest.raises(LabFileError) as info:
        lab(SUITE)
    assert info.value.file.endswith("b.toml") and info.value.field == "llm"


@pytest.mark.parametrize(("text", "metric", "stat"), [
    ("latency_p95_s", "latency_s", "p95"),
    ("p95(latency_s)", "latency_s", "p95"),
    ("false_cutoff_rate", "false_cutoff", "mean"),
    ("stt_wer_median", "stt_wer", "p50"),
    ("language_consistency_min", "language_consistency", "min"),
    ("questions_asked", "questions_asked", "mean"),
    ("duration_s", "duration_s", "mean"),
    ("probe_rate", "probe_rate", "mean"),  # a registered name is that metric, not rate(probe)
    ("probe_rate_min", "probe_rate", "min"),
    ("end_request_honoured_rate", "end_request_honoured", "mean"),
])
def test_stat_names(text, metric, stat):
    ref = parse_stat(text)
    assert (ref.metric, ref.stat) == (metric, stat)


def test_threshold_operators():
    gate = parse_threshold("latency_p95_s <= 1.8")
    assert gate.holds(1.8) and not gate.holds(1.81)
    assert parse_threshold("x >= 2").holds(2) and not parse_threshold("x > 2").holds(2)
    with pytest.raises(GateSyntaxError):
        parse_threshold("p0(latency_s) <= 1")


def test_shipped_variants_and_suites_load():
    names = {p.stem for p in (evals_dir() / "variants").glob("*.toml")}
    assert {"default", "tight_endpointing"} <= names
    for name in names:
        load_variant(evals_dir() / "variants" / f"{name}.toml")
    smoke = load_suite(suite_path("smoke"))
    assert len(smoke.scenarios) == 2 and len(smoke.variants) == 2 and smoke.repeats == 1
    assert all(s.timeout_s <= 120 for s in smoke.load_scenarios(check_files=False))
    full = load_suite(suite_path("full"))
    assert len(full.load_scenarios(check_files=False)) >= 12 and full.repeats > 1
    load_suite(suite_path("endpointing"))


def test_check_lab_files_passes_on_the_shipped_files_and_names_broken_ones(write, tmp_path):
    from hrlab.lab.lint import check_lab_files

    assert check_lab_files(check_files=False) == []
    write("scenarios/bad.toml", 'language = "fr"\nresume = "hrlab/samples/resume_en.md"\n[[turns]]\ntext = "hi"\n')
    write("evals/variants/v.toml", VARIANT + "[plan]\nmax_questions = 99\n")
    write("evals/s.toml", 'scenarios = ["bad"]\nvariants = ["v"]\n')
    problems = check_lab_files(scenarios=tmp_path / "scenarios", evals=tmp_path / "evals")
    assert len(problems) == 3
    assert "bad.toml: language" in problems[0] and "v.toml: plan.max_questions" in problems[1]
    assert "s.toml" in problems[2] or "bad.toml" in problems[2]
