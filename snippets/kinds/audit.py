"""The audit kinds, gathered under their old module name so imports written before the split keep
working. Each kind lives in its own module (secret_reads_query, secret_readers_query,
secret_read_alarm), with what they share in audit_parts; the registry imports those modules
directly."""
# ruff: noqa: F401,F403
from .audit_parts import *
from .secret_reads_query import *
from .secret_readers_query import *
from .secret_read_alarm import *

SPECS = (SECRET_READS_QUERY, SECRET_READERS_QUERY, SECRET_READ_ALARM)
