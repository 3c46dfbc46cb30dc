"""The Gradio Blocks of the web app: layout and wiring; what buttons do is in handlers.py."""

from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

from assistant.qa.answer import Conversation
from assistant.service import Service
from assistant.web import render
from assistant.web.auth import AuditLog
from assistant.web.drafts import Draft
from assistant.web.handlers import ALL_YEARS, NO_THEME, Handlers

PRIVATE = {"api_visibility": "private"}


def _model_name(service: Service) -> str | None:
    llm = service.answerer.llm
    return getattr(llm, "model_name", None) or getattr(llm, "model", None) if llm else None


def build_app(
    service: Service,
    audit: AuditLog | None = None,
    auth_header: str | None = None,
    served_dir: Path | None = None,
    upload_dir: Path | None = None,
) -> gr.Blocks:
    served_dir = served_dir or Path(tempfile.mkdtemp(prefix="rapportassistent-"))
    upload_dir = upload_dir or served_dir / "uppladdade"
    h = Handlers(service, audit or AuditLog(None), auth_header, served_dir, upload_dir)
    present = {r.municipality for r in service.store.report_records()}
    names = sorted({m.name for m in service.grant} | present)
    with gr.Blocks(title="Rapportassistenten", analytics_enabled=False) as app:
        app.ra_handlers = h
        app.ra_allowed = [str(served_dir)]
        _register_api(h)  # first, so that the API names stay "ask" and "survey"
        gr.Markdown("# Rapportassistenten\nSvar med källor ur kommunernas återrapporter.")
        gr.Markdown(render.mode_text(service.mode, _model_name(service)), elem_id="ra-mode")
        conversation = gr.State(Conversation())
        last = gr.State({})
        draft = gr.State(Draft())
        survey_result = gr.State(None)
        with gr.Tabs():
            with gr.Tab("Fråga", id="chat"):
                chat = _chat_tab(h, names, conversation, last)
            with gr.Tab("Kartläggning", id="survey"):
                survey = _survey_tab(h, names, survey_result)
            with gr.Tab("Utkast", id="draft"):
                panel = _draft_tab(h, draft)
            with gr.Tab("Rapporter", id="reports"):
                reports = _reports_tab(h)
        _wire_draft_adds(h, draft, last, survey_result, chat, survey, panel)
        _wire_reports(h, reports, chat, survey, app)
    return app


def _wire_reports(h: Handlers, r: dict, chat: dict, survey: dict, app: gr.Blocks) -> None:
    years = [r["status_md"], r["status_table"], chat["year"], survey["year"]]
    status = [*years, r["report"]]
    pending = [r["pending"], r["pending_box"], r["pending_text"], r["pending_file"]]
    app.load(h.status, None, status, **PRIVATE)
    # One progress overlay, on the result table; the other outputs update quietly.
    quiet = {"show_progress_on": [r["ingest_table"]], **PRIVATE}
    r["ingest_btn"].click(h.ingest, r["files"], [r["ingest_table"], *pending, *status], **quiet)
    r["pending_btn"].click(
        h.ingest_pending,
        [r["pending"], r["pending_file"], r["pending_municipality"], r["pending_year"]],
        [r["ingest_table"], *pending, *status],
        **quiet,
    )
    r["correct"].click(
        h.correct_report,
        [r["report"], r["municipality"], r["year"]],
        [r["manage_info"], *years, r["report"]],
        show_progress_on=[r["manage_info"]],
        **PRIVATE,
    )
    r["confirm_yes"].click(
        h.remove_report,
        r["report"],
        [r["manage_info"], r["confirm_box"], r["confirm_text"], *status],
        show_progress_on=[r["manage_info"]],
        **PRIVATE,
    )


def _filters(names: list[str], themes: list[str], prefix: str) -> dict:
    with gr.Accordion("Avgränsa", open=True):
        municipalities = gr.Dropdown(
            names,
            multiselect=True,
            label="Kommuner",
            info="Tomt = alla kommuner",
            elem_id=f"{prefix}-kommuner",
        )
        year = gr.Dropdown([ALL_YEARS], value=ALL_YEARS, label="År", elem_id=f"{prefix}-ar")
        theme = gr.Dropdown(
            [NO_THEME, *themes], value=NO_THEME, label="Tema", elem_id=f"{prefix}-tema"
        )
    return {"municipalities": municipalities, "year": year, "theme": theme}


