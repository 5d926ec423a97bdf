"""knowledge.record: the small records the knowledge base uses instead of dataclasses."""
from __future__ import annotations

import pickle

import pytest
from knowledge.record import FrozenRecordError, field, record, replace


@record(order=True)
class Point:
    x: int
    y: int = 0
    note: str = field(default="", compare=False)


@record(frozen=False)
class Bag:
    items: list = field(factory=list)
    hidden: str = field(default="secret", repr=False)


def test_construction_by_position_or_keyword_with_defaults():
    assert Point(1, 2) == Point(x=1, y=2) == Point(1, y=2)
    assert Point(3).y == 0
    with pytest.raises(TypeError, match="needs the field 'x'"):
        Point()
    with pytest.raises(TypeError, match="no field 'z'"):
        Point(1, z=3)
    with pytest.raises(TypeError, match="twice"):
        Point(1, x=2)
    with pytest.raises(TypeError, match="takes 3 fields"):
        Point(1, 2, "a", 4)


def test_frozen_records_refuse_assignment_and_hash_by_compared_fields():
    p = Point(1, 2, note="a")
    with pytest.raises(FrozenRecordError):
        p.x = 5
    with pytest.raises(FrozenRecordError):
        del p.y
    assert p == Point(1, 2, note="b") and hash(p) == hash(Point(1, 2, note="b"))
    assert p != Point(2, 2) and p != (1, 2)
    assert sorted([Point(2, 0), Point(1, 5), Point(1, 1)]) == [Point(1, 1), Point(1, 5), Point(2, 0)]


def test_mutable_records_get_a_fresh_default_each_and_are_unhashable():
    a, b = Bag(), Bag()
    a.items.append(1)
    assert b.items == [] and a != b
    with pytest.raises(TypeError):
        hash(a)
    assert repr(a) == "Bag(items=[1])"


def test_replace_copies_with_changes_and_names_an_unknown_field():
    p = Point(1, 2, note="n")
    q = replace(p, y=9)
    assert (q.x, q.y, q.note) == (1, 9, "n") and p.y == 2
    with pytest.raises(TypeError, match="no field 'z'"):
        replace(p, z=1)


def test_records_survive_pickling_as_the_engine_cache_stores_them():
    p = Point(1, 2, note="n")
    back = pickle.loads(pickle.dumps(p, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == p and back.note == "n"
    with pytest.raises(FrozenRecordError):
        back.x = 3
