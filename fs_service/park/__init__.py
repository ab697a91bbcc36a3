"""Call park (PARK-1, PARK-2): the lot the dialplan parks into and the parked calls shown (lot),
kept from mod_valet_parking's events and snapshots (events).
"""
