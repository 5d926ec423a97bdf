"""fsx-storageclass: deployment types, KMS key, throughput, HDD and Lustre version rules."""
from __future__ import annotations

import pytest

from snippets.kinds import storage
from tests.helpers import validate_manifests
from tests.kinds_storage_helpers import (
    KEY_ARN, SUBNET, SG1, SG2, render, params, errors, assert_empty_means_default_or_error,
    assert_field_error,
)


# ---------------------------------------------------------------------------------------------
# fsx-storageclass


def test_fsx_defaults_are_valid_persistent2():
    snippet = render("fsx-storageclass")
    (doc,) = validate_manifests(snippet.text)
    assert doc["provisioner"] == "fsx.csi.aws.com"
    p = doc["parameters"]
    assert p["deploymentType"] == "PERSISTENT_2"
    assert p["perUnitStorageThroughput"] in ("125", "250", "500", "1000")
    assert p["storageType"] == "SSD" and p["fileSystemTypeVersion"] == "2.15"
    assert p["subnetId"] == SUBNET and p["securityGroupIds"] == SG1
    assert "kmsKeyId" not in p and "driveCacheType" not in p
    assert snippet.warnings == ()
    assert "Fargate" in snippet.text and "988" in snippet.text


def test_fsx_security_groups_joined_with_commas():
    assert params("fsx-storageclass", security_group_ids=[SG1, SG2])["securityGroupIds"] == f"{SG1},{SG2}"
    assert params("fsx-storageclass", security_group_ids=f"{SG1}, {SG2}")["securityGroupIds"] == f"{SG1},{SG2}"
    assert_field_error("fsx-storageclass", "security-group-ids", "twice", security_group_ids=[SG1, SG1])
    assert_field_error("fsx-storageclass", "security-group-ids", "sg-0123456789abcdef0",
                       security_group_ids=[SG1, "sg-nothex"])
    assert "security-group-ids" in errors("fsx-storageclass", security_group_ids=[])


def test_fsx_subnet_required_and_checked():
    assert "subnet-id" in errors("fsx-storageclass", subnet_id="")
    assert_field_error("fsx-storageclass", "subnet-id", "subnet-0123456789abcdef0", subnet_id="subnet-12")


@pytest.mark.parametrize("deployment", ["SCRATCH_1", "SCRATCH_2"])
def test_fsx_kms_key_on_scratch_is_an_error_that_says_why(deployment):
    message = assert_field_error("fsx-storageclass", "kms-key-id", deployment, "FSx manages", "PERSISTENT",
                                 deployment_type=deployment, kms_key_id=KEY_ARN)
    assert "scratch" in message.lower()


@pytest.mark.parametrize("deployment", ["PERSISTENT_1", "PERSISTENT_2"])
def test_fsx_kms_key_on_persistent(deployment):
    throughput = "200" if deployment == "PERSISTENT_1" else "250"
    p = params("fsx-storageclass", deployment_type=deployment, kms_key_id=KEY_ARN,
               per_unit_storage_throughput=throughput)
    assert p["kmsKeyId"] == KEY_ARN
    assert_field_error("fsx-storageclass", "kms-key-id", deployment_type=deployment, kms_key_id="alias/aws/fsx",
                       per_unit_storage_throughput=throughput)


@pytest.mark.parametrize("deployment,storage_type,value,ok", [
    (d, s, v, v in storage.FSX_THROUGHPUT.get((d, s), ()))
    for d in ("PERSISTENT_1", "PERSISTENT_2") for s in ("SSD", "HDD")
    for v in (12, 40, 50, 100, 125, 200, 250, 500, 1000)
    if (d, s) in storage.FSX_THROUGHPUT
])
def test_fsx_throughput_table(deployment, storage_type, value, ok):
    raw = {"deployment-type": deployment, "storage-type": storage_type, "per-unit-storage-throughput": str(value)}
    if storage_type == "HDD":
        raw["drive-cache-type"] = "NONE"
    if ok:
        assert params("fsx-storageclass", **raw)["perUnitStorageThroughput"] == str(value)
    else:
        listed = ", ".join(str(v) for v in storage.FSX_THROUGHPUT[(deployment, storage_type)])
        assert_field_error("fsx-storageclass", "per-unit-storage-throughput", listed, deployment, **raw)


