"""The chat service: one question in, an answer with sources, tool calls and warnings out.

:class:`Assistant` runs either the model loop (when a :class:`~assistant.llm.ChatModel` is
configured) or the offline responder (the default). Both share the tools, the grounding check, the
conversation store and the audit log. ``chat_stream`` yields :class:`ChatEvent` s in the order of
the HTTP contract::

    meta {conversation_id, mode} -> token {text} ... -> sources -> tool_calls -> done {full result}
    (or error {message} on failure)

and ``chat`` returns the ``done`` payload as a :class:`ChatResult`. When the model fails (timeout,
rate limit, HTTP error) the offline responder answers instead, with a plain Swedish warning, and
``mode`` says ``offline``: the mode always names what actually answered.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.access import current_caller, current_request_id
from assistant.errors import AssistantError, InvalidInputError, ModelError
from assistant.followups import (
    Topic,
    chart_for,
    suggestions,
    topic_from_offline,
    topic_from_tool_calls,
)
from assistant.grounding import check_grounding
from assistant.lang.text import is_valid_text
from assistant.offline import OfflineAnswer, OfflineResponder, resolve_ordinal
from assistant.prompts import (
    LEAK_REFUSAL,
    PromptLeakGuard,
    system_prompt,
    tool_message_content,
)
from assistant.tools import Engine, Retriever, ToolRegistry
from assistant.verified import Served, VerifiedAnswers

if TYPE_CHECKING:
    from assistant.llm import ChatModel, ModelReply, ToolCall
    from assistant.storage import Storage
    from index_engine.loaders import Dataset

log = logging.getLogger("digirapport.assistant")

#: Messages of earlier turns sent to the model (the store caps what it keeps).
HISTORY_MESSAGES = 12
#: Characters of one earlier message sent to the model.
HISTORY_CHARS = 4000
#: The note kept with an answer the user stopped.
STOPPED_NOTE = "Svaret stoppades innan det var klart."


@dataclass
class ChatResult:
    """One answered question: the ``/api/chat`` response."""

    conversation_id: str | None
    answer: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    mode: str = "offline"
    warnings: list[str] = field(default_factory=list)
    ungrounded_numbers: list[str] = field(default_factory=list)
    grounding_flags: list[dict[str, str]] = field(default_factory=list)
    model: str | None = None
    route: dict[str, Any] | None = None
    followups: list[str] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    verified: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The response body of ``POST /api/chat`` (``route``: how an offline answer was routed).

        ``followups``: suggested next questions; ``charts``: the dashboard chart that shows the
        answer (``{"name", "year", "title", "caption", "url"}``), both from
        :mod:`assistant.followups`.
        """
        out: dict[str, Any] = {
            "conversation_id": self.conversation_id,
            "answer": self.answer,
            "sources": self.sources,
            "tool_calls": self.tool_calls,
            "mode": self.mode,
            "warnings": self.warnings,
            "ungrounded_numbers": self.ungrounded_numbers,
            "grounding_flags": self.grounding_flags,
            "followups": self.followups,
            "charts": self.charts,
        }
        if self.route is not None:
            out["route"] = self.route
        if self.verified is not None:
            out["verified"] = self.verified
        return out


@dataclass(frozen=True)
class ChatEvent:
    """One event of a streamed answer.

    ``event`` is ``meta``, ``token``, ``sources``, ``tool_calls``, ``done`` or ``error``.
    """

    event: str
    data: dict[str, Any]

    def sse(self) -> str:
        """The event in Server-Sent Events framing."""
        payload = json.dumps(self.data, ensure_ascii=False, default=str)
        return f"event: {self.event}\ndata: {payload}\n\n"


def _token_pieces(text: str, words: int = 3) -> Iterator[str]:
    """Split an answer into small pieces for streaming (whitespace kept)."""
    parts = re.findall(r"\S+\s*|\s+", text)
    for i in range(0, len(parts), words):
        yield "".join(parts[i : i + words])


