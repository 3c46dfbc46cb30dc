"""Users file with scrypt hashes, the trusted header, and the JSON-lines audit log."""

from __future__ import annotations

import json
import threading
from types import SimpleNamespace

import pytest

from assistant.web.auth import (
    AuditLog,
    PasswordCheck,
    current_user,
    hash_password,
    read_users,
    set_user,
    verify_password,
)

pytestmark = pytest.mark.unit


def test_hash_and_verify():
    stored = hash_password("korrekt häst")
    assert stored.startswith("scrypt$") and "korrekt" not in stored
    assert verify_password("korrekt häst", stored)
    assert not verify_password("fel", stored)
    assert hash_password("korrekt häst") != stored  # salted
    assert not verify_password("x", "inte-en-hash")


def test_users_file_and_check(tmp_path):
    users = tmp_path / "users.txt"
    set_user(users, "anna", "hemligt-lösen")
    set_user(users, "bertil", "annat-lösen1")
    set_user(users, "anna", "nytt-lösen-1")  # replaces
    assert set(read_users(users)) == {"anna", "bertil"}
    assert oct(users.stat().st_mode & 0o777) == "0o600"
    check = PasswordCheck(users)
    assert check("anna", "nytt-lösen-1")
    assert not check("anna", "hemligt-lösen")
    assert not check("okänd", "nytt-lösen-1")


