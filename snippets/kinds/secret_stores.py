"""The secret-store kinds, gathered under their old module name so imports written before the split
keep working. Each kind lives in its own module (secret_provider_class, external_secret,
sealed_secret), with what they share in store_parts; the registry imports those modules directly."""
# ruff: noqa: F401,F403
from .store_parts import *
from .spc_objects import *
from .secret_provider_class import *
from .external_secret import *
from .sealed_secret import *

SPECS = (SECRET_PROVIDER_CLASS, EXTERNAL_SECRET, SEALED_SECRET)
