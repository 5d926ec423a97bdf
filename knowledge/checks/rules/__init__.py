"""Every rule, in the order `--list-rules` shows them, and an index by object kind."""
from __future__ import annotations

from ..model import Rule
from . import access, storage, stores, workloads

RULES: tuple[Rule, ...] = storage.RULES + workloads.RULES + access.RULES + stores.RULES
BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
BY_KIND: dict[str, tuple[Rule, ...]] = {}
for _rule in RULES:
    for _kind in _rule.kinds:
        BY_KIND[_kind] = BY_KIND.get(_kind, ()) + (_rule,)

if len(BY_ID) != len(RULES):  # pragma: no cover - a programming error, caught by the tests
    raise ValueError("two rules share an id")
