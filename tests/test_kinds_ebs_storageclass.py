"""ebs-storageclass: encryption, KMS key forms, IOPS and throughput, tags."""
from __future__ import annotations

import pytest

from snippets.kinds import storage
from tests.helpers import validate_manifests
from tests.kinds_storage_helpers import (
    KEY_ARN, MRK_ARN, ALIAS_ARN, KEY_ID, MRK_ID, spec, render, docs_of, params, errors, assert_field_error,
)


# ---------------------------------------------------------------------------------------------
# ebs-storageclass


def test_ebs_defaults():
    snippet = render("ebs-storageclass")
    (doc,) = docs_of(snippet)
    assert doc["provisioner"] == "ebs.csi.aws.com"
    assert doc["parameters"] == {"type": "gp3", "csi.storage.k8s.io/fstype": "ext4", "encrypted": "true"}
    assert doc["metadata"] == {"name": "encrypted-gp3"}
    assert doc["volumeBindingMode"] == "WaitForFirstConsumer"
    assert doc["reclaimPolicy"] == "Delete" and doc["allowVolumeExpansion"] is True
    assert snippet.filename == "encrypted-gp3-storageclass.yaml"
    assert snippet.warnings == ()
    assert "'true'" in snippet.text or '"true"' in snippet.text  # a quoted string, never a YAML boolean


@pytest.mark.parametrize("volume_type", storage.EBS_TYPES)
def test_ebs_every_type_is_encrypted_with_exact_lowercase_true(volume_type):
    raw = {"type": volume_type}
    if volume_type in ("io1", "io2"):
        raw["iops"] = "1000"
    doc = docs_of(render("ebs-storageclass", **raw))[0]
    assert doc["parameters"]["encrypted"] == "true"
    assert doc["parameters"]["type"] == volume_type
    assert doc["metadata"]["name"] == f"encrypted-{volume_type}"
    validate_manifests(render("ebs-storageclass", **raw).text)


@pytest.mark.parametrize("fs_type", ["ext4", "xfs", "ext3"])
def test_ebs_fs_type_uses_case_sensitive_csi_key(fs_type):
    p = params("ebs-storageclass", fs_type=fs_type)
    assert p["csi.storage.k8s.io/fstype"] == fs_type
    assert "fstype" not in p and "fsType" not in p


def test_ebs_parameter_keys_are_known_to_the_driver():
    # The driver rejects unknown keys at provisioning time; keep to its list.
    known = {"type", "csi.storage.k8s.io/fstype", "encrypted", "kmskeyid", "iops", "throughput"}
    p = params("ebs-storageclass", kms_key_id=KEY_ARN, iops="4000", throughput="300", tags=["a=b", "c=d"])
    for key in p:
        assert key.lower() in known or key.startswith("tagSpecification_"), key
    assert p["tagSpecification_1"] == "a=b" and p["tagSpecification_2"] == "c=d"


@pytest.mark.parametrize("kms", [KEY_ARN, MRK_ARN])
def test_ebs_full_key_arn_has_no_warning(kms):
    snippet = render("ebs-storageclass", kms_key_id=kms)
    assert docs_of(snippet)[0]["parameters"]["kmsKeyId"] == kms
    assert snippet.warnings == ()
    assert "kms:CreateGrant" in snippet.text


@pytest.mark.parametrize("kms,word", [
    ("alias/eks-volumes", "key alias"), (ALIAS_ARN, "alias ARN"), (KEY_ID, "bare key ID"),
    (MRK_ID, "multi-Region key ID"),
])
def test_ebs_non_arn_key_is_accepted_with_clone_warning(kms, word):
    snippet = render("ebs-storageclass", kms_key_id=kms)
    assert docs_of(snippet)[0]["parameters"]["kmsKeyId"] == kms
    (warning,) = snippet.warnings
    assert word in warning
    assert "clone" in warning.lower() and "asynchronous" not in warning  # plain words
    assert "after CreateVolume returns" in warning
    assert KEY_ARN in warning


