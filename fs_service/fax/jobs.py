"""The fax job state machine (FAX-5): how each try's outcome moves a job.

    queued ──claim──▶ sending ──ok──▶ sent
                        │  └──failure──▶ retrying ──(next_attempt_at)──claim──▶ sending …
                        ├──failure, ladder exhausted / document / number──▶ failed
                        └──ended unheard, no record within the wait──▶ unknown ──record──▶ …

Outcomes come from four places that may all report the same try: the ``spandsp::txfaxresult``
event, the CHANNEL_HANGUP_COMPLETE fallback (both through the ESL lane), the switch's own
record of the call (mod_xml_cdr, :mod:`.outcomes`: it reaches us even when nobody listened
while the call ended) and the worker's originate reply (``-ERR USER_BUSY``…). Every
transition is therefore a conditional UPDATE on the state *and* the attempt it was read at,
so the first report wins and the others are no-ops: replaying a stream or a record twice
changes nothing and owes no second email. A success is accepted from any unfinished state (a
try the watchdog gave up on may still have gone through).

A try that ended while nobody listened (the watchdog finds its channel gone) is never
retried blindly: the fax may have been delivered. It waits for its record until
``outcome_due_by`` (:func:`await_record`); without one it becomes ``unknown`` — shown as such
to the sender, who decides whether to send again — and a record arriving later still settles
it (sent, or the ladder's verdict for the failure the record proves).
The email (FAX-6 confirmation, or the alert for a refused document) is owed in the same
transaction as the transition that decided it, as a row of the mail queue; :mod:`.mailer` builds it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from .. import mail_queue, settings
from ..db import db, utcnow
from ..models import FaxJob, PhoneNumber, User
from ..models._columns import as_utc
from . import emails, ladder
from .events import TxPage, TxResult

log = logging.getLogger("pbx.fax.jobs")
UNKNOWN_TEXT = ("no record of how the try ended reached us (the control plane or FreeSWITCH was down "
                "meanwhile): pages may have been delivered, so it is not sent again automatically")
AWAITING = ("sending", "unknown")  # states in which a try's outcome is still expected


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
    source: str = "event"  # event | cdr | originate (FaxJob.outcome_source)


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
                   change.duration_seconds, change.source)


def originate_failure(attempt: int, reply: str) -> Outcome:
    """``-ERR NO_ANSWER`` and the like: the call never reached the fax stage."""
    cause = reply.removeprefix("-ERR").strip().split()[0] if reply.strip() else "UNKNOWN"
    return Outcome(attempt, ladder.classify_cause(cause), None, cause[:255], source="originate")


def _current(job_id: int):
    return db.session.execute(
        sa.select(FaxJob.state, FaxJob.attempts, FaxJob.ladder_rung, FaxJob.line_retries,
                  sa.func.coalesce(PhoneNumber.fax_confirmation_email, False).label("confirm"))
        .outerjoin(PhoneNumber, PhoneNumber.id == FaxJob.sender_number_id).where(FaxJob.id == job_id)).first()


def _update(job_id: int, *conditions, **values) -> bool:
    statement = sa.update(FaxJob).where(FaxJob.id == job_id, *conditions).values(**values, updated_at=utcnow())
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount == 1


def _owe_email(job_id: int) -> None:
    """Queue the job's email in the caller's transaction, if its sender has an address to tell."""
    account_id, address = db.session.execute(sa.select(FaxJob.account_id, User.email)
                                             .outerjoin(User, User.id == FaxJob.user_id).where(FaxJob.id == job_id)).one()
    if address:
        mail_queue.enqueue(emails.JOB_KIND, address, account_id=account_id, source_id=job_id)


def line_retry_delays() -> tuple[timedelta, ...]:
    """The waits before each line retry, as configured (``PBX_FAX_LINE_RETRY_SECONDS``): the
    worker and the ESL lane both decide outcomes, so both read them here."""
    return settings.current().fax_line_retry_delays


def apply_outcome(job_id: int, outcome: Outcome, now: datetime | None = None) -> str | None:
    """Move the job for this outcome; the new state, or None when it was already decided."""
    now = now or utcnow()
    row = _current(job_id)
    if row is None:
        return None
    facts = dict(result_code=outcome.code, result_text=outcome.text[:255] or None,
                 remote_station_id=outcome.remote_station_id or None, duration_seconds=outcome.duration_seconds,
                 outcome_source=outcome.source, outcome_due_by=None)
    if outcome.failure == ladder.OK:
        done = _update(job_id, FaxJob.state != "sent", state="sent", pages_sent=outcome.pages_sent,
                       failure_class=None, next_attempt_at=None, **facts)
        if done and row.confirm:
            _owe_email(job_id)
        return "sent" if done else None
    if row.state not in AWAITING or (outcome.attempt is not None and row.attempts != outcome.attempt):
        return None
    decision = ladder.decide(ladder.Counters(row.ladder_rung, row.line_retries), outcome.failure, now,
                             line_retry_delays())
    owed = decision.state == "failed" and (row.confirm or decision.alert)
    done = _update(job_id, FaxJob.state == row.state, FaxJob.attempts == row.attempts, state=decision.state,
                   ladder_rung=decision.rung, line_retries=decision.line_retries, failure_class=outcome.failure,
                   next_attempt_at=decision.next_attempt_at, pages_sent=outcome.pages_sent, **facts)
    if done and owed:
        _owe_email(job_id)
    if done and decision.alert:
        log.error("fax document refused by spandsp job=%s code=%s text=%r: failed at once, sender alerted",
                  job_id, outcome.code, outcome.text)
    elif done:
        log.info("fax try failed job=%s attempt=%s class=%s code=%s text=%r -> %s rung=%s", job_id, row.attempts,
                 outcome.failure, outcome.code, outcome.text, decision.state, decision.rung)
    return decision.state if done else None


def await_record(job_id: int, attempt: int, wait: timedelta, now: datetime | None = None) -> str | None:
    """The try ``attempt`` ended while nobody listened (its channel is gone, no report came).
    First call: wait for the switch's record until ``now + wait`` ("awaiting"); once that
    deadline passed with no record: ``unknown``, never a blind retry. None when nothing changed
    (already reported, a newer try, or still within the wait)."""
    now = now or utcnow()
    row = db.session.execute(sa.select(FaxJob.state, FaxJob.attempts, FaxJob.outcome_due_by)
                             .where(FaxJob.id == job_id)).first()
    if row is None or row.state != "sending" or row.attempts != attempt:
        return None
    mine = (FaxJob.state == "sending", FaxJob.attempts == attempt)
    if row.outcome_due_by is None:
        if not _update(job_id, *mine, FaxJob.outcome_due_by.is_(None), outcome_due_by=now + wait):
            return None
        log.warning("fax try ended unheard job=%s attempt=%s: awaiting the switch's record until %s",
                    job_id, attempt, (now + wait).isoformat(timespec="seconds"))
        return "awaiting"
    if now < as_utc(row.outcome_due_by):
        return None
    if not _update(job_id, *mine, state="unknown", result_text=UNKNOWN_TEXT, outcome_source="watchdog",
                   next_attempt_at=None):
        return None
    log.error("fax outcome unknown job=%s attempt=%s: no record arrived in time; not resent", job_id, attempt)
    return "unknown"


def record_page(change: TxPage) -> bool:
    """Progress "page x / y" while a try runs; never backwards, never on another try."""
    conditions = [FaxJob.state == "sending", FaxJob.pages_sent < change.pages_sent]
    if change.attempt is not None:
        conditions.append(FaxJob.attempts == change.attempt)
    return _update(change.job_id, *conditions, pages_sent=change.pages_sent)


def record_result(change: TxResult) -> str | None:
    return apply_outcome(change.job_id, outcome_of(change))
