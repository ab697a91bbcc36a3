"""Desk phones (DEV-1, DEV-3, DEV-4) and what each displays (BOOK-4), issue 19.

One package per feature: ``models`` (the supported models and their line keys), ``rules``
(add by MAC, rename, assign to extensions on line keys, unassign, delete), ``display`` (a
phone's ordered list of contacts, books and favourites; copying it to other phones),
``queries`` (reads, with who may open which phone), ``provisioning`` (the data a phone's
configuration is rendered from, the per-phone secret and its guessing limit) and ``reboot``
(check-sync now, or after the current call). The package imports no door.
"""