@pytest.mark.parametrize("bad", ["not-a-key", "alias/aws/ebs", "arn:aws:kms:us-east-1:1111:key/x", "key/" + KEY_ID])
def test_ebs_bad_kms_key(bad):
    assert_field_error("ebs-storageclass", "kms-key-id", kms_key_id=bad)


def test_ebs_without_key_notes_default_key():
    snippet = render("ebs-storageclass")
    assert "alias/aws/ebs" in snippet.text and "kmsKeyId" not in docs_of(snippet)[0]["parameters"]


@pytest.mark.parametrize("volume_type,low,high", [("gp3", 3000, 80000), ("io1", 100, 64000), ("io2", 100, 256000)])
def test_ebs_iops_ranges(volume_type, low, high):
    for good in (low, high):
        assert params("ebs-storageclass", type=volume_type, iops=str(good))["iops"] == str(good)
    for bad in (low - 1, high + 1):
        if 100 <= bad <= 256000:
            assert_field_error("ebs-storageclass", "iops", f"{low} to {high}", type=volume_type, iops=str(bad))
        else:
            assert "iops" in errors("ebs-storageclass", type=volume_type, iops=str(bad))


@pytest.mark.parametrize("volume_type", ["io1", "io2"])
def test_ebs_provisioned_iops_types_need_iops(volume_type):
    assert_field_error("ebs-storageclass", "iops", "required", type=volume_type)


def test_ebs_gp3_iops_optional():
    assert "iops" not in params("ebs-storageclass")


@pytest.mark.parametrize("volume_type", ["gp2", "sc1", "st1", "standard"])
def test_ebs_iops_and_throughput_do_not_apply_to_other_types(volume_type):
    p = params("ebs-storageclass", type=volume_type, iops="3000", throughput="500")
    assert "iops" not in p and "throughput" not in p
    assert not spec("ebs-storageclass").field("iops").applies({"type": volume_type})


def test_ebs_throughput_is_gp3_only_and_ranged():
    assert params("ebs-storageclass", throughput="125")["throughput"] == "125"
    assert params("ebs-storageclass", iops="8000", throughput="2000")["throughput"] == "2000"
    assert "throughput" not in params("ebs-storageclass", type="io2", iops="1000", throughput="500")
    for bad in ("124", "2001", "fast"):
        assert "throughput" in errors("ebs-storageclass", throughput=bad)


def test_ebs_default_class_annotation():
    doc = docs_of(render("ebs-storageclass", default_class=True))[0]
    assert doc["metadata"]["annotations"] == {"storageclass.kubernetes.io/is-default-class": "true"}
    assert "annotations" not in docs_of(render("ebs-storageclass"))[0]["metadata"]


def test_ebs_immediate_binding_warns():
    snippet = render("ebs-storageclass", volume_binding_mode="Immediate")
    assert docs_of(snippet)[0]["volumeBindingMode"] == "Immediate"
    assert any("Availability Zone" in w for w in snippet.warnings)


def test_ebs_reclaim_and_expansion():
    doc = docs_of(render("ebs-storageclass", reclaim_policy="Retain", allow_volume_expansion="false"))[0]
    assert doc["reclaimPolicy"] == "Retain" and doc["allowVolumeExpansion"] is False
    assert "reclaim-policy" in errors("ebs-storageclass", reclaim_policy="Recycle")


@pytest.mark.parametrize("bad", ["Encrypted_GP3", "-gp3", "gp3-", "a" * 254, "my class"])
def test_ebs_bad_name(bad):
    assert_field_error("ebs-storageclass", "name", "encrypted-gp3", name=bad)


@pytest.mark.parametrize("tag", [
    "team=payments", "cost-center=", "k=v=w", "Name=my volume", "owner=a.b@example.com",
    "pvc={{ .PVCName }}", "ns={{.PVCNamespace}}-{{ .PVName }}", "région=Zürich",
])
def test_ebs_good_tags(tag):
    assert params("ebs-storageclass", tags=[tag])["tagSpecification_1"] == tag


