"""Answer evaluation on the labelled questions: citation precision (every quote re-checked on
its stored page, independently of the pipeline's own verifier), answered-with-citation rate
for answerable questions, no-citation rate for unanswerable ones, and warm latency.

    .venv/bin/python benchmarks/answer_eval.py --store DIR [--questions FILE] [--json]
        [--composer extractive|scripted-llm]

`scripted-llm` runs the LLM path with a scripted chat model that makes deliberate citation
errors in every answer (a fabricated quote, a wrong passage, an invented number) next to one
correct citation; the figure to reach is that every error is caught.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import load_questions, matched_evidence  # noqa: E402
from assistant.qa.verify import quote_on_page  # noqa: E402


def citation_ok(store, citation) -> bool:
    chunk = store.get_chunks([citation.chunk_id]).get(citation.chunk_id)
    if chunk is None or chunk.page != citation.page or chunk.source != citation.source:
        return False
    page = store.page_text(chunk.file_hash, chunk.page) or ""
    return quote_on_page(citation.quote, page)


class ScriptedErrorsLLM:
    """Builds, for each prompt, an answer with one right citation and three wrong ones."""

    def __init__(self) -> None:
        self.errors_made = 0

    def reply(self, prompt_text: str) -> str:
        import re

        passages = re.findall(r"^\[(\d+)\] \(([^)]*)\)\n(.+)$", prompt_text, re.M)
        if not passages:
            return "Inget i rapporterna besvarar frågan."
        n, _, text = passages[0]
        words = text.split()
        good = " ".join(words[: min(12, len(words))])
        other = passages[1][0] if len(passages) > 1 else n
        self.errors_made += 3
        return (
            f"Enligt rapporten gäller följande [{n}].\n"
            f"Kommunen byggde en ny simhall för 97 miljoner kronor [{n}].\n"
            f"Insatsen nådde 987 654 deltagare [{n}].\n"
            f"Alla mål uppfylldes enligt rapporten [{other}][99].\n\n"
            f'KÄLLOR:\n[{n}] "{good}"\n[{other}] "Kommunen har byggt en simhall i centrum"\n'
            f'[99] "{good}"\n'
        )


def scripted_llm(script: ScriptedErrorsLLM):
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    class Model(GenericFakeChatModel):
        def _generate(self, messages, stop=None, run_manager=None, **kwargs):
            from langchain_core.outputs import ChatGeneration, ChatResult

            prompt = "\n".join(str(m.content) for m in messages)
            return ChatResult(
                generations=[ChatGeneration(message=AIMessage(content=script.reply(prompt)))]
            )

        def _stream(self, messages, stop=None, run_manager=None, **kwargs):
            from langchain_core.messages import AIMessageChunk
            from langchain_core.outputs import ChatGenerationChunk

            prompt = "\n".join(str(m.content) for m in messages)
            for piece in script.reply(prompt).split(" "):
                yield ChatGenerationChunk(message=AIMessageChunk(content=piece + " "))

    return Model(messages=iter([]))


def run(store_dir: str, questions_path: str, composer: str) -> dict:
    from assistant.service import Service
    from vectorstore.store import ReportStore

    script = ScriptedErrorsLLM()
    llm = scripted_llm(script) if composer == "scripted-llm" else None
    service = Service(ReportStore.open(store_dir), llm=llm)
    questions = load_questions(questions_path)
    service.ask("uppvärmning")  # warm
    total = correct = answered = answerable = refused = unanswerable = from_evidence = 0
    unsupported = 0
    latencies, failures, silent, spoke = [], [], [], []
    for q in questions:
        start = time.perf_counter()
        answer = service.ask(q.question)
        latencies.append((time.perf_counter() - start) * 1000)
        unsupported += len(answer.unsupported)
        for c in answer.citations:
            total += 1
            if citation_ok(service.store, c):
                correct += 1
            else:
                failures.append({"id": q.id, "quote": c.quote, "page": c.page})
        if q.evidence:
            answerable += 1
            answered += bool(answer.citations)
            if not answer.citations:
                silent.append(q.id)
            cited = service.store.get_chunks([c.chunk_id for c in answer.citations]).values()
            from_evidence += any(
                matched_evidence(q, (c.municipality, c.year, c.text)) for c in cited
            )
        else:
            unanswerable += 1
            refused += not answer.citations
            if answer.citations:
                spoke.append(q.id)
    return {
        "composer": composer,
        "questions": len(questions),
        "citations": total,
        "citation_precision": round(correct / total, 4) if total else None,
        "answerable_with_citation": round(answered / answerable, 3) if answerable else None,
        # stricter: a citation from a passage that holds the labelled evidence (another
        # passage may answer too, so this is a floor for "answered right")
        "answerable_cited_from_evidence": round(from_evidence / answerable, 3)
        if answerable
        else None,
        "unanswerable_without_citation": round(refused / unanswerable, 3) if unanswerable else None,
        "claims_removed_as_unsupported": unsupported,
        "deliberate_errors_made": script.errors_made if llm else 0,
        "latency_ms_median": round(statistics.median(latencies), 1),
        "latency_ms_p95": round(sorted(latencies)[int(0.95 * len(latencies)) - 1], 1),
        "failures": failures[:10],
        "answerable_without_citation": silent,
        "unanswerable_with_citation": spoke,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", required=True)
    parser.add_argument("--questions", default=str(ROOT / "tests" / "data" / "questions.json"))
    parser.add_argument("--composer", default="extractive", choices=["extractive", "scripted-llm"])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.store, args.questions, args.composer)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:<32}{value}")


if __name__ == "__main__":
    main()
