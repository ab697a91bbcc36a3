"""The retry ladder (FAX-5): what the next try of a failed fax changes, and when it runs.

Pure decisions, no database: :func:`decide` takes the job's counters and how the try ended,
and says what the job becomes. Why a ladder: most fax failures on VoIP come from T.38
negotiation (a carrier that mangles the re-INVITE), from ECM on lossy audio paths, or from
V.17 (14.4 kbit/s) training on a noisy line; each retry gives up one of them, most fragile
first, instead of repeating the same failing call.

| rung | T.38 (`fax_enable_t38` / `_request`) | ECM (`fax_use_ecm`) | V.17 (`fax_disable_v17`) |
|------|------------------------------|-----|-----------------------------|
| 0    | on / on  (audio if refused)  | on  | on (up to 14.4 kbit/s)      |
| 1    | off / off (G.711 audio only) | on  | on                          |
| 2    | off / off                    | off | on                          |
| 3    | off / off                    | off | off (V.29, 9.6 kbit/s max)  |

``fax_enable_t38=false`` on rungs 1-3 also makes FreeSWITCH refuse the far end's T.38
re-INVITE (src/switch_core_media.c, NOTES §5): the call stays audio whoever asks.

Failure classes (spandsp T30_ERR codes, NOTES §5; originate causes from the BACKGROUND_JOB):
- ``line`` — busy, no answer, carrier or far end temporarily unreachable, or a try whose
  outcome was lost (worker or FreeSWITCH restart): the fax never started, so the **same rung**
  is retried later without burning it, once per wait of ``PBX_FAX_LINE_RETRY_SECONDS``
  (default :data:`LINE_DELAYS`: 2, 5, 10, 20, 30 min).
- ``negotiation`` — the fax started but training, T.38 or the line failed: T0/T1 timeouts
  (2, 3: e.g. a voice line answering), cannot train (6), phase B/D errors, premature hang-up
  (49) and every code not listed below: **next rung** after :data:`RUNG_DELAY`; failed after
  the last rung.
- ``document`` — our TIFF was refused (41-47) or the far end cannot take its resolution or
  size (11, 12): another try cannot help, so **failed at once** and an alert is sent.
- ``number`` — the number does not exist or is refused by the carrier: **failed at once**.
Retries resend the whole document (a receiver cannot stitch two partial faxes).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Sequence

OK = "ok"
LINE, NEGOTIATION, DOCUMENT, NUMBER = "line", "negotiation", "document", "number"


@dataclass(frozen=True)
class Mode:
    t38: bool
    ecm: bool
    v17: bool


RUNGS: tuple[Mode, ...] = (
    Mode(t38=True, ecm=True, v17=True),
    Mode(t38=False, ecm=True, v17=True),
    Mode(t38=False, ecm=False, v17=True),
    Mode(t38=False, ecm=False, v17=False),
)
LAST_RUNG = len(RUNGS) - 1
# The default waits before each line retry (PBX_FAX_LINE_RETRY_SECONDS may change them).
LINE_DELAYS = (timedelta(minutes=2), timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20),
               timedelta(minutes=30))
MAX_LINE_RETRIES = len(LINE_DELAYS)
RUNG_DELAY = timedelta(minutes=1)

DOCUMENT_CODES = frozenset({11, 12, 41, 42, 43, 44, 45, 46, 47})
LINE_CAUSES = frozenset({
    "USER_BUSY", "NO_ANSWER", "NO_USER_RESPONSE", "ORIGINATOR_CANCEL", "NORMAL_TEMPORARY_FAILURE",
    "NETWORK_OUT_OF_ORDER", "DESTINATION_OUT_OF_ORDER", "RECOVERY_ON_TIMER_EXPIRE", "GATEWAY_DOWN",
    "USER_NOT_REGISTERED", "SUBSCRIBER_ABSENT", "SWITCH_CONGESTION", "NORMAL_CIRCUIT_CONGESTION",
    "MEDIA_TIMEOUT", "ALLOTTED_TIMEOUT", "PROGRESS_TIMEOUT", "CALL_AWARDED_DELIVERED", "LOST",
    "SYSTEM_SHUTDOWN", "MANAGER_REQUEST", "CRASH",
})
NUMBER_CAUSES = frozenset({
    "UNALLOCATED_NUMBER", "NO_ROUTE_DESTINATION", "NO_ROUTE_TRANSIT_NET", "INVALID_NUMBER_FORMAT",
    "NUMBER_CHANGED", "CALL_REJECTED", "OUTGOING_CALL_BARRED", "INCOMPATIBLE_DESTINATION",
    "BEARERCAPABILITY_NOTAUTH", "FACILITY_REJECTED", "INVALID_GATEWAY",
})


def mode(rung: int) -> Mode:
    return RUNGS[min(max(rung, 0), LAST_RUNG)]


def classify_code(code: int) -> str:
    """The class of a spandsp result code (``fax_result_code``)."""
    if code == 0:
        return OK
    return DOCUMENT if code in DOCUMENT_CODES else NEGOTIATION


def classify_cause(cause: str) -> str:
    """The class of a call that never reached the fax stage (originate ``-ERR <CAUSE>``, or a
    hang-up without any fax result). Unknown causes count as a line problem: retried later,
    never burning a rung, bounded by the configured line retries (PBX_FAX_LINE_RETRY_SECONDS)."""
    cause = (cause or "").strip().upper()
    return NUMBER if cause in NUMBER_CAUSES else LINE


@dataclass(frozen=True)
class Counters:
    """The job's retry state before the outcome."""
    rung: int
    line_retries: int


@dataclass(frozen=True)
class Decision:
    state: str  # "retrying" | "failed"
    rung: int
    line_retries: int
    next_attempt_at: datetime | None
    alert: bool = False  # tell the sender at once, whatever the number's confirmation setting


def decide(counters: Counters, failure: str, now: datetime,
           line_delays: Sequence[timedelta] = LINE_DELAYS) -> Decision:
    """What a failed try of class ``failure`` makes of the job. ``line_delays`` are the waits
    before each line retry (``PBX_FAX_LINE_RETRY_SECONDS``); their count bounds those retries."""
    rung, line = counters.rung, counters.line_retries
    if failure == DOCUMENT:
        return Decision("failed", rung, line, None, alert=True)
    if failure == NUMBER:
        return Decision("failed", rung, line, None)
    if failure == LINE:
        if line >= len(line_delays):
            return Decision("failed", rung, line, None)
        return Decision("retrying", rung, line + 1, now + line_delays[line])
    if rung >= LAST_RUNG:
        return Decision("failed", rung, line, None)
    return Decision("retrying", rung + 1, line, now + RUNG_DELAY)
