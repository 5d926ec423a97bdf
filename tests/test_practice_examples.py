"""The examples in the practices teach what they show: nothing an example sets goes unexplained."""
from __future__ import annotations

import re

import pytest
from knowledge import load_knowledge

PRACTICES = load_knowledge().practices
_BLOCK = re.compile(r"```[a-z]*\n(.*?)```", re.S)


def _texts(practice):
    yield f"{practice.id}.md", practice.body
    for entry in practice.faq:
        yield f"{practice.id}.faq.yaml#{entry.id}", entry.a


@pytest.mark.parametrize("practice", PRACTICES, ids=lambda p: p.id)
def test_no_example_makes_a_class_the_default_unless_the_text_says_why(practice):
    for where, text in _texts(practice):
        for block in _BLOCK.finditer(text):
            if "is-default-class" not in block.group(1):
                continue
            around = text[max(0, block.start() - 600):block.start()] + text[block.end():block.end() + 600]
            prose = _BLOCK.sub("", around).lower()
            assert "default" in prose and ("storageclassname" in prose or "no class" in prose), (
                f"{where}: an example marks a StorageClass as the cluster default without saying why")


def test_the_ebs_how_example_is_not_the_default_class():
    ebs = next(p for p in PRACTICES if p.id == "ebs-encryption")
    how = ebs.section("How")
    first_block = _BLOCK.search(how).group(1)
    assert "kind: StorageClass" in first_block and "is-default-class" not in first_block
    assert "is-default-class" in how  # the text says how, and why one would
