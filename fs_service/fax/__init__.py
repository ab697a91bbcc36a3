"""The fax feature's core (FAX-1..7): rules and state, no Flask request, no socket, no XML.

- :mod:`.rights` — fax numbers, who may fax, per-number email settings (FAX-1, 6, 7)
- :mod:`.sending` — check, cover, render, queue one fax (FAX-2..5)
- :mod:`.destinations` — where a fax may go: 911/N11 refused, the sender's toll classes
- :mod:`.queue` — the job queue, safe claiming by any number of workers, cancelling
- :mod:`.ladder` — the retry ladder and failure classes (pure)
- :mod:`.jobs` — the state machine: how each try's outcome moves a job
- :mod:`.events` — mod_spandsp events as plain changes (pure); :mod:`.apply` writes them
- :mod:`.watchdog` — jobs stuck in "sending" reconciled with FreeSWITCH
- :mod:`.outcomes` — the switch's call records (mod_xml_cdr): outcomes that survive our absence
- :mod:`.outbox` — what each user sees, live progress, resend, cancel
- :mod:`.retention` — files of old faxes deleted (``PBX_FAX_RETENTION_DAYS``), rows kept
- :mod:`.inbound` — received faxes: row, PDF, inbox (FAX-7)
- :mod:`.emails`, :mod:`.mailer` — confirmation, alert and received-fax emails (FAX-6, 7)
The worker process that drives the queue is esl_handlers/fax_worker.py; files live in fax/storage.py.
"""
from fax.storage import FaxStorage

from ..settings import current as current_settings


def current_storage() -> FaxStorage:
    """The fax folder the current settings name."""
    return FaxStorage.from_settings(current_settings())

