"""What the KMS key kinds share: cluster, key and file-name validators and the shell pieces of their
scripts. Every user value reaches the shell as one quoted word (emit.shell_command) or inside YAML
built as data and written through a quoted heredoc.
"""
from __future__ import annotations

import re


from .. import emit, validators


# EKS ClusterName (botocore eks model): 1-100 characters, alphanumeric first, then alphanumerics, '-' and '_'.
CLUSTER_NAME_RE = re.compile(r"[0-9A-Za-z][A-Za-z0-9_-]{0,99}")
# A relative file name for the eksctl config: plain characters, ending in .yaml or .yml.
CONFIG_FILE_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,200}\.ya?ml")
ARN_REGION_RE = re.compile(r"^arn:[^:]+:kms:(?P<region>[^:]+):")
EXAMPLE_KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"


def eks_cluster_name(value: str) -> str | None:
    if not CLUSTER_NAME_RE.fullmatch(value):
        return (
            f"{value!r} is not an EKS cluster name; use up to 100 letters, digits, '-' and '_', "
            "starting with a letter or digit, such as prod-eu"
        )
    return None


def config_file(value: str) -> str | None:
    if ".." in value or not CONFIG_FILE_RE.fullmatch(value):
        return (
            f"{value!r} is not a plain file name; use letters, digits, '.', '_' and '-' ending in .yaml, "
            "such as prod-eu-secrets-encryption.yaml"
        )
    return None


def eks_key_arn(value: str) -> str | None:
    """EKS takes a key ARN or an alias; this guide insists on the key ARN (see the field help)."""
    form = validators.kms_key_form(value)
    if form == "key-arn":
        return None
    if form in ("alias", "alias-arn"):
        return (
            f"{value!r} is an alias; an alias can later point at another key, but this association is permanent. "
            "Give the key ARN it points to (aws kms describe-key --key-id ALIAS --query KeyMetadata.Arn), "
            f"such as {validators.EXAMPLE_KEY_ARN}"
        )
    if form in ("key-id", "mrk-id"):
        return (
            f"{value!r} is a bare key ID; EKS needs the full key ARN, such as {validators.EXAMPLE_KEY_ARN}"
        )
    return validators.kms_key_arn(value)


def rotatable_key(value: str) -> str | None:
    """EnableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand and ListKeyRotations take a key ID
    or key ARN only (botocore kms model): no aliases."""
    form = validators.kms_key_form(value)
    if form in ("key-arn", "key-id", "mrk-id"):
        return None
    if form in ("alias", "alias-arn"):
        return (
            f"{value!r} is an alias, and the key rotation commands accept only a key ID or key ARN; look it up "
            "with aws kms describe-key --key-id ALIAS --query KeyMetadata.Arn and give the result, "
            f"such as {validators.EXAMPLE_KEY_ARN}"
        )
    return (
        f"{value!r} is not a KMS key ID or key ARN; use one such as {validators.EXAMPLE_KEY_ARN} "
        f"or {EXAMPLE_KEY_ID}"
    )


def key_region(value: str | None) -> str | None:
    """The Region named in a KMS ARN, or None for an ID or alias."""
    if not value:
        return None
    match = ARN_REGION_RE.match(value)
    return match.group("region") if match else None


# --- shared shell pieces -----------------------------------------------------------------------


class Raw(str):
    """A word written to the script as is: only for fixed text of this module, never user values."""


UPDATE_ID = Raw('"$update_id"')


def _command(*words: str) -> str:
    """Like emit.shell_command, but Raw words are kept unquoted (for "$variable" references)."""
    return " ".join(word if isinstance(word, Raw) else emit.shell_command(word) for word in words)


def _heredoc(path: str, body: str) -> str:
    """`cat > path <<'TAG' ... TAG` with a quoted tag, so the shell expands nothing in the body,
    and a tag that no line of the body can equal."""
    tag = "EKSGUIDE_EOF"
    lines = body.splitlines()
    while tag in lines:
        tag += "_"
    return f"cat > {emit.shell_command(path)} <<'{tag}'\n{body}{'' if body.endswith(chr(10)) else chr(10)}{tag}"


def _guard(describe: str, expected: tuple[str, ...], message: str) -> str:
    """Run a describe command whose text output is tab-separated words, and stop the script
    unless it prints exactly `expected`. `describe` and `expected` are built by this module."""
    printf = "printf '" + "\\t".join(expected) + "'"
    return (
        f"key_info=$({describe})\n"
        f'if [ "$key_info" != "$({printf})" ]; then\n'
        f'  echo "{message}; describe-key says: $key_info" >&2\n'
        "  exit 1\n"
        "fi"
    )


def _key_check(region: str, key: str) -> str:
    """Stop the script unless the key is an enabled symmetric encryption key."""
    describe = emit.shell_command(
        "aws", "kms", "describe-key", "--region", region, "--key-id", key,
        "--query", "KeyMetadata.[KeySpec,KeyUsage,KeyState]", "--output", "text",
    )
    return _guard(
        describe, ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "Enabled"),
        "The key must be an enabled symmetric encryption key",
    )
