"""Issue 14: every route of the URL map, tried by everyone who must be refused (ACC-1, ACC-3).

The routes come from ``app.url_map`` (UI and /api/v1 alike), so a new route is in the matrix the
day it is added; a URL variable the matrix cannot fill with a real object of account A, or a route
without variables that is not classified below, fails the test and asks for an update.

Who is tried where:
- **anonymous** everywhere but the public allow-list: API 401, UI a redirect to the login page.
- **user_b / admin_b** (account B) with account A's ids everywhere under /accounts/<A>: 403/404;
  and, as ``…_smuggling``, with A's object ids under their *own* account's URL (/accounts/<B>/…/<A's
  id>), where only the object lookup's tenant scope stands in the way: 403/404 too.
- **user_a** (a plain user of A) everywhere but ``USER_MAY_REACH``: 403/404. The ids are those of
  a colleague's extension and box, so even routes a user may open for *their own* objects must
  refuse them; only account-level pages and lists a user legitimately sees are left out.
- **operator-only** routes (/operator/…, /api/v1/gateways, and those OpenAPI documents as
  "Operator only") also refuse A's own admin.

Bodies are valid for A's admin (tests/tenant_matrix_bodies.py), so a missing check would be a
2xx rather than a 400; a 400/422 is reported as inconclusive, never accepted. After each call
the row count of every table and the file tree of the instance folder must be unchanged.
"""
from __future__ import annotations

import tempfile

import pytest
import sqlalchemy as sa

from fs_service.accounts import login as auth
from fs_service.audit.changes import BOOKKEEPING_COLUMNS, UNAUDITED_TABLES
from fs_service.db import db
from fs_service.models import AuditEvent
from pbx.config import load_settings
from tests.conftest import _empty_all_tables
from tests.tenant_matrix_bodies import fill, learn_bodies, request_kwargs
from tests.tenant_matrix_support import VOLATILE, build_world, snapshot

# Public on purpose (each has its own tests): the login and password pages, the token exchange
# (credentials in the body), the CSRF token and language switch (session only, no data), logout,
# health, the OpenAPI document, static files. xml_curl is no Flask route (xml_curl/views.py): its gate is
# tested in tests/integration/test_xml_curl*.py.
PUBLIC = {"static", "auth.login", "auth.logout", "auth.forgot", "auth.reset", "health.healthz",
          "api-docs.openapi_json", "api_auth.create_token", "api_auth.csrf_token", "i18n.set_language",
          "auth.code",
          "xml_cdr.receive",  # the switch's call records: behind xml_curl's gate (tests/integration/test_fax_outcomes.py)
          "provisioning.fetch",  # phones: the per-phone secret in the path (tests/integration/test_phones_api.py)
          "conferences.broadcast.listen"}  # a room's web broadcast: its token in the path (test_conference_broadcast.py)
# About the caller themselves (no tenant id in the URL): anonymous is refused, anyone logged in served.
SELF = {"accounts.home", "api_auth.me", "api_accounts.list_accounts",
        # one's own two-factor; the audit log of one's own scope (an account's admins: theirs)
        "two_factor.page", "two_factor.qr", "two_factor.enable", "two_factor.recovery_codes", "two_factor.disable",
        "two_factor.account_rule",
        "api_two_factor.state", "api_two_factor.new_secret", "api_two_factor.enable",
        "api_two_factor.recovery_codes", "api_two_factor.disable", "api_audit.all_events",
        "prompt_audio.audio"}  # the shipped prompts' audio (the product's, no tenant's)
# Operator only but not documented as such in the OpenAPI summaries (or UI routes).
OPERATOR_ONLY = {"api_gateways.get_account_gateway", "api_gateways.set_account_gateway",
                 "numbers.create", "numbers.delete"}
