"""openai/* providers over a real OpenAI-compatible HTTP server: llama.cpp's, on loopback."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hrlab.providers import ProviderError
from hrlab.providers.openai_compat import OpenAICompleter, OpenAIEndpoint

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def local_endpoint(registry) -> OpenAIEndpoint:
    pytest.importorskip("xllamacpp", reason="pip install 'hrlab[models]'")
    pytest.importorskip("livekit.plugins.openai", reason="pip install 'hrlab[agent]'")
    engine = registry.completer("llamacpp/gemma3-270m")
    assert engine.base_url.startswith("http://127.0.0.1:")
    return OpenAIEndpoint(api_key="local", base_url=engine.base_url)


async def test_completions_api_round_trip(local_endpoint):
    completer = OpenAICompleter("gemma3-270m", local_endpoint, api="completions")
    result = await completer.complete("Q: What is the capital of France?\nA:", max_tokens=8, stop=["\n"])
    assert "paris" in result.text.lower() and "\n" not in result.text
    assert result.completion_tokens >= 1


async def test_chat_api_round_trip(local_endpoint):
    completer = OpenAICompleter("gemma3-270m", local_endpoint, api="chat")
    result = await completer.complete("One, two, three,", max_tokens=8)
    assert result.text.strip()


async def test_chat_api_gives_each_tokens_alternatives_when_asked(local_endpoint):
    completer = OpenAICompleter("gemma3-270m", local_endpoint, api="chat")
    result = await completer.complete("One, two, three,", max_tokens=4, top_logprobs=3)
    assert result.tokens and "".join(choice.token for choice in result.tokens) == result.text
    assert all(1 <= len(choice.top) <= 3 for choice in result.tokens)
    assert all(logprob <= 0 for choice in result.tokens for _, logprob in choice.top)
    assert (await completer.complete("One, two, three,", max_tokens=4)).tokens == ()


class RefusesLogprobs(BaseHTTPRequestHandler):
    """OpenAI's chat endpoint for a reasoning model, as far as this test needs: logprobs refused with its 400."""

    bodies: list[dict] = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.bodies.append(body)
        if body.get("logprobs"):
            status, reply = 400, {"error": {
                "message": "Unsupported parameter: 'logprobs' is not supported with this model.",
                "type": "invalid_request_error", "param": "logprobs", "code": "unsupported_parameter"}}
        else:
            status, reply = 200, {
                "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": body["model"],
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": '{"quote": 1, "score": 4}'}}],
                "usage": {"prompt_tokens": 20, "completion_tokens": 9, "total_tokens": 29}}
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


async def test_a_model_that_refuses_logprobs_is_asked_again_without_them_and_not_asked_again():
    # A fake of the paid API's refusal; the real endpoint that gives them is the test above, on llama.cpp.
    server = ThreadingHTTPServer(("127.0.0.1", 0), RefusesLogprobs)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint = OpenAIEndpoint(api_key="k", base_url=f"http://127.0.0.1:{server.server_port}/v1")
        completer = OpenAICompleter("o-reasoning", endpoint, api="chat")
        for _ in range(2):
            result = await completer.complete("Score it.", max_tokens=16, top_logprobs=10)
            assert result.text == '{"quote": 1, "score": 4}' and result.tokens == ()
    finally:
        server.shutdown()
    assert [body.get("logprobs") for body in RefusesLogprobs.bodies] == [True, None, None]


async def test_registry_builds_livekit_openai_llm_from_env(registry, local_endpoint, monkeypatch):
    from livekit.agents import llm

    monkeypatch.setenv("OPENAI_API_KEY", local_endpoint.api_key)
    monkeypatch.setenv("OPENAI_BASE_URL", local_endpoint.base_url)
    # A base model never says it is done: cap the reply as a config would.
    model = registry.llm("openai/gemma3-270m", max_completion_tokens=12)
    ctx = llm.ChatContext.empty()
    ctx.add_message(role="user", content="Say hello.")
    response = await model.chat(chat_ctx=ctx).collect()
    assert response.text.strip()
    assert model.model == "gemma3-270m"


async def test_unreachable_endpoint_is_a_connection_error():
    from livekit.agents import APIConnectionError

    completer = OpenAICompleter("x", OpenAIEndpoint(api_key="k", base_url="http://127.0.0.1:9/v1"))
    with pytest.raises(APIConnectionError):
        await completer.complete("hello", max_tokens=2)


def test_bad_api_kind():
    with pytest.raises(ProviderError, match="api must be"):
        OpenAICompleter("x", OpenAIEndpoint(api_key="k"), api="legacy")
