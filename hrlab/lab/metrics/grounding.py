"""Does an AI follow-up build on the candidate's previous answer? Shared content lemmas decide.

A content lemma is a word of three or more letters (or a number of two or more digits) that is not a
stopword, in dictionary form: Russian words through pymorphy3 («Kubernetes-кластерами» → «кластер»),
English words through a few suffix rules (tests → test, deployed → deploy, companies → company), so
"What did the tests show?" builds on "I ran A/B tests". Interview boilerplate ("experience", "work",
«опыт», «работа») is a stopword: asking about "your experience" after any answer is not building on it.
"""

from __future__ import annotations

import re

from hrlab.domain.russian_forms import lemma as russian_lemma
from hrlab.domain.understanding.patterns import STOPWORDS as UNDERSTANDING_STOPWORDS
from hrlab.textnorm import transcript_words

_CYRILLIC = re.compile(r"[а-яе]")
MIN_LETTERS = 3
MIN_DIGITS = 2
_EN_STOPWORDS = frozenset((
    "the and but for nor yet not are was were been being have has had having does did doing done can could "
    "would should shall will may might must you your yours our ours their theirs them they she her hers his him "
    "its this that these those there here what which who whom whose when where why how all any both each few "
    "more most other some such only own same than too very just also into onto from with without about above "
    "below after before between over under again further then once out off per via yes yeah okay sure well "
    "like really thing things something anything everything one ones lot lots kind sort get got make made "
    "tell told say said describe explain share give walk talk think thought know knew please let let's "
    "i'm i've i'd you're you've we're it's that's don't didn't can't won't isn't wasn't "
    "experience work worked working job role time times example way question answer interview "
    "interesting great good nice mean much many"
).split())
_RU_STOPWORDS = frozenset((
    "и в во на с со о об а но или что как ли вы вас вам ваш мне мы мой наш то к у по за из для же бы не ни "
    "это этот тот такой так там тут здесь где когда почему зачем какой который кто чем сколько весь свой "
    "быть мочь есть стать сказать рассказать описать объяснить привести поделиться назвать представить "
    "пожалуйста да нет ну вот уже еще очень почти просто тоже потом если чтобы только вообще сейчас можно нужно "
    "опыт работа работать пример время раз вопрос ответ интервью дело спасибо хороший интересный"
).split())


def content_lemmas(text: str, *, language: str) -> frozenset[str]:
    """The text's content words in dictionary form (see the module docstring)."""
    lemmas = set()
    for word in transcript_words(text):
        if word.isdigit():
            if len(word) >= MIN_DIGITS:
                lemmas.add(word)
            continue
        if len(word) < MIN_LETTERS or _is_stopword(word):
            continue
        base = russian_lemma(word) if _CYRILLIC.search(word) else _english_lemma(word)
        if len(base) >= MIN_LETTERS and not _is_stopword(base):
            lemmas.add(base)
    return frozenset(lemmas)


def builds_on(question: str, answer: str | None, *, language: str) -> bool | None:
    """True when the question shares a content lemma with the answer; None when there was no answer to use."""
    if not answer or not answer.strip():
        return None
    return bool(content_lemmas(question, language=language) & content_lemmas(answer, language=language))


def _is_stopword(word: str) -> bool:
    return word in _EN_STOPWORDS or word in _RU_STOPWORDS or word in UNDERSTANDING_STOPWORDS


def _english_lemma(word: str) -> str:
    """A dictionary-like form by suffix rules; both sides of a comparison get the same treatment."""
    word = word.removesuffix("'s").replace("'", "")
    rules = (("ies", "y"), ("sses", "ss"), ("ches", "ch"), ("shes", "sh"), ("xes", "x"), ("ing", ""), ("ed", ""))
    for suffix, replacement in rules:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_LETTERS:
            return word[: -len(suffix)] + replacement
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > MIN_LETTERS:
        return word[:-1]
    return word
