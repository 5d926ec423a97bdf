"""Every rule: a fixture that triggers it and one that does not, a practice that exists, and
fixes that are real `eksguide snippet` commands (and, built, no longer break the rule)."""
from __future__ import annotations

from pathlib import Path

import pytest

import snippets
from helpers import CRDS, validate_manifests
from knowledge import load_knowledge
from knowledge.checks import RULES, check, load_bytes
from knowledge.checks.model import LEVELS
from tui.cli import _kind_parser

FIXTURES = Path(__file__).parent / "fixtures" / "check"
BUILT_IN_GROUPS = ("v1", "apps/v1", "storage.k8s.io/v1", "rbac.authorization.k8s.io/v1")
RULE_IDS = [rule.id for rule in RULES]


def findings(path: Path):
    return check([load_bytes(path.read_bytes(), str(path))]).findings


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_the_bad_fixture_triggers_the_rule(rule_id):
    found = [f for f in findings(FIXTURES / rule_id / "bad.yaml") if f.rule.id == rule_id]
    assert found, f"{rule_id}/bad.yaml does not trigger {rule_id}"
    for finding in found:
        assert finding.line >= 1 and finding.message.endswith(".")


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_the_good_fixture_passes_every_rule_at_warning_or_above(rule_id):
    path = FIXTURES / rule_id / "good.yaml"
    assert [f.rule.id for f in findings(path) if f.level != "info"] == []
    assert rule_id not in {f.rule.id for f in findings(path)}


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_good_fixtures_are_valid_manifests(rule_id):
    text = (FIXTURES / rule_id / "good.yaml").read_text()
    docs = [d for d in __import__("yaml").safe_load_all(text) if d]
    if all(d["apiVersion"] in BUILT_IN_GROUPS or (d["apiVersion"], d["kind"]) in CRDS for d in docs):
        validate_manifests(text)


def test_every_rule_names_a_practice_that_exists_and_says_why():
    kb = load_knowledge()
    for rule in RULES:
        assert rule.practice in kb, rule.id
        assert rule.level in LEVELS
        assert rule.title and not rule.title.endswith(".")
        assert rule.help.endswith(".") and 40 < len(rule.help) < 400
        assert rule.kinds


def test_every_rule_has_fixtures_and_no_fixture_is_orphaned():
    dirs = {p.name for p in FIXTURES.iterdir() if (p / "bad.yaml").exists()}
    assert set(RULE_IDS) <= dirs
    assert dirs - set(RULE_IDS) == set()


def _fixes():
    for rule_id in RULE_IDS:
        for finding in findings(FIXTURES / rule_id / "bad.yaml"):
            if finding.fix is not None:
                yield pytest.param(finding, id=f"{rule_id}:{finding.rule.id}")


@pytest.mark.parametrize("finding", list(_fixes()))
def test_fix_commands_parse_against_the_snippet_specs_and_fix_the_finding(finding):
    argv = finding.fix.argv()
    spec = snippets.get(argv[0])
    args = _kind_parser(spec).parse_args(argv[1:])  # an unknown flag exits here
    assert finding.fix.command().startswith(f"eksguide snippet {spec.kind} ")
    if finding.fix.todo:
        assert all(spec.field(flag) for flag in finding.fix.todo)
        return
    raw = {f.id: getattr(args, "field_" + f.id.replace("-", "_")) for f in spec.fields}
    built = snippets.build(spec, {k: v for k, v in raw.items() if v is not None})
    again = check([load_bytes(built.text.encode(), "fixed.yaml")]).findings
    assert finding.rule.id not in {f.rule.id for f in again}, built.text


def rule_ids(text: str) -> list[str]:
    from knowledge.checks import check_text

    return sorted(f.rule.id for f in check_text(text).findings)


EFS_SC = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: efs}\nprovisioner: efs.csi.aws.com\n"
FSX_SC = ("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fsx}\nprovisioner: fsx.csi.aws.com\n"
          "parameters: {subnetId: subnet-0123456789abcdef0, deploymentType: PERSISTENT_2}\n")
SPC = ("apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata: {name: s, namespace: n}\n"
       "spec:\n  provider: aws\n  parameters:\n")
ROLE = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: n}\nrules:\n"


@pytest.mark.parametrize("text, expected", [
    (EFS_SC + "mountOptions: [tls]\nparameters: {provisioningMode: efs-ap}\n", ["efs-tls-mount-option"]),
    (EFS_SC + "mountOptions: [iam]\nparameters: {provisioningMode: efs-ap}\n", []),
    (FSX_SC, []),  # persistent: no deploymentType or scratch findings
    (SPC + "    objects: '[]'\n", ["spc-objects-invalid"]),  # valid YAML, but the AWS provider needs entries
    (SPC + "    objects:\n    - objectName: a\n", ["spc-objects-invalid"]),  # a structure, not a string
    (SPC.replace("aws", "vault") + "    objects: '[]'\n", []),  # other providers: only the YAML itself
    (ROLE + "- apiGroups: ['*']\n  resources: ['*']\n  verbs: ['*']\n", ["rbac-secrets-list-watch"]),
    (ROLE + "- apiGroups: [apps]\n  resources: ['*']\n  verbs: [list]\n", []),
    (ROLE + "- apiGroups: ['']\n  resources: [secrets]\n  verbs: [get]\n", []),
    ("apiVersion: external-secrets.io/v1alpha1\nkind: SecretStore\nmetadata: {name: s}\n", ["eso-v1beta1-unserved"]),
    ("apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: s, namespace: n}\nspec:\n  template:\n"
     "    metadata:\n      annotations: {sealedsecrets.bitnami.com/cluster-wide: 'true'}\n", ["sealed-secret-cluster-wide"]),
    ("apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: c, region: eu-west-1}\n"
     "secretsEncryption: {keyARN: alias/eks}\n", ["eksctl-key-alias"]),
    ("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: g}\nprovisioner: ebs.csi.aws.com\n"
     "parameters: {Type: gp3, KMSKEYID: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab}\n",
     []),  # keys are case-insensitive for the EBS driver, and kmsKeyId alone encrypts
    ("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c, namespace: n}\nspec:\n  jobTemplate:\n    spec:\n"
     "      template:\n        spec:\n          serviceAccountName: c\n          containers:\n          - name: c\n"
     "            image: x\n            envFrom: [{secretRef: {name: s}}]\n", ["secret-in-env"]),
])
def test_more_branches_of_the_rules(text, expected):
    assert rule_ids(text) == expected


def test_a_binding_to_a_built_in_reader_needs_no_role_in_the_files():
    text = ("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: n}\n"
            "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\n"
            "subjects: [{kind: Group, name: 'system:serviceaccounts:n', apiGroup: rbac.authorization.k8s.io}]\n")
    assert rule_ids(text) == ["rbac-secrets-broad-binding"]
    assert rule_ids(text.replace("name: edit", "name: view")) == []
