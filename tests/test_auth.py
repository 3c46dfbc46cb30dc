"""Users file with scrypt hashes, the trusted header, and the JSON-lines audit log."""

from __future__ import annotations

import json
import threading
from types import SimpleNamespace

import pytest

from assistant.auth import (
    AuditLog,
    PasswordCheck,
    current_user,
    hash_password,
    read_users,
    set_user,
    verify_password,
)


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


def test_current_user():
    assert current_user(SimpleNamespace(username="anna", headers={})) == "anna"
    assert current_user(SimpleNamespace(username=None, headers={})) == "anonym"
    proxied = SimpleNamespace(username=None, headers={"x-forwarded-user": "bertil"})
    assert current_user(proxied, "X-Forwarded-User") == "bertil"
    assert current_user(SimpleNamespace(username=None, headers={}), "X-Forwarded-User") is None


def test_audit_log_lines_from_threads(tmp_path):
    log = AuditLog(tmp_path / "logs" / "audit.jsonl")
    threads = [threading.Thread(target=log.write, args=(f"u{i}", "ask"), kwargs={"question": "å?"})
               for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    entries = [json.loads(line) for line in (tmp_path / "logs" / "audit.jsonl").read_text(
        encoding="utf-8").splitlines()]
    assert len(entries) == 20
    assert {e["user"] for e in entries} == {f"u{i}" for i in range(20)}
    assert all(e["action"] == "ask" and e["question"] == "å?" and e["time"] for e in entries)
    AuditLog(None).write("x", "ask")  # no file: nothing happens
