"""Posting lists that load fast from the engine's on-disk cache.

An inverted index is mostly numbers: for every term, the documents that use it and a weight for
each. Kept as Python dicts of floats, the cached engine holds some hundred thousand small
objects, and unpickling them is most of what `eksguide ask` spends before it can answer. Here
each term's postings are two `bytes` objects (document numbers as unsigned ints, weights as
doubles), which unpickle as a copy of memory; a term's postings are turned back into a dict only
when a question uses the term, and kept for the next question.
"""
from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping

_EMPTY: dict[int, float] = {}


class PackedPostings(Mapping):
    """term -> {document number: weight}, read-only, packed until a term is asked for."""

    __slots__ = ("_packed", "_open")

    def __init__(self, postings: Mapping[str, Iterable[tuple[int, float]] | Mapping[int, float]] = _EMPTY):
        packed: dict[str, tuple[bytes, bytes]] = {}
        for term, entries in postings.items():
            pairs = list(entries.items()) if isinstance(entries, Mapping) else list(entries)
            packed[term] = (array("I", [doc for doc, _ in pairs]).tobytes(),
                            array("d", [weight for _, weight in pairs]).tobytes())
        self._packed = packed
        self._open: dict[str, dict[int, float]] = {}

    @classmethod
    def _restore(cls, packed: dict[str, tuple[bytes, bytes]]) -> PackedPostings:
        self = cls.__new__(cls)
        self._packed = packed
        self._open = {}
        return self

    def __reduce__(self):
        return PackedPostings._restore, (self._packed,)

    def __getitem__(self, term: str) -> dict[int, float]:
        opened = self._open.get(term)
        if opened is None:
            docs, weights = self._packed[term]  # KeyError for a term no document uses
            opened = dict(zip(memoryview(docs).cast("I"), memoryview(weights).cast("d")))
            self._open[term] = opened
        return opened

    def get(self, term: str, default: dict[int, float] = _EMPTY) -> dict[int, float]:  # type: ignore[override]
        return self[term] if term in self._packed else default

    def __contains__(self, term: object) -> bool:
        return term in self._packed

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)
