"""What the tenant matrix sends (tests/integration/test_tenant_matrix.py; no tests here): each
route's URL filled with account A's ids, and a body that would succeed for A's admin, so that a
missing check shows as a 2xx rather than a 400."""
from __future__ import annotations

from html.parser import HTMLParser
from io import BytesIO

from tests.tenant_matrix_support import World


def fill(rule, ids: dict[str, int]) -> str:
    """The rule's URL with A's ids; a variable the matrix cannot fill is the test's failure."""
    unknown = sorted(set(rule.arguments) - set(ids))
    assert not unknown, (f"{rule.rule} ({rule.endpoint}) has URL variable(s) {unknown} the tenant matrix "
                         "cannot fill: add a real object of account A for it in tests/tenant_matrix_support.py")
    values = dict(ids)
    if rule.endpoint == "fax_admin.save_number" or rule.endpoint == "api_fax_received.update_number":
        values["number_id"] = ids["fax_number_id"]
    return rule.build(values, append_unknown=False)[1]


# Valid API bodies: each would succeed for A's admin, so a missing check is a 2xx, not a 400.
JSON_BODIES: dict[str, dict] = {
    "api_accounts.create_account": dict(name="Evil", sip_domain="evil.matrix.test", admin_email="e@evil.test",
                                        admin_first_name="E", admin_last_name="Vil"),
    "api_blacklist.create_rule": {"digits": "5145550111"},
    "api_blacklist.update_rule": {"digits": "5145550112"},
    "api_blacklist.delete_all_rules": {"confirm": True},
    "api_status.place_call": {"target": "201"},
    "api_extensions.create_extension": {"number": "150"},
    "api_extension_settings.quick_edit": {"extensions": [{"id": "@extension_id", "ring_seconds": 20}]},
    "api_extensions.update_extension": {"caller_id_name": "Hijacked"},
    "api_extension_settings.update_settings": {"ring_seconds": 20},
    "api_softphones.create_softphone": {"label": "Evil laptop"},
    "api_softphones.update_softphone": {"label": "Evil laptop"},
    "api_fax_received.update_number": {"fax_inbound_emails": "evil@evil.test"},
    "api_fax_received.set_right": {"can_fax": True},
    "api_gateways.set_account_gateway": {"gateway_id": None},
    "api_gateways.create_gateway": {"name": "evil", "proxy": "sip.evil.test"},
    "api_gateways.update_gateway": {"proxy": "sip.evil.test"},
    "api_mailboxes.create_mailbox": {"number": "3001"},
    "api_mailboxes.update_mailbox": {"name": "Hijacked"},
    "api_mailboxes.empty_mailbox": {},
    "api_voicemail_messages.move_message": {"folder": "saved"},
    "api_conferences.create_room": {"kind": "permanent", "title": "Evil"},
    "api_conferences.update_room": {"title": "Hijacked"},
    "api_conferences.add_participant": {"name": "Evil", "email": "evil@evil.test"},
    "api_conferences.control_member": {"action": "kick"},
    "api_menus.create_menu": {"name": "Evil"},
    "api_menus.update_menu": {"name": "Evil"},
    "api_menus.set_keys": {"keys": {"1": None}},
    "api_numbers.create_number": {"e164": "+15145550177"},
    "api_numbers.update_number": {"label": "Hijacked"},
    "api_numbers.set_closure_message": {"closure_message_path": None},
    "api_schedules.set_week": {"ranges": [{"weekday": 0, "opens_at": "08:00", "closes_at": "17:00"}]},
    "api_schedules.create_exception": {"start_date": "2026-12-25"},
    "api_schedules.update_exception": {"label": "Hijacked"},
    "api_treatments.create_treatment": {"kind": "hangup"},
    "api_treatments.update_treatment": {"kind": "hangup"},
    "api_two_factor.account_security": {"admins_require_two_factor": True},
    "api_two_factor.enable": {"secret": "JBSWY3DPEHPK3PXP", "code": "123456"},
    "api_two_factor.disable": {"code": "123456"},
    "api_two_factor.recovery_codes": {"code": "123456"},
    "api_books.create_book": {"name": "Evil book"},
    "api_books.rename_book": {"name": "Hijacked"},
    "api_books.set_access": {"user_ids": ["@user_id"]},
    "api_books.create_contact": {"phone": "5145550121", "last_name": "Evil", "books": ["mine"]},
    "api_books.update_contact": {"first_name": "Hijacked"},
    "api_phones.create_phone": {"mac": "00:15:65:AA:00:99", "name": "Evil phone"},
    "api_phones.update_phone": {"name": "Hijacked"},
    "api_phones.assign": {"extension_id": "@unphoned_extension_id", "line_key": 2},
    "api_phones.set_display": {"entries": [{"kind": "company", "position": 1}]},
    "api_phones.copy_display": {"targets": ["@spare_phone_id"], "confirm": True},
}
FAX_FIELDS = dict(destination="5145550105", sender_number_id="@fax_number_id", sender_phone_id="@number_id",
                  subject="Contrat", to_name="John Doe", to_company="Acme", to_phone="514-555-0000",
                  from_name="Eve", from_company="Evil", comments="Bonjour")