def _chat_tab(h: Handlers, names: list[str], conversation: gr.State, last: gr.State) -> dict:
    with gr.Row():
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(
                label="Samtal",
                height=440,
                elem_id="ra-chat",
                feedback_options=None,
                buttons=["copy"],
            )
            with gr.Row():
                textbox = gr.Textbox(
                    label="Fråga",
                    placeholder="T.ex. Hur arbetar Hofors med fritidsbanken?",
                    scale=5,
                    elem_id="ra-question",
                )
                ask = gr.Button("Fråga", variant="primary", scale=1, elem_id="ra-ask")
            with gr.Row():
                add_answer = gr.Button("Lägg till svaret i utkast", elem_id="ra-add-answer")
                new = gr.Button("Nytt samtal", elem_id="ra-new")
            info = gr.Markdown(elem_id="ra-info")
            gr.Markdown("### Källor")
            cards = gr.HTML(
                render.citation_cards([]),
                js_on_load=render.CARDS_JS,
                css_template=render.CSS,
                elem_id="ra-cards",
            )
        with gr.Column(scale=2):
            filters = _filters(names, list(h.themes), "ra")
            pick = gr.Radio([], label="Visa källa", elem_id="ra-pick")
            page = gr.HTML(css_template=render.CSS, elem_id="ra-page-view")
            original = gr.File(label="Originalrapporten", interactive=False, elem_id="ra-original")
            add_cit = gr.Button("Lägg till källan i utkast", elem_id="ra-add-citation")

    inputs = [
        textbox,
        chatbot,
        conversation,
        filters["municipalities"],
        filters["year"],
        filters["theme"],
    ]
    outputs = {"history": chatbot, "textbox": textbox, "conversation": conversation, "last": last}

    def run_chat(question, history, conv, municipalities, year, theme, request: gr.Request):
        updates = h.chat(question, history, conv, municipalities, year, theme, request)
        for update in updates:
            yield {outputs[k]: v for k, v in update.items()}

    def after_answer(state: dict):
        state = state or {}
        citations, nearest = state.get("citations", []), state.get("nearest", [])
        choices = [
            (render.citation_label(c), str(c.get("key", c["id"]))) for c in [*citations, *nearest]
        ]
        return (
            render.citation_cards(citations, state.get("unsupported"), nearest),
            gr.update(choices=choices, value=None),
            "",
            None,
        )

    shown = [cards, pick, page, original]
    for trigger in (ask.click, textbox.submit):
        trigger(run_chat, inputs, list(outputs.values()), concurrency_limit=8, **PRIVATE).then(
            after_answer, last, shown, **PRIVATE
        )
    new.click(h.new_conversation, None, [chatbot, conversation, last], **PRIVATE).then(
        after_answer, last, shown, **PRIVATE
    )

    def card_clicked(state: dict, evt: gr.EventData):
        cit = (evt._data or {}).get("cit")
        return (gr.update(value=str(cit)) if cit else gr.update(), *h.show_page(state, cit))

    cards.click(card_clicked, last, [pick, page, original], **PRIVATE)
    pick.input(
        lambda state, cit: h.show_page(state, cit), [last, pick], [page, original], **PRIVATE
    )
    return {
        "add_answer": add_answer,
        "add_citation": add_cit,
        "pick": pick,
        "info": info,
        "year": filters["year"],
    }


