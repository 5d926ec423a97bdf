"""The glossary loader: the shipped file, broken files reported by line, and lookup."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from knowledge.glossary import GLOSSARY_PATH, Term, load_glossary, lookup, normalize
from knowledge.problems import ContentError

PRACTICES_DIR = Path(__file__).parent.parent / "knowledge" / "practices"

# The practice ids the project plans (the files are written in parallel); the shipped glossary
# must only name these, and each must exist as a file once the knowledge base is complete.
PLANNED_PRACTICES = frozenset(
    "encrypt-data-at-rest ebs-encryption efs-encryption-at-rest efs-encryption-in-transit "
    "fsx-lustre-encryption fargate-ephemeral-encryption rotate-cmks efs-access-points "
    "kubernetes-secrets-basics secrets-namespace-scope node-authorizer-secrets kms-envelope-encryption "
    "audit-secret-access rotate-secrets separate-namespaces volume-mounts-over-env external-secrets-provider "
    "sealed-secrets secrets-store-csi-driver external-secrets-operator".split()
)


def practice_ids_on_disk() -> set[str]:
    return {path.stem for path in PRACTICES_DIR.glob("*.md")}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "glossary.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems_of(path: Path, **kwargs) -> list[tuple[int, str]]:
    with pytest.raises(ContentError) as info:
        load_glossary(path, **kwargs)
    assert all(p.path == str(path) for p in info.value.problems)
    return [(p.line, p.message) for p in info.value.problems]


def assert_problem(found: list[tuple[int, str]], line: int, fragment: str) -> None:
    assert any(l == line and fragment in m for l, m in found), f"no problem at line {line} containing {fragment!r}: {found}"


# --------------------------------------------------------------------------- the shipped glossary


def test_shipped_glossary_is_valid_against_planned_practices():
    terms = load_glossary(known_practices=PLANNED_PRACTICES)
    assert 25 <= len(terms) <= 50
    assert all(isinstance(t, Term) for t in terms)


def test_shipped_glossary_names_only_practices_that_exist_as_files():
    on_disk = practice_ids_on_disk()
    named = {pid for term in load_glossary() for pid in term.practices}
    missing = sorted(named - on_disk)
    assert not missing, f"the glossary names practices with no file in knowledge/practices/: {missing}"


def test_shipped_glossary_covers_the_core_vocabulary():
    terms = load_glossary()
    for name in (
        "KMS key", "CMK", "customer managed key", "AWS managed key", "AWS owned key", "DEK", "KEK",
        "envelope encryption", "key rotation", "MRK", "key policy", "grant", "IRSA", "EKS Pod Identity",
        "ServiceAccount", "RBAC", "RoleBinding", "node authorizer", "kubelet", "etcd", "tmpfs", "base64",
        "CSI driver", "StorageClass", "PV", "PVC", "access point", "SecretProviderClass", "ASCP", "ESO",
        "SealedSecret", "kubeseal", "audit log", "Logs Insights", "metric filter", "TLS",
        "encryption in transit", "Fargate",
    ):
        assert lookup(terms, name) is not None, f"no glossary entry for {name!r}"


def test_shipped_definitions_are_short_and_state_current_facts():
    terms = load_glossary()
    for term in terms:
        assert 8 <= len(term.definition.split()) <= 90, term.term
    by = {t.term: t.definition for t in terms}
    # Facts the old guide got wrong, stated the current way.
    assert "90 to 2560" in by["key rotation"]
    assert "not encryption" in by["base64"]
    assert "1.28" in by["envelope encryption"]
    assert '"secrets"' in by["metric filter"]
    assert "by default" in by["TLS"]
    assert "external-secrets.io/v1" in by["External Secrets Operator"]


def test_every_planned_practice_is_reachable_from_some_term():
    named = {pid for term in load_glossary() for pid in term.practices}
    assert PLANNED_PRACTICES <= named


# --------------------------------------------------------------------------- lookup


def test_lookup_ignores_case_punctuation_and_plurals():
    terms = load_glossary()
    assert lookup(terms, "cmk").term == "KMS key"
    assert lookup(terms, "  Multi region KEY ").term == "multi-Region key"
    assert lookup(terms, "storage classes").term == "StorageClass"
    assert lookup(terms, "Grants").term == "grant"
    assert lookup(terms, "irsa").term == "IAM roles for service accounts"
    assert lookup(terms, "Role-Based Access Control").term == "RBAC"


def test_lookup_returns_none_for_unknown_or_empty_text():
    terms = load_glossary()
    assert lookup(terms, "kubernetes dashboard") is None
    assert lookup(terms, "") is None
    assert lookup(terms, "?!") is None


def test_lookup_on_a_small_list():
    terms = (
        Term("data encryption key", ("DEK",), "A key.", ("kms-envelope-encryption",)),
        Term("kubelet", (), "An agent.", ("node-authorizer-secrets",)),
    )
    assert lookup(terms, "dek") is terms[0]
    assert lookup(terms, "Kubelets") is terms[1]
    assert lookup(terms, "kube") is None


def test_normalize():
    assert normalize("  Multi-Region   KEY ") == "multi region key"
    assert normalize("alias/aws/ebs") == "alias aws ebs"


# --------------------------------------------------------------------------- broken files


def test_valid_minimal_file(tmp_path):
    path = write(tmp_path, """
        - term: tmpfs
          definition: A file system in memory.
          practices: [volume-mounts-over-env]
    """)
    (term,) = load_glossary(path)
    assert term == Term("tmpfs", (), "A file system in memory.", ("volume-mounts-over-env",))
    assert term.to_dict()["aliases"] == []


def test_missing_keys_unknown_keys_and_empty_text_are_reported_by_line(tmp_path):
    path = write(tmp_path, """
        - term: tmpfs
          definition: A file system in memory.
          practices: [volume-mounts-over-env]
        - term: kubelet
          practices: [node-authorizer-secrets]
          colour: blue
        - term: etcd
          definition: "  "
          practices: [kubernetes-secrets-basics]
    """)
    found = problems_of(path)
    assert_problem(found, 4, "missing the required key 'definition'")
    assert_problem(found, 6, "unknown key 'colour'")
    assert_problem(found, 8, "'definition' must be non-empty text")
    assert len(found) == 3


def test_duplicate_terms_and_aliases_across_terms(tmp_path):
    path = write(tmp_path, """
        - term: data encryption key
          aliases: [DEK]
          definition: A key.
          practices: [kms-envelope-encryption]
        - term: Data-Encryption Key
          definition: Again.
          practices: [kms-envelope-encryption]
        - term: other key
          aliases:
            - KEK
            - dek
          definition: Clash.
          practices: [kms-envelope-encryption]
    """)
    found = problems_of(path)
    assert_problem(found, 5, "already used by the term 'data encryption key' (line 1)")
    assert_problem(found, 11, "'dek' is already used by the term 'data encryption key' (line 2)")
    assert len(found) == 2


def test_alias_repeating_its_own_term(tmp_path):
    path = write(tmp_path, """
        - term: kubelet
          aliases: [Kubelet]
          definition: An agent.
          practices: [node-authorizer-secrets]
    """)
    assert_problem(problems_of(path), 2, "repeats the term or another alias")


def test_practice_ids_must_look_like_ids_and_exist_when_known(tmp_path):
    path = write(tmp_path, """
        - term: tmpfs
          definition: A file system in memory.
          practices:
            - volume-mounts-over-env
            - Not An Id
            - no-such-practice
        - term: etcd
          definition: A store.
          practices: []
    """)
    found = problems_of(path, known_practices={"volume-mounts-over-env"})
    assert_problem(found, 5, "'Not An Id' is not a practice id")
    assert_problem(found, 6, "unknown practice 'no-such-practice'")
    assert_problem(found, 9, "at least one practice")
    assert len(found) == 3
    # Without the known set, only the shape is checked.
    found = problems_of(path)
    assert [line for line, _ in found] == [5, 9]


def test_wrong_types(tmp_path):
    path = write(tmp_path, """
        - term: [a, b]
          aliases: just-text
          definition: A thing without a full stop
          practices: volume-mounts-over-env
        - just a string
    """)
    found = problems_of(path)
    assert_problem(found, 1, "'term' must be non-empty text")
    assert_problem(found, 2, "'aliases' must be a list")
    assert_problem(found, 3, "ending with a full stop")
    assert_problem(found, 4, "'practices' must be a list")
    assert_problem(found, 5, "entry 2 must be a mapping")


def test_invalid_yaml_is_located(tmp_path):
    path = write(tmp_path, """
        - term: tmpfs
          definition: A file system in memory.
          practices: [volume-mounts-over-env
        - term: etcd
    """)
    (problem,) = problems_of(path)
    assert problem[1].startswith("invalid YAML")
    assert problem[0] in (3, 4)


def test_duplicate_key_in_one_entry(tmp_path):
    path = write(tmp_path, """
        - term: tmpfs
          definition: A file system in memory.
          definition: Twice.
          practices: [volume-mounts-over-env]
    """)
    assert_problem(problems_of(path), 3, "appears twice")


def test_top_level_must_be_a_non_empty_list(tmp_path):
    path = write(tmp_path, "terms:\n  - tmpfs\n")
    assert_problem(problems_of(path), 1, "must be a YAML list")
    path = write(tmp_path, "[]\n")
    assert_problem(problems_of(path), 1, "is empty")


def test_missing_file_is_a_problem_not_a_traceback(tmp_path):
    found = problems_of(tmp_path / "nope.yaml")
    assert found[0][1].startswith("cannot read the file")


def test_overlong_definition(tmp_path):
    words = " ".join(["word"] * 120) + "."
    path = write(tmp_path, f"""
        - term: tmpfs
          definition: {words}
          practices: [volume-mounts-over-env]
    """)
    assert_problem(problems_of(path), 2, "has 120 words")


def test_default_path_is_the_shipped_file():
    assert GLOSSARY_PATH.name == "glossary.yaml" and GLOSSARY_PATH.is_file()
