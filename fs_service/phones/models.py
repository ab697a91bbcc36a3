"""The phone models we provision: one template family each (the web door renders them).

The model decides the file names a phone asks for, the number of line keys offered in the
UI, and whether whole address books can be given as remote phone books (fetched by the phone
from their own URL) or must be written into the configuration contact by contact.
"""
from __future__ import annotations

from dataclasses import dataclass

YEALINK, POLYCOM, GRANDSTREAM, SNOM = "yealink", "polycom", "grandstream", "snom"


@dataclass(frozen=True)
class PhoneModel:
    code: str
    label: str
    family: str
    line_keys: int        # programmable keys: SIP lines first, favourites (BLF) on the free ones
    remote_books: bool    # whole books as remote phone books (else listed contact by contact)


MODELS: dict[str, PhoneModel] = {m.code: m for m in (
    PhoneModel("yealink_t46u", "Yealink T46U", YEALINK, 16, True),
    PhoneModel("yealink_t48u", "Yealink T48U", YEALINK, 29, True),
    PhoneModel("yealink_t54w", "Yealink T54W", YEALINK, 27, True),
    PhoneModel("yealink_t57w", "Yealink T57W", YEALINK, 29, True),
    PhoneModel("poly_vvx250", "Poly VVX 250", POLYCOM, 4, False),
    PhoneModel("poly_vvx450", "Poly VVX 450", POLYCOM, 12, False),
    PhoneModel("grandstream_gxp2170", "Grandstream GXP2170", GRANDSTREAM, 12, True),
    PhoneModel("grandstream_grp2615", "Grandstream GRP2615", GRANDSTREAM, 10, True),
    PhoneModel("snom_d735", "Snom D735", SNOM, 8, False),
    PhoneModel("snom_d785", "Snom D785", SNOM, 12, False),
)}


def model_of(code: str | None) -> PhoneModel | None:
    return MODELS.get(code or "")
