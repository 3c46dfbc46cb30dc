"""The web chat (Gradio): ask with citations, read the cited page, survey the municipalities,
collect a delrapport draft and add reports. All text users see is Swedish.

`rapportassistent serve` starts it; `assistant.web.app.build_app(service, ...)` makes the Blocks.
API (gradio_client): `ask(question, municipalities, year)` and `survey(question,
municipalities, year)`, both returning JSON.

With `--users` or `--auth-header`, `assistant.auth.AuthGate` guards every route of the server
(pages, API, queue, file downloads, uploads); uploads are limited to `max_upload_bytes()`.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
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
):
    """Start the web app; with `block=False` return the running app (tests, benchmarks)."""
    import gradio as gr  # here, so that the CLI stays quick for other commands

    from starlette.middleware import Middleware

    from assistant.auth import AuditLog, AuthGate, PasswordCheck
    from assistant.service import Service
    from assistant.web import render
    from assistant.web.app import build_app
    from assistant.web.handlers import max_upload_bytes

    service = service or Service.open(store_dir, chroma_url)
    service.warm_up()  # before listening: the first caseworker does not wait for the loading
    if users_file and auth_header:
        raise ValueError("ange antingen --users eller --auth-header, inte båda.")
    auth = PasswordCheck(users_file) if users_file else None
    if not auth and not auth_header and host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("Ingen inloggning: alla som når %s:%s kan använda appen.", host, port)
    upload_dir = Path(store_dir) / "uppladdade" if store_dir else None
    app = build_app(service, AuditLog(audit_log), auth_header, upload_dir=upload_dir)
    app.queue(default_concurrency_limit=4)
    guarded = auth is not None or bool(auth_header)
    gate = [Middleware(AuthGate, users=auth is not None, header=auth_header)] if guarded else []
    app.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        auth_message="Logga in med ditt användarnamn och lösenord.",
        allowed_paths=app.ra_allowed,
        prevent_thread_lock=not block,
        show_error=True,
        quiet=not block,
        footer_links=["api"],
        css=render.CSS,
        theme=gr.themes.Default(),
        app_kwargs={"middleware": gate},
        max_file_size=max_upload_bytes(),
        ssr_mode=False,  # SSR puts a Node server (and static workers) in front of the gate
    )
    return app


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("serve", help="starta webbappen (chatt med källor)")
    p.add_argument("--host", default="127.0.0.1", help="adress att lyssna på (standard: 127.0.0.1)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--store", help="arkivmapp (standard: $RAPPORTASSISTENT_STORE)")
    p.add_argument("--chroma-url", help="en delad Chroma-server, t.ex. http://localhost:8000")
    p.add_argument("--users", help="användarfil med hashade lösenord (python -m assistant.auth)")
    p.add_argument("--auth-header", help="rubrik med användarnamnet från en betrodd proxy, "
                   "t.ex. X-Forwarded-User")
    p.add_argument("--audit-log", help="logg (JSON-rader) över frågor och exporter")


def run(args) -> int:
    serve(args.store, args.chroma_url, args.host, args.port, args.users, args.auth_header,
          args.audit_log)
    return 0
