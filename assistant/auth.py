"""Who may use the web app, and what they did.

Two ways to know the user: a users file with scrypt-hashed passwords (Gradio's login form),
or a header set by a trusted reverse proxy that has already logged the user in (e.g.
`X-Forwarded-User`; only safe when the app listens on loopback behind that proxy).

Users file: one user a line, `name:scrypt$n$r$p$salt_hex$hash_hex`; '#' starts a comment.
Create or update a user with `python -m assistant.auth USERS_FILE NAME` (asks for the password).

The audit log is JSON lines: {"time", "user", "action", ...details}, one per question or export.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import hmac
import json
import os
import secrets
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
ANONYMOUS = "anonym"


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
            password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
            dklen=len(bytes.fromhex(expected)),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), expected)


def read_users(path: str | Path) -> dict[str, str]:
    """name -> stored hash; raises FileNotFoundError / ValueError with a Swedish message."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"användarfilen {path} finns inte (skapa den med "
                                f"`python -m assistant.auth {path} NAMN`).")
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
            "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "user": user or ANONYMOUS,
            "action": action,
            **details,
        }
        line = json.dumps(entry, ensure_ascii=False, default=str)
        with self._lock, open(self.path, "a", encoding="utf-8") as f:
            f.write(line + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m assistant.auth", description="Lägg till eller byt lösenord för en användare."
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
