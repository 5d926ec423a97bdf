"""The in-cluster Secret kinds, gathered under their old module name so imports written before the
split keep working. Each kind lives in its own module (pod_secret_volume, namespace_isolation), with
what they share in secrets_parts; the registry imports those modules directly."""
# ruff: noqa: F401,F403
from .secrets_parts import *
from .pod_secret_volume import *
from .namespace_isolation import *

SPECS = (POD_SECRET_VOLUME, NAMESPACE_ISOLATION)
