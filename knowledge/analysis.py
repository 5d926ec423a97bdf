"""How text becomes terms: words, compounds, stems, and the engine's own vocabulary.

Documents and questions go through the same analyser. Compound identifiers (`kmsKeyId`,
`ebs.csi.aws.com`, `external-secrets`) yield the whole and the parts; words are lower-cased and
stemmed with the Snowball English stemmer (PyStemmer). `vocabulary.yaml` holds stop words,
domain-generic words, synonyms and abbreviations, known phrases and the names of
subjects next to the guide's.
"""
from __future__ import annotations

import re
from .record import field, record
from functools import lru_cache
from pathlib import Path

try:
    import Stemmer  # PyStemmer: Snowball stemmers compiled to C

    _stem_word = Stemmer.Stemmer("english").stemWord
except ImportError:  # pragma: no cover - PyStemmer is a declared dependency
    def _stem_word(word: str) -> str:
        return word

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")

_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:[._/'-][A-Za-z0-9]+)*")
_CAMEL_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_PART_RE = re.compile(r"[a-z0-9]+")
_CHUNK_RE = re.compile(r"[.;:,!?()]\s|\s\.\s|\n")
_MARKUP_RE = re.compile(r"```.*?```|\]\([^)]*\)|https?://\S+", re.S)

@record(frozen=False)
class Vocabulary:
    stopwords: frozenset[str] = frozenset()
    generic: frozenset[str] = frozenset()  # stems
    make_words: frozenset[str] = frozenset()  # surface words
    synonyms: dict[tuple[str, ...], str] = field(factory=dict)  # surface words -> what they mean
    phrases: frozenset[tuple[str, str]] = frozenset()  # stem pairs that name one thing
    off_topic: frozenset[tuple[str, ...]] = frozenset()  # surface word sequences
    longest_phrase: int = 1
    _expanded: dict[tuple[str, ...], tuple[str, ...]] = field(factory=dict, repr=False)
    _by_stems: dict[tuple[str, ...], tuple[str, ...]] = field(factory=dict, repr=False)

    @classmethod
    def load(cls, path: Path | None = None) -> Vocabulary:
        import yaml

        # The base loader keeps every scalar a string: "on", "no" and "yes" are words here, not
        # YAML 1.1 booleans. (libyaml's loader where PyYAML has it.)
        loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
        data = yaml.load((path or VOCABULARY_FILE).read_text(encoding="utf-8"), Loader=loader) or {}
        stopwords = frozenset(str(w).lower() for w in data.get("stopwords", []))
        vocab = cls(stopwords=stopwords)
        vocab.generic = frozenset(_stem_word(str(w).lower()) for w in data.get("generic", []))
        vocab.make_words = frozenset(str(w).lower() for w in data.get("make_words", []))
        vocab.phrases = frozenset(
            tuple(analyze(str(w), stopwords)) for w in data.get("phrases", []) if len(analyze(str(w), stopwords)) == 2)
        vocab.off_topic = frozenset(tuple(stem(w) for w in _surface_words(str(w))) for w in data.get("off_topic", [])
                                    if _surface_words(str(w)))
        for phrase in vocab.off_topic:
            vocab.longest_phrase = max(vocab.longest_phrase, len(phrase))
        for key, value in (data.get("synonyms") or {}).items():
            words = tuple(_surface_words(str(key)))
            if not words:
                continue
            vocab.synonyms[words] = str(value)
            vocab._by_stems.setdefault(tuple(stem(w) for w in words), words)
            vocab.longest_phrase = max(vocab.longest_phrase, len(words))
        return vocab

    def expand(self, stems: tuple[str, ...]) -> tuple[str, ...] | None:
        """The stemmed terms a word or phrase (given as stems) stands for, or None.

        Matching on stems lets "persistent volumes" find "persistent volume". Expansions are
        analysed on first use: a question touches only a few of them."""
        words = self._by_stems.get(stems)
        meaning = self.synonyms.get(words) if words is not None else None
        if meaning is None:
            return None
        expanded = self._expanded.get(words)
        if expanded is None:
            expanded = self._expanded[words] = tuple(t for t in analyze(meaning, self.stopwords) if t)
        return expanded


def _surface_words(text: str) -> list[str]:
    """Lower-case words of a text, compounds split on punctuation (used for phrase lookup)."""
    return _PART_RE.findall(text.lower())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stem_word(word)


@lru_cache(maxsize=65536)
def _word_variants(word: str) -> tuple[str, ...]:
    """A word as typed, plus its parts when it is a compound (camelCase, dotted, hyphenated)."""
    lower = word.lower()
    parts: list[str] = []
    if re.search(r"[._/'-]", word):
        for piece in re.split(r"[._/'-]", word):
            parts.extend(_camel_parts(piece))
    else:
        parts = _camel_parts(word)
    parts = [p.lower() for p in parts if p]
    if len(parts) <= 1:
        return (lower.replace("'", ""),)
    whole = re.sub(r"[^a-z0-9]", "", lower)
    return (whole, *parts)


def _camel_parts(word: str) -> list[str]:
    if word.islower() or word.isupper() or word.isdigit():
        return [word]
    return _CAMEL_RE.findall(word) or [word]


def analyze(text: str, stopwords: frozenset[str] = frozenset()) -> list[str]:
    """Stemmed terms of a text, stop words removed; compounds yield the whole and the parts."""
    terms: list[str] = []
    for word in _WORD_RE.findall(text):
        for variant in _word_variants(word):
            if variant and variant not in stopwords:
                terms.append(stem(variant))
    return terms
