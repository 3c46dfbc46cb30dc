"""Prompt templates kept as text files in prompts/ so they can be read and edited as Swedish.

A file is a Python str.format template: `{question}` is a variable, literal braces are
doubled (`{{` `}}`). It may be split into a system and a user part by lines that read
exactly `### SYSTEM` and `### USER`; without them the whole text is one user message.

`load_prompt` checks the file's variables against what the code fills in, so a renamed or
misspelt placeholder fails at start-up with a clear `PromptError`, not mid-answer.
The folder is `<repo>/prompts`, or the setting `answer.prompts_dir`
($RAPPORTASSISTENT_PROMPTS_DIR) if set.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import PromptError
from rapport_settings import Settings, get_settings

PROMPTS_DIR_ENV = "RAPPORTASSISTENT_PROMPTS_DIR"  # named in messages; read by rapport_settings
_SECTION_HEADERS = {"### SYSTEM": "system", "### USER": "human"}


def prompts_dir(settings: Settings | None = None) -> Path:
    override = (settings or get_settings()).answer.prompts_dir
    return override or Path(__file__).resolve().parents[1] / "prompts"


@dataclass(frozen=True)
class Prompt:
    name: str
    template: str
    variables: frozenset[str]
    path: Path

    def format(self, **values: object) -> str:
        """The whole prompt as one text (section headers removed)."""
        return "\n\n".join(text for _, text in self.messages(**values))

    def messages(self, **values: object) -> list[tuple[str, str]]:
        """[(role, text)] with role "system" or "human", as LangChain chat models accept."""
        self._check_values(values)
        return [(role, part.format(**values).strip()) for role, part in _sections(self.template)]

    def _check_values(self, values: dict[str, object]) -> None:
        missing = self.variables - values.keys()
        unknown = values.keys() - self.variables
        if missing or unknown:
            raise PromptError(
                f"Fel värden till prompten '{self.name}': "
                f"saknas {sorted(missing)}, okända {sorted(unknown)}.",
                hint="Ett programfel: koden och promptfilen använder olika variabelnamn.",
            )


def _sections(template: str) -> list[tuple[str, str]]:
    """Split at `### SYSTEM` / `### USER` lines; text before any header is a user part."""
    sections: list[tuple[str, list[str]]] = [("human", [])]
    for line in template.splitlines():
        role = _SECTION_HEADERS.get(line.strip())
        if role:
            sections.append((role, []))
        else:
            sections[-1][1].append(line)
    return [(role, "\n".join(lines)) for role, lines in sections if "".join(lines).strip()]


def parse_variables(template: str, name: str = "?") -> frozenset[str]:
    """The {names} in a str.format template; positional or dotted fields are errors."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:  # a lone "{" or "}"
        raise PromptError(
            f"Promptfilen '{name}' har en felaktig klammerparentes: {exc}.",
            hint="Skriv {{ och }} för klamrar som ska stå kvar i texten.",
        ) from exc
    for field in fields:
        if not field.isidentifier():
            raise PromptError(
                f"Promptfilen '{name}' har platshållaren {{{field}}}, som inte är ett namn.",
                hint="Använd namngivna platshållare som {question}; skriv {{ }} för klamrar.",
            )
    return frozenset(fields)


def load_prompt(name: str, required: set[str]) -> Prompt:
    """Read prompts/<name>.txt; its variables must be exactly `required`."""
    path = prompts_dir() / f"{name}.txt"
    try:
        template = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(
            f"Promptfilen {path} kunde inte läsas.",
            hint=f"Kontrollera att filen finns, eller sätt {PROMPTS_DIR_ENV} till rätt mapp.",
        ) from exc
    variables = parse_variables(template, name)
    missing, unknown = set(required) - variables, variables - set(required)
    if missing or unknown:
        parts = []
        if missing:
            parts.append("saknar " + ", ".join(f"{{{v}}}" for v in sorted(missing)))
        if unknown:
            parts.append("har okända " + ", ".join(f"{{{v}}}" for v in sorted(unknown)))
        raise PromptError(
            f"Promptfilen {path} {' och '.join(parts)}.",
            hint="Rätta platshållarna i filen; skriv {{ och }} för klamrar som ska stå kvar.",
        )
    return Prompt(name=name, template=template, variables=variables, path=path)
