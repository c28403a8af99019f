"""Normalise transcript text before comparing it: markers out, lower case, no punctuation."""

from __future__ import annotations

import re
import unicodedata

# Corpus annotations such as <hes-X>, <VOCNOISE>, [laughter], [adif] are not words.
_MARKERS = re.compile(r"<[^<>]*>|\[[^\[\]]*\]")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
# Filled pauses carry no content and recognisers drop or spell them at will: not words for WER.
FILLERS = frozenset({
    "uh", "um", "umm", "uhm", "hm", "hmm", "mm", "mhm", "er", "erm", "ah", "eh", "э", "эм", "мм", "ммм",
})
# Spellings that mean the same words; both sides of a comparison get the same form.
_SAME_WORDS = {"mr": "mister", "mrs": "missus", "dr": "doctor", "gonna": "going to", "wanna": "want to",
               "gotta": "got to", "yknow": "you know", "y'know": "you know", "ok": "okay"}


def normalize_transcript(text: str, *, drop_fillers: bool = True) -> str:
    """Drop <...>/[...] markers and fillers, lower-case, strip punctuation, unify spellings."""
    text = _MARKERS.sub(" ", text)
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    # 'ё' and 'е' are written interchangeably in Russian; compare them as one letter.
    text = text.replace("ё", "е")
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char == "'" or category[0] in ("L", "N"):
            kept.append(char)
        else:
            kept.append(" ")
    words = "".join(kept).split()
    # An apostrophe only counts inside a word ("don't"), not as a quote mark around it.
    words = [w.strip("'") for w in words if w.strip("'")]
    words = [_SAME_WORDS.get(w, w) for w in words if not (drop_fillers and w in FILLERS)]
    return " ".join(words)


def transcript_words(text: str, *, drop_fillers: bool = True) -> list[str]:
    """The normalised words of a transcript."""
    return normalize_transcript(text, drop_fillers=drop_fillers).split()