def _unique_sources(sources: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for s in sources:
        key = (s.get("source"), s.get("section"), s.get("page"), s.get("text"))
        if key in seen:
            continue
        seen.add(key)
        out.append(
            {
                "source": s.get("source", ""),
                "section": s.get("section"),
                "title": s.get("title"),
                "page": s.get("page"),
                "text": s.get("text", ""),
            }
        )
    return out


def _request_id() -> dict[str, str]:
    """``{"request_id": ...}`` of the request being served (empty outside a request)."""
    request_id = current_request_id.get()
    return {"request_id": request_id} if request_id else {}


class Assistant:
    """Answers questions from the tools: with a language model, or offline."""

    def __init__(
        self,
        *,
        dataset: Dataset,
        retriever: Retriever | None,
        storage: Storage | None,
        chat_model: ChatModel | None = None,
        classifier_factory: Callable[[], Any] | None = None,
        max_rounds: int = 5,
        max_question_chars: int = 2000,
        engine: Engine | None = None,
        drafter: Callable[..., Any] | None = None,
        on_answer: Callable[[ChatResult, bool], None] | None = None,
        verified: VerifiedAnswers | None = None,
    ) -> None:
        """Assemble the assistant.

        Args:
            dataset: The validated tables.
            retriever: Hybrid retrieval over the ingested reports (None: no document search).
            storage: Conversations and audit log (None: nothing is stored).
            chat_model: The language model; None = offline mode.
            classifier_factory: Builds the initiative classifier on first use.
            max_rounds: Tool-call rounds per answer before the model must answer.
            max_question_chars: Longest accepted question.
            engine: The index engine (default: ``index_engine``).
            drafter: The chapter drafter (default: ``assistant.drafts.draft_chapter``).
            on_answer: Called with every answer and whether the model failed and the offline
                responder answered instead (the web layer's metrics); must not raise.
            verified: Verified answers served first to questions that mean the same (default:
                those of ``storage``; None without storage).
        """
        self.dataset = dataset
        self.on_answer = on_answer
        self.storage = storage
        self.chat_model = chat_model
        self.max_rounds = max(1, int(max_rounds))
        self.max_question_chars = int(max_question_chars)
        self.tools = ToolRegistry(
            dataset,
            retriever,
            engine=engine,
            classifier_factory=classifier_factory,
            drafter=drafter,
        )
        self.offline = OfflineResponder(self.tools)
        if verified is None and storage is not None:
            verified = VerifiedAnswers(storage, self.tools, dataset.objekt)
        self.verified = verified

    @property
    def mode(self) -> str:
        """``llm`` when a model is configured, else ``offline``."""
        return "llm" if self.chat_model is not None else "offline"

    # -- input ----------------------------------------------------------------------------------

    def validate(self, message: Any) -> str:
        """The question, stripped; raises InvalidInputError when empty or too long."""
        if not isinstance(message, str):
            raise InvalidInputError("Frågan måste vara text.", field="message")
        text = message.strip()
        if not text:
            raise InvalidInputError("Frågan är tom. Skriv en fråga.", field="message")
        if not is_valid_text(text):
            raise InvalidInputError(
                "Frågan innehåller ogiltiga tecken (NUL-tecken eller ensamma surrogattecken).",
                field="message",
            )
        if len(text) > self.max_question_chars:
            raise InvalidInputError(
                f"Frågan är för lång ({len(text)} tecken). Högst {self.max_question_chars} "
                "tecken är tillåtet.",
                field="message",
                length=len(text),
                max_chars=self.max_question_chars,
            )
        return text

    def _history(
        self,
        conversation_id: str | None,
        history: Sequence[Mapping[str, Any]] | None,
        owner: str | None,
    ) -> list[dict[str, Any]]:
        if history is not None:
            return [
                {"role": str(m.get("role", "")), "content": str(m.get("content") or "")}
                for m in history
                if m.get("role") in {"user", "assistant"}
            ]
        if conversation_id is None or self.storage is None:
            return []
        return [
            {"role": m.role, "content": m.content, "data": m.data}
            for m in self.storage.history(conversation_id, owner=owner)
        ]

    # -- public API -------------------------------------------------------------------------------

    def chat(
        self,
        message: str,
        conversation_id: str | None = None,
        *,
        history: Sequence[Mapping[str, Any]] | None = None,
        persist: bool = True,
    ) -> ChatResult:
        """Answer one question (see :meth:`chat_stream` for the arguments)."""
        result: ChatResult | None = None
        for event in self.chat_stream(message, conversation_id, history=history, persist=persist):
            if event.event == "error":
                raise AssistantError(str(event.data.get("message", "Fel i chatten.")))
            if event.event == "done":
                result = ChatResult(
                    conversation_id=event.data["conversation_id"],
                    answer=event.data["answer"],
                    sources=event.data["sources"],
                    tool_calls=event.data["tool_calls"],
                    mode=event.data["mode"],
                    warnings=event.data["warnings"],
                    ungrounded_numbers=event.data.get("ungrounded_numbers", []),
                    grounding_flags=event.data.get("grounding_flags", []),
                    model=event.data.get("model"),
                    route=event.data.get("route"),
                    followups=event.data.get("followups", []),
                    charts=event.data.get("charts", []),
                    verified=event.data.get("verified"),
                )
        assert result is not None
        return result

    def chat_stream(
        self,
        message: str,
        conversation_id: str | None = None,
        *,
        history: Sequence[Mapping[str, Any]] | None = None,
        persist: bool = True,
    ) -> Iterator[ChatEvent]:
        """Answer one question as a stream of events.

        Validation happens at call time (so a web route can answer 422/404 before it starts
        streaming); the events come when the returned iterator is consumed.

        Args:
            message: The question.
            conversation_id: Continue this conversation (None: start a new one).
            history: Explicit earlier messages ``{"role", "content"}`` (the ``/v1`` endpoint);
                when given, the conversation store is not read.
            persist: Store the turn in the conversation store.

        The conversation belongs to the current caller (:data:`assistant.access.current_caller`):
        a new one is stored with the caller's owner id, and another owner's conversation is
        unknown to them; passages above the caller's clearance are never retrieved.

        Raises:
            InvalidInputError: Empty or too long question.
            ConversationNotFoundError: Unknown conversation id, or another owner's.
        """
        question = self.validate(message)
        caller = current_caller.get()
        earlier = self._history(conversation_id, history, caller.owner)
        store = persist and self.storage is not None and history is None
        if store and conversation_id is None:
            assert self.storage is not None
            conversation_id = self.storage.new_conversation(
                title=question[:200], owner=caller.stored_owner
            )
        conversation_id = conversation_id if store else None
        events = self._events(question, conversation_id, earlier, store, caller.owner)
        return self._until_stopped(events, question, conversation_id, store, caller.owner)

    def _until_stopped(
        self,
        events: Iterator[ChatEvent],
        question: str,
        conversation_id: str | None,
        store: bool,
        owner: str | None,
    ) -> Iterator[ChatEvent]:
        """``events``, closed at once when the consumer stops early.

        The user pressed stop or the client left: the run is closed (the model's stream is hung
        up, so it stops generating) and the turn is kept as stopped, with the part of the answer
        that was sent.
        """
        sent: list[str] = []
        finished = False
        try:
            for event in events:
                if event.event == "token":
                    sent.append(str(event.data.get("text", "")))
                elif event.event in {"done", "error"}:
                    finished = True
                yield event
        finally:
            if not finished:
                close = getattr(events, "close", None)
                if close is not None:
                    close()
                self._record_stopped(question, "".join(sent), conversation_id, store, owner)

    # -- the run ---------------------------------------------------------------------------------

    def _events(
        self,
        question: str,
        conversation_id: str | None,
        earlier: list[dict[str, Any]],
        store: bool,
        owner: str | None = None,
    ) -> Iterator[ChatEvent]:
        started = time.perf_counter()
        try:
            yield ChatEvent("meta", {"conversation_id": conversation_id, "mode": self.mode})
            state = _RunState()
            served = self._verified(question, earlier)
            if served is not None:
                yield from self._verified_run(served, state)
            elif self.chat_model is not None:
                try:
                    yield from self._model_run(question, earlier, state)
                    state.mode = "llm"
                except ModelError as exc:
                    log.warning("Model failed (%s); answering offline", exc.data.get("reason"))
                    state.warnings.append(
                        f"{exc.message} Svaret nedan kommer från offline-läget (utan språkmodell)."
                    )
                    if state.streamed:
                        yield ChatEvent("token", {"text": "\n\n"})
                    yield from self._offline_run(question, earlier, state)
            else:
                yield from self._offline_run(question, earlier, state)

            evidence: list[Any] = [c.get("result") for c in state.tool_calls]
            evidence += [
                {"text": s.get("text"), "section": s.get("section"), "page": s.get("page")}
                for s in state.sources
            ]
            grounding = check_grounding(state.answer, evidence)
            if grounding.warning():
                state.warnings.append(str(grounding.warning()))
            topic = state.topic or topic_from_tool_calls(state.tool_calls)
            chart = chart_for(topic, self.tools)
            result = ChatResult(
                conversation_id=conversation_id,
                answer=state.answer,
                sources=_unique_sources(state.sources),
                tool_calls=state.tool_calls,
                mode=state.mode,
                warnings=state.warnings,
                ungrounded_numbers=grounding.ungrounded,
                grounding_flags=[f.to_dict() for f in grounding.flags],
                model=state.model,
                route=state.route,
                followups=suggestions(topic, self.tools, question),
                charts=[chart] if chart else [],
                verified=state.verified,
            )
            yield ChatEvent("sources", {"sources": result.sources})
            yield ChatEvent("tool_calls", {"tool_calls": result.tool_calls})
            self._record(question, result, store, state, time.perf_counter() - started, owner)
            if self.on_answer is not None:
                fell_back = self.chat_model is not None and result.mode == "offline"
                self.on_answer(result, fell_back and result.verified is None)
            done = result.to_dict()
            if state.model:
                done["model"] = state.model
            yield ChatEvent("done", done)
        except AssistantError as exc:
            yield ChatEvent("error", {"message": exc.message, **_request_id()})
        except Exception as exc:  # noqa: BLE001  (the stream must end with an event)
            error_id = uuid.uuid4().hex[:12]
            log.exception("Chat failed (%s)", error_id, exc_info=exc)
            yield ChatEvent(
                "error",
                {
                    "message": f"Ett oväntat fel inträffade (fel-id {error_id}). Försök igen.",
                    "error_id": error_id,
                    **_request_id(),
                },
            )

    def _record_stopped(
        self,
        question: str,
        partial: str,
        conversation_id: str | None,
        store: bool,
        owner: str | None,
    ) -> None:
        """Keep a stopped turn: the question and what was sent of the answer, marked stopped."""
        if self.storage is None:
            return
        try:
            if store and conversation_id is not None:
                self.storage.add_message(conversation_id, "user", question, owner=owner)
                self.storage.add_message(
                    conversation_id,
                    "assistant",
                    partial.strip() or STOPPED_NOTE,
                    {"stopped": True, "mode": self.mode},
                    owner=owner,
                )
            self.storage.audit(
                "chat_stopped",
                {"conversation_id": conversation_id, "question": question, "mode": self.mode},
            )
        except Exception:  # noqa: BLE001  (closing a stream must not fail; it is only logged)
            log.exception("A stopped answer could not be recorded")

    def _record(
        self,
        question: str,
        result: ChatResult,
        store: bool,
        state: _RunState,
        seconds: float,
        owner: str | None,
    ) -> None:
        if self.storage is None:
            return
        if store and result.conversation_id is not None:
            self.storage.add_message(result.conversation_id, "user", question, owner=owner)
            self.storage.add_message(
                result.conversation_id,
                "assistant",
                result.answer,
                {
                    "sources": result.sources,
                    "tool_calls": result.tool_calls,
                    "warnings": result.warnings,
                    "mode": result.mode,
                    "ungrounded_numbers": result.ungrounded_numbers,
                    "intent": state.intent,
                    "followups": result.followups,
                    "charts": result.charts,
                    **({"verified": result.verified} if result.verified else {}),
                },
                owner=owner,
            )
        self.storage.audit(
            "chat",
            {
                "conversation_id": result.conversation_id,
                "question": question,
                "tools": [
                    {"name": c.get("name"), "arguments": c.get("arguments")}
                    for c in result.tool_calls
                ],
                "sources": [
                    {"source": s["source"], "section": s["section"], "page": s["page"]}
                    for s in result.sources
                ],
                "answer": result.answer,
                "mode": result.mode,
                "model": result.model,
                "warnings": result.warnings,
                "ungrounded_numbers": result.ungrounded_numbers,
                "seconds": round(seconds, 3),
            },
        )

    def _verified(self, question: str, earlier: list[dict[str, Any]]) -> Served | None:
        """The verified answer for ``question`` with today's figures, or None."""
        if self.verified is None:
            return None
        questions = [m["content"] for m in earlier if m.get("role") == "user"]
        return self.verified.serve(question, questions)

    def _verified_run(self, served: Served, state: _RunState) -> Iterator[ChatEvent]:
        """Answer with a verified answer (in either mode: it needs no model)."""
        state.answer = served.answer
        state.sources += served.sources
        state.tool_calls += served.tool_calls
        state.mode = "offline"  # no model wrote it: stored text, figures from the engine
        state.verified = served.meta()
        for piece in _token_pieces(served.answer):
            yield ChatEvent("token", {"text": piece})

    def _offline_run(
        self, question: str, earlier: list[dict[str, Any]], state: _RunState
    ) -> Iterator[ChatEvent]:
        questions = [m["content"] for m in earlier if m.get("role") == "user"]
        answers = [m["content"] for m in earlier if m.get("role") == "assistant"]
        # "Berätta mer om det andra": the second item the answer before listed
        question = resolve_ordinal(question, answers[-1] if answers else "")
        out: OfflineAnswer = self.offline.answer(question, questions)
        state.answer = out.answer
        state.sources += out.sources
        state.tool_calls += out.tool_calls
        state.mode = "offline"
        state.intent = out.intent.kind if out.intent else None
        state.topic = topic_from_offline(out)
        if out.route is not None:
            state.route = out.route.to_dict()
            state.route["answered_as"] = state.intent
        elif out.intent is not None and "kind" in out.intent.inherited:
            state.route = {"kind": out.intent.kind, "followup": True}
        for piece in _token_pieces(out.answer):
            yield ChatEvent("token", {"text": piece})

    def _model_run(
        self, question: str, earlier: list[dict[str, Any]], state: _RunState
    ) -> Iterator[ChatEvent]:
        assert self.chat_model is not None
        messages: list[dict[str, Any]] = [
            {
                "role": "system",
                "content": system_prompt(self.tools.years(), self.dataset.objekt),
            }
        ]
        for m in earlier[-HISTORY_MESSAGES:]:
            if m.get("role") in {"user", "assistant"} and m.get("content"):
                messages.append({"role": m["role"], "content": str(m["content"])[:HISTORY_CHARS]})
        messages.append({"role": "user", "content": question})
        schemas = self.tools.schemas()
        guard = PromptLeakGuard()
        leaked = False
        rounds = 0
        while True:
            final_round = rounds >= self.max_rounds
            reply: ModelReply | None = None
            for delta in self.chat_model.stream(
                messages, schemas, tool_choice="none" if final_round else "auto"
            ):
                if delta.text and not leaked:
                    leaked = guard.feed(delta.text)
                    if not leaked:
                        state.streamed = True
                        yield ChatEvent("token", {"text": delta.text})
                if delta.reply is not None:
                    reply = delta.reply
            if reply is None:
                raise ModelError("Språkmodellen returnerade inget svar.", reason="empty")
            state.model = reply.model or getattr(self.chat_model, "model", None)
            if reply.tool_calls and not final_round:
                rounds += 1
                messages.append(
                    {
                        "role": "assistant",
                        "content": reply.content or None,
                        "tool_calls": [tc.to_message() for tc in reply.tool_calls],
                    }
                )
                for tc in reply.tool_calls:
                    result = self._run_tool(tc, state)
                    messages.append(
                        {
                            "role": "tool",
                            "tool_call_id": tc.id,
                            "content": tool_message_content(tc.name, result),
                        }
                    )
                continue
            answer = (reply.content or "").strip()
            if not answer:
                raise ModelError("Språkmodellen returnerade ett tomt svar.", reason="empty")
            if leaked or guard.leaks(answer):
                # An injected instruction made the model repeat its rules: never pass them on.
                log.warning("Model answer repeated the system prompt; replaced")
                state.warnings.append(
                    "Språkmodellens svar återgav assistentens instruktioner och visas inte."
                )
                answer = LEAK_REFUSAL
                yield ChatEvent("token", {"text": ("\n\n" if state.streamed else "") + answer})
            state.answer = answer
            state.sources += self._cited_sources(answer, state.tool_calls)
            return

    def _run_tool(self, call: ToolCall, state: _RunState) -> dict[str, Any]:
        try:
            parsed = call.parsed_arguments()
        except ValueError:
            result: dict[str, Any] = {
                "error": "Argumenten var inte ett giltigt JSON-objekt.",
                "arguments": call.arguments[:500],
            }
            state.tool_calls.append({"name": call.name, "arguments": {}, "result": result})
            return result
        result = self.tools.call(call.name, parsed)
        state.tool_calls.append({"name": call.name, "arguments": parsed, "result": result})
        return result

    @staticmethod
    def _cited_sources(
        answer: str, tool_calls: Sequence[Mapping[str, Any]]
    ) -> list[dict[str, Any]]:
        """The passages the model retrieved; those whose section it cites first (else all)."""
        hits: list[dict[str, Any]] = []
        for call in tool_calls:
            if call.get("name") != "search_documents":
                continue
            hits += [h for h in (call.get("result") or {}).get("hits", []) if isinstance(h, dict)]
        cited = [
            h
            for h in hits
            if h.get("section")
            and re.search(rf"(?<![\d.]){re.escape(str(h['section']))}(?![\d])", answer)
        ]
        return cited or hits[:8]


@dataclass
class _RunState:
    """What one run collects: answer, sources, tool calls, warnings, mode."""

    answer: str = ""
    sources: list[dict[str, Any]] = field(default_factory=list)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    mode: str = "offline"
    model: str | None = None
    streamed: bool = False
    intent: str | None = None
    route: dict[str, Any] | None = None
    topic: Topic | None = None  # what the offline responder answered (model mode: None)
    verified: dict[str, Any] | None = None
