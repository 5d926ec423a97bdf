"""efs-storageclass: access point parameters, GID range, base path and sub-path pattern."""
from __future__ import annotations

import pytest

from tests.kinds_storage_helpers import FS, render, docs_of, params, errors, assert_field_error


# ---------------------------------------------------------------------------------------------
# efs-storageclass


def test_efs_sc_defaults():
    snippet = render("efs-storageclass")
    (doc,) = docs_of(snippet)
    assert doc["provisioner"] == "efs.csi.aws.com"
    assert doc["parameters"] == {"provisioningMode": "efs-ap", "fileSystemId": FS, "directoryPerms": "700"}
    assert doc["metadata"]["name"] == "efs-sc" and doc["reclaimPolicy"] == "Delete"
    assert snippet.filename == "efs-sc-storageclass.yaml"
    # The notes carry the at-rest and TLS facts and correct the old guide.
    text = snippet.text
    assert "cannot be changed" in text and "always use TLS" in text
    assert "10,000" in text and "120" in text and "1.2" in text


def test_efs_sc_file_system_id_required_and_checked():
    found = errors("efs-storageclass", file_system_id="")
    assert "fs-0123456789abcdef0" in " ".join(found["file-system-id"])
    assert_field_error("efs-storageclass", "file-system-id", file_system_id="fs-XYZ")
    assert_field_error("efs-storageclass", "file-system-id", file_system_id="fsap-0123456789abcdef0")


@pytest.mark.parametrize("perms,ok", [("700", True), ("0750", True), ("777", True), ("77", False),
                                      ("07777", False), ("800", False), ("rwx", False)])
def test_efs_sc_directory_perms(perms, ok):
    if ok:
        assert params("efs-storageclass", directory_perms=perms)["directoryPerms"] == perms
    else:
        assert_field_error("efs-storageclass", "directory-perms", "700", directory_perms=perms)


def test_efs_sc_gid_range_both_or_neither():
    assert_field_error("efs-storageclass", "gid-range-end", "both", gid_range_start="50000")
    assert_field_error("efs-storageclass", "gid-range-start", "both", gid_range_end="60000")
    assert_field_error("efs-storageclass", "gid-range-end", "greater", gid_range_start="5000", gid_range_end="5000")
    assert_field_error("efs-storageclass", "gid-range-end", "greater", gid_range_start="5000", gid_range_end="10")
    p = params("efs-storageclass", gid_range_start="1000", gid_range_end="2000")
    assert (p["gidRangeStart"], p["gidRangeEnd"]) == ("1000", "2000")
    p = params("efs-storageclass")
    assert "gidRangeStart" not in p and "gidRangeEnd" not in p
    assert "gid-range-start" in errors("efs-storageclass", gid_range_start="0", gid_range_end="10")


def test_efs_sc_uid_gid():
    p = params("efs-storageclass", uid="0", gid="4294967295")
    assert (p["uid"], p["gid"]) == ("0", "4294967295")
    assert "uid" in errors("efs-storageclass", uid="-1")
    assert "gid" in errors("efs-storageclass", gid="4294967296")
    snippet = render("efs-storageclass", uid="1000", gid="1000", gid_range_start="1", gid_range_end="9")
    assert any("never draws" in w for w in snippet.warnings)


@pytest.mark.parametrize("base", ["/dynamic", "dynamic", "/a/b/c", "/team data", "/équipe"])
def test_efs_sc_good_base_paths(base):
    assert params("efs-storageclass", base_path=base)["basePath"] == base


@pytest.mark.parametrize("base,fragment", [
    ("/", "root"), ("/a//b", "empty"), ("/a/", "empty"), ("/.hidden", "'.'"), ("/a;b", "character"),
    ("/a/$x", "character"), ("/a\\b", "character"), ("/a/b/c/d", "4"),
])
def test_efs_sc_bad_base_paths(base, fragment):
    assert_field_error("efs-storageclass", "base-path", fragment, base_path=base)


@pytest.mark.parametrize("pattern", [
    "/${.PVC.namespace}/${.PVC.name}", "${.PV.name}", "/data/${.PVC.name}-x", "/fixed", "/${.PVC.namespace}-${.PVC.name}",
])
def test_efs_sc_good_patterns(pattern):
    p = params("efs-storageclass", subpath_pattern=pattern)
    assert p["subPathPattern"] == pattern and p["ensureUniqueDirectory"] == "true"


@pytest.mark.parametrize("pattern,fragment", [
    ("/${.PVC.uid}", "unknown variable"), ("/${PVC.name}", "unknown variable"), ("/$HOME", "unknown variable"),
    ("/{x}", "unknown variable"), ("/a//b", "empty"), ("/.cache/${.PVC.name}", "'.'"), ("/", "no directory"),
    ("/a|b", "character"),
])
def test_efs_sc_bad_patterns(pattern, fragment):
    assert_field_error("efs-storageclass", "subpath-pattern", fragment, subpath_pattern=pattern)


def test_efs_sc_path_depth_and_length_limits():
    # base path + pattern: at most four directories
    assert_field_error("efs-storageclass", "subpath-pattern", "levels", base_path="/a/b",
                       subpath_pattern="/${.PVC.namespace}/${.PVC.name}/x")
    p = params("efs-storageclass", base_path="/a/b", subpath_pattern="/${.PVC.namespace}/${.PVC.name}")
    assert p["basePath"] == "/a/b"
    # no pattern: the PV name (40 characters) is the last directory
    assert_field_error("efs-storageclass", "base-path", "101 characters", base_path="/" + "b" * 59)
    assert params("efs-storageclass", base_path="/" + "b" * 58)["basePath"] == "/" + "b" * 58  # exactly 100
    # a UUID suffix (37 characters) is added unless ensureUniqueDirectory is false
    long_pattern = "/" + "p" * 41 + "${.PVC.name}"  # 1 + 21 + 42 + 37 = 101 characters at least
    assert_field_error("efs-storageclass", "subpath-pattern", "characters", base_path="/" + "b" * 20,
                       subpath_pattern=long_pattern)
    p = params("efs-storageclass", base_path="/" + "b" * 20, subpath_pattern=long_pattern,
               ensure_unique_directory="false")
    assert p["ensureUniqueDirectory"] == "false"


def test_efs_sc_unique_directory_only_with_pattern():
    assert "ensureUniqueDirectory" not in params("efs-storageclass", ensure_unique_directory="false")
    snippet = render("efs-storageclass", subpath_pattern="/${.PVC.name}", ensure_unique_directory="no")
    assert docs_of(snippet)[0]["parameters"]["ensureUniqueDirectory"] == "false"
    assert any("share one directory" in w for w in snippet.warnings)


def test_efs_sc_reclaim_note():
    assert "--delete-access-point-root-dir" in render("efs-storageclass").text
    assert "--delete-access-point-root-dir" not in render("efs-storageclass", reclaim_policy="Retain").text


# Point 13: since driver 1.7.7 the default range is 50000-60000 and a wider one is cut to 10,000 IDs.
def test_efs_sc_names_the_default_gid_range():
    text = render("efs-storageclass").text
    assert "50000-60000 when none is set" in text


def test_efs_sc_warns_when_the_gid_range_is_wider_than_the_driver_uses():
    snippet = render("efs-storageclass", gid_range_start="100000", gid_range_end="200000")
    (warning,) = snippet.warnings
    assert "uses only 100000-110000" in warning and "--gid-range-end 110000" in warning
    assert render("efs-storageclass", gid_range_start="100000", gid_range_end="110000").warnings == ()
