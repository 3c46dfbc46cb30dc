"""What the web app's buttons do: plain methods over Service, Draft, survey and ingest.

Every handler takes the session's state (conversation, last answer, draft, survey result) and
returns the new state; nothing about one session is kept on the server object, so users do
not mix. Errors users can act on become a Swedish `gr.Error`.

Uploads are refused above `max_upload_bytes()` before anything is copied, and are stored under
`safe_upload_name()` inside the upload folder only (a name from a browser is untrusted input).
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from assistant.qa.answer import Conversation
from assistant.qa.records import Answer
from assistant.service import Service
from assistant.web import render, surveys
from assistant.web.auth import ANONYMOUS, AuditLog, current_user
from assistant.web.drafts import KINDS, Draft, DraftError

log = logging.getLogger(__name__)
ALL_YEARS = "Alla år"
NO_THEME = "Inget tema"
ALL_FINDINGS = "Alla fynd"


def error(message: str) -> gr.Error:
    """An error the user can act on: a Swedish notice titled "Fel" (Gradio's says "Error")."""
    return gr.Error(message, title="Fel", print_exception=False)


@dataclass
class Filters:
    municipalities: list[str]
    years: list[int]
    theme: str


def parse_filters(municipalities, year, theme) -> Filters:
    years = [int(year)] if year not in (None, "", ALL_YEARS) else []
    theme = "" if theme in (None, "", NO_THEME) else str(theme)
    return Filters(list(municipalities or []), years, theme)


def max_upload_bytes(settings=None) -> int:
    """The largest file accepted: the ingestion limit (setting `ingest.max_file_mb`,
    $RAPPORTASSISTENT_MAX_FILE_MB)."""
    from ingest import readers

    return readers.max_file_bytes(settings)


MAX_NAME_BYTES = 150  # well under the 255 bytes a file name may have on common file systems
_UNSAFE_NAME_CHARS = re.compile(r"[^\w .,()+\-]")


def safe_upload_name(name: str) -> str:
    """A file name that cannot leave the upload folder: the last part of any path (/ or \\),
    no control or format characters, no other punctuation than `.,()+-_`, no leading dot, no
    `..`, at most MAX_NAME_BYTES bytes (the suffix kept). Letters of any script stay (å ä ö)."""
    name = unicodedata.normalize("NFC", str(name))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = _UNSAFE_NAME_CHARS.sub("_", name)
    name = re.sub(r"\.{2,}", ".", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    suffix = f".{suffix[:10]}" if suffix else ""
    stem = stem.strip(" .") or "uppladdad-fil"
    while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem.rstrip(" .") + suffix


def citation_state(answer: Answer) -> list[dict]:
    return [dict(c.to_json(), chunk_id=c.chunk_id, key=str(c.id)) for c in answer.citations]


def nearest_state(answer: Answer) -> list[dict]:
    """The nearest passages of a no-answer, keyed "n1", "n2", ... (not [n] citations)."""
    return [
        dict(c.to_json(), chunk_id=c.chunk_id, key=f"{render.NEAREST_PREFIX}{i}")
        for i, c in enumerate(getattr(answer, "nearest", None) or [], 1)
    ]


class Handlers:
    def __init__(
        self,
        service: Service,
        audit: AuditLog,
        auth_header: str | None,
        served_dir: Path,
        upload_dir: Path,
    ) -> None:
        self.service = service
        self.audit = audit
        self.auth_header = auth_header
        self.served_dir = served_dir
        self.upload_dir = upload_dir
        self.surveys = surveys.Surveys(service)
        self.themes = {name: t.words or name for name, t in self.surveys.themes.items()}
        self._ingest_lock = threading.Lock()

    def temp_folder(self, prefix: str) -> Path:
        """A fresh folder for an export, inside the app's own temporary folder (removed on
        exit), not loose in /tmp."""
        self.served_dir.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=prefix, dir=self.served_dir))

    # -- access --------------------------------------------------------------------------
    def user(self, request: gr.Request | None) -> str:
        who = current_user(request, self.auth_header)
        if who is None:
            raise error(
                f"Åtkomst nekad: inloggningen från proxyn saknas (rubriken {self.auth_header})."
            )
        return who

    # -- chat ----------------------------------------------------------------------------
    def search_question(self, question: str, theme: str) -> str:
        """The question searched: with the theme's words when a theme is chosen."""
        return f"{question} ({self.themes[theme]})" if theme in self.themes else question

    def chat(
        self, question, history, conversation, municipalities, year, theme, request: gr.Request
    ):
        """Stream the answer into the chat; finally cards, citation list and state."""
        question = (question or "").strip()
        if not question:
            raise error("Skriv en fråga först.")
        user = self.user(request)
        filters = parse_filters(municipalities, year, theme)
        asked = self.search_question(question, filters.theme)
        conversation = conversation or Conversation()
        history = list(history or []) + [
            {"role": "user", "content": question},
            {"role": "assistant", "content": "…"},
        ]
        yield {"history": history, "textbox": ""}
        text = ""
        answer: Answer | None = None
        try:
            for piece in self.service.stream(
                asked, filters.municipalities, filters.years, conversation
            ):
                if isinstance(piece, Answer):
                    answer = piece
                    break
                text += piece
                history[-1] = {"role": "assistant", "content": text}
                yield {"history": history}
            following = self.service.remember(
                conversation, asked, filters.municipalities, filters.years
            )
        except Exception as exc:  # noqa: BLE001 - the edge: one clear message in the chat
            log.exception("question failed")
            history[-1] = {"role": "assistant", "content": f"Något gick fel: {exc}"}
            yield {"history": history}
            return
        searched = render.searched_in(following.municipalities, following.years, filters.theme)
        citations = citation_state(answer)
        nearest = [] if citations else nearest_state(answer)
        history[-1] = {
            "role": "assistant",
            "content": render.answer_markdown(
                answer.text, citations, searched, answer.notice, nearest
            ),
        }
        last = {
            "question": question,
            "text": answer.text,
            "citations": citations,
            "nearest": nearest,
            "unsupported": answer.unsupported,
            "searched": searched,
        }
        self.audit.write(
            user,
            "ask",
            question=question,
            municipalities=filters.municipalities,
            years=filters.years,
            theme=filters.theme,
            citations=len(citations),
            nearest=len(nearest),
            mode=answer.mode,
        )
        yield {"history": history, "conversation": following, "last": last}

    def new_conversation(self):
        return [], Conversation(), {}

    # -- citations and pages -------------------------------------------------------------
    def citation(self, last: dict, cit_id) -> dict | None:
        """A citation ("3") or a nearest passage ("n1") of the last answer."""
        last = last or {}
        for c in [*last.get("citations", []), *last.get("nearest", [])]:
            if str(c.get("key", c["id"])) == str(cit_id):
                return c
        return None

    def show_page(self, last: dict, cit_id):
        """(page html, original file for download) for a citation of the last answer."""
        c = self.citation(last, cit_id)
        if c is None:
            return "", None
        store = self.service.store
        chunk = store.get_chunks([c["chunk_id"]]).get(c["chunk_id"]) if c.get("chunk_id") else None
        if chunk is None:
            return render.page_html(c, None, None), None
        served = self.serve_file(chunk.file_hash, chunk.path, c["source"])
        url = render.file_link(str(served), c["page"]) if served else None
        page = store.page_text(chunk.file_hash, c["page"])
        return render.page_html(c, page, url), (str(served) if served else None)

    def serve_file(self, file_hash: str, path: str, source: str) -> Path | None:
        """A copy of the original under the app's served folder (the only place it serves)."""
        record = self.service.store.report(file_hash)
        original = Path(record.path if record else path)
        target = self.served_dir / file_hash[:16] / source
        if not target.exists():
            if not original.exists():
                return None
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(original, target)
        return target

    # -- draft ---------------------------------------------------------------------------
    def draft_view(self, draft: Draft, selected=None):
        """(radio update, preview markdown, edit box text) for the draft panel."""
        items, _ = draft.numbered()
        choices = [
            (f"{i}. {KINDS.get(item.kind, item.kind)}: {item.title[:70]}", item.id)
            for i, (item, _) in enumerate(items, 1)
        ]
        ids = [item.id for item in draft.items]
        value = selected if selected in ids else (ids[-1] if ids else None)
        preview = render.draft_markdown(
            [(f"{i}.", item.title, text) for i, (item, text) in enumerate(items, 1)]
        )
        text = draft.display_text(value) if value is not None else ""
        return gr.update(choices=choices, value=value), preview, text

    @staticmethod
    def _added(draft: Draft, what: str) -> str:
        """The confirmation shown (and as a notice) whenever something is added."""
        message = (
            f"{what} lades till i utkastet (nu {len(draft.items)} "
            f"{'del' if len(draft.items) == 1 else 'delar'})."
        )
        gr.Info(message, title="Tillagt")
        return f"✓ {message}"

    def add_answer(self, draft: Draft, last: dict):
        if not last or not last.get("text"):
            raise error("Det finns inget svar att lägga till ännu: ställ en fråga först.")
        draft.add_answer(last["question"], last["text"], last["citations"])
        return (draft, *self.draft_view(draft), self._added(draft, "Svaret"))

    def add_citation(self, draft: Draft, last: dict, cit_id):
        c = self.citation(last, cit_id)
        if c is None:
            raise error("Välj en källa under ”Visa källa” först.")
        draft.add_citation(c)
        what = f"Källan {render.citation_label(c)}"
        return (draft, *self.draft_view(draft), self._added(draft, what))

    def add_finding(self, draft: Draft, state, municipality):
        result, theme = _survey_parts(state)
        data = result.to_json() if result else {}
        rows = [
            r
            for r in data.get("municipalities", [])
            if r.get("found", True)
            and (municipality in (None, "", ALL_FINDINGS) or r["municipality"] == municipality)
        ]
        if not rows:
            raise error("Gör en kartläggning och välj ett fynd först.")
        for row in rows:
            draft.add_finding(data["question"], row, theme)
        what = f"{len(rows)} fynd" if len(rows) != 1 else f"Fyndet för {rows[0]['municipality']}"
        return (draft, *self.draft_view(draft), self._added(draft, what))

    def move(self, draft: Draft, item_id, step: int):
        if item_id is not None:
            draft.move(int(item_id), step)
        return (draft, *self.draft_view(draft, item_id))

    def remove(self, draft: Draft, item_id):
        if item_id is not None:
            draft.remove(int(item_id))
        return (draft, *self.draft_view(draft))

    def save_text(self, draft: Draft, item_id, text: str):
        if item_id is None:
            raise error("Välj en del i utkastet först.")
        try:
            draft.edit_numbered(int(item_id), text or "")
        except DraftError as exc:
            raise error(str(exc)) from exc
        return (draft, *self.draft_view(draft, item_id))

    def select_item(self, draft: Draft, item_id):
        return draft.display_text(int(item_id)) if item_id is not None else ""

    def export_draft(self, draft: Draft, fmt: str, request: gr.Request):
        from assistant.survey.exports import Sheet, export
        from assistant.web.drafts import DEFAULT_AUTHOR

        user = self.user(request)
        if not draft.items:
            raise error("Utkastet är tomt: lägg till ett svar, en källa eller ett fynd först.")
        author = user if user and user != ANONYMOUS else DEFAULT_AUTHOR
        folder = self.temp_folder("utkast-")
        path = folder / f"utkast-delrapport.{fmt}"
        if fmt == "docx":
            draft.to_docx(path, author=author)
        elif fmt in ("csv", "xlsx"):
            header, rows = draft.table()
            export(path, [Sheet("Utkast", header, rows)])
        else:
            path.write_text(draft.to_markdown(author=author), encoding="utf-8")
        self.audit.write(user, "export", what="draft", format=fmt, items=len(draft.items))
        return str(path)

    # -- survey --------------------------------------------------------------------------
    def survey(self, question, theme, municipalities, year, request: gr.Request):
        user = self.user(request)
        filters = parse_filters(municipalities, year, theme)
        question = (question or "").strip()
        if not question and not filters.theme:
            raise error("Skriv en fråga eller välj ett tema.")
        result = self.surveys.run(question, filters.theme, filters.municipalities, filters.years)
        self.audit.write(
            user,
            "survey",
            question=result.question,
            theme=filters.theme,
            municipalities=filters.municipalities,
            years=filters.years,
            coverage=result.coverage,
        )
        data = result.to_json()
        names = [ALL_FINDINGS] + [f.municipality for f in result.found]
        return (
            {"result": result, "theme": filters.theme},
            render.survey_rows(data),
            render.survey_summary(data, result.notice),
            gr.update(choices=names, value=ALL_FINDINGS),
        )

    def export_survey(self, state, fmt: str, request: gr.Request):
        user = self.user(request)
        result, theme = _survey_parts(state)
        if not result:
            raise error("Gör en kartläggning först.")
        path = surveys.export_table(result, fmt, theme, self.temp_folder("kartlaggning-"))
        self.audit.write(user, "export", what="survey", format=fmt, question=result.question)
        return str(path)

    # -- reports -------------------------------------------------------------------------
    def municipality_names(self) -> list[str]:
        """Every municipality of Sweden (a correction or an upload chooses from these)."""
        return sorted({m.name for m in self.service.municipalities})

    def report_choices(self) -> list[tuple[str, str]]:
        records = sorted(
            self.service.store.report_records(), key=lambda r: (r.municipality, r.year, r.source)
        )
        return [(render.report_label(r), r.file_hash) for r in records]

    def status(self):
        """Status text and table, the year filters and the report choice, as the store is."""
        status = self.service.status()
        years = sorted({r["year"] for r in status["reports"] if r["year"]}, reverse=True)
        choices = gr.update(choices=[ALL_YEARS, *map(str, years)])
        reports = gr.update(choices=self.report_choices(), value=None)
        return render.status_markdown(status), render.status_rows(status), choices, choices, reports

    def ingest(self, files, request: gr.Request, progress=gr.Progress()):
        """Read uploads in; files whose municipality or year cannot be told are kept and
        listed as pending, to be read in once the caseworker has chosen them."""
        from ingest.pipeline import expand_paths, ingest_paths

        user = self.user(request)
        if not files:
            raise error("Välj en eller flera filer (PDF, DOCX eller TXT) först.")
        uploads = [Path(getattr(f, "name", f)) for f in files]
        limit = max_upload_bytes()
        too_big = [p.name for p in uploads if p.stat().st_size > limit]
        if too_big:
            raise error(
                f"För stor fil ({', '.join(too_big)}): högst {limit / 1024 / 1024:.0f} MB per fil. "
                "Dela upp rapporten eller spara den med lägre bildupplösning och försök igen."
            )
        paths = [self._keep_upload(p) for p in uploads]
        with self._ingest_lock:
            report = ingest_paths(
                paths, self.service.store, progress=ingest_progress(progress, expand_paths(paths))
            ).to_json()
        pending = [
            {"path": r["path"], "name": Path(r["path"]).name, "reason": r["reason"]}
            for r in report["rejected"]
            if needs_labels(r["reason"])
        ]
        self.audit.write(
            user,
            "ingest",
            files=[p.name for p in paths],
            ingested=len(report["ingested"]),
            rejected=len(report["rejected"]),
            pending=[p["name"] for p in pending],
        )
        return (render.ingest_rows(report), *self.pending_view(pending), *self.status())

    def pending_view(self, pending: list[dict]):
        """(state, group visibility, text, file choice) of uploads waiting for labels."""
        if not pending:
            return [], gr.update(visible=False), "", gr.update(choices=[], value=None)
        names = ", ".join(p["name"] for p in pending)
        text = (
            f"**Kommun eller år kunde inte kännas igen för: {names}.** Filen är sparad men "
            "inte inläst. Välj kommun och rapportår nedan och klicka på ”Läs in med vald "
            "kommun och år”."
        )
        choices = [(p["name"], p["path"]) for p in pending]
        return (
            pending,
            gr.update(visible=True),
            text,
            gr.update(choices=choices, value=pending[0]["path"]),
        )

    def ingest_pending(
        self,
        pending: list[dict],
        path,
        municipality,
        year,
        request: gr.Request,
        progress=gr.Progress(),
    ):
        """Read in a pending upload with the municipality and year the caseworker chose."""
        from ingest.pipeline import ingest_paths

        user = self.user(request)
        item = next((p for p in pending or [] if p["path"] == path), None)
        if item is None:
            raise error("Välj filen som ska läsas in.")
        if not municipality:
            raise error("Välj kommunen i listan.")
        year = check_year(year)
        with self._ingest_lock:
            try:
                report = ingest_paths(
                    [Path(item["path"])],
                    self.service.store,
                    progress=ingest_progress(progress, [Path(item["path"])]),
                    municipality=municipality,
                    year=year,
                ).to_json()
            except ValueError as exc:
                raise error(str(exc)) from exc
        rest = [p for p in pending if p["path"] != path or not report["ingested"]]
        self.audit.write(
            user,
            "ingest",
            files=[item["name"]],
            municipality=municipality,
            year=year,
            ingested=len(report["ingested"]),
            rejected=len(report["rejected"]),
        )
        return (render.ingest_rows(report), *self.pending_view(rest), *self.status())

    def select_report(self, file_hash):
        """(municipality, year, confirmation hidden) of the chosen report."""
        record = self.service.store.report(file_hash) if file_hash else None
        if record is None:
            return gr.update(value=None), gr.update(value=None), *self.confirm_view(None)
        return record.municipality, record.year, *self.confirm_view(None)

    def correct_report(self, file_hash, municipality, year, request: gr.Request):
        user = self.user(request)
        if not file_hash:
            raise error("Välj rapporten som ska rättas.")
        if not municipality:
            raise error("Välj kommunen i listan.")
        year = check_year(year)
        with self._ingest_lock:
            try:
                old, new = self.service.correct_report(file_hash, municipality, year)
            except ValueError as exc:
                raise error(str(exc)) from exc
        self.audit.write(
            user,
            "correct",
            source=new.source,
            file_hash=file_hash,
            before={"municipality": old.municipality, "year": old.year},
            after={"municipality": new.municipality, "year": new.year},
        )
        message = (
            f"✓ {new.source} är nu {new.municipality} {new.year} "
            f"(var {old.municipality} {old.year})."
        )
        gr.Info(message[2:], title="Rättat")
        return (
            message,
            *self.status()[:4],
            gr.update(choices=self.report_choices(), value=file_hash),
        )

    def confirm_view(self, file_hash):
        """(confirmation row visibility, its text) before a report is removed."""
        record = self.service.store.report(file_hash) if file_hash else None
        if record is None:
            return gr.update(visible=False), ""
        return gr.update(visible=True), (
            f"**Ta bort {render.report_label(record)}?** Dess stycken, sidtexter och "
            "sökindex tas bort ur arkivet och den räknas inte längre i kartläggningar. "
            "Originalfilen finns kvar där den låg; läs in den igen om du ångrar dig."
        )

    def ask_remove(self, file_hash):
        if not file_hash:
            raise error("Välj rapporten som ska tas bort.")
        return self.confirm_view(file_hash)

    def remove_report(self, file_hash, request: gr.Request):
        user = self.user(request)
        if not file_hash:
            raise error("Välj rapporten som ska tas bort.")
        with self._ingest_lock:
            try:
                record = self.service.remove_report(file_hash)
            except ValueError as exc:
                raise error(str(exc)) from exc
        self.audit.write(
            user,
            "remove",
            source=record.source,
            file_hash=file_hash,
            municipality=record.municipality,
            year=record.year,
            chunks=record.chunks,
            pages=record.pages,
        )
        message = f"✓ {render.report_label(record)} togs bort ur arkivet."
        gr.Info(message[2:], title="Borttagen")
        return (message, gr.update(visible=False), "", *self.status())

    def _keep_upload(self, temp: Path, name: str | None = None) -> Path:
        """Copy an upload into the upload folder under a safe form of its name (or `name`),
        renamed if the name is taken by other content."""
        self.upload_dir.mkdir(parents=True, exist_ok=True)
        folder = self.upload_dir.resolve()
        safe = Path(safe_upload_name(name if name is not None else temp.name))
        target = folder / safe.name
        n = 1
        while target.exists() and not _same_content(target, temp):
            n += 1
            target = folder / f"{safe.stem}-{n}{safe.suffix}"
        if target.resolve().parent != folder:  # cannot happen with a safe name; never write
            raise error(
                f"Ogiltigt filnamn: {name or temp.name}. Byt namn på filen och försök igen."
            )
        shutil.copyfile(temp, target)
        return target

    # -- API -----------------------------------------------------------------------------
    def api_ask(
        self, question: str, municipalities: list[str] | None, year: int | None, user: str
    ) -> dict:
        years = [int(year)] if year else []
        answer = self.service.ask(question, list(municipalities or []), years)
        self.audit.write(
            user,
            "ask",
            via="api",
            question=question,
            municipalities=municipalities or [],
            years=years,
            citations=len(answer.citations),
            mode=answer.mode,
        )
        return {**answer.to_json(), "mode": answer.mode, "notice": answer.notice}

    def api_survey(
        self, question: str, municipalities: list[str] | None, year: int | None, user: str
    ) -> dict:
        years = [int(year)] if year else []
        result = self.surveys.run(question, "", list(municipalities or []), years)
        self.audit.write(
            user,
            "survey",
            via="api",
            question=question,
            municipalities=municipalities or [],
            years=years,
            coverage=result.coverage,
        )
        return {**result.to_json(), "notice": result.notice}


