"""Respell a transcript's words that sound like a resume term as that term: «На пейтхан пишу» → «На Python пишу».

Whisper's hotwords do not keep English terms spoken in Russian: it writes what it hears in Cyrillic
(«пейтхан», «Цлыхаусе», «аэрфулаф»), so the assessment finds no quote naming the skill. After recognition,
each run of up to three words is compared with each Latin resume term by sound: both are written in one rough
Latin phonetic spelling and aligned by a weighted edit distance (vowels and voiced/voiceless pairs are near
misses). The term may have a preposition glued before it («нацлыхаусе»), or one or two stray letters (a
misheard preposition: «двайер фулов» for «в Airflow»), and a case ending or a whole word glued after it
(«Ханпишу»).

Guards, since a candidate who never said "Kafka" must not be quoted saying it: only Latin terms of at least
four sounds; the run must begin with the term's first sound; ordinary words are never cut, and a run of
dictionary words only is replaced only when it is the term by sound («докер») or within a hair of it;
in English only a near-exact respelling ("Air Flow") is taken. The thresholds were tuned on the labelled set,
including every other resume's terms as a test for false corrections (bench/stt_terms.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from hrlab.domain.russian_forms import is_dictionary_word, is_proper_name
from hrlab.domain.term_mentions import names_term

MIN_TERM_LETTERS = 4
MAX_RUN_WORDS = 3
MAX_COST = {"ru": 0.24, "en": 0.12}  # weighted edits per letter of the term's sound; tuned on the labelled set
MAX_COST_KNOWN_WORDS = 0.1  # for a run of dictionary words: near-exact only
# What Whisper glues to a term it cannot spell: a preposition, conjunction or particle before it
# («нацлыхаусе»; «Носилинаем», «Неджава» for «На Selenium», «На Java»), a case ending after it.
_GLUED_BEFORE = frozenset("в во на с со за из к ко по о об у до от при над под про без для и а но не".split())
_GLUED_AFTER = frozenset("а я у ю е и ы ом ем ой ей ах ях ам ям ами ями ов ев".split())

_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
_LATIN_TERM = re.compile(r"[A-Za-z][A-Za-z+#.\- ]*[A-Za-z+#]")
_CYRILLIC = re.compile(r"[а-яё]")
_CYRILLIC_SOUNDS = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", [
    "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
    "f", "h", "c", "ch", "sh", "sch", "", "i", "", "e", "iu", "ia"]))
# English spellings of one sound, longest first; what is left maps letter by letter.
_LATIN_SPELLINGS = (("sch", "sh"), ("ck", "k"), ("ph", "f"), ("qu", "kv"), ("oo", "u"), ("ee", "i"),
                    ("ea", "i"), ("ou", "au"), ("j", "dzh"), ("x", "ks"), ("q", "k"), ("w", "v"),
                    ("y", "i"))
_VOWELS = frozenset("aeiou")
_C_OR_K = frozenset("ck")
_NEAR = {frozenset(p) for p in ("bp", "dt", "gk", "vf", "zs", "kh", "sh", "ck", "cs")}


@dataclass(frozen=True)
class Match:
    """A term found in a run of words: the letters before and after it, and how far it sounds from the term."""

    term: str
    cost: float
    before: str
    after: str


@functools.lru_cache(maxsize=1024)
def latin_sound(term: str) -> str:
    """A Latin term in the rough phonetic spelling ("ClickHouse" → "clikhause")."""
    text = re.sub(r"[^a-z]", "", term.lower())
    for spelling, sound in _LATIN_SPELLINGS:
        text = text.replace(spelling, sound)
    return text


def spoken_sounds(text: str) -> tuple[str, list[int]]:
    """Lower-case letters of `text` in the same spelling, and for each sound letter the index of its source."""
    sounds, sources = [], []
    for index, char in enumerate(text.lower()):
        if _CYRILLIC.fullmatch(char):
            piece = _CYRILLIC_SOUNDS[char]
        elif char.isalpha():
            piece = latin_sound(char)
        else:
            continue
        sounds.append(piece)
        sources.extend([index] * len(piece))
    return "".join(sounds), sources


def _substitution(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if a in _VOWELS and b in _VOWELS:
        return 0.3
    return 0.5 if frozenset((a, b)) in _NEAR else 1.0


def _gap(char: str) -> float:
    return 0.5 if char in _VOWELS or char == "h" else 1.0


@functools.lru_cache(maxsize=8192)  # runs of one, two and three words share their starts
def align(term_sound: str, heard: str) -> tuple[float, ...]:
    """The cost of aligning the whole term with the start of `heard`, for each length of `heard` it covers."""
    previous = [0.0]
    for h in heard:
        previous.append(previous[-1] + _gap(h))
    for t in term_sound:
        current = [previous[0] + _gap(t)]
        for j, h in enumerate(heard, start=1):
            current.append(min(previous[j - 1] + _substitution(t, h), previous[j] + _gap(t),
                               current[j - 1] + _gap(h)))
        previous = current
    return tuple(previous)


def word_starts(run: str) -> list[int]:
    """Where a term may begin in the run: at a word, or after a preposition glued to it («нацлыхаусе»)."""
    starts = []
    for token in _TOKEN.finditer(run):
        word = token.group().lower()
        starts.append(token.start())
        glued = {len(p) for p in _GLUED_BEFORE if word.startswith(p)} | {1, 2}  # or a misheard one («дв» for «в»)
        starts += [token.start() + n for n in sorted(glued) if len(word) > n + 2]
    return starts


def best_match(run: str, terms: Sequence[str], *, language: str) -> Match | None:
    """The term that `run` (one to three words) sounds like, if any sounds close enough."""
    heard, sources = spoken_sounds(run)
    best = None
    for char_start in word_starts(run):
        start = next((i for i, source in enumerate(sources) if source >= char_start), len(heard))
        for term in terms:
            sound = latin_sound(term)
            if not _same_onset(sound, heard[start:]):
                continue
            # Past twice its length a term cannot align within the threshold: no need to look further.
            costs = align(sound, heard[start:start + 2 * len(sound)])
            # The cheapest end first; a dearer one may leave a proper ending («Селинаевом»: «-ом», not «-вом»).
            for length in sorted(range(1, len(costs)), key=lambda j: (costs[j], j)):
                cost = costs[length] / len(sound)
                if cost > MAX_COST[language] or (best and best.cost <= cost):
                    break
                before, after = run[:sources[start]], run[sources[start + length - 1] + 1:]
                if _edges_fit(before, after, language=language) and not _splits_a_known_word(run, before, after):
                    best = Match(term, cost, before, after)
                    break
    return best


def _same_onset(term_sound: str, heard_sound: str) -> bool:
    """Words are heard by their first sound: a term must begin where the heard word does («тистами» is no
    Pytest), or with a vowel where it begins with one. Festival reads a Latin C as «ц», hence c ~ k."""
    first, heard_first = term_sound[0], heard_sound[:1]
    return first == heard_first or frozenset((first, heard_first)) == _C_OR_K or {first, heard_first} <= _VOWELS


def _splits_a_known_word(run: str, before: str, after: str) -> bool:
    """True when the term would start or end inside a dictionary word («два эрфула» must not lose its «а»)."""
    words = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(run)]
    cut_at = [len(before)] if before[-1:].isalpha() else []
    cut_at += [len(run) - len(after)] if after[:1].isalpha() else []
    return any(start < cut < end and _is_russian_word(word) for cut in cut_at for start, end, word in words)


def _edges_fit(before: str, after: str, *, language: str) -> bool:
    """What surrounds the term inside the run: nothing in English; in Russian whole dictionary words, and a
    short preposition or ending (or a dictionary word) glued to the term."""
    if language != "ru":
        return not _TOKEN.search(before) and not _TOKEN.search(after)
    return _edge_fits(_TOKEN.findall(before), glued=before[-1:].isalpha(), glued_index=-1) \
        and _edge_fits(_TOKEN.findall(after), glued=after[:1].isalpha(), glued_index=0)


def _edge_fits(words: list[str], *, glued: bool, glued_index: int) -> bool:
    if not words:
        return True
    apart = list(words)
    if glued:
        piece = apart.pop(glued_index).lower()
        allowed = _GLUED_AFTER if glued_index == 0 else _GLUED_BEFORE
        stray = glued_index == -1 and len(piece) <= 2  # a misheard preposition: «двайер фулов» for «в Airflow»
        if piece not in allowed and not stray and not is_dictionary_word(piece):
            return False
    return all(is_dictionary_word(w) for w in apart)


def correct_terms(text: str, keyterms: Sequence[str], *, language: str) -> str:
    """`text` with each run of words that sounds like a Latin keyterm respelled as the term."""
    terms = [t for t in keyterms if _LATIN_TERM.fullmatch(t) and len(latin_sound(t)) >= MIN_TERM_LETTERS]
    if not terms or language not in MAX_COST:
        return text
    tokens = list(_TOKEN.finditer(text))
    out, cursor, i = [], 0, 0
    while i < len(tokens):
        found = _match_at(text, tokens, i, terms, language=language)
        if found is None:
            i += 1
            continue
        size, match = found
        first, last = tokens[i], tokens[i + size - 1]
        out += [text[cursor:first.start()], _respelled(match)]
        cursor, i = last.end(), i + size
    return "".join(out) + text[cursor:]


def _match_at(text: str, tokens, i: int, terms: Sequence[str], *, language: str) -> tuple[int, Match] | None:
    """The longest run starting at token `i` that sounds like a term not already spelled there."""
    for size in range(min(MAX_RUN_WORDS, len(tokens) - i), 0, -1):
        words = [t.group() for t in tokens[i:i + size]]
        run = text[tokens[i].start():tokens[i + size - 1].end()]
        if any(names_term(run, term) for term in terms):
            continue  # already spelled right
        if language == "ru" and not all(_CYRILLIC.search(w.lower()) for w in words):
            continue  # Latin words in Russian speech are names Whisper wrote on purpose
        match = best_match(run, terms, language=language)
        if match and (language != "ru" or _unknown_or_exact(words, match)):
            return size, match
    return None


def _unknown_or_exact(words: list[str], match: Match) -> bool:
    """A run of dictionary words only is left alone («кафе», «тестами», «спорт»), unless it is the term by
    sound («докер»), a name close to it («Кафке»), or a term Whisper cut into words («Пыть Хан»)."""
    if not all(_is_russian_word(w) for w in words):
        return True
    if match.cost == 0.0:
        return True
    near = match.cost <= MAX_COST_KNOWN_WORDS
    return near and (len(words) > 1 or is_proper_name(words[0]))


@functools.lru_cache(maxsize=4096)
def _is_russian_word(word: str) -> bool:
    return bool(_CYRILLIC.search(word.lower())) and is_dictionary_word(word)


def _respelled(match: Match) -> str:
    """The term with the words glued to it set apart; a glued case ending is dropped (Latin terms are written
    undeclined: «в ClickHouse»)."""
    before, after = match.before, match.after
    if before[-1:].isalpha():
        before += " "
    if after[:1].isalpha():
        glued = _TOKEN.match(after).group()
        after = after[len(glued):] if glued.lower() in _GLUED_AFTER else " " + after
    return f"{before}{match.term}{after}"
