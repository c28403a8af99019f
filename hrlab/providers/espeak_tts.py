"""Fallback text to speech with Debian's espeak-ng: instant, robotic, any espeak voice."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator

from hrlab.providers.audio import wav_pcm
from hrlab.providers.deps import require_program
from hrlab.providers.spec import ProviderError

_VOICE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*(\+[A-Za-z0-9]+)?$")


class EspeakEngine:
    """espeak-ng started per sentence: it starts in milliseconds, so no process is kept."""

    sample_rate = 22050

    def __init__(self, voice: str):
        if not _VOICE.match(voice):
            raise ProviderError(f"espeak voice {voice!r} is not a voice name such as 'ru' or 'en-us'")
        self._program = require_program("espeak-ng", debian_packages="espeak-ng")
        listed = subprocess.run([self._program, "--voices"], capture_output=True, text=True, check=True)
        base = voice.split("+")[0]
        if base not in {line.split()[1] for line in listed.stdout.splitlines()[1:] if line.split()}:
            raise ProviderError(f"espeak-ng has no voice {base!r}; see `espeak-ng --voices`")
        self.name = f"espeak-{voice}"
        self._voice = voice

    def synthesize_pcm(self, text: str) -> Iterator[bytes]:
        """16-bit mono PCM of `text` at 22.05 kHz (blocking)."""
        done = subprocess.run([self._program, "-v", self._voice, "--stdout", "--", text],
                              capture_output=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"espeak-ng failed: {done.stderr.decode(errors='replace').strip()}")
        pcm, rate, _ = wav_pcm(done.stdout)
        if rate != self.sample_rate:
            raise RuntimeError(f"espeak-ng produced {rate} Hz, expected {self.sample_rate}")
        yield pcm
