"""The tenants of the real-switch tier, created through the REST API as an operator would.

Acme (acme.test, French) and Beta (beta.test, English); one global carrier gateway pointing at
the peer switch; Acme's company numbers: one to Alice, one to a welcome menu, one always closed,
one fax number. Every later assertion reads what the switches did with these.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .control_plane import Api
from .layout import Phone

CARRIER = "carrier-e2e"
ACME, BETA = "acme.test", "beta.test"
DID_ALICE, DID_MENU, DID_CLOSED, DID_FAX = "5145550100", "5145550101", "5145550102", "5145550105"
BLOCKED_CALLER = "4185556666"
OUTSIDE_FORWARD = "5145550177"


@dataclass
class Tenant:
    id: int
    domain: str
    admin: Api | None = None
    extensions: dict[str, dict] = field(default_factory=dict)  # number -> API row
    numbers: dict[str, dict] = field(default_factory=dict)  # e164 -> API row
    passwords: dict[str, str] = field(default_factory=dict)  # extension -> SIP password


@dataclass
class World:
    acme: Tenant
    beta: Tenant
    gateway: dict

    def phones(self) -> list[Phone]:
        return [Phone(f"{t.domain.split('.')[0]}{number}", number, t.domain, password)
                for t in (self.acme, self.beta) for number, password in t.passwords.items()]


PEOPLE = {
    ACME: (("100", "Alice", "Tremblay", True), ("101", "Bruno", "Gagnon", False),
           ("102", "Chloé", "Roy", True), ("103", "Denis", "Côté", False)),
    BETA: (("200", "Grace", "Hopper", False),),
}


def _tenant(operator: Api, name: str, domain: str, language: str) -> Tenant:
    account = operator.post("/accounts", {"name": name, "sip_domain": domain, "language": language,
                                          "admin_email": f"admin@{domain}", "admin_first_name": "Admin",
                                          "admin_last_name": name})
    tenant = Tenant(account["account"]["id"], domain)
    for number, first, last, voicemail in PEOPLE[domain]:
        email = f"{first.lower().replace('é', 'e')}@{domain}"
        body = {"number": number, "assignment": "new_user", "first_name": first, "last_name": last,
                "email": email, "voicemail_enabled": voicemail}
        if voicemail:
            body["voicemail_email"] = email
        row = operator.post(f"/accounts/{tenant.id}/extensions", body)
        tenant.extensions[number] = row
        creds = operator.get(f"/accounts/{tenant.id}/extensions/{row['id']}/sip-credentials")
        tenant.passwords[number] = creds["sip_password"]
    return tenant


def _treatment(api: Api, tenant: Tenant, **body) -> int:
    return api.post(f"/accounts/{tenant.id}/treatments", body)["id"]


def _number(api: Api, tenant: Tenant, e164: str, label: str, open_all_week: bool = True, **changes) -> dict:
    row = api.post(f"/accounts/{tenant.id}/numbers", {"e164": e164, "label": label,
                                                       "timezone": "America/Montreal"})
    if changes:
        row = api.patch(f"/accounts/{tenant.id}/numbers/{row['id']}", changes)
    if open_all_week:
        api.put(f"/accounts/{tenant.id}/numbers/{row['id']}/schedule",
                {"ranges": [{"weekday": day, "opens_at": "00:00", "closes_at": "00:00"} for day in range(7)]})
    tenant.numbers[e164] = row
    return row


def _acme_numbers(api: Api, acme: Tenant) -> None:
    """Alice's line; a welcome menu (key 1 → 101, dial-by-extension); a line closed all week
    (open → 101, closed → 103); a fax line."""
    ext = {n: row["id"] for n, row in acme.extensions.items()}
    to_alice = _treatment(api, acme, kind="extension", extension_id=ext["100"])
    _number(api, acme, DID_ALICE, "Alice", open_treatment_id=to_alice)
    menu = api.post(f"/accounts/{acme.id}/menus", {"name": "Accueil", "language": "fr", "timeout_seconds": 10,
                                                   "repeat_count": 1, "dial_by_extension": True})
    api.put(f"/accounts/{acme.id}/menus/{menu['id']}/keys",
            {"keys": {"1": _treatment(api, acme, kind="extension", extension_id=ext["101"])}})
    _number(api, acme, DID_MENU, "Accueil", open_treatment_id=_treatment(api, acme, kind="menu", menu_id=menu["id"]))
    _number(api, acme, DID_CLOSED, "Fermé", open_all_week=False,
                     open_treatment_id=_treatment(api, acme, kind="extension", extension_id=ext["101"]),
                     closed_treatment_id=_treatment(api, acme, kind="extension", extension_id=ext["103"]))
    _number(api, acme, DID_FAX, "Fax", is_fax=True)
    api.post(f"/accounts/{acme.id}/blacklist", {"action": "block", "match": "equals", "digits": BLOCKED_CALLER})
    api.patch(f"/accounts/{acme.id}/extensions/{ext['100']}/settings",
              {"outbound_caller_id_name": "Acme", "outbound_caller_id_number": DID_ALICE})


def build_world(operator: Api, peer_sip_port: int) -> World:
    gateway = operator.post("/gateways", {"name": CARRIER, "proxy": f"127.0.0.1:{peer_sip_port}",
                                          "register": False, "enabled": True})
    acme = _tenant(operator, "Acme", ACME, "fr")
    beta = _tenant(operator, "Beta", BETA, "en")
    _acme_numbers(operator, acme)
    return World(acme, beta, gateway)
