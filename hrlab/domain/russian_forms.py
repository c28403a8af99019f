"""Russian noun phrases put into another case: «управление проектами» → «с управлением проектами».

Only the head noun and the adjectives before it change; words after the head («проектами», «по
продажам») already carry their own case, and words without Cyrillic letters (Python, Data engineer)
are never inflected. When the phrase is not a noun phrase we can read, the answer is None, so a
caller can pick wording that needs no inflection instead of guessing.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pymorphy3.analyzer import Parse

# pymorphy3's grammeme names for the cases the templates use.
CASES = frozenset({"gent", "datv", "ablt", "loct"})
_CONJUNCTIONS = frozenset({"и", "или"})
_PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_WORD = re.compile(r"[А-ЯЁа-яё][а-яё]*")  # lower or title case; ALL-CAPS words are abbreviations
_UNSURE = re.compile(r"[,;:()«»\"]")
# Spoken forms: «во внедрении», «со стратегией», «со Spark»; Latin is judged by its first letters.
# A capital second letter is an acronym read letter by letter (SQL), so it keeps the short form.
_LONG_PREPOSITION = {
    "в": re.compile(r"[вфВФ][бвгджзйклмнпрстфхцчшщ]|[vfwVFW][bcdfgjklmnpqrstvwxz]"),
    "с": re.compile(r"[сзшжщСЗШЖЩ][бвгджзйклмнпрстфхцчшщ]|[szSZ][bcdfgjklmnpqrtvwxz]"),
}


@functools.cache
def _morph():
    try:
        import pymorphy3
    except ModuleNotFoundError as error:  # a core dependency; a hand-made environment may lack it
        raise ModuleNotFoundError("Russian fallback questions need pymorphy3: pip install -e .") from error
    return pymorphy3.MorphAnalyzer(lang="ru")


@functools.lru_cache(maxsize=4096)
def lemma(word: str) -> str:
    """The dictionary form of one Russian word by its most likely parse, lower case («данными» → «данные»)."""
    return _morph().parse(word)[0].normal_form.replace("ё", "е")


@functools.lru_cache(maxsize=4096)
def is_dictionary_word(word: str) -> bool:
    """True when pymorphy3's dictionary has this Russian word form (its guesses for unknown words do not count)."""
    return _morph().word_is_known(word.lower())


@functools.lru_cache(maxsize=4096)
def is_proper_name(word: str) -> bool:
    """True when pymorphy3's dictionary reads this word as a name (person, place, organisation, brand)."""
    return any(parse.is_known and _PROPER & parse.tag.grammemes for parse in _morph().parse(word))


def with_preposition(preposition: str, phrase: str) -> str:
    """The preposition before the phrase; в and с lengthen where Russian says so (во, со)."""
    long_form = _LONG_PREPOSITION.get(preposition)
    first = phrase.split(maxsplit=1)[0] if phrase.strip() else ""
    if long_form and long_form.match(first) and not first.isupper():
        return f"{preposition}о {phrase}"
    return f"{preposition} {phrase}"


@functools.lru_cache(maxsize=1024)
def inflect(phrase: str, case: str) -> str | None:
    """The phrase in `case` (pymorphy3 grammeme: gent, datv, ablt, loct), or None when unsure."""
    if case not in CASES:
        raise ValueError(f"case must be one of {', '.join(sorted(CASES))}, got {case!r}")
    if not _CYRILLIC.search(phrase):
        return phrase
    words = phrase.split()
    if _UNSURE.search(phrase) or any(_WORD.fullmatch(w) and w[0].isupper() for w in words[1:]):
        return None  # lists, asides and names («Яндекс Метрика»): which word to change is a guess
    forms = _inflected_words(words, case)
    return " ".join(forms) if forms else None


def _inflected_words(words: list[str], case: str) -> list[str] | None:
    """Each word's new form: heads (one per «и»-joined part) and their adjectives change, the rest stay."""
    forms = list(words)
    pending: list[tuple[int, Parse]] = []  # adjectives waiting for their noun
    head_at = None  # the index of the last head, while its dependents follow
    for i, word in enumerate(words):
        if head_at is not None:
            if word.casefold() in _CONJUNCTIONS and i == head_at + 1:
                head_at = None  # «продажи и переговоры»: a second head follows
            continue
        if word.casefold() in _CONJUNCTIONS or _fixed(word):
            continue
        noun, adjective = _nominatives(word)
        if adjective is not None and (noun is None or _modifies(words, i)):
            pending.append((i, adjective))
            continue
        if noun is None:
            return None  # a verb, a preposition, a word in another case: not a phrase we can read
        if not _agree(forms, [*pending, (i, noun)], noun.tag, case):
            return None
        pending, head_at = [], i
    if pending and not _agree(forms, pending, pending[-1][1].tag, case):
        return None  # pending: «английский», «деловой английский», an adjective standing for a noun
    return forms


