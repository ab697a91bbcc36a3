"""Parked calls (PARK-2) from mod_valet_parking events, applied by fs_service.park.events."""
from fs_service.park import events as parking_store, lot as parking

from .base import HandlerModule

MODULE = HandlerModule(
    name="parking",
    table={"valet_parking::info": (parking.valet_event,)},
    apply=parking_store.apply_changes,
)
