"""The storage kinds, gathered under their old module name so imports written before the split keep
working. Each kind lives in its own module (ebs_storageclass, efs_storageclass, efs_pv,
fsx_storageclass), with what they share in storage_parts; the registry imports those modules
directly."""
# ruff: noqa: F401,F403
from .storage_parts import *
from .ebs_storageclass import *
from .efs_storageclass import *
from .efs_pv import *
from .fsx_storageclass import *

SPECS = (EBS_SPEC, EFS_SC_SPEC, EFS_PV_SPEC, FSX_SPEC)
