"""Text to speech with Debian's festival, kept warm in one process: Russian (festvox-ru, the live Russian
voice) and US English (festvox-us-slt-hts, a female voice the lab uses as a second English speaker)."""

from __future__ import annotations

import re
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hrlab.providers.audio import wav_pcm
from hrlab.providers.deps import require_program
from hrlab.providers.spec import MissingDependency, ProviderError


@dataclass(frozen=True)
class FestivalVoice:
    """A festival voice: the Scheme function that selects it, the rate it speaks at, where Debian puts it."""

    select: str
    sample_rate: int
    directory: str
    debian_package: str


VOICES = {
    "ru": FestivalVoice("voice_msu_ru_nsh_clunits", 16000, "/usr/share/festival/voices/russian/msu_ru_nsh_clunits",
                        "festvox-ru"),
    "en": FestivalVoice("voice_cmu_us_slt_arctic_hts", 32000, "/usr/share/festival/voices/us/cmu_us_slt_arctic_hts",
                        "festvox-us-slt-hts"),
}
_START_TIMEOUT_S = 30.0
_SYNTH_TIMEOUT_S = 60.0


class FestivalDied(RuntimeError):
    """The festival process exited or stopped answering; the next call starts a new one."""

    retryable = True


class FestivalEngine:
    """A persistent `festival --pipe` process: the ~1 s voice load is paid once, not per sentence."""

    def __init__(self, language: str):
        if language not in VOICES:
            raise ProviderError(f"no festival voice for {language!r}; known: {', '.join(VOICES)}")
        voice = VOICES[language]
        require_program("festival", debian_packages=f"festival {voice.debian_package}")
        require_program("stdbuf", debian_packages="coreutils")
        if not Path(voice.directory).is_dir():
            # festival itself would only print an unbound-variable error and speak with no voice
            raise MissingDependency(f"the festival voice for {language!r} is not installed; run: apt-get install "
                                    f"{voice.debian_package} (or bash scripts/install-system.sh)")
        self.name = f"festival-{language}"
        self.sample_rate = voice.sample_rate
        self._voice = voice.select
        self._lock = threading.Lock()
        self._workdir = tempfile.TemporaryDirectory(prefix="hrlab-festival-")
        self._proc: subprocess.Popen | None = None
        self._serial = 0
        with self._lock:
            self._start()

    def _start(self) -> None:
        # stdbuf makes festival line-buffer stdout, so our end-of-request marker arrives at once.
        self._proc = subprocess.Popen(
            ["stdbuf", "-oL", "festival", "--pipe"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self._request(f"({self._voice})", timeout=_START_TIMEOUT_S)

    def _request(self, command: str, *, timeout: float) -> None:
        self._serial += 1
        marker = f"hrlab-done-{self._serial}"
        try:
            self._proc.stdin.write(f'{command}\n(print "{marker}")\n'.encode())
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise FestivalDied(f"festival is not running: {exc}") from None
        self._wait_for(marker, timeout=timeout)

    def _wait_for(self, marker: str, *, timeout: float) -> None:
        timer = threading.Timer(timeout, self._proc.kill)  # a hung festival must not hang the agent
        timer.start()
        output = []
        try:
            for raw in self._proc.stdout:
                line = raw.decode("utf-8", "replace")
                if marker in line:
                    return
                output.append(line.strip())
        finally:
            timer.cancel()
        tail = " | ".join(output[-5:])
        raise FestivalDied(f"festival exited (code {self._proc.poll()}); last output: {tail}")

    def synthesize_pcm(self, text: str) -> Iterator[bytes]:
        """16-bit mono PCM of `text` at the voice's `sample_rate` (blocking)."""
        if not speakable_text(text):
            return  # punctuation or symbols only: nothing to say
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._start()
            out = Path(self._workdir.name) / "utterance.wav"
            out.unlink(missing_ok=True)
            try:
                self._request(f'(utt.save.wave (SynthText "{_scheme_string(text)}") "{out}" \'riff)',
                              timeout=_SYNTH_TIMEOUT_S)
            except FestivalDied:
                self._proc = None
                raise
            if not out.exists():
                raise RuntimeError(f"festival could not read {text[:60]!r}")
            pcm, rate, channels = wav_pcm(out.read_bytes())
        if (rate, channels) != (self.sample_rate, 1):
            raise RuntimeError(f"festival wrote {channels}-channel audio at {rate} Hz, expected mono at "
                               f"{self.sample_rate} Hz")
        yield pcm

    def close(self) -> None:
        """Stop the festival process and remove its scratch files."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                self._proc.kill()
                self._proc.wait()
            self._proc = None
            self._workdir.cleanup()


# festvox-ru's letter-to-sound rules abort the whole utterance on a character they do not know
# (em dash, guillemets, backslash): keep Latin/Cyrillic letters, digits and plain punctuation.
_DASHES = re.compile(r"\s*[\u2012-\u2015\u2212]\s*")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,!?;:)])")
_UNSPEAKABLE = re.compile(r"[^0-9A-Za-zА-Яа-я\s.,!?;:()'-]")


def speakable_text(text: str) -> str:
    """`text` reduced to characters festival's voices can read (the Russian one is the strictest)."""
    text = _DASHES.sub(", ", text).replace("ё", "е").replace("Ё", "Е")  # the voice has no ё
    text = " ".join(_UNSPEAKABLE.sub(" ", text).split())
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)  # a lone "," token also stops the voice
    return text if re.search(r"\w", text) else ""


def _scheme_string(text: str) -> str:
    # After speakable_text no quote or backslash is left to escape in the Scheme string literal.
    return speakable_text(text)
