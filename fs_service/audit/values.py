"""How a column's value is written into the audit log: JSON-plain, short, secrets masked."""
from __future__ import annotations

import enum
from datetime import date, datetime, time
from decimal import Decimal

# Columns whose value never enters the log: only the fact that they changed ("set" / "").
SECRET_COLUMNS = frozenset({
    "password", "password_hash", "sip_password", "pin", "closure_password", "token", "token_hash",
    "code_hash", "totp_secret", "smtp_password",
    "secret",  # a phone's provisioning secret (fs_service.phones)
})
MASK = "(secret)"
MAX_TEXT = 300


def plain(column: str, value: object) -> object:
    """The value as the log shows it: a secret only as "(secret)" when set, long text cut."""
    if column in SECRET_COLUMNS:
        return MASK if value not in (None, "") else value
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + "…"
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return plain(column, value.value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"({len(value)} bytes)"
    if isinstance(value, (list, tuple, dict)):
        return plain(column, repr(value))
    return plain(column, str(value))