def test_bad_users_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_users(tmp_path / "saknas.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("anna:klartext\n", encoding="utf-8")
    with pytest.raises(ValueError, match="rad 1"):
        read_users(bad)
    with pytest.raises(ValueError):
        set_user(tmp_path / "u.txt", "a:b", "långt-lösenord")


def test_current_user_is_the_login_else_the_trusted_header_else_anonymous():
    assert current_user(SimpleNamespace(username="anna", headers={})) == "anna"
    assert current_user(SimpleNamespace(username=None, headers={})) == "anonym"
    proxied = SimpleNamespace(username=None, headers={"x-forwarded-user": "bertil"})
    assert current_user(proxied, "X-Forwarded-User") == "bertil"
    assert current_user(SimpleNamespace(username=None, headers={}), "X-Forwarded-User") is None


def test_audit_log_lines_from_threads(tmp_path):
    log = AuditLog(tmp_path / "logs" / "audit.jsonl")
    threads = [
        threading.Thread(target=log.write, args=(f"u{i}", "ask"), kwargs={"question": "å?"})
        for i in range(20)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    entries = [
        json.loads(line)
        for line in (tmp_path / "logs" / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(entries) == 20
    assert {e["user"] for e in entries} == {f"u{i}" for i in range(20)}
    assert all(e["action"] == "ask" and e["question"] == "å?" and e["time"] for e in entries)
    AuditLog(None).write("x", "ask")  # no file: nothing happens


# -- the gate in front of the web app (ASGI, without a server; over HTTP in test_webapp_api) --
def run_gate(gate, scope: dict, incoming: list[dict] | None = None) -> list[dict]:
    import asyncio

    sent, incoming = [], list(incoming or [{"type": "http.request", "body": b""}])

    async def receive():
        return incoming.pop(0)

    async def send(message):
        sent.append(message)

    asyncio.run(gate(scope, receive, send))
    return sent


def http_scope(path="/config", method="GET", headers=(), app=None, client=("10.0.0.9", 5000)):
    return {
        "type": "http",
        "path": path,
        "method": method,
        "headers": list(headers),
        "app": app,
        "client": client,
    }


def inner_app():
    calls = []

    async def app(scope, receive, send):
        calls.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"innehall"})

    return app, calls


def test_gate_header_mode():
    from assistant.web.auth import AuthGate

    app, calls = inner_app()
    gate = AuthGate(app, header="X-Forwarded-User")
    for headers in ([], [(b"x-forwarded-user", b"   ")], [(b"x-forwarded-usr", b"bertil")]):
        sent = run_gate(gate, http_scope(headers=headers))
        assert sent[0]["status"] == 401 and "Åtkomst nekad" in sent[1]["body"].decode()
        assert "X-Forwarded-User" in sent[1]["body"].decode()
    assert run_gate(gate, http_scope(path="/", headers=[]))[0]["status"] == 401  # no login page
    assert calls == []
    sent = run_gate(gate, http_scope(headers=[(b"x-forwarded-user", b"bertil")]))
    assert sent[0]["status"] == 200 and calls == ["/config"]


def test_gate_users_mode_session_cookie():
    from assistant.web.auth import AuthGate

    app, calls = inner_app()
    server = SimpleNamespace(tokens={"tok123": "anna"}, cookie_id="c1")
    gate = AuthGate(app, users=True)
    page = run_gate(gate, http_scope(path="/", app=server))
    assert page[0]["status"] == 200 and b'id="login"' in page[1]["body"]
    head = run_gate(gate, http_scope(path="/", method="HEAD", app=server))
    assert head[0]["status"] == 200 and head[1]["body"] == b""
    for cookie in (
        b"",
        b"access-token-c1=fel",
        b"access-token-c2=tok123",
        b"tok123=access-token-c1",
    ):
        sent = run_gate(gate, http_scope(headers=[(b"cookie", cookie)], app=server))
        assert sent[0]["status"] == 401 and "Inte inloggad" in sent[1]["body"].decode()
    assert run_gate(gate, http_scope("/login", "GET", app=server))[0]["status"] == 401
    assert calls == []
    run_gate(gate, http_scope("/login", "POST", app=server))  # Gradio's password check
    ok = run_gate(
        gate, http_scope(headers=[(b"cookie", b"a=b; access-token-unsecure-c1=tok123")], app=server)
    )
    assert ok[0]["status"] == 200 and calls == ["/login", "/config"]


def test_gate_startup_call_only_from_loopback():
    from assistant.web.auth import STARTUP_PATH, AuthGate

    app, calls = inner_app()
    gate = AuthGate(app, header="X-Forwarded-User")
    assert run_gate(gate, http_scope(STARTUP_PATH))[0]["status"] == 401
    assert run_gate(gate, http_scope(STARTUP_PATH, client=("127.0.0.1", 1)))[0]["status"] == 200
    assert calls == [STARTUP_PATH]


def test_gate_closes_websockets():
    from assistant.web.auth import AuthGate

    app, calls = inner_app()
    gate = AuthGate(app, users=True)
    scope = {"type": "websocket", "path": "/gradio_api/ws", "headers": [], "app": None}
    sent = run_gate(gate, scope, [{"type": "websocket.connect"}])
    assert sent == [{"type": "websocket.close", "code": 1008}] and calls == []
    with pytest.raises(ValueError):
        AuthGate(app)


# -- login that resists guessing ---------------------------------------------------------
def test_limiter_slows_then_locks_and_a_correct_login_resets():
    from assistant.web.auth import LoginLimiter

    now = [1000.0]
    limiter = LoginLimiter(
        free=2, lock_after=4, lock_seconds=60, delay=1, max_delay=4, clock=lambda: now[0]
    )
    pauses = []
    for _ in range(4):
        pauses.append(limiter.pause("anna", "10.0.0.1"))
        until = limiter.failed("Anna ", "10.0.0.1")  # the same name, however typed
    assert pauses == [0, 0, 1, 2]
    assert until == 1060.0 and limiter.locked_until("anna", "10.0.0.2") == 1060.0
    assert limiter.locked_until("bertil", "10.0.0.2") == 0  # another name, another client
    now[0] = 1061.0
    assert limiter.locked_until("anna", "10.0.0.1") == 0
    limiter.succeeded("anna", "10.0.0.1")
    assert limiter.pause("anna", "10.0.0.1") == 0 and limiter.failed("anna", "10.0.0.1") == 0


def test_limiter_per_client_across_names():
    from assistant.web.auth import LoginLimiter

    limiter = LoginLimiter(
        free=1, lock_after=2, lock_seconds=60, client_factor=3, clock=lambda: 0.0
    )
    for n in range(5):
        assert limiter.failed(f"namn{n}", "10.0.0.9") == 0
    assert limiter.failed("namn5", "10.0.0.9") == 60.0  # 6 = 2 x 3 failures from one client
    assert limiter.locked_until("ny", "10.0.0.9") == 60.0


def test_locked_message_is_swedish():
    import time

    from assistant.web.auth import locked_message

    text = locked_message(time.time() + 299)
    assert text.startswith("För många misslyckade inloggningar. Försök igen om 5 minuter (kl. ")
    assert "1 sekund" in locked_message(time.time() + 1)
