"""The API contract, checked the way a generated client meets it: schemathesis generates
requests from /api/v1/openapi.json against a seeded instance and every answer must be a
non-5xx response matching the documented schema.

Bounded (a few examples per operation, no shrinking) so it fits the normal ``make test``; a
database of its own (per xdist worker), so it runs beside the other tests. Path ids are the seeded
objects' (tests/contract/world.py), so operations that answer 404 to random ids are reached.
"""
from __future__ import annotations

import re

import flask_migrate
import hypothesis
import pytest
import schemathesis
from schemathesis import checks as base_checks
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi import checks as openapi_checks

from pbx.app import MIGRATIONS, create_app
from pbx.config import load_settings
from tests.conftest import scratch_database
from tests.contract.world import World, seed

MAX_EXAMPLES = 6
SHARDS = 4
# Not positive_data_acceptance: valid shapes are still refused for what no schema can state
# (an id of another account, a duplicate rule, a wrong one-time code); the shape rules it found
# are now in the document (schema/common.py: patterns, ranges, id bounds).
CHECKS = [base_checks.not_a_server_error, openapi_checks.response_schema_conformance,
          openapi_checks.content_type_conformance]
# The operator's routes (the admin gets 403 there): global resources and the operator-only
# changes inside an account.
OPERATOR_ROUTES = re.compile(r"^/api/v1/(accounts|gateways.*|emails|audit-events)$"
                             r"|^/api/v1/accounts/\{account_id\}/gateway$")
OPERATOR_OPERATIONS = {("POST", "/api/v1/accounts/{account_id}/numbers"),
                       ("DELETE", "/api/v1/accounts/{account_id}/numbers/{number_id}")}
# Ends the caller's own login or second factor: the rest of the run would be unauthenticated.
LEFT_OUT = {("POST", "/api/v1/me/two-factor/disable")}


@pytest.fixture(scope="module")
def world_app(base_settings, tmp_path_factory):
    with scratch_database(tmp_path_factory.mktemp("contract") / "contract.sqlite3", "pbx_contract") as url:
        settings = load_settings(environ={}, **{**base_settings, "database_url": url})
        app = create_app(settings, dispatch_fs=False)
        app.config["WTF_CSRF_ENABLED"] = True  # bearer tokens need no CSRF token: proven here too
        with app.app_context():
            flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
            world = seed()
        yield app, world


def token_for(world: World, method: str, path: str) -> str:
    operator = OPERATOR_ROUTES.match(path) or (method, path) in OPERATOR_OPERATIONS
    return world.operator_token if operator else world.admin_token


def _first_lines(text: str) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines()[:3])[:400]


def failures_of(app, world: World, operation, mode: GenerationMode) -> list[str]:
    """Run ``operation`` on up to MAX_EXAMPLES generated requests; one line per failed check."""
    method, path = operation.method.upper(), operation.full_path
    headers = {"Authorization": f"Bearer {token_for(world, method, path)}"}
    path_ids = {p.name: world.ids[p.name] for p in operation.path_parameters if p.name in world.ids}
    found: list[str] = []

    @hypothesis.settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                         phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(operation.as_strategy(mode, path_parameters=path_ids))
    def run(case) -> None:
        try:
            with app.app_context():
                case.call_and_validate(headers=headers, checks=CHECKS)
        except FailureGroup as group:
            found.extend(f"{method} {path} [{mode.value}] {failure.title}: {_first_lines(failure.message)}"
                         for failure in group.exceptions)
        except Exception as exc:  # a server error raised through the test client
            found.append(f"{method} {path} [{mode.value}] {type(exc).__name__}: {_first_lines(str(exc))}")

    run()
    return found


@pytest.mark.timeout(600)
@pytest.mark.parametrize("shard", range(SHARDS))
def test_api_contract(world_app, shard: int) -> None:
    """Every operation (one shard of them: xdist runs the shards side by side), with valid and
    invalid generated input: no server error, every answer as documented."""
    app, world = world_app
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 90  # the whole API is in the document
    failures: list[str] = []
    for operation in operations[shard::SHARDS]:
        if (operation.method.upper(), operation.full_path) in LEFT_OUT:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += failures_of(app, world, operation, mode)
    assert not failures, f"{len(failures)} contract failures:\n" + "\n".join(sorted(set(failures)))
