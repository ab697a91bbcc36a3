"""Fax outcomes from the switch's own record of each call (issue 16): they survive our absence.

The ESL events only reach a listener that is connected when the call ends. FreeSWITCH also
writes a record of every channel when it is destroyed (mod_xml_cdr, configured in
freeswitch-conf/autoload_configs/xml_cdr.conf.xml) and POSTs it to the control plane with its
own retries, keeping the ones it could not deliver in an error folder that the operator
replays (freeswitch-conf/replay-xml-cdr.sh). That record carries what the events carry —
``fax_success``, ``fax_result_code``/``_text``, ``fax_document_transferred_pages``,
``fax_remote_station_id``, the hang-up cause, the answer time — and our ``fax_job_id`` /
``pbx_fax_attempt`` (outbound) or ``pbx_fax_number_id`` (inbound) channel variables.

So a record is read exactly like a CHANNEL_HANGUP_COMPLETE (the same :func:`.events.hangup`,
the same classification) and written by the same lane writer (:func:`.apply.apply_changes`):
every transition is conditional on the state and the attempt, so a record posted twice, a
record after the event, or an event after the record change nothing twice and owe no second
email. The door (xml_curl/cdr.py) parses the XML; this module only sees plain values.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Mapping

from . import apply, events
from .events import RxResult, TxResult

log = logging.getLogger("pbx.fax.outcomes")
SOURCE = "cdr"


@dataclass(frozen=True)
class CallRecord:
    """One channel's record as mod_xml_cdr wrote it: its ``<variables>`` (URL-decoded) and the
    caller profile of its first call flow (numbers are not channel variables there)."""
    variables: Mapping[str, str]
    destination_number: str = ""
    caller_id_number: str = ""
    direction: str = ""


def is_fax(record_text: bytes) -> bool:
    """Cheap pre-check on the raw record: every fax channel carries a ``fax_*`` variable (the
    job id we set on a send, the result rxfax sets); nearly every other call does not."""
    return b"fax_" in record_text


def _headers(record: CallRecord) -> dict[str, str]:
    """The record as the hang-up event's headers, for :func:`.events.hangup`."""
    variables = record.variables
    headers = {"variable_" + name: value for name, value in variables.items()}
    headers.update({
        "Unique-ID": variables.get("uuid", ""),
        "Hangup-Cause": variables.get("hangup_cause", ""),
        # answer_uepoch is 0 for a call never answered; µs like the event's timestamps.
        "Caller-Channel-Answered-Time": variables.get("answer_uepoch", "0"),
        "Event-Date-Timestamp": variables.get("end_uepoch", ""),
        "Caller-Destination-Number": record.destination_number,
        "Caller-Caller-ID-Number": record.caller_id_number,
        "Call-Direction": record.direction or variables.get("direction", ""),
    })
    return headers


def change_of(record: CallRecord) -> TxResult | RxResult | None:
    """What the record means for a fax job or a received fax; None for any other call."""
    change = events.hangup(_headers(record))
    if isinstance(change, TxResult):
        return change._replace(source=SOURCE)
    return change


def record_call(node: str, record: CallRecord) -> str:
    """Apply one record (committed); ``fax-send``, ``fax-receive`` or ``not-fax`` for the log
    and the reply. Raises on a database error, so the switch keeps the record and retries."""
    change = change_of(record)
    if change is None:
        return "not-fax"
    apply.apply_changes(node, [change])
    if isinstance(change, TxResult):
        log.info("fax record read job=%s attempt=%s uuid=%s code=%s pages=%s cause=%s", change.job_id,
                 change.attempt, change.uuid, change.code, change.pages_sent, change.hangup_cause)
        return "fax-send"
    log.info("fax record read received uuid=%s pages=%s", change.uuid, change.pages)
    return "fax-receive"
