"""Fax progress and results (FAX-5, FAX-7) from mod_spandsp events, applied by fs_service.fax.apply.

``txfaxpageresult`` moves "page x / y"; ``txfaxresult`` ends a try (the ladder decides what
next); ``rxfaxresult`` stores a received fax. CHANNEL_HANGUP_COMPLETE is the fallback for a
lost result event (and the only report of a try that never got answered); its handler
returns None after one scan for any channel that is not a fax.
"""
from fs_service.fax import apply, events

from .base import HandlerModule

MODULE = HandlerModule(
    name="fax",
    table={
        "spandsp::txfaxpageresult": (events.tx_page,),
        "spandsp::txfaxresult": (events.tx_result,),
        "spandsp::rxfaxresult": (events.rx_result,),
        "CHANNEL_HANGUP_COMPLETE": (events.hangup,),
    },
    apply=apply.apply_changes,
)
