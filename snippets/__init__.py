"""eksguide's snippet generators: declarative specs and pure render functions.

Headless by design: nothing here imports Textual or the knowledge base.
"""
from .registry import UnknownKind, available, get, kind_names
from .spec import Field, FieldError, Snippet, SnippetError, Spec, build, check

__all__ = [
    "Field", "FieldError", "Snippet", "SnippetError", "Spec", "UnknownKind", "available", "build",
    "check", "get", "kind_names",
]
