"""Claims in the practices that the correctness sweep (issue 10) found wrong, checked against what
the drivers' code and the AWS APIs do. Each test reads the shipped Markdown, so a later edit that
brings a wrong claim back fails here."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

PRACTICES = Path(__file__).resolve().parent.parent / "knowledge" / "practices"


def text(practice_id: str) -> str:
    """The practice's Markdown with line breaks folded, so phrases can span lines."""
    return " ".join((PRACTICES / f"{practice_id}.md").read_text(encoding="utf-8").split())


# Point 11: a kmsKeyId (or account default encryption) encrypts whatever `encrypted` says, and an
# old volume is encrypted by restoring a snapshot of it, no copy needed.
@pytest.mark.parametrize("practice_id", ["ebs-encryption", "encrypt-data-at-rest"])
def test_wrong_encrypted_value_is_rescued_by_kms_key_or_default_encryption(practice_id):
    body = text(practice_id)
    assert "silently creates an unencrypted volume" not in body
    pitfall = next(line for line in body.split("- ") if '"True"' in line)
    assert "kmsKeyId" in pitfall and "encryption by default" in pitfall


def test_old_volumes_need_no_encrypted_snapshot_copy():
    body = text("encrypt-data-at-rest")
    assert "encrypted snapshot copy" not in body
    assert re.search(r"snapshot it and create a new volume from that snapshot", body)


# Point 13: the driver's GID range default is 50000-60000 (DefaultGidMax = min + 10,000 since 1.7.7).
def test_efs_gid_range_default_and_cap():
    body = text("efs-access-points")
    assert "7000000, given together" not in body and "50000 to 60000" in body
    assert "never uses more than 10,000 IDs" in body
    start, end = (int(n) for n in re.search(r'gidRangeStart: "(\d+)"\s+gidRangeEnd: "(\d+)"', body).groups())
    assert end - start <= 10000


# Point 2: a static PV with an access point and Delete deletes the access point.
def test_static_access_point_volume_keeps_retain():
    assert "must keep `persistentVolumeReclaimPolicy: Retain`" in text("efs-access-points")


# Point 12: SCRATCH_2 encrypts in transit too; only SCRATCH_1 fails "encrypt all traffic".
def test_scratch2_satisfies_encrypt_all_traffic():
    body = text("fsx-lustre-encryption")
    assert '"encrypt all traffic", only a persistent type' not in body
    assert "rules out only `SCRATCH_1`" in body
    assert "own KMS key or in-transit encryption" not in body


# Point 14: excluding every system: user hides ServiceAccounts; counts include 403 and 404.
def test_audit_practice_keeps_service_accounts_and_says_attempts():
    body = text("audit-secret-access")
    assert "Add `and user.username not like /^system:/`" not in body
    assert "/^system:node:/" in body and "/^system:kube-/" in body and "system:serviceaccount:" in body
    assert "(403)" in body and "(404)" in body and "responseStatus.code = 200" in body


# Point 15: rotation follows RequiresRepublish since 1.6.0; rotationPollInterval is a minimum.
@pytest.mark.parametrize("practice_id", ["secrets-store-csi-driver", "rotate-secrets", "external-secrets-provider"])
def test_csi_rotation_is_republish_driven(practice_id):
    body = text(practice_id)
    assert "rotation reconciler" not in body and "It polls every rotationPollInterval" not in body
    assert "republish" in body


# Point 16, one claim each.
def test_pod_identity_on_fargate_needs_irsa():
    assert "an ESO controller that runs on Fargate needs IRSA" in text("external-secrets-operator")
    assert "does not work for pods on Fargate" in text("secrets-store-csi-driver")


def test_eso_service_and_creation_policy_values_are_complete():
    body = text("external-secrets-operator")
    assert "`CreateOrMerge`" in body and "`CertificateManager`" in body


def test_secrets_manager_rotation_facts():
    body = text("rotate-secrets")
    assert "managed rotation, which needs no Lambda function" in body
    assert "--no-rotate-immediately" in body


def test_kms_v2_caches_so_cloudtrail_is_not_per_read():
    body = text("kms-envelope-encryption")
    assert "a CloudTrail record for every use" not in body and "not one per Secret read" in body


@pytest.mark.parametrize("practice_id", ["external-secrets-operator", "external-secrets-provider"])
def test_kes_deprecation_cites_its_readme(practice_id):
    body = text(practice_id)
    assert "archived" not in body
    assert "url: https://github.com/external-secrets/kubernetes-external-secrets " in body


def test_secrets_store_sync_link_has_html():
    assert "topics/sync-as-kubernetes-secret.html" in text("secrets-store-csi-driver")