def test_fsx_throughput_only_for_persistent():
    p = params("fsx-storageclass", deployment_type="SCRATCH_2", per_unit_storage_throughput="200")
    assert "perUnitStorageThroughput" not in p
    assert_empty_means_default_or_error("fsx-storageclass", "deployment-type")
    assert "per-unit-storage-throughput" in errors("fsx-storageclass", per_unit_storage_throughput="300")


def test_fsx_hdd_rules():
    assert_field_error("fsx-storageclass", "storage-type", "PERSISTENT_1", storage_type="HDD", drive_cache_type="READ")
    assert_field_error("fsx-storageclass", "storage-type", "PERSISTENT_1", storage_type="HDD",
                       deployment_type="SCRATCH_2", drive_cache_type="READ")
    found = errors("fsx-storageclass", deployment_type="PERSISTENT_1", storage_type="HDD",
                   per_unit_storage_throughput="12")
    assert "--drive-cache-type READ" in " ".join(found["drive-cache-type"])
    p = params("fsx-storageclass", deployment_type="PERSISTENT_1", storage_type="HDD",
               per_unit_storage_throughput="12", drive_cache_type="NONE")
    assert (p["storageType"], p["driveCacheType"], p["perUnitStorageThroughput"]) == ("HDD", "NONE", "12")
    # the cache setting applies to HDD only
    assert "driveCacheType" not in params("fsx-storageclass", drive_cache_type="READ")


def test_fsx_lustre_version_rules():
    assert_field_error("fsx-storageclass", "file-system-type-version", "2.15", file_system_type_version="2.10")
    for version in ("2.12", "2.15"):
        assert params("fsx-storageclass", file_system_type_version=version)["fileSystemTypeVersion"] == version
    p = params("fsx-storageclass", deployment_type="PERSISTENT_1", per_unit_storage_throughput="50",
               file_system_type_version="2.10")
    assert p["fileSystemTypeVersion"] == "2.10"
    assert "file-system-type-version" in errors("fsx-storageclass", file_system_type_version="2.11")


def test_fsx_backups_persistent_only_and_ranged():
    assert params("fsx-storageclass", automatic_backup_retention_days="0")["automaticBackupRetentionDays"] == "0"
    assert params("fsx-storageclass", automatic_backup_retention_days="90")["automaticBackupRetentionDays"] == "90"
    assert "automatic-backup-retention-days" in errors("fsx-storageclass", automatic_backup_retention_days="91")
    assert "automatic-backup-retention-days" in errors("fsx-storageclass", automatic_backup_retention_days="-1")
    p = params("fsx-storageclass", deployment_type="SCRATCH_2", automatic_backup_retention_days="7")
    assert "automaticBackupRetentionDays" not in p


def test_fsx_compression():
    assert params("fsx-storageclass", data_compression_type="lz4")["dataCompressionType"] == "LZ4"
    assert "dataCompressionType" not in params("fsx-storageclass")
    assert "data-compression-type" in errors("fsx-storageclass", data_compression_type="GZIP")


def test_fsx_scratch1_warns_about_transit():
    snippet = render("fsx-storageclass", deployment_type="SCRATCH_1")
    (warning,) = snippet.warnings
    assert "no encryption in transit" in warning
    assert "SCRATCH_1 does not encrypt data in transit" in snippet.text
    assert render("fsx-storageclass", deployment_type="SCRATCH_2").warnings == ()


# Point 9: 250 MB/s/TiB is a PERSISTENT_2 value; an empty throughput picks one each type accepts.
@pytest.mark.parametrize("raw,expected", [
    ({}, "250"),
    ({"deployment-type": "PERSISTENT_1"}, "200"),
    ({"deployment-type": "PERSISTENT_1", "storage-type": "HDD", "drive-cache-type": "READ"}, "40"),
])
def test_fsx_empty_throughput_is_valid_for_the_type(raw, expected):
    p = params("fsx-storageclass", **{k.replace("-", "_"): v for k, v in raw.items()})
    assert p["perUnitStorageThroughput"] == expected
    assert "perUnitStorageThroughput" not in params("fsx-storageclass", deployment_type="SCRATCH_2")


# Point 7: Lustre needs TCP 988 and 1018-1023.
def test_fsx_names_every_lustre_port():
    assert "988 and ports 1018-1023" in render("fsx-storageclass").text
