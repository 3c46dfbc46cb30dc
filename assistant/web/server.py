"""The web chat (Gradio): ask with citations, read the cited page, survey the municipalities,
collect a delrapport draft and add reports. All text users see is Swedish.

`rapportassistent serve` starts it; `assistant.web.app.build_app(service, ...)` makes the Blocks.
API (gradio_client): `ask(question, municipalities, year)` and `survey(question,
municipalities, year)`, both returning JSON.

With `--users` or `--auth-header`, `assistant.web.auth.AuthGate` guards every route of the server
(pages, API, queue, file downloads, uploads); uploads are limited to `max_upload_bytes()`.
Options not given on the command line come from the settings' `web` section
(rapport_settings: environment variables or rapportassistent.toml).
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)


# -- serving -----------------------------------------------------------------------------
def serve(
    store_dir=None,
    chroma_url=None,
    host: str = "127.0.0.1",
    port: int = 7860,
    users_file=None,
    auth_header: str | None = None,
    audit_log=None,
    *,
    service=None,
    block: bool = True,
    settings=None,
):
    """Start the web app; with `block=False` return the running app (tests, benchmarks).
    `settings` (default: `get_settings()` now) gives the login limits and the upload limit."""
    from rapport_settings import get_settings, quiet_telemetry

    quiet_telemetry()  # before Gradio is imported
    settings = settings or get_settings()
    import gradio as gr  # here, so that the CLI stays quick for other commands
    from starlette.middleware import Middleware

    from assistant.service import Service
    from assistant.web import render, swedish
    from assistant.web.app import build_app
    from assistant.web.auth import AuditLog, AuthGate, LoginLimiter, PasswordCheck
    from assistant.web.handlers import max_upload_bytes

    service = service or Service.open(store_dir, chroma_url)
    service.warm_up()  # before listening: the first caseworker does not wait for the loading
    if users_file and auth_header:
        raise ValueError("ange antingen --users eller --auth-header, inte båda.")
    auth = PasswordCheck(users_file) if users_file else None
    if not auth and not auth_header and host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("Ingen inloggning: alla som når %s:%s kan använda appen.", host, port)
    upload_dir = Path(store_dir) / "uppladdade" if store_dir else None
    served_dir = temporary_folder(gradio_uploads=block)
    audit = AuditLog(audit_log)
    app = build_app(service, audit, auth_header, served_dir=served_dir, upload_dir=upload_dir)
    app.ra_temp = served_dir
    app.queue(default_concurrency_limit=4)
    guarded = auth is not None or bool(auth_header)
    gate = (
        [
            Middleware(
                AuthGate,
                users=auth is not None,
                header=auth_header,
                limiter=LoginLimiter.from_settings(settings.web.login),
                audit=audit,
            )
        ]
        if guarded
        else []
    )
    gate.append(Middleware(swedish.SwedishPage))
    app.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        auth_message="Logga in med ditt användarnamn och lösenord.",
        allowed_paths=app.ra_allowed,
        prevent_thread_lock=True,
        show_error=True,
        quiet=True,  # Gradio's own start-up lines are English; ours follow
        i18n=swedish.i18n(),
        footer_links=["api"],
        css=render.CSS,
        js=render.LINKS_JS,
        theme=gr.themes.Default(),
        app_kwargs={"middleware": gate},
        max_file_size=max_upload_bytes(),
        ssr_mode=False,  # SSR puts a Node server (and static workers) in front of the gate
    )
    if not block:
        return app
    if threading.current_thread() is threading.main_thread():
        # Ctrl+C ends the server even when it was started where SIGINT is ignored (a shell's
        # background job, a CI runner), since the start-up line promises it
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        print(
            f"Rapportassistenten körs på http://{_shown_host(host)}:{app.server_port}/ "
            "(avsluta med Ctrl+C).",
            flush=True,
        )
        while app.is_running:
            time.sleep(0.2)
    except KeyboardInterrupt:
        print("Avslutar: servern stängs och tillfälliga filer tas bort.", flush=True)
    finally:
        # a close that hangs (a busy worker) must not keep Ctrl+C from ending the server
        closer = threading.Thread(target=app.close, kwargs={"verbose": False}, daemon=True)
        closer.start()
        closer.join(CLOSE_SECONDS)
        remove_temporary(served_dir)
    return app


CLOSE_SECONDS = 15


_TEMPORARY: list[Path] = []


def temporary_folder(gradio_uploads: bool = False) -> Path:
    """The server's own temporary folder (served copies of reports, exports and, with
    `gradio_uploads` (one server per process), Gradio's uploads): removed when the server
    stops, by Ctrl+C, SIGTERM or a normal exit."""
    folder = Path(tempfile.mkdtemp(prefix="rapportassistent-"))
    if gradio_uploads and "GRADIO_TEMP_DIR" not in os.environ:
        os.environ["GRADIO_TEMP_DIR"] = str(folder / "gradio")
    if not _TEMPORARY:
        atexit.register(lambda: [remove_temporary(f) for f in list(_TEMPORARY)])
        if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
            try:
                signal.signal(signal.SIGTERM, _exit_on_term)
            except ValueError:  # not the main thread (tests): atexit still removes it
                pass
    _TEMPORARY.append(folder)
    return folder


def remove_temporary(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    if folder in _TEMPORARY:
        _TEMPORARY.remove(folder)


def _exit_on_term(signum, frame) -> None:
    raise SystemExit(0)  # runs the finally blocks and atexit handlers


def _shown_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::") else host


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("serve", help="starta webbappen (chatt med källor)")
    p.add_argument("--host", help="adress att lyssna på (standard: web.host, 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (standard: web.port, 7860)")
    p.add_argument("--store", help="arkivmapp (standard: store.path, $RAPPORTASSISTENT_STORE)")
    p.add_argument("--chroma-url", help="en delad Chroma-server, t.ex. http://localhost:8000")
    p.add_argument(
        "--users",
        help="användarfil med hashade lösenord (python -m assistant.web.auth); standard: "
        "web.users_file",
    )
    p.add_argument(
        "--auth-header",
        help="rubrik med användarnamnet från en betrodd proxy, t.ex. X-Forwarded-User",
    )
    p.add_argument("--audit-log", help="logg (JSON-rader) över frågor och exporter")


def run(args) -> int:
    """`rapportassistent serve`: its options win over the settings' `web` section."""
    from rapport_settings import get_settings

    settings = get_settings()
    web = settings.web

    def given(value, setting):
        return setting if value is None else value

    serve(
        args.store,
        args.chroma_url,
        given(args.host, web.host),
        given(args.port, web.port),
        given(args.users, web.users_file),
        given(args.auth_header, web.auth_header),
        given(args.audit_log, web.audit_log),
        settings=settings,
    )
    return 0
