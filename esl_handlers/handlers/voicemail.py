"""Message-waiting questions (MESSAGE_QUERY, sent when a phone subscribes to message-summary)
answered from our mailboxes by fs_service.voicemail.mwi."""
from fs_service.voicemail import mwi

from .base import HandlerModule

MODULE = HandlerModule(
    name="voicemail",
    table={"MESSAGE_QUERY": (mwi.message_query,)},
    apply=mwi.answer_queries,
)
