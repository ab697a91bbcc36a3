"""TOTP two-factor authentication (RFC 6238, pyotp) with single-use recovery codes (issue 14).

Who must use it: operators always (they reach every tenant), an account's admins when the
account asks for it (``admins_require_two_factor``); anyone else may turn it on. A secret is
kept only once the person proved their app has it (:func:`confirm`). One code opens one login:
the 30-second step of the last accepted code is stored and a code of that step or an earlier
one is refused, so a code seen over a shoulder or in a proxy log cannot be replayed. Recovery
codes, like passwords, are stored only as SHA-256.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import sqlalchemy as sa

from ..access import is_admin_of, is_operator, require_admin
from ..db import db, utcnow
from ..errors import Conflict, Forbidden, ValidationFailed
from ..models import Account, RecoveryCode, User

ISSUER = "PBX"
RECOVERY_CODE_COUNT = 10
STEP_SECONDS = 30
DRIFT_STEPS = 1  # a phone clock 30 s off still works
_CODE_ERROR = "the code does not match (check that the phone's clock is right)"


def required_for(user: User) -> bool:
    if user.role == "operator":
        return True
    return user.role == "admin" and user.account is not None and bool(user.account.admins_require_two_factor)


def set_admins_rule(actor: User, account: Account, required: bool) -> None:
    """Whether ``account``'s admins must use two-factor: its admins' (or the operator's) choice."""
    require_admin(actor, account)
    account.admins_require_two_factor = required


def enabled(user: User) -> bool:
    return user.totp_enabled_at is not None and bool(user.totp_secret)


def must_enrol(user: User) -> bool:
    """Logged in with a password but obliged to set up a second factor before anything else."""
    return required_for(user) and not enabled(user)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str, issuer: str = ISSUER) -> str:
    """The otpauth:// link an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def _digits(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace())


def _matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step whose code is ``code`` (now, or one step either side), else None."""
    code = _digits(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    for drift in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        at = now + drift * STEP_SECONDS
        if hmac.compare_digest(totp.at(at), code):
            return int(at) // STEP_SECONDS
    return None


def _code_digest(code: str) -> str:
    return hashlib.sha256(_normalised_recovery(code).encode()).hexdigest()


def _normalised_recovery(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = secrets.token_hex(5)  # 10 hex characters, shown as xxxxx-xxxxx
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_code_digest(raw)))
    return codes


def confirm(user: User, secret: str, code: str, now: float | None = None) -> list[str]:
    """Turn two-factor on with ``secret`` once ``code`` proves the app holds it; returns the
    recovery codes, shown once. The caller commits."""
    if enabled(user):
        raise Conflict("two-factor authentication is already on", error_id="two_factor_enabled")
    step = _matching_step(secret, code, time.time() if now is None else now)
    if step is None:
        raise ValidationFailed.field("code", _CODE_ERROR, error_id="two_factor_code_invalid")
    user.totp_secret, user.totp_enabled_at, user.totp_last_step = secret, utcnow(), step
    return _new_recovery_codes(user)


def verify(user: User, code: str, now: float | None = None) -> bool:
    """True for a fresh code of the user's app or an unused recovery code (then burnt). The
    caller commits: the step or the used code must be saved for the refusal of a replay."""
    if not enabled(user):
        return False
    step = _matching_step(user.totp_secret or "", code, time.time() if now is None else now)
    if step is not None:
        if user.totp_last_step is not None and step <= user.totp_last_step:
            return False
        user.totp_last_step = step
        return True
    row = db.session.scalar(sa.select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _code_digest(code),
        RecoveryCode.used_at.is_(None)))
    if row is None:
        return False
    row.used_at = utcnow()
    return True


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def require_code(user: User, code: str | None, field: str = "code") -> None:
    """A sensitive step (new recovery codes, turning it off, an API token) needs a fresh code."""
    if not code or not verify(user, code):
        raise ValidationFailed.field(field, _CODE_ERROR, error_id="two_factor_code_invalid")


def regenerate_recovery_codes(user: User, code: str) -> list[str]:
    require_code(user, code)
    return _new_recovery_codes(user)


def clear(user: User) -> None:
    """Two-factor off and its recovery codes gone, with no check: for the checked paths below and
    for ``pbx reset-two-factor`` (someone on the host is past any check anyway)."""
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def disable(user: User, code: str) -> None:
    """The person turns it off (with a fresh code) — not allowed where it is required."""
    if required_for(user):
        raise Forbidden("two-factor authentication is required for this login", error_id="two_factor_required")
    require_code(user, code)
    clear(user)


def reset(actor: User, user: User) -> None:
    """Lost phone and codes: an operator resets anyone's, an account admin their users'. The
    person sets it up again at the next login (when required)."""
    if actor.id == user.id:
        raise Forbidden("ask another administrator or the operator to reset your own two-factor")
    if not is_operator(actor) and (user.account is None or not is_admin_of(actor, user.account)
                                   or user.role == "operator"):
        raise Forbidden("this action is reserved to the account administrators")
    clear(user)