QUERIES = {"api_numbers.preview": {"at": "2026-06-22T10:00:00"}}
# multipart uploads: part name -> "wav" or "pdf" (a file), or a plain field
FILE_BODIES = {
    "api_fax.send_fax": {"documents": "pdf", **FAX_FIELDS}, "fax.send": {"documents": "pdf", **FAX_FIELDS},
    "api_menus.upload_greeting": {"file": "wav"}, "api_numbers.upload_closure_message": {"file": "wav"},
    "menus.upload_greeting": {"file": "wav"}, "numbers.upload_closure": {"file": "wav"},
    "api_fax.check_documents": {"documents": "pdf"}, "fax.check_documents": {"documents": "pdf"},
    "api_books.import_contacts": {"file": "csv"}, "books.import_csv": {"file": "csv"},
}
FORM_BODIES: dict[str, dict] = {
    "conferences.wizard.choose_kind": {"kind": "permanent"},
    "conferences.wizard.save_info": {"title": "Evil"},
    "conferences.wizard.edit_participants": {"action": "add", "name": "Evil", "email": "evil@evil.test"},
    "conferences.wizard.edit": {"title": "Hijacked"},
    "conferences.room.add_participant": {"name": "Evil", "email": "evil@evil.test"},
    "conferences.room.control_member": {"action": "kick"},
    "conferences.room.options": {"announce_members": "on"},
    "blacklist.create": {"digits": "5145550113", "action": "block", "match": "equals"},
    "blacklist.edit": {"digits": "5145550112", "action": "block", "match": "equals"},
    "blacklist.delete_all": {"confirm": "y"},
    "extensions.new": {"number": "151", "mode": "none"},
    "menus.new": {"name": "Evil", "timeout_seconds": "5", "repeat_count": "3"},
    "numbers.create": {"e164": "+15145550178"},
    "numbers.save": {"label": "Hijacked", "timezone": "America/Toronto"},
    "number_exceptions.new_exception": {"label": "Evil", "start_date": "2026-12-25", "kind": "all_day"},
    "number_exceptions.edit_exception": {"label": "Evil", "start_date": "2026-12-25", "kind": "all_day"},
    "number_exceptions.create_treatment": {"t_kind": "hangup"},
    "status.call": {"target": "201"},
    "voicemail_messages.move": {"folder": "saved"},
    "extension.create_softphone": {"label": "Evil laptop"},
    "fax_admin.save_number": {"fax_inbound_emails": "evil@evil.test"},
    "fax_admin.save_rights": {"can_fax": "1"},
    "operator.accounts_page": dict(name="Evil UI", sip_domain="evil-ui.matrix.test", admin_email="e-ui@evil.test",
                                   admin_first_name="E", admin_last_name="Vil"),
    "voicemail.new": {"number": "3002", "name": "Evil"},
    "gateways.gateways_page": {"name": "evil-ui", "proxy": "sip.evil.test"},
    "gateways.edit_page": {"name": "a-carrier", "proxy": "sip.evil.test"},
    "gateways.account_gateway": {"gateway_id": ""},
    "books.new_book": {"name": "Evil UI book"},
    "books.new_contact": {"phone": "5145550122", "last_name": "Evil", "books": "mine"},
    "books.access": {"user_ids": "@user_id"},
    "books.rename": {"name": "Hijacked"},
    "books.edit_contact": {"phone": "5145550120", "first_name": "Hijacked"},
    "phones.create": {"mac": "00:15:65:AA:00:98", "name": "Evil UI phone"},
    "phones.update": {"name": "Hijacked", "model": "yealink_t46u", "timezone": "America/Toronto"},
    "phones.assign": {"extension_id": "@spare_extension_id", "line_key": "3"},
    "phones_display.save": {"count": "1", "kind-0": "company", "position-0": "1", "action": "save"},
    "phones_display.add": {"kind": "extension", "ref": "@extension_id"},
    "phones_display.copy": {"targets": "@spare_phone_id", "confirm": "on"},
}


