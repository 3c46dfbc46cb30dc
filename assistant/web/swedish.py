"""Swedish for Gradio's own strings, whatever the browser's language.

Three parts, because Gradio (6.x) has three kinds of strings:
- Strings with an i18n key: Gradio ships a Swedish locale, but it lacks some keys (e.g.
  `chatbot.copy_message`, `common.download_all`) and some keys are used but missing in every
  locale (`common.complete`, shown raw). `I18N` (passed to `launch(i18n=...)`) fills them in.
- The locale is chosen from `navigator.language`, so an English browser gets English.
  `SwedishPage`, an ASGI middleware, puts `PIN_LOCALE_JS` first in the HTML page, before
  Gradio's scripts: it reports Swedish to the page (and sets `<html lang="sv">`).
- Strings written into component code without a key ("Click to upload or drop files",
  "Copy table data", "Fullscreen", "Empty value", progress "1/1 steps"): the same script
  rewrites them in the page as they appear (text, aria-label, title, placeholder).
`ENGLISH_DEFAULTS` is what the UI test looks for; add a string there and in `REWRITES` when a
Gradio upgrade brings a new one.
"""

from __future__ import annotations

import json

# Keys missing from Gradio's sv locale (or from every locale), in Swedish.
MISSING_KEYS = {
    "chatbot.complete": "Klart",
    "chatbot.copy_message": "Kopiera meddelandet",
    "chatbot.copied_message": "Meddelandet kopierat",
    "chat_interface.new_chat": "Nytt samtal",
    "chat_interface.message_placeholder": "Skriv ett meddelande …",
    "chat_interface.additional_inputs": "Fler val",
    "chat_interface.chatbot": "Samtal",
    "chat_interface.conversation": "Samtal",
    "common.complete": "Klart",
    "common.upload": "Ladda upp",
    "common.uploading": "Laddar upp …",
    "common.stop": "Stoppa",
    "common.close": "Stäng",
    "common.copy": "Kopiera",
    "common.copied": "Kopierat",
    "common.info": "Meddelande",
    "common.warning": "Varning",
    "common.download_all": "Ladda ner alla",
    "common.runs": "Körningar",
    "common.runs_description": "Visa körningar sparade i den här webbläsaren",
    "common.back_to_app": "Appen",
    "common.back_to_app_description": "Tillbaka till appen",
    "common.progress": "Förlopp",
    "common.record": "Spela in",
    "common.stop_recording": "Stoppa inspelningen",
    "common.screen_studio": "Skärminspelning",
    "common.share_gradio_tab": "Delad flik",
    "common.run": "Kör",
    "dataframe.import_empty_file": "Filen är tom.",
    "dataframe.import_no_column_names": "Filen har inga kolumnnamn.",
    "dataframe.import_ragged_row": "Rad {line} i filen har {fields} fält, rubrikraden {columns}.",
    "dataframe.import_static_columns": "Det går inte att importera till en tabell med låsta "
    "kolumner.",
    "dataframe.import_fixed_columns": "Tabellen tar exakt {expected} kolumner, filen har {actual}.",
    "dataframe.import_fixed_rows": "Tabellen tar exakt {expected} rader, filen har {actual}.",
    "dataframe.filter": "Filtrera",
    "dataframe.clear_filter": "Rensa filter",
    "dataframe.drop_to_upload": "Släpp en CSV- eller TSV-fil här för att importera den",
    "status.queue_position": "I kö: {position} av {size}",
    "audio.recording_error": "Inspelningen från mikrofonen kunde inte startas.",
    "file.uploading": "Laddar upp …",
}

