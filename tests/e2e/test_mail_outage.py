"""The mail server is down while a voicemail email is due (issue 16.3, real switch).

101 leaves 102 a message while the SMTP sink is stopped: the message is in the box at once, its
email waits -- queued, with the connection error, on the account's Emails API -- and arrives,
with the recording, once the sink is back; the API then says "sent". Nothing is sent twice.
"""
from __future__ import annotations

import time

from .rig import wait_for
from .test_voicemail import _leave_a_message
from .test_voicemail_restart import short_ring  # noqa: F401


def _email(rig, world, after_id: int) -> dict | None:
    """The account's newest voicemail email to Chloé queued after ``after_id``, as the API shows it."""
    items = rig.operator.get(f"/accounts/{world.acme.id}/emails?kind=voicemail&limit=200")["items"]
    return next((i for i in items if i["recipient"] == "chloe@acme.test" and i["id"] > after_id), None)


def _arrived(rig, recorded: bytes) -> list:
    return [m for m in rig.smtp.messages if m["To"] == "chloe@acme.test"
            and any(a.get_payload(decode=True) == recorded for a in m.iter_attachments())]


def test_a_voicemail_email_waits_for_the_mail_server_and_arrives_when_it_is_back(rig, world, short_ring):  # noqa: F811
    before = max([i["id"] for i in rig.operator.get(f"/accounts/{world.acme.id}/emails")["items"]], default=0)
    rig.smtp.stop()
    try:
        left = _leave_a_message(rig, world)
        waiting = wait_for(lambda: (e := _email(rig, world, before)) and e["attempts"] >= 1 and e,
                           30, what="a failed first try on the Emails API")
        assert waiting["state"] == "queued" and waiting["next_try_at"], waiting
        assert "refused" in waiting["last_answer"].lower(), waiting
        assert not _arrived(rig, left.path.read_bytes())
        messages = f"/accounts/{world.acme.id}/mailboxes/{left.box['id']}/messages"
        assert left.message["id"] in [m["id"] for m in rig.operator.get(messages)]  # the box has it already
    finally:
        rig.smtp.start()
    try:
        recorded = left.path.read_bytes()
        wait_for(lambda: _arrived(rig, recorded), 150, interval=1,
                 what="the email once the mail server is back (next try: 1 minute after the first)")
        sent = wait_for(lambda: (e := _email(rig, world, before)) and e["state"] == "sent" and e, 10,
                        what="the email marked sent")
        assert sent["id"] == waiting["id"] and sent["sent_at"] and sent["last_answer"] is None
        time.sleep(3)  # a sender pass later: still one email
        assert len(_arrived(rig, recorded)) == 1
    finally:
        rig.operator.delete(f"{messages}/{left.message['id']}")
