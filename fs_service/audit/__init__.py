"""The audit log (issue 14): every change a person makes, and every command sent to FreeSWITCH.

- :mod:`.changes` — a door says who is acting on a session (:func:`act_as`); each flush of that
  session then writes one row per created, updated or deleted object, before → after, secrets
  masked. No view or core function has to remember to log: a new form is audited the day it
  exists.
- :mod:`.commands` — the ESL door reports the commands it sent and FreeSWITCH's answers.
- :mod:`.log` — reading it (an account's admins see their account, operators everything) and the
  retention sweep (``PBX_AUDIT_RETENTION_DAYS``, one year by default).
"""
from ..models.audit import AUDIT_ACTIONS as ACTIONS
from .changes import Actor, act_as, acting
from .commands import CommandRecord, record_commands
from .log import events, purge_expired, run_purge_loop

__all__ = ["ACTIONS", "Actor", "act_as", "acting", "CommandRecord", "record_commands", "events",
           "purge_expired", "run_purge_loop"]
