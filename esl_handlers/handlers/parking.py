"""Parked calls (PARK-2) from mod_valet_parking events, applied by fs_service.parking_store."""
from fs_service import parking, parking_store

from .base import HandlerModule

MODULE = HandlerModule(
    name="parking",
    table={"valet_parking::info": (parking.valet_event,)},
    apply=parking_store.apply_changes,
)