def _survey_tab(h: Handlers, names: list[str], result: gr.State) -> dict:
    with gr.Row():
        with gr.Column(scale=3):
            question = gr.Textbox(
                label="Kartläggningsfråga",
                elem_id="ra-survey-question",
                placeholder="T.ex. Vilka kommuner har en fritidsbank?",
            )
            run = gr.Button("Kartlägg", variant="primary", elem_id="ra-survey-run")
            summary = gr.Markdown()
            table = gr.Dataframe(
                headers=render.SURVEY_HEADERS,
                wrap=True,
                column_widths=["14%", "8%", "7%", "46%", "25%"],
                interactive=False,
                elem_id="ra-survey-table",
            )
        with gr.Column(scale=2):
            filters = _filters(names, list(h.themes), "ra-survey")
            finding = gr.Dropdown(["Alla fynd"], value="Alla fynd", label="Fynd att lägga till")
            add = gr.Button("Lägg till fynd i utkast", elem_id="ra-add-finding")
            with gr.Row():
                csv = gr.Button("Exportera CSV", elem_id="ra-survey-csv")
                xlsx = gr.Button("Exportera XLSX", elem_id="ra-survey-xlsx")
            file = gr.File(label="Export", interactive=False, elem_id="ra-survey-file")
            info = gr.Markdown()
    run.click(
        h.survey,
        [question, filters["theme"], filters["municipalities"], filters["year"]],
        [result, table, summary, finding],
        **PRIVATE,
    )

    def export_csv(r: dict, request: gr.Request):
        return h.export_survey(r, "csv", request)

    def export_xlsx(r: dict, request: gr.Request):
        return h.export_survey(r, "xlsx", request)

    csv.click(export_csv, [result], file, **PRIVATE)
    xlsx.click(export_xlsx, [result], file, **PRIVATE)
    return {"add": add, "finding": finding, "info": info, "year": filters["year"]}


def _draft_tab(h: Handlers, draft: gr.State) -> dict:
    with gr.Row():
        with gr.Column(scale=2):
            items = gr.Radio([], label="Delar i utkastet", elem_id="ra-draft-items")
            with gr.Row():
                up = gr.Button("↑ Upp", size="sm")
                down = gr.Button("↓ Ner", size="sm")
                remove = gr.Button("Ta bort", size="sm", variant="stop")
            text = gr.Textbox(
                label="Text (redigera; [n] är samma nummer som i förhandsvisningen)",
                lines=6,
                elem_id="ra-draft-text",
            )
            save = gr.Button("Spara texten")
            with gr.Row():
                docx = gr.Button("Exportera DOCX", variant="primary", elem_id="ra-export-docx")
                md = gr.Button("Exportera Markdown", elem_id="ra-export-md")
            with gr.Row():
                csv = gr.Button("Exportera CSV", elem_id="ra-export-csv")
                xlsx = gr.Button("Exportera XLSX", elem_id="ra-export-xlsx")
            file = gr.File(label="Utkastet", interactive=False, elem_id="ra-draft-file")
        with gr.Column(scale=3):
            preview = gr.Markdown(render.draft_markdown([]), elem_id="ra-draft-preview")
    view = [draft, items, preview, text]
    up.click(lambda d, i: h.move(d, i, -1), [draft, items], view, **PRIVATE)
    down.click(lambda d, i: h.move(d, i, 1), [draft, items], view, **PRIVATE)
    remove.click(h.remove, [draft, items], view, **PRIVATE)
    save.click(h.save_text, [draft, items, text], view, **PRIVATE)
    items.input(h.select_item, [draft, items], text, **PRIVATE)

    def export_docx(d: Draft, request: gr.Request):
        return h.export_draft(d, "docx", request)

    def export_md(d: Draft, request: gr.Request):
        return h.export_draft(d, "md", request)

    def export_csv(d: Draft, request: gr.Request):
        return h.export_draft(d, "csv", request)

    def export_xlsx(d: Draft, request: gr.Request):
        return h.export_draft(d, "xlsx", request)

    docx.click(export_docx, [draft], file, **PRIVATE)
    md.click(export_md, [draft], file, **PRIVATE)
    csv.click(export_csv, [draft], file, **PRIVATE)
    xlsx.click(export_xlsx, [draft], file, **PRIVATE)
    return {"view": view}


def _wire_draft_adds(h, draft, last, survey_result, chat, survey, panel) -> None:
    view = panel["view"]
    chat["add_answer"].click(h.add_answer, [draft, last], [*view, chat["info"]], **PRIVATE)
    chat["add_citation"].click(
        h.add_citation, [draft, last, chat["pick"]], [*view, chat["info"]], **PRIVATE
    )
    survey["add"].click(
        h.add_finding, [draft, survey_result, survey["finding"]], [*view, survey["info"]], **PRIVATE
    )


