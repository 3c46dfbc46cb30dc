"""Who may use the web app, and what they did.

Two ways to know the user: a users file with scrypt-hashed passwords (Gradio's login form),
or a header set by a trusted reverse proxy that has already logged the user in (e.g.
`X-Forwarded-User`; only safe when the app listens on loopback behind that proxy).

Users file: one user a line, `name:scrypt$n$r$p$salt_hex$hash_hex`; '#' starts a comment.
Create or update a user with `python -m assistant.web.auth USERS_FILE NAME` (asks for the password).

The audit log is JSON lines: {"time", "user", "action", ...details}, one per question or export.

`AuthGate` sits in front of the whole Gradio app (an ASGI middleware) and refuses every request
without a session or the proxy header, whatever the route: Gradio protects only some of its
routes itself (not e.g. /openapi.json, /gradio_api/runs, the queue's stream and reset routes),
its login page publishes the API description, and a route added by a later Gradio release must
not be open by default. Unauthenticated users get only our small login page at "/", Gradio's
password check at POST /login, and (from loopback only) Gradio's own start-up call, which
`launch()` makes and which answers only true/false.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import hashlib
import hmac
import json
import os
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

if TYPE_CHECKING:
    from rapport_settings import LoginSettings

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
ANONYMOUS = "anonym"
LOGIN_POST_PATHS = ("/login", "/login/")  # Gradio's password check; sets the session cookie
STARTUP_PATH = "/gradio_api/startup-events"  # called by Gradio's launch() itself; answers a bool
LOOPBACK = ("127.0.0.1", "::1")
NOT_LOGGED_IN = "Inte inloggad: logga in på startsidan med ditt användarnamn och lösenord."


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            password.encode("utf-8"),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(bytes.fromhex(expected)),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), expected)


def read_users(path: str | Path) -> dict[str, str]:
    """name -> stored hash; raises FileNotFoundError / ValueError with a Swedish message."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"användarfilen {path} finns inte (skapa den med "
            f"`python -m assistant.web.auth {path} NAMN`)."
        )
    users = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, stored = line.partition(":")
        if not sep or not stored.startswith("scrypt$"):
            raise ValueError(f"rad {n} i {path} ska vara `namn:scrypt$...`.")
        users[name.strip()] = stored.strip()
    return users


