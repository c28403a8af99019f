from __future__ import annotations

import pytest

from hrlab.lab.fields import LabFileError
from hrlab.lab.paths import scenarios_dir
from hrlab.lab.scenario import load_scenario, load_scenarios

GOOD_HEAD = """
language = "en"
resume = "hrlab/samples/resume_en.md"
"""


def error_of(write, body: str, **kwargs) -> LabFileError:
    path = write("case.toml", body)
    with pytest.raises(LabFileError) as info:
        load_scenario(path, **kwargs)
    assert info.value.file == str(path)
    assert str(path) in str(info.value)
    return info.value


def test_valid_scenario_reads_every_behaviour(write):
    path = write("ok.toml", GOOD_HEAD + """
        [[turns]]
        text = "I build payment services."
        delay_ms = 700
        pauses = [{ at_ms = 500, duration_ms = 800 }, { at_ms = 900, duration_ms = 300 }]
        [[turns]]
        text = "Let me stop you there."
        barge_in_after_ms = 1200
        [[turns]]
        action = "silence"
        silence_ms = 9000
        [[turns]]
        action = "drop"
        rejoin_after_ms = 3000
        [[turns]]
        action = "end_interview"
    """)
    scenario = load_scenario(path)
    assert scenario.name == "ok" and scenario.language == "en"
    first, barge, silence, drop, end = scenario.turns
    assert first.delay_ms == 700 and [p.duration_ms for p in first.pauses] == [800, 300]
    assert first.reference_text == "I build payment services."
    assert barge.barge_in_after_ms == 1200
    assert silence.action == "silence" and silence.silence_ms == 9000
    assert drop.rejoin_after_ms == 3000
    assert end.action == "end_interview"
    assert "Python" in scenario.parsed_resume().skills


@pytest.mark.parametrize(("body", "field", "words"), [
    ('resume = "hrlab/samples/resume_en.md"\n[[turns]]\ntext = "hi"\n', "language", "required"),
    ('language = "de"\nresume = "hrlab/samples/resume_en.md"\n[[turns]]\ntext = "hi"\n', "language", "ru, en"),
    ('language = "en"\n[[turns]]\ntext = "hi"\n', "resume", "required"),
    ('language = "en"\nresume = "nope/missing.md"\n[[turns]]\ntext = "hi"\n', "resume", "not found"),
    ('language = "en"\nresume = "hrlab/samples/resume_en.docx"\n[[turns]]\ntext = "hi"\n', "resume", ".md"),
    (GOOD_HEAD, "turns", "required"),
    (GOOD_HEAD + "turns = []\n", "turns", "at least one"),
    (GOOD_HEAD + '[[turns]]\naction = "sing"\n', "turns[0].action", "answer, silence"),
    (GOOD_HEAD + '[[turns]]\ndelay_ms = 5\n', "turns[0].audio", "exactly one"),
    (GOOD_HEAD + '[[turns]]\ntext = "a"\naudio = "x.wav"\n', "turns[0].audio", "exactly one"),
    (GOOD_HEAD + '[[turns]]\ntext = "a"\n[[turns]]\naudio = "../shared/corpus/x.wav"\n', "turns[1].reference",
     "required"),
    (GOOD_HEAD + '[[turns]]\naudio = "clip.mp3"\nreference = "a"\n', "turns[0].audio", ".wav"),
    (GOOD_HEAD + '[[turns]]\naudio = "../shared/corpus/none.wav"\nreference = "a"\n', "turns[0].audio",
     "not found"),
    (GOOD_HEAD + '[[turns]]\ntext = "a"\nreference = "b"\n', "turns[0].reference", "only goes with"),
    (GOOD_HEAD + '[[turns]]\ntext = "a"\ndelay_ms = -1\n', "turns[0].delay_ms", "0..600000"),
    (GOOD_HEAD + '[[turns]]\ntext = "a"\ndelay_ms = 1.5\n', "turns[0].delay_ms", "integer"),
    (GOOD_HEAD + '[[turns]]\ntext = "a"\ndelay = 100\n', "turns[0].delay", "unknown field"),
    (GOOD_HEAD + '[[turns]]\ntext = "a"\npauses = [{ at_ms = 900, duration_ms = 1 }, { at_ms = 100, '
     'duration_ms = 1 }]\n', "turns[0].pauses[1].at_ms", "increasing"),
    (GOOD_HEAD + '[[turns]]\ntext = "a"\npauses = [{ at_ms = 100 }]\n', "turns[0].pauses[0].duration_ms",
     "required"),
    (GOOD_HEAD + 'colour = "red"\n[[turns]]\ntext = "a"\n', "colour", "unknown field"),
    (GOOD_HEAD + '[[turns]]\naction = "drop"\nrejoin_after_ms = "soon"\n', "turns[0].rejoin_after_ms", "integer"),
    (GOOD_HEAD + '[resume_extra]\n[[turns]]\ntext = "a"\n', "resume_extra", "unknown"),
    (GOOD_HEAD + '[[turns]]\ntext = "a"\nexpect = { probe_after_terse_answer = true }\n',
     "turns[0].expect.probe_after_terse_answer", "unknown expectation; known: end_within_ai_turns"),
    (GOOD_HEAD + '[[turns]]\ntext = "a"\nexpect = { probe_after_terse = "yes" }\n',
     "turns[0].expect.probe_after_terse", "true or false"),
    (GOOD_HEAD + '[[turns]]\ntext = "a"\nexpect = { end_within_ai_turns = 0 }\n',
     "turns[0].expect.end_within_ai_turns", "1..5"),
    (GOOD_HEAD + '[[turns]]\ntext = "a"\nexpect = { end_within_ai_turns = true }\n',
     "turns[0].expect.end_within_ai_turns", "integer"),
    (GOOD_HEAD + '[[turns]]\ntext = "a"\nexpect = {}\n', "turns[0].expect", "at least one expectation"),
    (GOOD_HEAD + '[[turns]]\ntext = "a"\nexpect = true\n', "turns[0].expect", "must be a table"),
    (GOOD_HEAD + '[[turns]]\naction = "silence"\nexpect = { reask_after_nonanswer = true }\n', "turns[0].expect",
     'only goes with action = "answer"'),
])
def test_errors_name_file_and_field(write, body, field, words):
    error = error_of(write, body)
    assert error.field == field
    assert words in error.problem