# Hard-coded English in Gradio's component code -> Swedish (exact text of a node/attribute).
REWRITES = {
    "Click to upload or drop files": "Klicka för att ladda upp eller släpp filer här",
    "Copy table data": "Kopiera tabellen",
    "Copied to clipboard": "Kopierat",
    "Fullscreen": "Helskärm",
    "Exit fullscreen mode": "Lämna helskärm",
    "Exit Fullscreen": "Lämna helskärm",
    "Empty value": "Tomt värde",
    "No value": "Inget värde",
    "Download": "Ladda ner",
    "Clear": "Rensa",
    "Copy": "Kopiera",
    "Copied": "Kopierat",
    "Copy message": "Kopiera meddelandet",
    "Copied message": "Meddelandet kopierat",
    "Remove": "Ta bort",
    "Search": "Sök",
    "Search...": "Sök …",
    "Select all": "Markera alla",
    "Remove All": "Ta bort alla",
    "Share": "Dela",
    "Error": "Fel",
    "Info": "Meddelande",
    "Warning": "Varning",
    "Close": "Stäng",
    "close": "stäng",
    "Loading...": "Laddar …",
    "Loading…": "Laddar …",
    "Uploading...": "Laddar upp …",
    "Processing...": "Bearbetar …",
    "Drop File Here": "Släpp filen här",
    "- or -": "– eller –",
    "Click to Upload": "Klicka för att ladda upp",
    "Use via API": "Använd via API",
    "Built with Gradio": "Byggt med Gradio",
    "Settings": "Inställningar",
    "Chatbot": "Samtal",
    "Dropdown": "Lista",
    "Number": "Tal",
    "Radio": "Val",
    "Textbox": "Textruta",
    "File": "Fil",
    "Dataframe": "Tabell",
    "Scroll down": "Rulla ner",
    "Scroll to bottom": "Rulla till slutet",
    "Scroll to top": "Rulla till början",
    "Sort column": "Sortera kolumnen",
    "Sort ascending": "Sortera stigande",
    "Sort descending": "Sortera fallande",
    "Clear sort": "Rensa sorteringen",
    "Filter": "Filtrera",
    "Clear filters": "Rensa filter",
    "Previous": "Föregående",
    "Next": "Nästa",
    "Open in new tab": "Öppna i ny flik",
    "Download file": "Ladda ner filen",
    "Increment": "Öka",
    "Decrement": "Minska",
    "Toggle": "Växla",
    "Submit": "Skicka",
    "Stop": "Stoppa",
    "Retry": "Försök igen",
    "Undo": "Ångra",
    "Edit": "Redigera",
    "Like": "Gilla",
    "Dislike": "Ogilla",
    "Hide": "Dölj",
    "Show": "Visa",
    "Collapse": "Fäll ihop",
    "File upload": "Filuppladdning",
    "Gradio footer navigation": "Sidfot",
    "More tabs": "Fler flikar",
    "Open cell menu": "Öppna cellmenyn",
    "Table actions": "Tabellåtgärder",
    "chatbot conversation": "samtal",
    "Close menu": "Stäng menyn",
    "Select": "Välj",
    "Toggle Sidebar": "Visa/dölj sidopanelen",
    "API documentation": "API-dokumentation",
    "Loading": "Laddar",
    "Upload": "Ladda upp",
    "processing": "bearbetar",
    "pending": "väntar",
    "Expand": "Fäll ut",
}

# Text patterns: Gradio's progress ("1/1 steps", "3/10 it/s"), queue and timer lines.
PATTERN_REWRITES = [
    (r"^(\d+)/(\d+) steps$", "$1 av $2 steg"),
    (r"^(\d+)/(\d+)$", "$1 av $2"),
    (r"^queue: (\d+)/(\d+)$", "i kö: $1 av $2"),
    (r"^processing\b", "bearbetar"),
    (r"^pending\b", "väntar"),
]

ENGLISH_DEFAULTS = sorted(
    {k for k in REWRITES if len(k) > 3}
    | {
        "common.complete",
        "steps",
        "common.",
        "upload_text.",
        "chatbot.",
        "Click to Upload",
        "Drop File Here",
        "In queue",
        "Use via API",
        "Built with Gradio",
        "Settings",
        "Copy table data",
        "Fullscreen",
        "Empty value",
        "Loading",
        "Error",
        "Uploading",
        "processing",
        "Clear",
    }
)


def i18n():
    """The `launch(i18n=...)` argument: Swedish for keys Gradio's sv locale lacks."""
    import gradio as gr

    return gr.I18n(sv=dict(MISSING_KEYS))