OPERATOR_PREFIXES = ("/operator/", "/api/v1/gateways")
# Account-level pages and lists a plain user of A legitimately opens (their own slice of it).
USER_MAY_REACH = {
    "accounts.dashboard", "extensions.index", "status.page", "status.stream", "status.call", "voicemail.index",
    "fax.index", "fax_inbox.inbox", "fax_outbox.outbox", "fax_outbox.status",
    "api_accounts.get_account", "api_extensions.list_extensions", "api_mailboxes.list_mailboxes",
    "api_status.get_status", "api_status.place_call",
    # address books: everyone lists the books they see and writes their own My contacts
    "books.index", "books.new_contact", "api_books.list_books", "api_books.create_contact",
    # phones: everyone lists the phones of their own extensions (user_a has none)
    "phones.index", "api_phones.list_phones",
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
INCONCLUSIVE = (400, 422)


def _url_map():
    with tempfile.TemporaryDirectory() as folder:
        from pbx.app import create_app

        settings = load_settings(environ={}, env="test", instance_path=folder, secret_key="x",
                                 database_url=f"sqlite:///{folder}/collect.sqlite3", xml_curl_password="x",
                                 esl_password="x", freeswitch_nodes="", public_url="http://pbx.test")
        app = create_app(settings, dispatch_fs=False)
        rules = [r for r in app.url_map.iter_rules() if r.endpoint not in PUBLIC]
        operator_doc = _documented_operator_only(app)
    return rules, operator_doc


def _documented_operator_only(app) -> set[tuple[str, str]]:
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    return {(path.replace("{", "<int:").replace("}", ">"), method.upper())
            for path, ops in spec["paths"].items() for method, op in ops.items()
            if isinstance(op, dict) and op.get("summary", "").startswith("Operator only")}


RULES, DOCUMENTED_OPERATOR_ONLY = _url_map()


def is_operator_only(rule, method: str) -> bool:
    return (rule.endpoint in OPERATOR_ONLY or rule.rule.startswith(OPERATOR_PREFIXES)
            or (rule.rule, method) in DOCUMENTED_OPERATOR_ONLY)


def _cases():
    for rule in sorted(RULES, key=lambda r: r.rule):
        for method in sorted(rule.methods & set(METHODS)):
            operator_only = is_operator_only(rule, method)
            who = ["anonymous"]
            if rule.endpoint not in SELF:
                who += ["user_b", "admin_b"]
                if "account_id" in rule.arguments and len(rule.arguments) > 1:
                    who += ["user_b_smuggling", "admin_b_smuggling"]
                if rule.endpoint not in USER_MAY_REACH:
                    who.append("user_a")
                if operator_only:
                    who.append("admin_a")
            for identity in who:
                yield pytest.param(rule, method, identity, id=f"{method} {rule.rule} as {identity}")


@pytest.fixture(scope="module")
def matrix(base_settings, migrated, tmp_path_factory):
    """One world for the whole module (the calls must change nothing, and each is checked)."""
    from pbx.app import create_app

    instance = tmp_path_factory.mktemp("matrix-instance")
    app = create_app(load_settings(environ={}, **{**base_settings, "instance_path": str(instance)}),
                     dispatch_fs=False)
    app.config["WTF_CSRF_ENABLED"] = False
    from tests.conftest import FreshRequestClient

    app.test_client_class = FreshRequestClient
    with app.app_context():
        try:
            world = build_world()
            world.tokens = {name: auth.create_api_token(user, "matrix") for name, user in world.logins.items()}
            db.session.commit()
            client, headers = _client(app, world, "admin_a", api=False)
            learn_bodies(world, client, {"Authorization": f"Bearer {world.tokens['admin_a']}"}, RULES)
            yield app, world, instance
        finally:
            db.session.remove()
            _empty_all_tables(db.engine, db.metadata)
            db.engine.dispose()


def _client(app, world, identity: str, api: bool):
    client = app.test_client()
    headers = {}
    if identity != "anonymous":
        if api:
            headers["Authorization"] = f"Bearer {world.tokens[identity]}"
        else:
            with client.session_transaction() as session:
                session["_user_id"] = str(world.logins[identity].id)
                session["_fresh"] = True
    return client, headers


def _refused(response, identity: str, api: bool) -> bool:
    status = response.status_code
    if identity == "anonymous":
        if api:
            return status in (401, 403)
        return status in (401, 403) or (status in (302, 303) and "/login" in response.headers.get("Location", ""))
    return status in (403, 404)


@pytest.mark.parametrize("rule, method, identity", list(_cases()))
def test_route_refuses_and_changes_nothing(matrix, rule, method, identity):
    app, world, instance = matrix
    api = rule.rule.startswith("/api/")
    smuggling = identity.endswith("_smuggling")
    url = fill(rule, {**world.ids, "account_id": world.ids["b_account_id"]} if smuggling else world.ids)
    identity = identity.removesuffix("_smuggling")
    client, headers = _client(app, world, identity, api)
    before = snapshot(instance)
    response = client.open(url, method=method, **request_kwargs(world, rule, method, headers))
    body = response.get_data(as_text=True)[:300] if response.mimetype != "text/event-stream" else "<stream>"
    response.close()
    assert response.status_code not in INCONCLUSIVE, (
        f"inconclusive: {method} {url} as {identity} answered {response.status_code} (input refused before "
        f"any permission check?) — give it a valid body in tests/tenant_matrix_bodies.py: {body}")
    assert _refused(response, identity, api), (
        f"TENANT HOLE? {method} {url} as {identity} answered {response.status_code}: {body}")
    assert snapshot(instance) == before, f"{method} {url} as {identity} changed rows or files"


def test_every_documented_operator_only_operation_is_in_the_url_map():
    rules = {(r.rule, m) for r in RULES for m in r.methods}
    assert DOCUMENTED_OPERATOR_ONLY and DOCUMENTED_OPERATOR_ONLY <= rules


def test_account_list_shows_another_tenant_nothing_of_a(matrix):
    app, world, _ = matrix
    for identity in ("user_b", "admin_b"):
        client, headers = _client(app, world, identity, api=True)
        listed = client.get("/api/v1/accounts", headers=headers).get_json()
        assert world.ids["account_id"] not in [a["id"] for a in listed], identity


@pytest.mark.parametrize("auth_header", [None, ("admin", "wrong")])
def test_xml_curl_refuses_a_caller_without_its_credentials(matrix, auth_header):
    app, world, instance = matrix
    client = app.test_client()
    before = snapshot(instance)
    body = {"section": "directory", "action": "sip_auth", "user": "202", "domain": "a.matrix.test"}
    response = client.post("/freeswitch/xml", data=body, auth=auth_header)
    assert response.status_code in (401, 403)
    assert "a1-hash" not in response.get_data(as_text=True)
    assert snapshot(instance) == before


def _destructive(rule, method: str) -> bool:
    return method == "DELETE" or any(word in rule.rule for word in ("delete", "empty", "/cancel"))


def test_the_bodies_are_valid_so_a_missing_check_would_have_succeeded(matrix):
    """The control: A's own admin (the operator on operator-only routes) sends the very same
    requests and they succeed (a 409 is a business state, the input was accepted); deletions run
    last, after which objects they took along may be gone (404), but none is bad input (400).
    Runs after the matrix: it really changes the world."""
    app, world, _ = matrix
    calls = [(rule, method) for rule in RULES for method in sorted(rule.methods & set(METHODS))
             if rule.endpoint not in SELF and rule.endpoint != "status.stream"]
    calls.sort(key=lambda call: _destructive(*call))
    refused, unaudited = [], []
    for rule, method in calls:
        identity = "operator" if is_operator_only(rule, method) else "admin_a"
        client, headers = _client(app, world, identity, rule.rule.startswith("/api/"))
        before = _audited_state()
        response = client.open(fill(rule, world.ids), method=method,
                               **request_kwargs(world, rule, method, headers))
        status = response.status_code
        if status in INCONCLUSIVE or status >= 500 or (status >= 400 and status != 409
                                                        and not _destructive(rule, method)):
            refused.append(f"{method} {rule.rule} as {identity}: {response.status_code} "
                           f"{response.get_data(as_text=True)[:160]}")
        response.close()
        after = _audited_state()
        changed = sorted(t for t in after[0] if after[0][t] != before[0].get(t))
        if changed and after[1] == before[1]:
            unaudited.append(f"{method} {rule.rule} changed {changed} and the audit log says nothing")
    assert not refused, "bodies to fix in tests/tenant_matrix_bodies.py:\n" + "\n".join(refused)
    assert not unaudited, "\n".join(unaudited)


def _audited_state() -> tuple[dict[str, int], int]:
    """A digest of what people change (audited tables, bookkeeping columns left out) and the
    audit log's length: every request that changes the first must lengthen the second (issue 14)."""
    db.session.expire_all()
    digests = {}
    for table in db.metadata.tables.values():
        if table.name in UNAUDITED_TABLES or table.name in VOLATILE:
            continue
        columns = [c for c in table.columns if c.name not in BOOKKEEPING_COLUMNS]
        digests[table.name] = hash(repr(db.session.execute(sa.select(*columns).order_by(*table.primary_key)).all()))
    logged = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    db.session.rollback()  # end the read: PostgreSQL's TRUNCATE at teardown would wait for it
    return digests, logged
