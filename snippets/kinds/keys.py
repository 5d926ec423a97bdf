"""The KMS key kinds, gathered under their old module name so imports written before the split keep
working. Each kind lives in its own module (envelope_encryption, kms_key_rotation), with what they
share in keys_parts; the registry imports those modules directly."""
# ruff: noqa: F401,F403
from .keys_parts import *
from .envelope_encryption import *
from .kms_key_rotation import *

SPECS = (ENVELOPE_ENCRYPTION, KMS_KEY_ROTATION)
