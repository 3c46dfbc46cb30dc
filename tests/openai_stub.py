"""A scripted OpenAI-compatible chat-completions server for tests (stdlib only).

It listens on 127.0.0.1 on a free port, in a thread, and answers
``POST .../chat/completions`` (so ``/v1/chat/completions``, ``/chat/completions`` and the
Azure path ``/openai/deployments/<name>/chat/completions`` all work) with JSON, or with
server-sent events when the request has ``"stream": true``. ``GET .../models`` lists one
model.

    with OpenAIStub(["Svar ett", "Svar två"]) as stub:
        settings = LLMSettings(provider="openai", base_url=stub.base_url, model="m")
        ...
        assert stub.requests[0]["model"] == "m"

Replies are a list (used in order; when it runs out the server answers HTTP 500 so the
test notices) or a function ``request_json -> str``. Every request body is recorded in
``requests`` (with ``paths`` and ``headers`` alongside). ``mode`` may be changed at any time:

* ``"ok"``           answer normally
* ``"fail"``         HTTP 500 with an OpenAI-style error body
* ``"hang"``         say nothing for ``hang_s`` seconds (longer than a client timeout)
* ``"stall_stream"`` streaming: send the role chunk and 2 text chunks, then hang;
                     non-streaming: like "hang"

``api_key`` set -> requests without ``Authorization: Bearer <api_key>`` (or an Azure
``api-key`` header) get HTTP 401. Hangs end at once when the stub stops.

Tests get a running stub from the ``openai_stub`` fixture:
``from tests.openai_stub import openai_stub  # noqa: F401`` and take it as an argument.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

Script = list[str] | Callable[[dict[str, Any]], str]
MODES = ("ok", "fail", "hang", "stall_stream")


class OpenAIStub:
    def __init__(
        self,
        replies: Script | None = None,
        *,
        mode: str = "ok",
        hang_s: float = 10.0,
        api_key: str | None = None,
        model_name: str = "stub-model",
    ) -> None:
        self.mode = mode
        self.hang_s = hang_s
        self.api_key = api_key
        self.model_name = model_name
        self.requests: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.headers: list[dict[str, str]] = []
        self._replies: Script = replies if replies is not None else []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> OpenAIStub:
        handler = type("Handler", (_Handler,), {"stub": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes hanging handlers
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> OpenAIStub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        assert self._server is not None, "stub not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        """What an OpenAI client takes as base_url."""
        return f"{self.root_url}/v1"

    # ------------------------------------------------------------------ scripting

    def script(self, replies: Script) -> None:
        """Replace the scripted replies."""
        with self._lock:
            self._replies = replies

    def _record(self, path: str, headers: dict[str, str], body: dict[str, Any]) -> None:
        with self._lock:
            self.requests.append(body)
            self.paths.append(path)
            self.headers.append(headers)

    def _next_reply(self, body: dict[str, Any]) -> str | None:
        with self._lock:
            if callable(self._replies):
                return self._replies(body)
            return self._replies.pop(0) if self._replies else None

    def _authorized(self, headers: dict[str, str]) -> bool:
        if self.api_key is None:
            return True
        bearer = headers.get("authorization", "") == f"Bearer {self.api_key}"
        return bearer or headers.get("api-key", "") == self.api_key

    def _hang(self) -> None:
        self._stopping.wait(self.hang_s)


def _pieces(text: str) -> list[str]:
    """Split a reply into stream pieces: words with their following whitespace."""
    return re.findall(r"\S+\s*|\s+", text) or [""]


class _Handler(BaseHTTPRequestHandler):
    stub: OpenAIStub
    protocol_version = "HTTP/1.0"  # one request per connection; body ends at close

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet tests
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        if self.path.split("?")[0].endswith("/models"):
            model = {"id": self.stub.model_name, "object": "model", "owned_by": "stub"}
            self._send_json(200, {"object": "list", "data": [model]})
        else:
            self._send_json(404, _error("not found", "not_found"))

    def do_POST(self) -> None:  # noqa: N802 - http.server naming
        try:
            self._handle_post()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): expected in the failure tests

    def _handle_post(self) -> None:
        path = self.path.split("?")[0]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b"{}"
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            body = json.loads(raw)
        except json.JSONDecodeError:
            self._send_json(400, _error("invalid JSON", "invalid_request_error"))
            return
        self.stub._record(path, headers, body)
        if not path.endswith("/chat/completions"):
            self._send_json(404, _error(f"unknown path {path}", "not_found"))
            return
        if not self.stub._authorized(headers):
            self._send_json(401, _error("Incorrect API key provided", "invalid_api_key"))
            return
        mode = self.stub.mode
        if mode == "fail":
            self._send_json(500, _error("stub: scripted server error", "server_error"))
            return
        if mode == "hang" or (mode == "stall_stream" and not body.get("stream")):
            self.stub._hang()
            return
        reply = self.stub._next_reply(body)
        if reply is None:
            self._send_json(500, _error("stub: no scripted reply left", "server_error"))
        elif body.get("stream"):
            self._stream(body, reply, stall_after=3 if mode == "stall_stream" else None)
        else:
            self._send_json(200, _completion(body, reply))

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, body: dict[str, Any], reply: str, stall_after: int | None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        for i, chunk in enumerate(_stream_chunks(body, reply)):
            if stall_after is not None and i == stall_after:
                self.stub._hang()
                return
            self._send_event(json.dumps(chunk, ensure_ascii=False))
        self._send_event("[DONE]")

    def _send_event(self, data: str) -> None:
        self.wfile.write(f"data: {data}\n\n".encode())
        self.wfile.flush()


def _error(message: str, code: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": code, "param": None, "code": code}}


def _completion(body: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-stub-{time.time_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "stub-model"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _stream_chunks(body: dict[str, Any], text: str) -> Iterator[dict[str, Any]]:
    """First a role delta, then one chunk per piece of text, then the finish chunk."""
    base = {
        "id": f"chatcmpl-stub-{time.time_ns()}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body.get("model", "stub-model"),
    }

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return base | {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

    yield chunk({"role": "assistant", "content": ""})
    for piece in _pieces(text):
        yield chunk({"content": piece})
    yield chunk({}, "stop")
    if (body.get("stream_options") or {}).get("include_usage"):
        usage = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
        yield base | {"choices": [], "usage": usage}


@pytest.fixture
def openai_stub() -> Iterator[OpenAIStub]:
    """A running stub with no scripted replies; call `stub.script([...])` in the test."""
    with OpenAIStub() as stub:
        yield stub
