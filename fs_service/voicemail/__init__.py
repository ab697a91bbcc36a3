"""Voicemail core (VM-1..6): mailboxes, messages, greetings, MWI, email; dialogues for the phone.

The public API for the web door (admin pages and REST):

- mailboxes: list_mailboxes, get_mailbox, find_mailbox, mailbox_of_extension, create_mailbox,
  update_mailbox, empty_mailbox, delete_mailbox (MailboxUsage carries "N messages / max")
- messages: list_messages, get_message, move_message, delete_message, stored_count, is_full,
  message_file (the local file to stream or download)
- greetings: greeting_files, remove_greeting (recording is done by phone)
- lamps: mwi_counts, answer_query, message_waiting_headers
"""
from __future__ import annotations

from pathlib import Path

from ..audio_storage import current_storage
from ..models import VoicemailMessage
from .greetings import choose_greeting, greeting_files, remove_greeting
from .mailboxes import (DEFAULT_MAX_MESSAGES, DEFAULT_MAX_SECONDS, MAX_MESSAGES_LIMIT, MailboxUsage, create_mailbox,
                        delete_mailbox, empty_mailbox, find_mailbox, get_mailbox, list_mailboxes, mailbox_of_extension,
                        update_mailbox)
from .messages import delete_message, get_message, is_full, list_messages, move_message, stored_count
from .mwi import MwiCounts, answer_query, message_waiting_headers, mwi_counts


def message_file(message: VoicemailMessage) -> Path | None:
    """The recording as this process reaches it (None when outside the storage folder)."""
    return current_storage().local_path(message.audio_path)


__all__ = [
    "choose_greeting", "greeting_files", "remove_greeting", "DEFAULT_MAX_MESSAGES", "DEFAULT_MAX_SECONDS",
    "MAX_MESSAGES_LIMIT", "MailboxUsage", "create_mailbox", "delete_mailbox", "empty_mailbox",
    "find_mailbox", "get_mailbox", "list_mailboxes", "mailbox_of_extension", "update_mailbox",
    "delete_message", "get_message", "is_full", "list_messages", "move_message", "stored_count",
    "MwiCounts", "answer_query", "message_waiting_headers", "mwi_counts", "message_file",
]