def _modifies(words: list[str], i: int) -> bool:
    """True when the next word can be what the adjective at `i` describes."""
    rest = [w for w in words[i + 1:] if not _fixed(w)]
    return bool(rest) and rest[0].casefold() not in _CONJUNCTIONS and any(_nominatives(rest[0]))


def _fixed(word: str) -> bool:
    """True for words that never change here: Latin names, numbers, abbreviations (ИТ, 1С)."""
    return _WORD.fullmatch(word.rpartition("-")[2]) is None


def _nominatives(word: str) -> tuple[Parse | None, Parse | None]:
    """The likeliest nominative noun parse and adjective parse of the word's last part, or None each."""
    parses = _morph().parse(word.rpartition("-")[2].casefold())
    if parses[0].tag.POS not in ("NOUN", "ADJF", "PRTF"):
        return None, None  # «вести переговоры» is a verb first, whatever else «вести» can be
    noun = next((p for p in parses if p.tag.POS == "NOUN" and p.tag.case == "nomn"), None)
    adjective = next((p for p in parses if p.tag.POS in ("ADJF", "PRTF") and p.tag.case == "nomn"), None)
    return noun, adjective


def _agree(forms: list[str], parsed: list[tuple[int, Parse]], head_tag, case: str) -> bool:
    """Put the parsed words into `case`; adjectives also take the head's number and gender.

    False when the dictionary has no such form for one of them.
    """
    agreement = {case, head_tag.number or "sing"}
    if head_tag.number != "plur" and head_tag.gender in ("masc", "femn", "neut"):
        agreement.add(head_tag.gender)
    for i, parse in parsed:
        grammemes = {case} if parse.tag.POS == "NOUN" else agreement
        form = _word_form(forms[i], parse, grammemes, first=i == 0)
        if form is None:
            return False
        forms[i] = form
    return True


def _word_form(word: str, parse: Parse, grammemes: set[str], *, first: bool) -> str | None:
    """One word in new grammemes; a hyphen compound changes its last part, and its first part too
    when that is a person noun («инженер-программист» → «инженера-программиста»)."""
    prefix, hyphen, last = word.rpartition("-")
    changed = parse.inflect(grammemes)
    if changed is None:
        return None
    # A resume line starts with a capital that means nothing mid-sentence; a name keeps its own.
    keep_capital = not first or (parse.is_known and bool(_PROPER & parse.tag.grammemes))
    last = _spelt(last, parse, changed.word, keep_capital=keep_capital or bool(prefix))
    if prefix and _WORD.fullmatch(prefix):
        prefix = _prefix_form(prefix, {g for g in grammemes if g in CASES}, first=first)
    return prefix + hyphen + last if prefix is not None else None


def _prefix_form(prefix: str, grammemes: set[str], *, first: bool) -> str | None:
    """A compound's first part: inflected when it names a person (инженер-), else as written
    (интернет-, бизнес-); None when the person noun has no such form."""
    parses = _morph().parse(prefix.casefold())
    person = next((p for p in parses if p.is_known and p.tag.POS == "NOUN" and p.tag.case == "nomn"
                   and p.tag.animacy == "anim"), None)
    if person is None:
        return prefix.casefold() if first else prefix
    changed = person.inflect(grammemes)
    return _spelt(prefix, person, changed.word, keep_capital=not first) if changed else None


def _spelt(original: str, parse: Parse, form: str, *, keep_capital: bool) -> str:
    """The new form spelt like the original: without ё if the original left it out (учет → учетом,
    but секретарь → секретарём), with a capital only where it means something (a name)."""
    if "ё" in parse.word and "ё" not in original.casefold():
        form = form.replace("ё", "е")
    if original[:1].isupper() and keep_capital:
        form = form[:1].upper() + form[1:]
    return form
