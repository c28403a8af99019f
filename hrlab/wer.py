"""Word error rate between a reference transcript and a hypothesis."""

from __future__ import annotations

from dataclasses import dataclass

from hrlab.textnorm import transcript_words


@dataclass(frozen=True)
class WordErrors:
    """Edit counts of an alignment; `rate` is (S + D + I) / N."""

    substitutions: int
    deletions: int
    insertions: int
    reference_words: int

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def rate(self) -> float:
        if self.reference_words == 0:
            return 0.0 if self.insertions == 0 else 1.0
        return self.errors / self.reference_words


def word_errors(reference: str, hypothesis: str, *, normalize: bool = True) -> WordErrors:
    """Count substitutions, deletions and insertions (Levenshtein over words)."""
    ref = transcript_words(reference) if normalize else reference.split()
    hyp = transcript_words(hypothesis) if normalize else hypothesis.split()
    # Each cell holds (cost, subs, dels, ins); ties prefer substitutions, as most scorers do.
    previous = [(j, 0, 0, j) for j in range(len(hyp) + 1)]
    for i, ref_word in enumerate(ref, start=1):
        current = [(i, 0, i, 0)]
        for j, hyp_word in enumerate(hyp, start=1):
            diag = previous[j - 1]
            if ref_word == hyp_word:
                best = diag
            else:
                best = (diag[0] + 1, diag[1] + 1, diag[2], diag[3])
            up = previous[j]
            if up[0] + 1 < best[0]:
                best = (up[0] + 1, up[1], up[2] + 1, up[3])
            left = current[j - 1]
            if left[0] + 1 < best[0]:
                best = (left[0] + 1, left[1], left[2], left[3] + 1)
            current.append(best)
        previous = current
    _, subs, dels, ins = previous[-1]
    return WordErrors(substitutions=subs, deletions=dels, insertions=ins, reference_words=len(ref))


def wer(reference: str, hypothesis: str, *, normalize: bool = True) -> float:
    """Word error rate of `hypothesis` against `reference` (0.0 is perfect; can exceed 1.0)."""
    return word_errors(reference, hypothesis, normalize=normalize).rate


def corpus_wer(pairs: list[tuple[str, str]]) -> float:
    """Pooled WER over (reference, hypothesis) pairs: total errors over total reference words."""
    counts = [word_errors(ref, hyp) for ref, hyp in pairs]
    words = sum(c.reference_words for c in counts)
    return sum(c.errors for c in counts) / words if words else 0.0