def _reports_tab(h: Handlers) -> dict:
    gr.Markdown(
        "Lägg till nya rapporter (PDF, DOCX eller TXT). Kommun och år känns igen ur "
        "filnamnet och texten; går de inte att känna igen får du välja dem."
    )
    files = gr.File(
        file_count="multiple",
        file_types=[".pdf", ".docx", ".txt"],
        label="Rapporter att läsa in",
        elem_id="ra-upload",
    )
    ingest_btn = gr.Button("Läs in", variant="primary", elem_id="ra-ingest")
    ingest_table = gr.Dataframe(
        headers=["Resultat", "Fil", "Detalj"],
        wrap=True,
        interactive=False,
        label="Senaste inläsningen",
        elem_id="ra-ingest-table",
        buttons=[],
    )
    pending = gr.State([])
    names = h.municipality_names()
    with gr.Group(visible=False, elem_id="ra-pending") as pending_box:
        pending_text = gr.Markdown()
        with gr.Row():
            pending_file = gr.Dropdown([], label="Fil", elem_id="ra-pending-file")
            pending_municipality = gr.Dropdown(
                names, label="Kommun", value=None, elem_id="ra-pending-kommun", filterable=True
            )
            pending_year = gr.Number(label="Rapportår", precision=0, elem_id="ra-pending-ar")
        pending_btn = gr.Button(
            "Läs in med vald kommun och år", variant="primary", elem_id="ra-pending-ingest"
        )
    status_md = gr.Markdown(elem_id="ra-status")
    status_table = gr.Dataframe(
        headers=["Kommun", "År", "Fil", "Sidor", "Stycken", "Sidor utan text", "Lästa med OCR"],
        interactive=False,
        label="Arkivet per kommun och år",
        elem_id="ra-status-table",
        buttons=[],
    )
    with gr.Accordion("Rätta eller ta bort en rapport", open=True, elem_id="ra-manage"):
        report = gr.Dropdown([], label="Rapport", value=None, elem_id="ra-report", filterable=True)
        with gr.Row():
            municipality = gr.Dropdown(
                names, label="Rätt kommun", value=None, elem_id="ra-fix-kommun", filterable=True
            )
            year = gr.Number(label="Rätt rapportår", precision=0, elem_id="ra-fix-ar")
        with gr.Row():
            correct = gr.Button("Spara rättelsen", variant="primary", elem_id="ra-fix")
            remove = gr.Button("Ta bort rapporten …", variant="stop", elem_id="ra-remove")
        with gr.Group(visible=False, elem_id="ra-confirm") as confirm_box:
            confirm_text = gr.Markdown()
            with gr.Row():
                confirm_yes = gr.Button("Ja, ta bort", variant="stop", elem_id="ra-remove-yes")
                confirm_no = gr.Button("Avbryt", elem_id="ra-remove-no")
        manage_info = gr.Markdown(elem_id="ra-manage-info")
    report.input(
        h.select_report, report, [municipality, year, confirm_box, confirm_text], **PRIVATE
    )
    remove.click(h.ask_remove, report, [confirm_box, confirm_text], **PRIVATE)
    confirm_no.click(
        lambda: (gr.update(visible=False), ""), None, [confirm_box, confirm_text], **PRIVATE
    )
    return {
        "files": files,
        "ingest_btn": ingest_btn,
        "ingest_table": ingest_table,
        "status_md": status_md,
        "status_table": status_table,
        "report": report,
        "pending": pending,
        "pending_box": pending_box,
        "pending_text": pending_text,
        "pending_file": pending_file,
        "pending_municipality": pending_municipality,
        "pending_year": pending_year,
        "pending_btn": pending_btn,
        "municipality": municipality,
        "year": year,
        "correct": correct,
        "confirm_box": confirm_box,
        "confirm_text": confirm_text,
        "confirm_yes": confirm_yes,
        "manage_info": manage_info,
    }


def _register_api(h: Handlers) -> None:
    def ask(
        question: str,
        municipalities: list[str] | None = None,
        year: int | None = None,
        request: gr.Request = None,
    ) -> dict:
        """Svar med [n]-hänvisningar och källor som JSON."""
        return h.api_ask(question, municipalities, year, h.user(request))

    def survey(
        question: str,
        municipalities: list[str] | None = None,
        year: int | None = None,
        request: gr.Request = None,
    ) -> dict:
        """Kartläggning: fynd per kommun, källor och listan 'Inga belägg'."""
        return h.api_survey(question, municipalities, year, h.user(request))

    gr.api(ask, api_name="ask", concurrency_limit=8)
    gr.api(survey, api_name="survey", concurrency_limit=2)
