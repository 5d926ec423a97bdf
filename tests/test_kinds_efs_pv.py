"""efs-pv: volume handle forms, TLS, the optional claim."""
from __future__ import annotations

import pytest

from tests.helpers import validate_manifests
from tests.kinds_storage_helpers import (
    FS, AP, spec, render, docs_of, errors, assert_empty_means_default_or_error, assert_field_error,
)


# ---------------------------------------------------------------------------------------------
# efs-pv


@pytest.mark.parametrize("sub_path,ap,handle", [
    (None, None, FS),
    ("/data", None, f"{FS}:/data"),
    (None, AP, f"{FS}::{AP}"),
    ("/data/x", AP, f"{FS}:/data/x:{AP}"),
])
def test_efs_pv_volume_handle_forms(sub_path, ap, handle):
    raw = {"sub-path": sub_path, "access-point-id": ap}
    (pv,) = docs_of(render("efs-pv", **raw))
    assert pv["spec"]["csi"]["volumeHandle"] == handle
    assert handle.count(":") <= 2  # the driver rejects more than three fields


def test_efs_pv_tls_is_explicit_and_no_tls_mount_option():
    snippet = render("efs-pv", access_point_id=AP)
    (pv,) = docs_of(snippet)
    assert pv["kind"] == "PersistentVolume"
    csi = pv["spec"]["csi"]
    assert csi["driver"] == "efs.csi.aws.com"
    assert csi["volumeAttributes"] == {"encryptInTransit": "true"}
    assert "mountOptions" not in pv["spec"]
    assert "deprecated" in snippet.text and "tls" in snippet.text
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    assert pv["spec"]["accessModes"] == ["ReadWriteMany"]
    assert pv["spec"]["capacity"] == {"storage": "5Gi"}
    assert pv["spec"]["storageClassName"] == ""
    assert snippet.filename == "efs-pv.yaml"


def test_efs_pv_with_claim_binds_both_ways():
    snippet = render("efs-pv", name="reports", with_claim="yes", claim_name="reports-claim", namespace="analytics",
                     capacity="20Gi", access_mode="ReadWriteOnce", storage_class_name="static-efs")
    pv, pvc = validate_manifests(snippet.text)
    assert pvc["kind"] == "PersistentVolumeClaim"
    assert pvc["metadata"] == {"name": "reports-claim", "namespace": "analytics"}
    assert pvc["spec"]["volumeName"] == "reports"
    assert pvc["spec"]["storageClassName"] == pv["spec"]["storageClassName"] == "static-efs"
    assert pvc["spec"]["accessModes"] == pv["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert pvc["spec"]["resources"]["requests"]["storage"] == pv["spec"]["capacity"]["storage"] == "20Gi"
    assert pv["spec"]["claimRef"] == {"namespace": "analytics", "name": "reports-claim"}


def test_efs_pv_claim_fields_apply_only_with_claim():
    (pv,) = docs_of(render("efs-pv", claim_name="x", namespace="y"))
    assert "claimRef" not in pv["spec"]
    assert_empty_means_default_or_error("efs-pv", "claim-name", with_claim=True)
    assert_empty_means_default_or_error("efs-pv", "namespace", with_claim=True)
    assert_field_error("efs-pv", "namespace", "my-app", with_claim=True, namespace="Bad.Namespace")
    assert_field_error("efs-pv", "claim-name", with_claim=True, claim_name="Bad_Name")


def test_efs_pv_empty_storage_class_is_explicit_empty_string():
    for raw in ({}, {"storage-class-name": ""}, {"storage-class-name": "  "}):
        snippet = render("efs-pv", with_claim=True, **raw)
        pv, pvc = validate_manifests(snippet.text)
        assert pv["spec"]["storageClassName"] == "" and pvc["spec"]["storageClassName"] == ""
        assert 'storageClassName ""' in snippet.text
    pv, pvc = docs_of(render("efs-pv", with_claim=True, storage_class_name="efs-sc"))
    assert pv["spec"]["storageClassName"] == pvc["spec"]["storageClassName"] == "efs-sc"
    assert_field_error("efs-pv", "storage-class-name", storage_class_name="EFS SC")


@pytest.mark.parametrize("bad,fragment", [
    ("data", "absolute"), ("/a:b", "':'"), ("/a/../b", "'..'"), ("/a//b", "empty"), ("/a b", "characters"),
    ("/a\tb", "characters"), ("/a#b", "characters"),
])
def test_efs_pv_bad_sub_path(bad, fragment):
    assert_field_error("efs-pv", "sub-path", fragment, sub_path=bad)


@pytest.mark.parametrize("field,bad", [
    ("access-point-id", "fsap-XYZ"), ("access-point-id", FS), ("file-system-id", AP), ("capacity", "5 GB"),
    ("capacity", "-5Gi"), ("name", "EFS_PV"),
])
def test_efs_pv_bad_ids(field, bad):
    assert_field_error("efs-pv", field, **{field: bad})


def test_efs_pv_access_modes():
    assert spec("efs-pv").field("access-mode").choices == ("ReadWriteMany", "ReadWriteOnce")
    assert "access-mode" in errors("efs-pv", access_mode="ReadOnlyMany")


# Point 2: external-provisioner finalizes static CSI volumes, and the driver's DeleteVolume deletes
# the access point in the handle, so Delete with an access point would delete the user's access point.
def test_efs_pv_delete_with_access_point_is_refused():
    message = assert_field_error("efs-pv", "reclaim-policy", "delete that access point", "Retain",
                                 access_point_id=AP, reclaim_policy="Delete")
    assert "--delete-access-point-root-dir" in message


def test_efs_pv_delete_without_access_point_deletes_nothing_on_efs():
    text = render("efs-pv", reclaim_policy="Delete").text
    assert "deletes nothing on EFS" in text
    assert "deletes nothing on EFS" not in render("efs-pv").text
    assert "Delete is refused" in spec("efs-pv").field("reclaim-policy").help
    assert "removes the PersistentVolume object." not in spec("efs-pv").field("reclaim-policy").help
