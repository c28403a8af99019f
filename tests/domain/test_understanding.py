"""Turn understanding: per-class precision/recall on the labelled set, extraction, hard negatives.

The set's `split` column says when a row was written. `dev` rows came first and the rules were
built on them. `heldout` (146 rows) and `heldout2` (72 rows) were each written later, scored once
blind, and only then used for fixes: blind accuracy was 0.72 and 0.82, with end_request recall
0.80 and 0.75 (Russian 0.73 and 0.60). `dev2` (131 rows, 2026-12-01) was written while the end-request
rules were generalised: the three misses of the 40 end-request checks ("Can we cut it short?", "I'm done,
thank you.", «на этом всё спасибо я пойду»), families of requests to end and hard negatives about
finishing, stopping or leaving at work. `heldout3` (132 rows) is the first blind end-request set of
2026-12-01, scored once after dev2 (end_request P/R en 1.00/0.69, ru 0.96/0.69; accuracy en 0.791,
ru 0.754) and then used for fixes. `heldout4` (129 rows) is the second blind end-request set, scored once
with the rules of fc5d17e (end_request P/R en 0.97/0.85, ru 0.96/0.81; accuracy en 0.877, ru 0.859) and then
used for fixes. `heldout5` (200 rows) is the third blind end-request set, written by an author who had seen
neither the rules nor the earlier sets, scored once with the rules and learned opinion of 7416395 (end_request
P/R en 1.00/0.98, ru 0.98/0.94; accuracy en 0.860, ru 0.850) and then used for fixes. Its labels are kept as
written and only its end requests were fixed, so its accuracy stays below 1.00: partly a taxonomy difference
("can you repeat that?" as a question to the interviewer, "I'm done with the answer" as a non-answer), partly
other classes' misses («А когда будет известен результат?» taken as an answer); the hard negatives written with
its fixes (slang for leaving, «остановиться на этом решении», «отказался от оффера», "we wrapped up the
migration", general conditions about meetings) are `dev` rows. `heldout6` (200 rows) is the fourth blind
end-request set, written by another author who had seen neither the rules nor the earlier sets, scored once with
the rules and learned opinion of a1f78a7 (end_request P/R en 0.96/0.98, ru 1.00/0.98; accuracy en 0.870, ru 0.890)
and then used for fixes; its labels are kept as written too, and the hard negatives written with its fixes
(refusing to take part, short breaks, "I don't know what I would do", conditions earlier in the sentence) are
`dev` rows. So 1.00 here means "fits what we have seen", not "generalises": write a new blind split before
trusting a change to the rules (see test_blind_end_requests.py).
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from hrlab.domain.understanding import TURN_KINDS, Understanding, understand
from hrlab.domain.understanding.text import read_turn

DATA = Path(__file__).parent / "data" / "turns_labelled.tsv"
LANGUAGES = ("en", "ru")
MIN_ROWS = 300
MIN_END_REQUESTS_PER_LANGUAGE = 25
END_REQUEST_MIN = 0.95
CLASS_RECALL_MIN = 0.8
ACCURACY_MIN = 0.9


@dataclass(frozen=True)
class Row:
    language: str
    question: str
    text: str
    kind: str
    terse: bool
    tools: tuple[str, ...]
    weaknesses: tuple[str, ...]
    split: str


def _items(cell: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in cell.split(";") if item.strip())


@lru_cache(maxsize=1)
def labelled() -> tuple[Row, ...]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return tuple(Row(r["language"], r["question"], r["text"], r["kind"], r["terse"] == "1",
                         _items(r["tools"]), _items(r["weaknesses"]), r["split"]) for r in reader)


@lru_cache(maxsize=1)
def predicted() -> tuple[Understanding, ...]:
    return tuple(understand(row.text, language=row.language, question=row.question) for row in labelled())


def _scores(pairs: list[tuple[str, str]]) -> dict[str, tuple[float, float, float, int]]:
    """Precision, recall, F1 and support per class from (gold, predicted) pairs."""
    scores = {}
    for kind in TURN_KINDS:
        tp = sum(1 for gold, pred in pairs if gold == pred == kind)
        fp = sum(1 for gold, pred in pairs if pred == kind != gold)
        fn = sum(1 for gold, pred in pairs if gold == kind != pred)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[kind] = (precision, recall, f1, tp + fn)
    return scores


def _pairs(language: str | None = None, split: str | None = None) -> list[tuple[str, str]]:
    return [(row.kind, got.kind) for row, got in zip(labelled(), predicted())
            if language in (None, row.language) and split in (None, row.split)]


def _accuracy(pairs: list[tuple[str, str]]) -> float:
    return sum(gold == pred for gold, pred in pairs) / len(pairs)


def _table(language: str | None) -> str:
    pairs = _pairs(language)
    lines = [f"{language or 'all'}: {len(pairs)} turns, accuracy {_accuracy(pairs):.3f}",
             f"  {'class':<24}{'n':>5}{'P':>7}{'R':>7}{'F1':>7}"]
    for kind, (precision, recall, f1, support) in _scores(pairs).items():
        lines.append(f"  {kind:<24}{support:>5}{precision:>7.2f}{recall:>7.2f}{f1:>7.2f}")
    return "\n".join(lines)


def _report() -> str:
    splits = sorted({row.split for row in labelled()})
    by_split = ", ".join(f"{split} {_accuracy(_pairs(split=split)):.3f} (n={len(_pairs(split=split))})"
                         for split in splits)
    return "\n".join([_table("en"), _table("ru"), _table(None), f"accuracy by split: {by_split}"])


def _misses() -> str:
    return "\n".join(f"  [{row.language}] {row.kind} -> {got.kind} ({got.reason}): {row.text}"
                     for row, got in zip(labelled(), predicted()) if row.kind != got.kind)


# --- the labelled set ----------------------------------------------------------------------------

def test_labelled_set_is_big_enough_and_covers_every_class_in_both_languages():
    rows = labelled()
    counts = Counter((row.language, row.kind) for row in rows)
    assert len(rows) >= MIN_ROWS
    assert {row.language for row in rows} == set(LANGUAGES)
    assert {row.kind for row in rows} <= set(TURN_KINDS)
    for language in LANGUAGES:
        for kind in TURN_KINDS:
            assert counts[(language, kind)] > 0, (language, kind)
        assert counts[(language, "end_request")] >= MIN_END_REQUESTS_PER_LANGUAGE
    assert all(row.text.strip() for row in rows)


def test_benchmark_prints_per_class_precision_and_recall():
    report = _report()
    print("\n" + report)
    failures = []
    for language in LANGUAGES:
        precision, recall, _, _ = _scores(_pairs(language))["end_request"]
        if precision < END_REQUEST_MIN or recall < END_REQUEST_MIN:
            failures.append(f"end_request in {language}: P={precision:.2f} R={recall:.2f}")
    for kind, (_, recall, _, _) in _scores(_pairs()).items():
        if recall < CLASS_RECALL_MIN:
            failures.append(f"{kind} recall {recall:.2f}")
    if _accuracy(_pairs()) < ACCURACY_MIN:
        failures.append(f"accuracy {_accuracy(_pairs()):.3f}")
    assert not failures, "\n".join(failures) + "\n" + report + "\nmisses:\n" + _misses()


def test_terse_flag_matches_the_labels_on_answers():
    wrong = [row.text for row, got in zip(labelled(), predicted())
             if row.kind == got.kind == "answer" and row.terse != got.terse]
    assert not wrong


def test_expected_tools_and_weaknesses_are_found():
    missing = []
    for row, got in zip(labelled(), predicted()):
        missing += [(row.text, tool) for tool in row.tools if tool not in got.tools]
        missing += [(row.text, weak) for weak in row.weaknesses
                    if not any(weak.lower() in found.lower() for found in got.weaknesses)]
    assert not missing


# --- the observed failures and hard negatives ---------------------------------------------------

@pytest.mark.parametrize(
    ("language", "question", "text", "kind"),
    [
        ("en", "", "I'd like to finish now, please. I have to go.", "end_request"),
        ("en", "", "i'd like to finish now please i have to go", "end_request"),
        ("en", "Tell me about your experience.", "Hi, yes, I'm ready.", "non_answer"),
        ("en", "Tell me about a difficult negotiation.",
         ("I watched a great film last night, Oppenheimer, the way Nolan shot the explosions was incredible, "
          "everyone should see it in IMAX."), "off_topic"),
        ("en", "", "I don't know how many users we had, about 2 million", "answer"),
        ("en", "", "I finished the project in March", "answer"),
        ("en", "", "we had to stop the migration", "answer"),
        ("en", "", "let me finish my thought", "non_answer"),
        ("en", "", "Let me finish my thought: we moved the queues to Kafka.", "answer"),
        ("en", "", "I have to go back a bit: before that I worked at a bank.", "answer"),
        ("en", "", "we had to repeat the load test three times", "answer"),
        ("en", "", "What I mean is that we had no tests at all.", "answer"),
        ("en", "", "I asked my manager what the salary range was and negotiated a raise.", "answer"),
        ("en", "", "can we stop here please", "end_request"),
        ("en", "", "sorry could you repeat", "repeat_request"),
        ("en", "", "what's the salary range?", "question_to_interviewer"),
        ("en", "", "is the job remote?", "question_to_interviewer"),
        ("en", "", "I have no idea", "dont_know"),
        ("ru", "", "мне нужно идти", "end_request"),
        ("ru", "", "давайте закончим", "end_request"),
        ("ru", "", "я должен бежать", "end_request"),
        ("ru", "", "закончим на этом", "end_request"),
        ("ru", "", "я закончил университет", "answer"),
        ("ru", "", "Мы хотели повторить успех прошлого релиза и запустили приложение.", "answer"),
        ("ru", "", "дайте закончить мысль", "non_answer"),
        ("ru", "", "Мне нужно вернуться назад: до этого я работал в банке.", "answer"),
        ("ru", "", "Я не хочу продолжать работать в компании, где нет роста.", "answer"),
        ("ru", "", "можно повторить вопрос", "repeat_request"),
        ("ru", "", "не расслышал", "repeat_request"),
        ("ru", "", "не понял вопрос", "repeat_request"),
        ("ru", "", "не знаю", "dont_know"),
        ("ru", "", "затрудняюсь ответить", "dont_know"),
        ("ru", "", "никогда не работал с этим", "dont_know"),
        ("ru", "", "Не знаю, сколько было пользователей, около двух миллионов.", "answer"),
        ("ru", "", "какая зарплата?", "question_to_interviewer"),
        ("ru", "", "а вы кто, робот?", "question_to_interviewer"),
        # from heldout4 (blind set 2): each family with a near miss that must keep its kind
        ("en", "", "Can I finish?", "non_answer"),
        ("en", "", "can we finish?", "end_request"),
        ("en", "", "Let's stop things here, thanks.", "end_request"),
        ("en", "", "I need to live now, sorry", "end_request"),
        ("en", "", "I need to live in a big city", "answer"),
        ("en", "", "We need to finish in March, that's the deadline", "answer"),
        ("en", "", "I have to go into more detail here", "answer"),
        ("en", "", "I want out of this call.", "end_request"),
        ("en", "", "I want out of my current company", "answer"),
        ("en", "", "I don't think we can continue, sorry.", "end_request"),
        ("en", "", "Our CTO decided to end the call with that vendor.", "answer"),
        ("en", "", "When will this be over?", "question_to_interviewer"),
        ("ru", "", "Можно я закончу?", "non_answer"),
        ("ru", "", "Прошу вас завершить собеседование.", "end_request"),
        ("ru", "", "мне надо итти", "end_request"),
        ("ru", "", "давайте заверш им", "end_request"),
        ("ru", "", "ну всё, до свидание", "end_request"),
        ("ru", "", "Мне нужно отойти, продолжать не могу.", "end_request"),
        ("ru", "", "мне нужно отойти на минуту", "non_answer"),
        ("ru", "", "Давайте в другой день, у меня сейчас встреча.", "end_request"),
        ("ru", "", "давайте в следующий раз обсудим зарплату", "answer"),
        ("ru", "", "Во сколько мы закончим?", "question_to_interviewer"),
        # from heldout5 (blind set 3): each family with a near miss that must keep its kind
        ("en", "", "Let's wrap it up, I've got nothing to add.", "end_request"),
        ("en", "", "We wrapped up the migration in May.", "answer"),
        ("en", "", "we need to wrap it up by Friday", "answer"),
        ("en", "", "If a call runs long, I suggest we stop and follow up by email.", "answer"),
        ("en", "", "If you don't mind, can we stop here?", "end_request"),
        ("ru", "", "всё, я сваливаю", "end_request"),
        ("ru", "", "ну я погнал, спасибо", "end_request"),
        ("ru", "", "я свалил с прошлой работы", "answer"),
        ("ru", "", "мне нужно свалить эту задачу на коллегу", "answer"),
        ("ru", "", "Я бы хотела на этом закончить, если можно.", "end_request"),
        ("ru", "", "мы остановились на этом решении", "answer"),
        ("ru", "", "хочу остановиться на этом проекте подробнее", "answer"),
        ("ru", "", "я отказываюсь от дальнейшего интервью", "end_request"),
        ("ru", "", "я отказался от оффера", "answer"),
        ("ru", "", "я отказался от собеседования в другой компании", "answer"),
        ("ru", "", "Если встреча затягивается, я предлагаю завершить встречу.", "answer"),
        ("ru", "", "Если вас не затруднит, давайте закончим.", "end_request"),
        # from heldout6 (blind set 4): each family with a near miss that must keep its kind
        ("en", "", "I don't want to go further with this interview.", "end_request"),
        ("en", "", "I don't want to go further in management, I prefer to stay technical.", "answer"),
        ("en", "", "This is nonsense, I'm not taking part anymore.", "end_request"),
        ("en", "", "I'm not participating in hackathons any more, no time.", "answer"),
        ("en", "", "When the standup drags on and people start arguing about details, I usually say let's stop here.",
         "answer"),
        # unpunctuated, the condition is 24 words back: too far to be the same sentence
        ("en", "", "if the tests fail we revert the commit and then we look at the logs and fix everything the next "
                   "morning with the team ok sorry i need to leave now", "end_request"),
        ("en", "", "Could we take a quick break please?", "question_to_interviewer"),
        ("en", "", "I need a short break, sorry.", "question_to_interviewer"),
        ("en", "", "Let's take a break from meetings on Fridays, that helped the team focus.", "answer"),
        ("en", "", "I've heard of it but I can't explain it.", "dont_know"),
        ("en", "", "I never really thought about it.", "dont_know"),
        ("en", "", "I don't have an answer for every edge case, but we covered the main flows with tests and alerts.",
         "answer"),
        ("en", "", "how many rounds are there", "question_to_interviewer"),
        ("ru", "", "Отказываюсь участвовать в этом цирке.", "end_request"),
        ("ru", "", "Не хочу больше участвовать, извините.", "end_request"),
        ("ru", "", "Я больше не участвую в дежурствах, только ревью.", "answer"),
        ("ru", "", "Сейчас я больше не участвую, этим занимается другая команда.", "answer"),
        ("ru", "", "В хакатонах я больше не участвую, времени нет.", "answer"),
        ("ru", "", "Когда ретро затягивается и все спорят о мелочах, я обычно говорю: давайте на этом остановимся.",
         "answer"),
        ("ru", "", "Мне нужна пауза на пару минут.", "question_to_interviewer"),
        ("ru", "", "Можно взять паузу на рефакторинг, если бизнес согласен.", "answer"),
        ("ru", "", "Объяснить толком не смогу.", "dont_know"),
        ("ru", "", "Сначала не смог объяснить клиенту, поэтому нарисовал схему потока, и он согласился.", "answer"),
        ("ru", "", "Слышал про такое, но не сталкивался.", "dont_know"),
        ("ru", "", "вы меня слышали?", "non_answer"),
        ("ru", "", "ну долго еще", "question_to_interviewer"),
        ("ru", "", "долго ещё работали с этим клиентом", "answer"),
        # heldout6's requests that only the learned opinion caught, and a change of subject it took for one
        ("en", "", "ok i'm gonna bounce, thanks", "end_request"),
        ("en", "", "I'm going to bounce the idea off the team first.", "answer"),
        ("en", "", "Let's not continue with this topic, I'd rather talk about Kafka.", "answer"),
        ("en", "", "I don't want to continue this topic.", "answer"),
        ("ru", "", "Я не хочу продолжать эту тему.", "answer"),
        ("ru", "", "Слушайте, давайте не будем продолжать, извините.", "end_request"),
        ("ru", "", "Давайте не будем продолжать эту тему, лучше расскажу про Kafka.", "answer"),
        ("ru", "", "Мне правда надо идти дальше в архитектуру, поэтому ищу работу.", "answer"),
        ("ru", "", "ладно я сворачиваюсь всем спасибо", "end_request"),
        ("ru", "", "мы сворачиваемся к пятнице с этим релизом", "answer"),
    ],
)
def test_observed_failures_and_hard_negatives(language, question, text, kind):
    got = understand(text, language=language, question=question)
    assert got.kind == kind, got.reason


def test_sentences_start_where_punctuation_ends_one_counted_in_words():
    turn = read_turn("If a call runs long... we stop. OK; sorry, I have to go!", language="en", question="",
                     topic_terms=())
    assert turn.sentence_starts == (0, 5, 7, 8)
    assert [turn.sentence_start(i) for i in (0, 4, 5, 7, 12)] == [0, 0, 5, 7, 8]
    assert read_turn("no punctuation at all", language="en", question="", topic_terms=()).sentence_starts == (0,)


@pytest.mark.parametrize(
    ("language", "question", "text", "kind", "terse"),
    [
        ("en", "Have you worked with Docker?", "Yes.", "answer", True),
        ("en", "Did you use Kubernetes in production?", "No.", "answer", True),
        ("en", "Which frontend framework did you use?", "React.", "answer", True),
        ("en", "Are you ready to start?", "Yes.", "non_answer", False),
        ("en", "Tell me about your experience.", "Yes.", "non_answer", False),
        ("ru", "Вы работали с Docker?", "Да, работал.", "answer", True),
        ("ru", "Вы готовы начать?", "Да.", "non_answer", False),
        ("ru", "Расскажите о своём опыте.", "Да.", "non_answer", False),
    ],
)
def test_short_answers_are_terse_and_yes_depends_on_the_question(language, question, text, kind, terse):
    got = understand(text, language=language, question=question)
    assert (got.kind, got.terse) == (kind, terse)


def test_business_talk_with_leisure_words_is_not_off_topic():
    text = ("We had a long weekend of talks with the supplier, we argued about the film packaging price for "
            "hours and finally agreed on a discount")
    assert understand(text, language="en", question="Tell me about a difficult negotiation.").kind == "answer"


def test_a_topic_term_keeps_leisure_words_on_topic():
    text = "the football feed went down during the match on saturday evening and the fans were furious"
    assert understand(text, language="en").kind == "off_topic"
    assert understand(text, language="en", topic_terms=("football data",)).kind == "answer"


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "...", "?!"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_empty_or_blank_input_is_a_non_answer(text, language):
    got = understand(text, language=language)
    assert got == Understanding(kind="non_answer", reason="non_answer:empty")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language must be one of"):
        understand("hello", language="de")


# --- extraction ----------------------------------------------------------------------------------

def test_english_extraction_finds_tools_numbers_claims():
    got = understand("At my last job I built the payments service in Python and Django, we moved everything "
                     "to postgres and cut latency by 30% in 2021. The team was seven people.", language="en")
    assert got.tools == ("Python", "Django", "PostgreSQL")
    assert {"30%", "2021", "seven people"} <= set(got.numbers)
    assert any("built the payments service" in claim for claim in got.claims)


def test_russian_extraction_reads_transliterated_and_latin_tools():
    got = understand("Я пять лет писал на пайтоне и джанго, перевёл всё на пасгрес, "
                     "деплоили в кубернетис, а мониторинг был на Grafana и VictoriaMetrics.", language="ru")
    assert got.tools == ("Python", "Django", "PostgreSQL", "Kubernetes", "Grafana", "VictoriaMetrics")
    assert "пять лет" in got.numbers
    assert got.claims


def test_russian_numbers_words_and_percentages():
    got = understand("Выручка выросла на 20 процентов, пользователей около двух миллионов, "
                     "команда из семи человек.", language="ru")
    assert {"20 процентов", "двух миллионов", "семи человек"} <= set(got.numbers)


def test_topic_terms_that_appear_are_reported():
    got = understand("Я вёл переговоры с поставщиками о цене", language="ru", topic_terms=("переговоры", "Excel"))
    assert got.tools == ("переговоры",)


@pytest.mark.parametrize(
    ("language", "text", "weakness"),
    [
        ("en", "My weakest area is machine learning, I only know the basics.", "machine learning"),
        ("en", "I'm not strong in system design.", "system design"),
        ("en", "I haven't worked much with Kafka, mostly RabbitMQ.", "Kafka"),
        ("en", "I'd say Kubernetes is my weak spot.", "Kubernetes"),
        ("en", "I don't have much experience with cloud infrastructure.", "cloud infrastructure"),
        ("ru", "Моё слабое место — кубернетис, я с ним почти не работал.", "Kubernetes"),
        ("ru", "я не силён в машинном обучении знаю только основы", "машинном обучении"),
        ("ru", "Мало опыта с кафкой, в основном RabbitMQ.", "Kafka"),
        ("ru", "С докером я почти не работал, всё делали девопсы.", "Docker"),
        ("ru", "Слабая сторона — публичные выступления.", "публичные выступления"),
    ],
)
def test_weaknesses_are_extracted(language, text, weakness):
    assert weakness in understand(text, language=language).weaknesses


def test_a_russian_admitted_gap_is_not_a_claim():
    got = understand("С кубернетисом я почти не работал.", language="ru")
    assert got.claims == ()
    assert got.weaknesses == ("Kubernetes",)


# --- the judge -----------------------------------------------------------------------------------

class ScriptedJudge:
    """Stands in for an LLM: returns one verdict and records what it was asked."""

    def __init__(self, verdict):
        self.verdict = verdict
        self.asked: list[str] = []

    def __call__(self, text, *, language, question):
        self.asked.append(text)
        return self.verdict


def test_the_judge_is_asked_only_when_no_rule_fired():
    judge = ScriptedJudge("off_topic")
    assert understand("I need to leave now", language="en", judge=judge).kind == "end_request"
    assert judge.asked == []
    got = understand("We shipped it on Friday and everybody celebrated", language="en", judge=judge)
    assert (got.kind, got.reason) == ("off_topic", "judge:off_topic")
    assert len(judge.asked) == 1


@pytest.mark.parametrize("verdict", [None, "maybe"])
def test_a_judge_without_a_usable_verdict_leaves_the_rules_answer(verdict):
    got = understand("We shipped it on Friday", language="en", judge=ScriptedJudge(verdict))
    assert got.kind == "answer"
