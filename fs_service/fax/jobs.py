"""The fax job state machine (FAX-5): how each try's outcome moves a job.

    queued ──claim──▶ sending ──ok──▶ sent
                        │  └──failure──▶ retrying ──(next_attempt_at)──claim──▶ sending …
                        └──failure, ladder exhausted / document / number──▶ failed

Outcomes come from three places that may all report the same try: the ``spandsp::txfaxresult``
event, the CHANNEL_HANGUP_COMPLETE fallback (both through the ESL lane) and the worker's
originate reply (``-ERR USER_BUSY``…). Every transition is therefore a conditional UPDATE on
the state *and* the attempt it was read at, so the first report wins and the others are
no-ops: replaying a stream twice changes nothing and owes no second email. A success is
accepted from any unfinished state (a try the watchdog gave up on may still have gone through).
The email (FAX-6 confirmation, or the alert for a refused document) is owed by setting
``email_due_at`` in the same UPDATE; :mod:`.mailer` sends it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, has_app_context

from ..db import db, utcnow
from ..models import FaxJob, PhoneNumber
from . import ladder
from .events import TxPage, TxResult

log = logging.getLogger("pbx.fax.jobs")
LOST_TEXT = "the outcome of the try was lost (restart of the worker or of FreeSWITCH)"


@dataclass(frozen=True)
class Outcome:
    """How one try ended; ``failure`` is a ladder class or ``ladder.OK``."""
    attempt: int | None
    failure: str
    code: int | None = None
    text: str = ""
    pages_sent: int = 0
    remote_station_id: str = ""
    duration_seconds: int | None = None


def outcome_of(change: TxResult) -> Outcome:
    """Classify a result event, or a hang-up that carried no fax result (busy / no answer when
    never answered, a premature drop once the fax had started)."""
    if change.code is not None:
        failure, text = ladder.classify_code(change.code), change.text
    elif change.answered:
        failure, text = ladder.NEGOTIATION, f"call ended before the fax completed ({change.hangup_cause})"
    else:
        failure, text = ladder.classify_cause(change.hangup_cause), change.hangup_cause
    return Outcome(change.attempt, failure, change.code, text, change.pages_sent, change.remote_station_id,
                   change.duration_seconds)


def originate_failure(attempt: int, reply: str) -> Outcome:
    """``-ERR NO_ANSWER`` and the like: the call never reached the fax stage."""
    cause = reply.removeprefix("-ERR").strip().split()[0] if reply.strip() else "UNKNOWN"
    return Outcome(attempt, ladder.classify_cause(cause), None, cause[:255])


def lost(attempt: int) -> Outcome:
    return Outcome(attempt, ladder.LINE, None, LOST_TEXT)


def _current(job_id: int):
    return db.session.execute(
        sa.select(FaxJob.state, FaxJob.attempts, FaxJob.ladder_rung, FaxJob.line_retries,
                  sa.func.coalesce(PhoneNumber.fax_confirmation_email, False).label("confirm"))
        .outerjoin(PhoneNumber, PhoneNumber.id == FaxJob.sender_number_id).where(FaxJob.id == job_id)).first()


def _update(job_id: int, *conditions, **values) -> bool:
    statement = sa.update(FaxJob).where(FaxJob.id == job_id, *conditions).values(**values, updated_at=utcnow())
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount == 1


def line_retry_delays() -> tuple[timedelta, ...]:
    """The waits before each line retry, as configured (``PBX_FAX_LINE_RETRY_SECONDS``): the
    worker and the ESL lane both decide outcomes, so both read them here, in their app context."""
    if has_app_context():
        return current_app.config["PBX"].fax_line_retry_delays
    return ladder.LINE_DELAYS


def apply_outcome(job_id: int, outcome: Outcome, now: datetime | None = None) -> str | None:
    """Move the job for this outcome; the new state, or None when it was already decided."""
    now = now or utcnow()
    row = _current(job_id)
    if row is None:
        return None
    facts = dict(result_code=outcome.code, result_text=outcome.text[:255] or None,
                 remote_station_id=outcome.remote_station_id or None, duration_seconds=outcome.duration_seconds)
    if outcome.failure == ladder.OK:
        done = _update(job_id, FaxJob.state != "sent", state="sent", pages_sent=outcome.pages_sent,
                       failure_class=None, next_attempt_at=None, email_due_at=now if row.confirm else None,
                       **facts)
        return "sent" if done else None
    if row.state != "sending" or (outcome.attempt is not None and row.attempts != outcome.attempt):
        return None
    decision = ladder.decide(ladder.Counters(row.ladder_rung, row.line_retries), outcome.failure, now,
                             line_retry_delays())
    owed = decision.state == "failed" and (row.confirm or decision.alert)
    done = _update(job_id, FaxJob.state == "sending", FaxJob.attempts == row.attempts, state=decision.state,
                   ladder_rung=decision.rung, line_retries=decision.line_retries, failure_class=outcome.failure,
                   next_attempt_at=decision.next_attempt_at, pages_sent=outcome.pages_sent,
                   email_due_at=now if owed else None, **facts)
    if done and decision.alert:
        log.error("fax document refused by spandsp job=%s code=%s text=%r: failed at once, sender alerted",
                  job_id, outcome.code, outcome.text)
    elif done:
        log.info("fax try failed job=%s attempt=%s class=%s code=%s text=%r -> %s rung=%s", job_id, row.attempts,
                 outcome.failure, outcome.code, outcome.text, decision.state, decision.rung)
    return decision.state if done else None


def record_page(change: TxPage) -> bool:
    """Progress "page x / y" while a try runs; never backwards, never on another try."""
    conditions = [FaxJob.state == "sending", FaxJob.pages_sent < change.pages_sent]
    if change.attempt is not None:
        conditions.append(FaxJob.attempts == change.attempt)
    return _update(change.job_id, *conditions, pages_sent=change.pages_sent)


def record_result(change: TxResult) -> str | None:
    return apply_outcome(change.job_id, outcome_of(change))