def test_bad_toml_syntax_names_the_file(write):
    error = error_of(write, 'language = "en\n')
    assert "not valid TOML" in error.problem


def test_inline_resume_is_parsed(write):
    path = write("inline.toml", """
        language = "en"
        [resume]
        text = "Jane Doe. Data analyst at Acme. Skills: Python, SQL, Tableau, statistics, Excel reports."
        [[turns]]
        text = "hi"
    """)
    assert "SQL" in load_scenario(path).parsed_resume().skills


def test_unusable_inline_resume_is_a_field_error(write):
    path = write("inline.toml", 'language = "en"\nresume = { text = "hello" }\n[[turns]]\ntext = "hi"\n')
    with pytest.raises(LabFileError) as info:
        load_scenario(path).parsed_resume()
    assert info.value.field == "resume"


def test_missing_files_pass_when_not_checked(write):
    path = write("later.toml", GOOD_HEAD + '[[turns]]\naudio = "../shared/corpus/none.wav"\nreference = "a"\n')
    assert load_scenario(path, check_files=False).turns[0].audio.endswith("none.wav")


def test_shipped_scenarios_cover_the_brief():
    scenarios = load_scenarios(check_files=False)
    assert len(scenarios) >= 12
    assert {s.language for s in scenarios} == {"ru", "en"}
    tags = {tag for s in scenarios for tag in s.tags}
    assert {"strong", "weak", "terse", "rambling", "off-topic", "disfluent", "real-voice"} <= tags
    actions = {t.action for s in scenarios for t in s.turns}
    assert actions == {"answer", "silence", "end_interview", "drop"}
    assert any(t.barge_in_after_ms for s in scenarios for t in s.turns)
    assert any(t.pauses for s in scenarios for t in s.turns)
    for scenario in scenarios:
        scenario.parsed_resume()


def test_shipped_text_pauses_sit_inside_fast_speech():
    # 20 characters a second is faster than Piper or Festival read; a pause past that may fall off the end.
    for scenario in load_scenarios(check_files=False):
        for turn in scenario.turns:
            if turn.text and turn.pauses:
                assert turn.pauses[-1].at_ms <= len(turn.text) / 20 * 1000, (scenario.name, turn.index)


def test_shipped_scenarios_find_their_corpus_clips(corpus):
    real = [s for s in load_scenarios(check_files=True) if any(t.audio for t in s.turns)]
    assert len(real) >= 4
    manifest = (corpus / "manifest.csv").read_text(encoding="utf-8")
    for scenario in real:
        for turn in scenario.turns:
            if turn.audio:
                assert turn.audio.startswith("../shared/corpus/")
                assert turn.reference in manifest, (scenario.name, turn.index)


def test_load_scenarios_unknown_name_is_an_error():
    with pytest.raises(LabFileError) as info:
        load_scenarios(["no_such_scenario"], folder=scenarios_dir())
    assert "no_such_scenario" in str(info.value)


def test_expectations_are_read_in_order_with_their_values(write):
    path = write("expect.toml", GOOD_HEAD + """
[[turns]]
text = "Hi, yes, I'm ready."
expect = { reask_after_nonanswer = true }
[[turns]]
text = "I have to go, sorry."
expect = { end_within_ai_turns = 2, probe_after_terse = false }
""")
    turns = load_scenario(path).turns
    assert turns[0].expect == (("reask_after_nonanswer", True),)
    assert turns[1].expect == (("end_within_ai_turns", 2), ("probe_after_terse", False))


def test_every_expectation_has_a_metric():
    from hrlab.lab.metrics import EXPECTATION_METRICS, metric_info
    from hrlab.lab.scenario import EXPECTATIONS

    assert set(EXPECTATIONS) == set(EXPECTATION_METRICS)
    assert all(metric_info(name) is not None for name in EXPECTATION_METRICS.values())


def test_behaviour_scenarios_expect_each_reaction_in_both_languages():
    scenarios = load_scenarios(check_files=False)
    for key in ("end_within_ai_turns", "probe_after_terse", "redirect_after_offtopic", "reask_after_nonanswer"):
        languages = {s.language for s in scenarios for t in s.turns for k, _ in t.expect if k == key}
        assert languages == {"en", "ru"}, key
    stops = [t for s in scenarios for t in s.turns if any(k == "end_within_ai_turns" for k, _ in t.expect)]
    assert stops and all(t.action == "answer" and t.text for t in stops)  # spoken, not the end_interview message
