"""The --object items of secret-provider-class: parsing `name=...,type=...,alias=...,keys=...`
into the entries of the SecretProviderClass `objects` parameter."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..spec import Answers
from .store_parts import (
    EXAMPLE_SM_ARN, _JMES_BARE_RE, SM_ARN_RE, SSM_ARN_RE, _one_of, secret_key, sm_name_or_arn, ssm_name_or_arn,
)

OBJECT_EXAMPLE = "name=prod/db,type=secretsmanager,alias=db-creds,keys=username;password"
OBJECT_ITEM_KEYS = ("name", "type", "alias", "keys", "failover")
OBJECT_TYPES = ("secretsmanager", "ssmparameter")


@dataclass(frozen=True)
class CsiObject:
    """One entry of the SecretProviderClass `objects` parameter."""

    name: str
    type: str
    alias: str | None
    keys: tuple[tuple[str, str], ...]  # (JSON key, file name)
    failover: str | None

    @property
    def file_name(self) -> str:
        """The file ASCP writes: the alias, else the name with '/' turned into '_' (pathTranslation)."""
        return self.alias or self.name.replace("/", "_")

    def synced_files(self) -> tuple[str, ...]:
        """The files a synced Secret takes: each extracted key, or the whole object without keys."""
        return tuple(alias for _, alias in self.keys) or (self.file_name,)

    def all_files(self) -> tuple[str, ...]:
        return (self.file_name,) + tuple(alias for _, alias in self.keys)

    def as_parameter(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"objectName": self.name, "objectType": self.type}
        if self.alias:
            entry["objectAlias"] = self.alias
        if self.failover:
            entry["failoverObject"] = {"objectName": self.failover}
        if self.keys:
            entry["jmesPath"] = [{"path": jmes_path(key), "objectAlias": alias} for key, alias in self.keys]
        return entry


def jmes_path(key: str) -> str:
    """The JMESPath expression for a top-level JSON key: bare when it is an identifier, quoted
    otherwise (a hyphen or a dot would be read as an operator)."""
    return key if _JMES_BARE_RE.fullmatch(key) else '"' + key + '"'


def _object_name_problem(name: str, object_type: str) -> str | None:
    if object_type == "secretsmanager":
        return sm_name_or_arn(name)
    return ssm_name_or_arn(name)


def parse_object(text: str) -> CsiObject:
    """Parse one --object item; raises ValueError with a message that shows a good item."""
    hint = f"; for example {OBJECT_EXAMPLE}"
    if any(ch.isspace() for ch in text):
        raise ValueError(f"{text!r} has a space or line break; write one object as key=value pairs joined by ','{hint}")
    parts: dict[str, str] = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        if not sep or not value:
            raise ValueError(f"{part!r} in {text!r} is not key=value{hint}")
        if key not in OBJECT_ITEM_KEYS:
            raise ValueError(f"{key!r} in {text!r} is not one of {_one_of(OBJECT_ITEM_KEYS)}{hint}")
        if key in parts:
            raise ValueError(f"{key}= appears twice in {text!r}{hint}")
        parts[key] = value
    name = parts.get("name")
    if name is None:
        raise ValueError(f"{text!r} has no name= (the secret name or ARN){hint}")

    arn_service = None
    if name.startswith("arn:"):
        if SM_ARN_RE.fullmatch(name):
            arn_service = "secretsmanager"
        elif SSM_ARN_RE.fullmatch(name):
            arn_service = "ssmparameter"
        else:
            raise ValueError(
                f"{name!r} is not a Secrets Manager or SSM parameter ARN; use one such as {EXAMPLE_SM_ARN}"
            )
    object_type = parts.get("type", arn_service)
    if object_type is None:
        raise ValueError(f"{text!r} needs type=secretsmanager or type=ssmparameter (only an ARN implies its type){hint}")
    if object_type not in OBJECT_TYPES:
        raise ValueError(f"type={object_type} in {text!r} is not secretsmanager or ssmparameter{hint}")
    if arn_service and arn_service != object_type:
        raise ValueError(
            f"{name!r} is an ARN of a {arn_service} object but the item says type={object_type}; "
            f"use type={arn_service} or leave type= out"
        )
    problem = _object_name_problem(name, object_type)
    if problem:
        raise ValueError(problem)

    alias = parts.get("alias")
    if alias is not None and secret_key(alias):
        raise ValueError(
            f"alias={alias} is not a safe file name; use letters, digits, '-', '_' and '.' such as db-creds"
        )
    if alias is None and arn_service:
        raise ValueError(
            f"{text!r} names an ARN; add alias= with a file name for it, for example name={name},alias=db-creds"
        )
    if alias is None and name.replace("/", "_") in (".", ".."):
        raise ValueError(f"name={name} would be written as the file {name!r}; add alias= such as alias=db-creds")

    failover = parts.get("failover")
    if failover is not None:
        problem = _object_name_problem(failover, object_type)
        if problem:
            raise ValueError(f"failover={failover}: {problem}")
        if alias is None:
            raise ValueError(f"{text!r} has failover= and so needs alias= (the provider requires one), such as alias=db-creds")

    keys: list[tuple[str, str]] = []
    if "keys" in parts:
        for entry in parts["keys"].split(";"):
            key, sep, key_alias = entry.partition(":")
            if not key:
                raise ValueError(f"keys={parts['keys']} has an empty key; list JSON keys joined by ';', such as keys=username;password")
            if secret_key(key):
                raise ValueError(
                    f"key {key!r} in keys= is not a plain JSON key; use letters, digits, '-', '_' and '.', "
                    "such as keys=username;password"
                )
            if sep and not key_alias:
                raise ValueError(f"key {key!r} in keys= has ':' but no file name after it, such as password:db-password")
            file_name = key_alias if sep else key
            if secret_key(file_name):
                raise ValueError(
                    f"{file_name!r} in keys= is not a safe file name; use letters, digits, '-', '_' and '.', "
                    "such as password:db-password"
                )
            if any(key == seen for seen, _ in keys):
                raise ValueError(f"key {key!r} appears twice in keys={parts['keys']}")
            keys.append((key, file_name))
    return CsiObject(name=name, type=object_type, alias=alias, keys=tuple(keys), failover=failover)


def _object_item(value: str) -> str | None:
    try:
        parse_object(value)
    except ValueError as exc:
        return str(exc)
    return None


def _parsed_objects(answers: Answers) -> list[CsiObject]:
    """The objects that parse; the ones that do not already have a field error."""
    objects = []
    for item in answers.get("object") or ():
        try:
            objects.append(parse_object(item))
        except ValueError:
            continue
    return objects
