"""Messages of one mailbox (VM-1, VM-5): list by folder, read, listen / download the recording,
mark saved or new, delete. Every change updates the phone lamp after the commit.

Who may open the box is decided as for the box itself (web.voicemail_access): admins every box
of the account, users the boxes of their extensions, anything else 404.
"""
from __future__ import annotations

from flask import Response
from marshmallow import fields, validate

from fs_service import voicemail as core
from fs_service.models import VoicemailMessage
from fs_service.models.voicemail import FOLDERS
from schema.common import StrictSchema
from schema.voicemail import MessageSchema
from web.voicemail_access import audio_response, mailbox_for, message_for

from .base import PREFIX, ApiBlueprint, commit, scoped

bp = ApiBlueprint("api_voicemail_messages", __name__,
                  url_prefix=f"{PREFIX}/accounts/<int:account_id>/mailboxes/<int:mailbox_id>/messages",
                  description="Voicemail messages: list, listen, download, save, delete")
ONE = "/<int:message_id>"
FOLDER = validate.OneOf(FOLDERS, error="must be one of: " + ", ".join(FOLDERS))
AUDIO = {200: {"description": "The recording (WAV). Supports Range requests.",
               "content": {"audio/wav": {"schema": {"type": "string", "format": "binary"}}}}}


class MessageQuerySchema(StrictSchema):
    folder = fields.String(validate=FOLDER, metadata={"description": "new or saved; both when absent"})


class MessageMoveSchema(StrictSchema):
    folder = fields.String(required=True, validate=FOLDER)


class AudioQuerySchema(StrictSchema):
    download = fields.Boolean(load_default=False, metadata={"description": "as an attachment"})


def _box(account_id: int, mailbox_id: int):
    user, account = scoped(account_id)
    return account, mailbox_for(user, account, mailbox_id)


@bp.route("", methods=["GET"])
@bp.arguments(MessageQuerySchema, location="querystring")
@bp.response(200, MessageSchema(many=True))
def list_messages(query: dict, account_id: int, mailbox_id: int) -> list[VoicemailMessage]:
    """Oldest first, as the phone plays them."""
    _, box = _box(account_id, mailbox_id)
    return core.list_messages(box, query.get("folder"))


@bp.route(ONE, methods=["GET"])
@bp.response(200, MessageSchema)
def get_message(account_id: int, mailbox_id: int, message_id: int) -> VoicemailMessage:
    account, box = _box(account_id, mailbox_id)
    return message_for(account, box, message_id)


@bp.route(f"{ONE}/audio", methods=["GET"])
@bp.arguments(AudioQuerySchema, location="querystring")
@bp.doc(responses=AUDIO)
def message_audio(query: dict, account_id: int, mailbox_id: int, message_id: int) -> Response:
    """The recording as audio/wav, for a player (Range requests) or, with ``download``, as a file."""
    account, box = _box(account_id, mailbox_id)
    return audio_response(box, message_for(account, box, message_id), download=query["download"])


@bp.route(ONE, methods=["PATCH"])
@bp.arguments(MessageMoveSchema)
@bp.response(200, MessageSchema)
def move_message(data: dict, account_id: int, mailbox_id: int, message_id: int) -> VoicemailMessage:
    """``saved`` keeps it without lighting the lamp; ``new`` marks it unheard again."""
    account, box = _box(account_id, mailbox_id)
    message = message_for(account, box, message_id)
    core.move_message(box, message, data["folder"])
    commit()
    return message


@bp.route(ONE, methods=["DELETE"])
@bp.response(204)
def delete_message(account_id: int, mailbox_id: int, message_id: int) -> None:
    """The row now, the file once the deletion is committed."""
    account, box = _box(account_id, mailbox_id)
    core.delete_message(box, message_for(account, box, message_id))
    commit()
