"""Mailbox inputs: every bad value is a 400 naming its field; defaults are the guide's."""
from __future__ import annotations

import pytest
from marshmallow import ValidationError

from schema.voicemail import EmptyMailboxSchema, MailboxCreateSchema, MailboxUpdateSchema, MessageSchema


def test_create_defaults_are_the_guides():
    data = MailboxCreateSchema().load({"number": "3000"})
    assert (data["max_message_seconds"], data["max_messages"], data["email_only"], data["pin"]) == (180, 100, False,
                                                                                                    None)


BAD = {
    "number letters": ({"number": "30a0"}, "number"),
    "number missing": ({}, "number"),
    "pin short": ({"number": "3000", "pin": "12"}, "pin"),
    "too many messages": ({"number": "3000", "max_messages": 500}, "max_messages"),
    "seconds too short": ({"number": "3000", "max_message_seconds": 5}, "max_message_seconds"),
    "email invalid": ({"number": "3000", "email": "not-an-email"}, "email"),
    "email only without email": ({"number": "3000", "email_only": True}, "email_only"),
    "unknown field": ({"number": "3000", "colour": "blue"}, "colour"),
    "name with control characters": ({"number": "3000", "name": "a\nb"}, "name"),
}


@pytest.mark.parametrize("payload,field", BAD.values(), ids=BAD.keys())
def test_bad_input_names_the_field(payload, field):
    with pytest.raises(ValidationError) as caught:
        MailboxCreateSchema().load(payload)
    assert field in caught.value.messages


def test_update_is_partial_and_cannot_change_the_number():
    assert MailboxUpdateSchema().load({"email": "a@b.example"}) == {"email": "a@b.example"}
    with pytest.raises(ValidationError) as caught:
        MailboxUpdateSchema().load({"number": "3001"})
    assert "number" in caught.value.messages
    with pytest.raises(ValidationError):
        MailboxUpdateSchema().load({"email_only": True, "email": None})


def test_empty_and_message_schemas():
    assert EmptyMailboxSchema().load({}) == {"delete_greetings": False}
    assert MessageSchema().load({"folder": "saved"}) == {"folder": "saved"}
    with pytest.raises(ValidationError):
        MessageSchema().load({"folder": "trash"})
