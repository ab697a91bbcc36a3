"""A seeded instance for the API contract run: one of every object the API serves, so every
operation with ids in its path is reached with ids that exist (not only 404s).

Objects are made through the core where it has a function for them; rows that only the switch
produces (a received fax, a voicemail message, an ended conference, a mail delivery) are
inserted as the ESL handlers would leave them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from fs_service.accounts import login as auth
from fs_service.blacklist import rules as blacklist
from fs_service.conferences.rooms import add_participant, create_room
from fs_service.db import db, utcnow
from fs_service.extensions.rules import create_softphone
from fs_service.gateways import create_gateway
from fs_service.models import (AuditEvent, ConferenceAttendance, ConferenceSession, FaxJob, MailDelivery, ReceivedFax,
                               VoicemailMessage)
from fs_service.numbers import menus, rules as numbers, schedules, treatments
from fs_service.voicemail.mailboxes import create_mailbox
from tests.factories import make_account, make_extension, make_operator, make_user


@dataclass(frozen=True)
class World:
    """Ids of the seeded objects (the path parameters) and the bearer tokens of the callers."""
    ids: dict[str, int]
    admin_token: str
    operator_token: str


def seed() -> World:
    operator = make_operator()
    account, admin = make_account(name="Contract Co", sip_domain="contract.example.com")
    user = make_user(account)
    ext = make_extension(account, number="200", user=user)
    make_extension(account, number="201", user=admin)  # the admin's own phone: click-to-call starts there
    softphone = create_softphone(account, ext, label="laptop")
    mailbox = create_mailbox(account, number="500", name="Reception")
    number = numbers.create_number(account, "+15145550100", label="Main")
    fax_number = numbers.create_number(account, "+15145550199", label="Fax", is_fax=True)
    treatment = treatments.create_treatment(account, kind="extension", extension_id=ext.id)
    exception = schedules.create_exception(account, number, label="Holiday", start_date=utcnow().date())
    menu = menus.create_menu(account, name="Welcome")
    rule = blacklist.create_rule(account, digits="5149073400")
    gateway = create_gateway(name="carrier", proxy="sip.carrier.example.com")
    room = create_room(account, admin, {"kind": "permanent", "title": "Weekly"})
    participant = add_participant(room, {"name": "Guest", "email": "guest@example.com"})
    db.session.flush()
    now = utcnow()
    message = VoicemailMessage(mailbox_id=mailbox.id, caller_number="5145550123", caller_name="Caller",
                               duration_seconds=12)
    job = FaxJob(account_id=account.id, user_id=admin.id, sender_number_id=fax_number.id, destination="5145550111",
                 subject="Invoice", recipient_name="Bob", pages_total=2, state="sent")
    received = ReceivedFax(account_id=account.id, number_id=fax_number.id, caller_number="5145550122", pages=1)
    session = ConferenceSession(conference_id=room.id, started_at=now - timedelta(hours=1), ended_at=now)
    db.session.add_all([message, job, received, session])
    db.session.flush()
    db.session.add_all([
        ConferenceAttendance(conference_id=room.id, session_id=session.id, uuid="contract-leg", name="Guest",
                             caller_number="5145550133", joined_at=now - timedelta(minutes=50), left_at=now),
        MailDelivery(account_id=account.id, kind="voicemail", recipient=admin.email, subject="New message"),
        AuditEvent(account_id=account.id, actor_id=admin.id, actor_email=admin.email, source="api",
                   action="update", object_type="extension", object_id=str(ext.id), changes={}),
    ])
    ids = dict(account_id=account.id, user_id=user.id, extension_id=ext.id, softphone_id=softphone.id,
               mailbox_id=mailbox.id, message_id=message.id, number_id=number.id, treatment_id=treatment.id,
               exception_id=exception.id, rule_id=rule.id, menu_id=menu.id, job_id=job.id,
               received_id=received.id, gateway_id=gateway.id, room_id=room.id, participant_id=participant.id,
               session_id=session.id, member_id=1)
    tokens = auth.create_api_token(admin, "contract"), auth.create_api_token(operator, "contract")
    db.session.commit()
    return World(ids, *tokens)