def request_kwargs(world: World, rule, method: str, identity_headers: dict) -> dict:
    """Headers and body for one call: JSON for the API, form fields for the UI (CSRF is off in
    the test app, so a form without its token is *more* likely to get through a missing check)."""
    endpoint = rule.endpoint
    kwargs: dict = {"headers": identity_headers, "query_string": _resolved(QUERIES.get(endpoint, {}), world.ids)}
    if method in ("GET", "DELETE"):
        return kwargs
    if endpoint in FILE_BODIES:
        kwargs.update(data=_multipart(world, _resolved(FILE_BODIES[endpoint], world.ids)),
                      content_type="multipart/form-data")
    elif rule.rule.startswith("/api/"):
        if endpoint in JSON_BODIES:
            kwargs["json"] = _resolved(JSON_BODIES[endpoint], world.ids)
    else:
        kwargs["data"] = _resolved({**world.forms.get(rule.rule, {}), **FORM_BODIES.get(endpoint, {})}, world.ids)
    return kwargs


def learn_bodies(world: World, client, headers: dict, rules) -> None:
    """Bodies read back from A's admin before the matrix runs: a UI form posted to the page that
    shows it gets that page's own fields (as a browser would send them unchanged), and the settings
    PUT gets the settings as they are."""
    for rule in rules:
        if rule.rule.startswith("/api/") or "POST" not in rule.methods:
            continue
        page_rule = next((r for r in rules if r.rule == rule.rule and "GET" in r.methods), None)
        if page_rule is None:
            continue
        url = fill(rule, world.ids)
        page = client.get(url, headers={})
        if page.status_code == 200 and page.mimetype == "text/html":
            world.forms[rule.rule] = form_fields(page.get_data(as_text=True), url)
    put = "api_extension_settings.replace_settings"
    url = f"/api/v1/accounts/{world.ids['account_id']}/extensions/{world.ids['extension_id']}/settings"
    current = client.get(url, headers=headers).get_json()
    JSON_BODIES[put] = {k: v for k, v in current.items() if k not in ("id", "number", "warnings")}


class _FormParser(HTMLParser):
    def __init__(self, action: str):
        super().__init__()
        self.action, self.forms, self.current, self.select = action, [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "option" and self.current is not None and self.select:
            if "selected" in a or self.select not in self.current:
                self.current[self.select] = a.get("value", "")
        elif tag == "form" and (a.get("method") or "get").lower() == "post":
            self.current = {"_action": a.get("action") or self.action}
            self.forms.append(self.current)
        elif self.current is None or not a.get("name"):
            return
        elif tag == "input" and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.current.setdefault(a["name"], a.get("value") or "")
        elif tag == "textarea":
            self.current.setdefault(a["name"], "")
        elif tag == "select":
            self.select = a["name"]

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def form_fields(html: str, url: str) -> dict:
    """The fields of the page's POST form that targets ``url`` (or the first POST form)."""
    parser = _FormParser(url)
    parser.feed(html)
    forms = [f for f in parser.forms if f["_action"].split("#")[0] == url] or parser.forms[:1]
    return {k: v for k, v in (forms[0] if forms else {}).items() if k != "_action"}


def _multipart(world: World, parts: dict) -> dict:
    files = {"wav": (world.wav, "tone.wav"), "pdf": (world.pdf, "doc.pdf"),
             "csv": (b"phone,first_name\n5145550123,Eve\n", "contacts.csv")}
    return {name: (BytesIO(files[value][0]), files[value][1]) if value in files else value
            for name, value in parts.items()}


def _resolved(value, ids: dict[str, int]):
    """``"@number_id"`` in a body is A's real id (bodies are written before the world exists)."""
    if isinstance(value, str) and value.startswith("@"):
        return ids[value[1:]]
    if isinstance(value, dict):
        return {k: _resolved(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolved(v, ids) for v in value]
    return value
