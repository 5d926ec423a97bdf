"""The softmax regression over example questions (knowledge/linear.py)."""
from __future__ import annotations

import pickle

from knowledge.linear import LinearModel

EXAMPLES = [
    ("ebs", {"ebs": 1.0, "volum": 1.0, "encrypt": 1.0}),
    ("ebs", {"ebs": 1.0, "snapshot": 1.0, "kms": 1.0}),
    ("ebs", {"gp3": 1.0, "storageclass": 1.0, "encrypt": 1.0}),
    ("efs", {"efs": 1.0, "encrypt": 1.0, "file": 1.0}),
    ("efs", {"efs": 1.0, "tls": 1.0, "mount": 1.0}),
    ("efs", {"access": 1.0, "point": 1.0, "efs": 1.0}),
    ("~resize", {"resiz": 1.0, "volum": 1.0, "pvc": 1.0}),
    ("~resize", {"expand": 1.0, "ebs": 1.0, "volum": 1.0}),
]


def test_it_learns_which_words_tell_the_labels_apart():
    model = LinearModel(EXAMPLES, epochs=20)
    ebs = model.posteriors({"gp3": 1.0, "encrypt": 1.0})
    assert max(ebs, key=ebs.get) == "ebs"
    assert abs(sum(ebs.values()) - 1.0) < 1e-9
    # "volum" is shared by ebs and resize: with "resiz" the question is about resizing
    resize = model.posteriors({"resiz": 1.0, "volum": 1.0})
    assert max(resize, key=resize.get) == "~resize"
    efs = model.posteriors({"efs": 1.0, "tls": 1.0})
    assert efs["efs"] > 0.5


def test_a_question_with_no_known_term_gets_no_posteriors():
    assert LinearModel(EXAMPLES).posteriors({"weather": 1.0, "paris": 1.0}) == {}


def test_the_same_examples_give_the_same_model_and_it_survives_the_cache():
    first, second = LinearModel(EXAMPLES), LinearModel(EXAMPLES)
    question = {"ebs": 1.0, "volum": 1.0}
    assert first.posteriors(question) == second.posteriors(question)
    restored = pickle.loads(pickle.dumps(first))
    assert restored.posteriors(question) == first.posteriors(question)


def test_weights_are_kept_only_for_the_labels_a_term_was_confused_with():
    # 40 labels, each with its own word; "shared" is used by two of them only
    many = [(f"label{i}", {f"word{i}": 1.0, f"other{i}": 1.0}) for i in range(40)]
    many += [("label0", {"shared": 1.0, "word0": 1.0}), ("label1", {"shared": 1.0, "word1": 1.0})]
    model = LinearModel(many)
    for term in ("word7", "shared"):
        assert 1 <= len(model.weights[term]) <= 5, term
    assert {model.labels[i] for i in model.weights["shared"]} >= {"label0", "label1"}
