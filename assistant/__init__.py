"""Retrieval, tools, the chat loop (offline or with a model), classification and drafts."""