def set_user(path: str | Path, name: str, password: str) -> None:
    """Add or replace one user in the users file."""
    if not name or ":" in name or len(password) < 8:
        raise ValueError("namnet får inte innehålla ':' och lösenordet ska ha minst 8 tecken.")
    path = Path(path)
    users = read_users(path) if path.exists() else {}
    users[name] = hash_password(password)
    lines = [f"{n}:{h}" for n, h in users.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.chmod(path, 0o600)


class PasswordCheck:
    """The callable Gradio's `launch(auth=...)` wants; re-reads the file when it changes."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._users = read_users(self.path)
        self._mtime = self.path.stat().st_mtime

    def __call__(self, username: str, password: str) -> bool:
        mtime = self.path.stat().st_mtime
        if mtime != self._mtime:
            self._users, self._mtime = read_users(self.path), mtime
        stored = self._users.get(username)
        if stored is None:
            verify_password(password, hash_password("x"))  # same time for unknown names
            return False
        return verify_password(password, stored)


def current_user(request, auth_header: str | None = None) -> str | None:
    """The logged-in user of a Gradio request; None when a required header is missing."""
    if auth_header:
        headers = getattr(request, "headers", None) or {}
        value = headers.get(auth_header.lower()) or headers.get(auth_header)
        return value.strip() if value and value.strip() else None
    return getattr(request, "username", None) or ANONYMOUS


LOGIN_PAGE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Logga in – Rapportassistenten</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { font-family: system-ui, sans-serif; background: #f5f5f5; margin: 0; }
form { max-width: 22rem; margin: 12vh auto; background: #fff; padding: 2rem; border-radius: 8px;
       box-shadow: 0 1px 4px #0002; display: flex; flex-direction: column; gap: .8rem; }
input, button { font: inherit; padding: .5rem; }
button { background: #ea580c; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
#fel { color: #b91c1c; min-height: 1.2em; margin: 0; }
</style></head><body>
<form id="login">
  <h1>Rapportassistenten</h1>
  <p>Logga in med ditt användarnamn och lösenord.</p>
  <label>Användarnamn <input name="username" id="username" autocomplete="username" required></label>
  <label>Lösenord <input name="password" id="password" type="password"
         autocomplete="current-password" required></label>
  <button type="submit" id="logga-in">Logga in</button>
  <p id="fel" role="alert"></p>
</form>
<script>
document.getElementById("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const fel = document.getElementById("fel");
  fel.textContent = "";
  try {
    const response = await fetch("login", {method: "POST", credentials: "same-origin",
                                           body: new URLSearchParams(new FormData(event.target))});
    if (response.ok) { location.reload(); return; }
    let detail = "";
    try { detail = (await response.json()).detail || ""; } catch (e) {}
    fel.textContent = response.status === 400
      ? "Fel användarnamn eller lösenord. Försök igen."
      : response.status === 429 && detail ? detail
      : "Inloggningen misslyckades (" + response.status + "). Försök igen om en stund.";
  } catch (err) {
    fel.textContent = "Servern svarar inte. Kontrollera anslutningen och försök igen.";
  }
});
</script></body></html>
"""


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0
    locked_until: float = 0.0


@dataclass
class LoginLimiter:
    """Failed logins per user name and per client: the first `free` failures are answered at
    once, the next ones after a growing pause (`delay` s, doubled each time, at most
    `max_delay`), and at `lock_after` failures further attempts are refused for
    `lock_seconds` (also a correct password: that is what the lock is for). A correct login
    resets its user name and client. Failures are forgotten after `forget_seconds` without
    one. Clients (an office behind one address) get `client_factor` times the allowance.
    Settings: the section `web.login` of rapport_settings (RAPPORTASSISTENT_LOGIN_FREE,
    _LOCK_AFTER, _LOCK_SECONDS, _DELAY, _MAX_DELAY)."""

    free: int = 3
    lock_after: int = 6
    lock_seconds: float = 300.0
    delay: float = 1.0
    max_delay: float = 8.0
    forget_seconds: float = 900.0
    client_factor: int = 4
    clock: object = time.time
    _failures: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_settings(cls, login: LoginSettings | None = None) -> LoginLimiter:
        """A limiter by `login` (default: the current settings' `web.login`)."""
        if login is None:
            from rapport_settings import get_settings

            login = get_settings().web.login
        return cls(
            free=login.free,
            lock_after=login.lock_after,
            lock_seconds=login.lock_seconds,
            delay=login.delay,
            max_delay=login.max_delay,
            forget_seconds=login.forget_seconds,
            client_factor=login.client_factor,
        )

    def _keys(self, user: str, client: str) -> list[tuple[tuple[str, str], int]]:
        return [(("user", user.strip().casefold()), 1), (("client", client), self.client_factor)]

    def _entry(self, key, now: float) -> _Failures:
        entry = self._failures.get(key)
        if entry is None or (now - entry.last > self.forget_seconds and entry.locked_until <= now):
            entry = self._failures[key] = _Failures()
        return entry

    def locked_until(self, user: str, client: str) -> float:
        """When a lock on this user name or client ends (0 if none)."""
        now = self.clock()
        with self._lock:
            ends = [self._entry(k, now).locked_until for k, _ in self._keys(user, client)]
        return max([e for e in ends if e > now], default=0.0)

    def pause(self, user: str, client: str) -> float:
        """Seconds to wait before checking this attempt's password."""
        now = self.clock()
        with self._lock:
            extra = max(
                self._entry(k, now).count - self.free * f for k, f in self._keys(user, client)
            )
        return 0.0 if extra < 0 else min(self.delay * 2**extra, self.max_delay)

    def failed(self, user: str, client: str) -> float:
        """Record a failure; returns when a lock it started ends (0 if none)."""
        now = self.clock()
        until = 0.0
        with self._lock:
            for key, factor in self._keys(user, client):
                entry = self._entry(key, now)
                entry.count += 1
                entry.last = now
                if entry.count >= self.lock_after * factor:
                    entry.locked_until = now + self.lock_seconds
                    until = max(until, entry.locked_until)
        return until

    def succeeded(self, user: str, client: str) -> None:
        with self._lock:
            for key, _ in self._keys(user, client):
                self._failures.pop(key, None)


def locked_message(until: float) -> str:
    """'För många misslyckade inloggningar. Försök igen om 5 minuter (kl. 14:05).'"""
    seconds = max(1, int(round(until - time.time())))
    minutes = -(-seconds // 60)
    at = (datetime.now() + timedelta(seconds=seconds)).strftime("%H:%M")
    wait = (
        f"{minutes} minut{'er' if minutes != 1 else ''}"
        if seconds >= 60
        else f"{seconds} sekund{'er' if seconds != 1 else ''}"
    )
    return (
        f"För många misslyckade inloggningar. Försök igen om {wait} (kl. {at}). "
        "Har du glömt lösenordet, kontakta den som administrerar appen."
    )


class AuthGate:
    """ASGI middleware that refuses every request without a logged-in user.

    `users=True`: the user is the one of Gradio's session cookie (the app's `tokens` and
    `cookie_id`, set by Gradio's POST /login); without one, GET "/" gives `LOGIN_PAGE`.
    `header="X-Forwarded-User"`: the user is that header, set by the trusted proxy. Otherwise
    401 (the status Gradio's launch() accepts from "/"), and websockets are closed.
    It fails closed: if Gradio stops keeping sessions where we look, nobody gets in.
    """

    def __init__(
        self,
        app,
        users: bool = False,
        header: str | None = None,
        limiter: LoginLimiter | None = None,
        audit: AuditLog | None = None,
    ) -> None:
        if not users and not header:
            raise ValueError("AuthGate needs users=True or a header name")
        self.app = app
        self.users = users
        self.limiter = limiter or LoginLimiter.from_settings()
        self.audit = audit or AuditLog(None)
        self.header_name = header
        self.header = header.lower().encode("latin-1") if header else None

    def user(self, scope) -> str | None:
        headers = dict(scope.get("headers") or [])  # names are lower-case bytes in ASGI
        if self.header:
            value = headers.get(self.header, b"").decode("latin-1").strip()
            return value or None
        server = scope.get("app")
        tokens, cookie_id = getattr(server, "tokens", None), getattr(server, "cookie_id", None)
        if not tokens or not cookie_id:
            return None
        names = {f"access-token-{cookie_id}", f"access-token-unsecure-{cookie_id}"}
        for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
            name, _, value = part.strip().partition("=")
            if name in names and value in tokens:
                return tokens[value]
        return None

    async def __call__(self, scope, receive, send) -> None:
        if (
            self.users
            and scope["type"] == "http"
            and scope["path"] in LOGIN_POST_PATHS
            and scope["method"] == "POST"
        ):  # logged in or not: every guess is counted
            await self._login(scope, receive, send, (scope.get("client") or ("", 0))[0])
            return
        if scope["type"] not in ("http", "websocket") or self.user(scope) is not None:
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": 1008})
            return
        path, method = scope["path"], scope["method"]
        client = (scope.get("client") or ("", 0))[0]
        if path == STARTUP_PATH and method == "GET" and client in LOOPBACK:
            await self.app(scope, receive, send)
        elif self.users and path == "/" and method in ("GET", "HEAD"):
            await _respond(send, 200, LOGIN_PAGE, "text/html; charset=utf-8", method == "HEAD")
        elif self.users:
            await _respond(send, 401, _json({"detail": NOT_LOGGED_IN}), "application/json")
        else:
            message = (
                f"Åtkomst nekad: inloggningen från proxyn saknas (rubriken "
                f"{self.header_name}). Öppna appen via organisationens inloggning."
            )
            await _respond(send, 401, _json({"detail": message}), "application/json")

    async def _login(self, scope, receive, send, client: str) -> None:
        """Gradio's password check, behind the limiter: a locked user name or client gets
        429 with a Swedish message saying when to try again; repeated failures wait first."""
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > 64 * 1024:
                await _respond(
                    send, 413, _json({"detail": "För stor inloggning."}), "application/json"
                )
                return
        form = parse_qs(body.decode("utf-8", "replace"))
        user = (form.get("username") or [""])[0]
        until = self.limiter.locked_until(user, client)
        if until:
            self.audit.write(
                user,
                "login_refused",
                client=client,
                until=datetime.fromtimestamp(until, UTC).isoformat(timespec="seconds"),
            )
            await _respond(
                send,
                429,
                _json({"detail": locked_message(until)}),
                "application/json",
                retry_after=int(until - time.time()) + 1,
            )
            return
        pause = self.limiter.pause(user, client)
        if pause:
            await asyncio.sleep(pause)

        async def replay():
            nonlocal body
            chunk, body = body, b""
            return {"type": "http.request", "body": chunk, "more_body": False}

        async def watch(message):
            # Counted before the answer leaves: the next guess already sees this one.
            if message["type"] == "http.response.start":
                self._account(user, client, message["status"] == 200, pause)
            await send(message)

        await self.app(scope, replay, watch)

    def _account(self, user: str, client: str, ok: bool, pause: float) -> None:
        if ok:
            self.limiter.succeeded(user, client)
            self.audit.write(user, "login", client=client)
            return
        locked = self.limiter.failed(user, client)
        extra = (
            {"locked_until": datetime.fromtimestamp(locked, UTC).isoformat(timespec="seconds")}
            if locked
            else {}
        )
        self.audit.write(user, "login_failed", client=client, paused=pause, **extra)


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False)


async def _respond(
    send,
    status: int,
    body: str,
    content_type: str,
    head: bool = False,
    retry_after: int | None = None,
) -> None:
    data = body.encode("utf-8")
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(data)).encode()),
        (b"cache-control", b"no-store"),
    ]
    if retry_after is not None:
        headers.append((b"retry-after", str(max(1, retry_after)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else data})


class AuditLog:
    """Append-only JSON lines; safe to call from several threads."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path else None
        self._lock = threading.Lock()
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, user: str | None, action: str, **details) -> None:
        if self.path is None:
            return
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "user": user or ANONYMOUS,
            "action": action,
            **details,
        }
        line = json.dumps(entry, ensure_ascii=False, default=str)
        with self._lock, open(self.path, "a", encoding="utf-8") as f:
            f.write(line + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m assistant.web.auth",
        description="Lägg till eller byt lösenord för en användare.",
    )
    parser.add_argument("users_file")
    parser.add_argument("name")
    args = parser.parse_args(argv)
    password = getpass.getpass(f"Lösenord för {args.name}: ")
    if password != getpass.getpass("Upprepa lösenordet: "):
        print("Fel: lösenorden är olika.", file=sys.stderr)
        return 2
    try:
        set_user(args.users_file, args.name, password)
    except ValueError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    print(f"Sparade {args.name} i {args.users_file}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
