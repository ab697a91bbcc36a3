"""Live extension status (STAT-1): registrations and calls, applied by fs_service.status.store."""
from fs_service.status import events as ev, store as status_store

from .base import HandlerModule

MODULE = HandlerModule(
    name="status",
    table={
        "sofia::register": (ev.registration_seen,),
        "sofia::unregister": (ev.registration_gone,),
        "sofia::expire": (ev.registration_gone,),
        "CHANNEL_CREATE": (ev.channel_created,),
        "CHANNEL_ANSWER": (ev.channel_answered,),
        "CHANNEL_BRIDGE": (ev.channel_bridged,),
        "CHANNEL_HANGUP_COMPLETE": (ev.channel_hungup,),
    },
    apply=status_store.apply_changes,
)