PIN_LOCALE_JS = """
(function () {
  try {
    Object.defineProperty(Navigator.prototype, 'language', {get: function () { return 'sv-SE'; },
                                                          configurable: true});
    Object.defineProperty(Navigator.prototype, 'languages',
                          {get: function () { return ['sv-SE', 'sv']; }, configurable: true});
  } catch (e) {}
  document.documentElement.lang = 'sv';
  var words = __REWRITES__;
  var patterns = __PATTERNS__.map(function (p) { return [new RegExp(p[0]), p[1]]; });
  var attrs = ['aria-label', 'title', 'placeholder', 'alt'];
  function swedish(text) {
    if (!text) return null;
    var t = text.trim();
    if (!t) return null;
    if (Object.prototype.hasOwnProperty.call(words, t)) return text.replace(t, words[t]);
    for (var i = 0; i < patterns.length; i++) {
      if (patterns[i][0].test(t)) return text.replace(t, t.replace(patterns[i][0], patterns[i][1]));
    }
    return null;
  }
  function fix(node) {
    if (node.nodeType === 3) {
      var s = swedish(node.nodeValue);
      if (s !== null && s !== node.nodeValue) node.nodeValue = s;
      return;
    }
    if (node.nodeType !== 1) return;
    if (node.closest &&
        node.closest('.ra-page, .ra-quote, #ra-chat .message-content, textarea')) return;
    for (var a = 0; a < attrs.length; a++) {
      var v = node.getAttribute && node.getAttribute(attrs[a]);
      var s2 = swedish(v);
      if (s2 !== null && s2 !== v) node.setAttribute(attrs[a], s2);
    }
    var walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    var n;
    while ((n = walker.nextNode())) {
      if (n.nodeType === 3) {
        var s3 = swedish(n.nodeValue);
        if (s3 !== null && s3 !== n.nodeValue) n.nodeValue = s3;
      } else {
        for (var b = 0; b < attrs.length; b++) {
          var w = n.getAttribute(attrs[b]);
          var s4 = swedish(w);
          if (s4 !== null && s4 !== w) n.setAttribute(attrs[b], s4);
        }
      }
    }
  }
  var observer = new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var r = records[i];
      if (r.type === 'characterData') fix(r.target);
      else if (r.type === 'attributes') fix(r.target);
      else for (var j = 0; j < r.addedNodes.length; j++) fix(r.addedNodes[j]);
    }
  });
  function start() {
    fix(document.body);
    observer.observe(document.body, {subtree: true, childList: true, characterData: true,
                                     attributes: true, attributeFilter: attrs});
  }
  if (document.body) start(); else document.addEventListener('DOMContentLoaded', start);
})();
"""


def page_script() -> str:
    return PIN_LOCALE_JS.replace("__REWRITES__", json.dumps(REWRITES, ensure_ascii=False)).replace(
        "__PATTERNS__", json.dumps(PATTERN_REWRITES)
    )


class SwedishPage:
    """ASGI middleware: Gradio's HTML pages get `<html lang="sv">` and the Swedish script
    first in <head>. Other responses pass untouched (streamed)."""

    def __init__(self, app) -> None:
        self.app = app
        self.script = f"<script>{page_script()}</script>".encode()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        start: dict = {}
        body: list[bytes] = []
        html = False

        async def wrapped(message) -> None:
            nonlocal html
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                html = headers.get(b"content-type", b"").startswith(b"text/html")
                if not html:
                    await send(message)
                else:
                    start.update(message)
                return
            if not html:
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            page = b"".join(body)
            if b"<head>" in page and self.script not in page:
                page = page.replace(b"<head>", b"<head>" + self.script, 1)
                page = page.replace(b'lang="en"', b'lang="sv"', 1)
            headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
            headers.append((b"content-length", str(len(page)).encode()))
            await send({**start, "headers": headers})
            await send(
                {
                    "type": "http.response.body",
                    "body": b"" if scope.get("method") == "HEAD" else page,
                }
            )

        await self.app(scope, receive, wrapped)
