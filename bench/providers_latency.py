"""Offline model figures: STT speed and WER, TTS time to first audio and RTF, LLM speed and TTFT.

Run: .venv/bin/python -m bench.providers_latency [--repeats 3]
Uses the recorded corpus in ../shared/corpus and the packaged models; prints a markdown table.
RTF is processing time / audio duration (lower is faster; 0.1 means 10x faster than real time).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import statistics
import time
from pathlib import Path

from livekit import rtc

import hrlab
from hrlab.providers import ModelRegistry
from hrlab.providers.audio import read_wav_frame
from hrlab.wer import corpus_wer

CORPUS = Path(hrlab.__file__).resolve().parents[2] / "shared" / "corpus"
TTS_TEXTS = {
    # A long first sentence: time to first audio is paid on the first sentence, so this is the slow case.
    "piper/en_US-joe": "Could you tell me about a project where you improved the performance of a service? Thank you.",
    "festival/ru": "Расскажите о проекте, в котором вы заметно ускорили работу сервиса. Спасибо.",
    "espeak/ru": "Расскажите о проекте, в котором вы заметно ускорили работу сервиса. Спасибо.",
}
FEW_SHOT = """Candidate: I built a payments API in Go.
Interviewer: How did you make payment calls idempotent?
###
Candidate: I used PostgreSQL for five years.
Interviewer: Which query did you speed up the most, and how?
###
Candidate: I led a team of four engineers that moved our monolith to Kubernetes.
Interviewer:"""


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


async def bench_stt(registry: ModelRegistry, provider: str, rows: list[dict]) -> list[str]:
    stt, load = timed(registry.stt, provider, language="en")
    audio = spent = 0.0
    pairs = []
    for row in rows:
        frame = read_wav_frame(CORPUS / row["file"])
        started = time.perf_counter()
        event = await stt.recognize(frame, language=row["language"])
        spent += time.perf_counter() - started
        audio += frame.duration
        pairs.append((row["file"], row["reference_text"], event.alternatives[0].text))

    def pooled(prefix: str) -> str:
        chosen = [(ref, hyp) for name, ref, hyp in pairs if name.startswith(prefix)]
        return f"{corpus_wer(chosen) * 100:.1f}%" if chosen else "n/a"

    return [
        f"| STT {provider} | load {load:.2f} s; RTF {spent / audio:.3f} over {audio:.0f} s of {len(rows)} clips |",
        f"| STT {provider} WER, pooled | English read speech {pooled('en_librivox')}; English spontaneous "
        f"(fillers, laughter) {pooled('en_mfa')}; all English {pooled('en_')}; Russian {pooled('ru_')} |",
    ]


async def bench_keyterms(registry: ModelRegistry, rows: list[dict], keyterms: list[str]) -> list[str]:
    """WER on the clips that say the keyterms, plain and biased, in the same run (the gain is the figure)."""
    clips = [r for r in rows if r["file"].startswith("en_mfa")]
    plain = registry.stt("whisper/base", language="en")
    biased = registry.stt("whisper/base", language="en", keyterms=keyterms)
    pairs = {"plain": [], "biased": []}
    for row in clips:
        frame = read_wav_frame(CORPUS / row["file"])
        for name, stt in (("plain", plain), ("biased", biased)):
            event = await stt.recognize(frame, language="en")
            pairs[name].append((row["reference_text"], event.alternatives[0].text))
    figures = "; ".join(f"{name} {corpus_wer(chosen) * 100:.1f}%" for name, chosen in pairs.items())
    return [f"| STT whisper/base keyterms {keyterms} | WER on {len(clips)} en_mfa clips: {figures} |"]


# Russian speech naming tech terms as Russian speakers say them, and the terms a quote must find.
RU_TERM_SENTENCES = [
    ("Основная база данных у нас постгрес, иногда редис.", ("PostgreSQL", "Redis")),
    ("Сервисы мы разворачивали в кубернетесе через хелм.", ("Kubernetes", "Helm")),
    ("Для очередей использовали кафку.", ("Kafka",)),
    ("Фронтенд был на реакте с тайпскриптом.", ("React", "TypeScript")),
    ("Аналитику считали в кликхаусе и бигквери.", ("ClickHouse", "BigQuery")),
    ("Пайплайны данных я строил на эйрфлоу.", ("Airflow",)),
    ("Контейнеры собирали докером, деплой через дженкинс.", ("Docker", "Jenkins")),
    ("Модели обучал на пайторче.", ("PyTorch",)),
    ("Инфраструктуру описывали в терраформе.", ("Terraform",)),
    ("Я пять лет пишу на пайтоне и джанго.", ("Python", "Django")),
]


async def bench_keyterms_ru(registry: ModelRegistry) -> list[str]:
    """Russian: how many resume terms come out in their own spelling, plain and biased (festival/ru speech)."""
    terms = sorted({term for _, named in RU_TERM_SENTENCES for term in named})
    plain = registry.stt("whisper/base", language="ru")
    biased = registry.stt("whisper/base", language="ru", keyterms=terms)
    tts = registry.tts("festival/ru")
    found = {"plain": 0, "biased": 0}
    for sentence, named in RU_TERM_SENTENCES:
        frames = [event.frame async for event in tts.synthesize(sentence)]
        frame = rtc.combine_audio_frames(frames)
        for name, stt in (("plain", plain), ("biased", biased)):
            text = (await stt.recognize(frame, language="ru")).alternatives[0].text.lower()
            found[name] += sum(term.lower() in text for term in named)
    total = sum(len(named) for _, named in RU_TERM_SENTENCES)
    return [f"| STT whisper/base keyterms, Russian speech (festival/ru, {len(RU_TERM_SENTENCES)} sentences) | "
            f"resume terms spelled as in the resume: plain {found['plain']}/{total}; biased {found['biased']}/{total} |"]


async def bench_tts(registry: ModelRegistry, provider: str, repeats: int) -> list[str]:
    tts, load = timed(registry.tts, provider)
    firsts, rtfs = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        first, audio = None, 0.0
        async for event in tts.synthesize(TTS_TEXTS[provider]):
            first = first if first is not None else time.perf_counter() - started
            audio += event.frame.duration
        firsts.append(first)
        rtfs.append((time.perf_counter() - started) / audio)
    return [
        f"| TTS {provider} | load {load:.2f} s; first audio {_ms(firsts)} (median of {repeats}, first call "
        f"{firsts[0] * 1000:.0f} ms); RTF {statistics.median(rtfs):.3f}; {tts.sample_rate} Hz |"
    ]


async def bench_llm(registry: ModelRegistry, repeats: int) -> list[str]:
    llm, load = timed(registry.completer, "llamacpp/gemma3-270m")
    cold = await llm.complete(FEW_SHOT, max_tokens=24, stop=["\n"])
    warm = [await llm.complete(FEW_SHOT, max_tokens=24, stop=["\n"]) for _ in range(repeats)]
    long = [await llm.complete(FEW_SHOT, max_tokens=64, stop=["###"]) for _ in range(repeats)]
    speeds = [(c.completion_tokens - 1) / (c.seconds - c.first_token_seconds) for c in long if c.completion_tokens > 1]
    started = time.perf_counter()
    batch = await asyncio.gather(*[llm.complete(FEW_SHOT, max_tokens=32, stop=["###"]) for _ in range(4)])
    wall = time.perf_counter() - started
    return [
        f"| LLM llamacpp/gemma3-270m (xllamacpp, {llm.threads} thread(s)) | load {load:.2f} s; "
        f"few-shot prompt {cold.prompt_tokens} tokens |",
        f"| LLM time to first token | cold prompt {cold.first_token_seconds * 1000:.0f} ms; prefix cached "
        f"{_ms([c.first_token_seconds for c in warm])} |",
        f"| LLM one short question (stop at newline) | {_ms([c.seconds for c in warm])} for "
        f"{statistics.median(c.completion_tokens for c in warm):.0f} tokens |",
        f"| LLM decode speed, one stream | {statistics.median(speeds):.1f} tokens/s |",
        f"| LLM 4 concurrent streams | {sum(c.completion_tokens for c in batch) / wall:.1f} tokens/s in total, "
        f"{wall:.2f} s wall |",
    ]


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms"


async def run(repeats: int, llm_threads: int | None) -> None:
    rows = list(csv.DictReader(open(CORPUS / "manifest.csv", encoding="utf-8")))
    registry = ModelRegistry(llm_threads=llm_threads)
    lines = []
    try:
        lines += await bench_stt(registry, "whisper/base", rows)
        lines += await bench_stt(registry, "whisper/tiny.en", [r for r in rows if r["language"] == "en"])
        lines += await bench_keyterms(registry, rows, ["Montreal Forced Aligner"])
        lines += await bench_keyterms_ru(registry)
        for provider in TTS_TEXTS:
            lines += await bench_tts(registry, provider, repeats)
        lines += await bench_llm(registry, repeats)
    finally:
        registry.close()
    print("| part | figures (2-core CPU, offline) |\n|---|---|")
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--llm-threads", type=int, default=None, help="llama.cpp threads (default: registry's)")
    args = parser.parse_args()
    asyncio.run(run(args.repeats, args.llm_threads))


if __name__ == "__main__":
    main()
