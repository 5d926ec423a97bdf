"""knowledge.packed: posting lists kept as bytes until a term is asked for."""
from __future__ import annotations

import pickle

from knowledge.packed import PackedPostings


def test_postings_read_back_as_they_were_given_from_pairs_or_dicts():
    postings = PackedPostings({"kms": [(0, 1.5), (7, 0.25)], "efs": {3: 2.0}})
    assert postings["kms"] == {0: 1.5, 7: 0.25} and postings.get("efs") == {3: 2.0}
    assert "kms" in postings and "ebs" not in postings and postings.get("ebs") == {}
    assert sorted(postings) == ["efs", "kms"] and len(postings) == 2


def test_a_pickled_index_carries_only_the_packed_bytes():
    postings = PackedPostings({"kms": [(0, 1.5)]})
    postings["kms"]  # opened once
    back = pickle.loads(pickle.dumps(postings, protocol=pickle.HIGHEST_PROTOCOL))
    assert back._open == {} and back["kms"] == {0: 1.5}
