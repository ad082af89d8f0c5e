"""The offline assistant: answers questions from the tools and the reports without a language model.

* :mod:`assistant.offline.parse` finds what a question mentions (slots: years, figures, objekt,
  statuses, axis words) from closed vocabularies, and carries context between follow-ups.
* :mod:`assistant.offline.router` decides what kind of answer the question wants, by example:
  labelled example questions (``route_examples.jsonl``), the bundled embedder and a calibrated
  classifier.
* :mod:`assistant.offline.quotes` picks the sentences of a passage that answer a question.
* :mod:`assistant.offline.responder` calls the tools for the routed kind and phrases the answer.
"""

from assistant.offline.parse import resolve_ordinal
from assistant.offline.quotes import best_sentences
from assistant.offline.responder import OfflineAnswer, OfflineResponder, citation

__all__ = ["OfflineAnswer", "OfflineResponder", "best_sentences", "citation", "resolve_ordinal"]