def needs_labels(reason: str) -> bool:
    """A rejection the caseworker can fix by naming the municipality and year."""
    return "kunde inte kännas igen" in reason


def check_year(year) -> int:
    try:
        value = int(float(year))
    except (TypeError, ValueError):
        raise error("Ange rapportåret med fyra siffror, t.ex. 2024.") from None
    if not 2000 <= value <= 2100:
        raise error(f"{value} är inget rimligt rapportår; ange året med fyra siffror.")
    return value


STAGES = {"läser": "Läser", "bäddar in": "Bäddar in", "ordindex": "Uppdaterar sökindexet"}


def ingest_progress(progress, files: list[Path]):
    """The pipeline's progress(stage, done, total) as one honest Swedish bar: reading is
    the first half (file n of N is reported before it is read, so n-1 are done), embedding
    the next 45 %, the lexical index the rest."""

    def report(stage: str, done: int, total: int) -> None:
        total = max(total, 1)
        if stage == "läser":
            name = f": {files[done - 1].name}" if 0 < done <= len(files) == total else ""
            share, text = 0.5 * (done - 1) / total, f"Läser fil {done} av {total}{name}"
        elif stage == "bäddar in":
            share, text = 0.5 + 0.45 * done / total, f"Bäddar in stycke {done} av {total}"
        else:
            share, text = 0.95 + 0.05 * done / total, STAGES.get(stage, stage)
        progress(min(share, 1.0), desc=text)

    return report


def _survey_parts(state) -> tuple[object, str]:
    """(SurveyResult or None, theme) of the survey state."""
    if isinstance(state, dict):
        return state.get("result"), state.get("theme") or ""
    return state, ""


def _same_content(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