@pytest.mark.parametrize("tag,fragment", [
    ("team", "key=value"),
    ("=value", "empty key"),
    (" team=x", None),  # stripped by the list coercion: becomes a good tag
    ("team =x", "spaces"),
    ("aws:createdBy=me", "aws:"),
    ("CSIVolumeName=x", "reserved"),
    ("kubernetes.io/created-for/pvc/name=x", "reserved"),
    ("ebs.csi.aws.com/cluster=true", "reserved"),
    ("team=a#b", "tag value"),
    ("team=\"quoted\"", "tag value"),
    ("team={{ .Secret }}", "tag value"),
    ("team={{ js .PVCName }}", "tag value"),
    ("te{am=x", "tag key"),
    ("k=" + "v" * 257, "tag value"),
    ("k" * 129 + "=v", "tag key"),
])
def test_ebs_bad_tags(tag, fragment):
    if fragment is None:
        assert params("ebs-storageclass", tags=[tag])["tagSpecification_1"] == tag.strip()
        return
    assert_field_error("ebs-storageclass", "tags", fragment, tags=[tag])


def test_ebs_duplicate_and_too_many_tags():
    assert_field_error("ebs-storageclass", "tags", "twice", tags=["team=a", "team=b"])
    assert_field_error("ebs-storageclass", "tags", "at most 50", tags=[f"k{i}=v" for i in range(51)])
    p = params("ebs-storageclass", tags="a=1,b=2,c=3")
    assert [p[f"tagSpecification_{i}"] for i in (1, 2, 3)] == ["a=1", "b=2", "c=3"]


def test_ebs_tag_placeholder_note():
    assert "--extra-create-metadata" in render("ebs-storageclass", tags=["pvc={{ .PVCName }}"]).text
    assert "--extra-create-metadata" not in render("ebs-storageclass", tags=["team=x"]).text


def test_ebs_notes_explain_old_guide_differences():
    text = render("ebs-storageclass").text
    assert "kubernetes.io/aws-ebs" in text and "1.27" in text
    assert '"True"' in text  # why the exact lower-case string matters
    # ... without claiming "True" always means unencrypted: a kmsKeyId or default encryption still encrypts.
    assert "as unencrypted" not in text
    note = next(line for line in text.splitlines() if '"True"' in line)
    assert "kmsKeyId" in note and "encryption by default" in note


# ---------------------------------------------------------------------------------------------
# EC2's throughput-to-IOPS ratio and the HDD minimum size (correctness sweep, points 1 and 9)


@pytest.mark.parametrize("raw,needed", [
    ({"throughput": "2000"}, "8000"),                      # no iops: the 3,000 baseline carries 750 MiB/s
    ({"iops": "3000", "throughput": "1000"}, "4000"),
    ({"iops": "7999", "throughput": "2000"}, "8000"),
])
def test_ebs_gp3_throughput_above_a_quarter_of_the_iops_is_refused(raw, needed):
    message = assert_field_error("ebs-storageclass", "throughput", f"at least {needed} IOPS", "0.25 MiB/s", **raw)
    assert f"--iops {needed}" in message


@pytest.mark.parametrize("raw", [{"throughput": "750"}, {"iops": "8000", "throughput": "2000"},
                                 {"iops": "4000", "throughput": "1000"}])
def test_ebs_gp3_throughput_the_iops_can_carry_is_accepted(raw):
    assert params("ebs-storageclass", **raw)["throughput"] == raw["throughput"]


def test_ebs_high_throughput_names_the_smallest_claim():
    text = render("ebs-storageclass", iops="8000", throughput="2000").text
    assert "claims under 16 GiB" in text and "never lowers throughput" in text
    assert "claims under" not in render("ebs-storageclass", throughput="750").text


@pytest.mark.parametrize("volume_type", ["st1", "sc1"])
def test_ebs_hdd_types_say_claims_need_125_gib(volume_type):
    text = render("ebs-storageclass", type=volume_type).text
    assert "125 GiB to 16 TiB" in text and "at least 125Gi" in text
    assert "125 GiB" not in render("ebs-storageclass", type="gp3").text
