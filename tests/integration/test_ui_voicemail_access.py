"""Who sees which mailbox page (ACC-1, ACC-3): a user their own box only (404 otherwise) and
not the admin fields; creating and deleting boxes is the admins' (403); other tenants 404."""
from __future__ import annotations

import pytest

from fs_service.models import Mailbox
from tests.integration.test_api_support import count, log_in
from tests.integration.test_api_voicemail_support import (add_message, app, box_state, lamps, messages_of,  # noqa: F401
                                                          site)


def _url(site, tail: str = "") -> str:
    return f"/accounts/{site.account.id}/voicemail{tail}"


def test_a_user_lists_only_their_own_box_without_admin_actions(client, site):
    log_in(client, site.user)
    page = client.get(_url(site)).text
    assert "Ma boîte vocale" in page and 'data-number="201"' in page
    assert 'data-number="202"' not in page and 'data-number="3000"' not in page
    assert "/voicemail/new" not in page and "/delete" not in page


def test_a_user_changes_the_password_email_and_storage_of_their_box_only(client, site):
    log_in(client, site.user)
    form = client.get(_url(site, f"/{site.own.id}/edit")).text
    assert 'name="pin"' in form and 'name="email"' in form and 'name="email_only"' in form
    assert 'name="name"' not in form and 'name="max_messages"' not in form and "key0_treatment_id" not in form
    data = {"pin": "8642", "email": "uma@example.com", "email_only": "on"}
    assert client.post(_url(site, f"/{site.own.id}/edit"), data=data).status_code == 302
    assert box_state(site.own.id)[2] == "8642" and box_state(site.own.id)[5:7] == ("uma@example.com", True)


@pytest.mark.parametrize("extra", [{"name": "Mine"}, {"max_messages": "5"}, {"star_treatment_id": ""}])
def test_a_user_posting_an_admin_field_is_refused_403_and_nothing_changes(client, site, extra):
    log_in(client, site.user)
    before = box_state(site.own.id)
    response = client.post(_url(site, f"/{site.own.id}/edit"), data={"pin": "8642", "email": "", **extra})
    assert response.status_code == 403
    assert box_state(site.own.id) == before


def test_a_user_empties_their_own_box(client, site, lamps):
    add_message(site.own)
    log_in(client, site.user)
    assert client.post(_url(site, f"/{site.own.id}/empty")).status_code == 302
    assert messages_of(site.own) == [] and lamps[-1]["MWI-Messages-Waiting"] == "no"


@pytest.mark.parametrize("tail", ["/new", "/{own}/delete"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_user_cannot_create_or_delete_boxes(client, site, tail, method):
    log_in(client, site.user)
    response = getattr(client, method)(_url(site, tail.format(own=site.own.id)), data={"number": "3100"})
    assert response.status_code == 403
    assert count(Mailbox) == 4


@pytest.mark.parametrize("tail", ["/{box}", "/{box}/edit", "/{box}/empty", "/{box}/messages/{message}/audio",
                                  "/{box}/messages/{message}/delete"])
def test_a_user_cannot_open_a_colleagues_or_a_standalone_box(client, site, tail):
    log_in(client, site.user)
    for box in (site.colleague, site.general):
        message = add_message(box)
        url = _url(site, tail.format(box=box.id, message=message.id))
        assert client.get(url).status_code == 404
        assert client.post(url, data={"pin": "1111"}).status_code in (404, 405)
        assert len(messages_of(box)) == 1


@pytest.mark.parametrize("tail", ["", "/new", "/{box}", "/{box}/edit", "/{box}/empty", "/{box}/delete",
                                  "/{box}/messages/{message}/audio"])
def test_another_tenant_gets_404_everywhere(client, site, tail):
    message = add_message(site.general)
    log_in(client, site.other_admin)
    url = _url(site, tail.format(box=site.general.id, message=message.id))
    assert client.get(url).status_code == 404
    if not tail.endswith("audio"):
        assert client.post(url, data={"number": "3100", "pin": "1111"}).status_code in (404, 405)
    own_account = f"/accounts/{site.other.id}/voicemail" + tail.format(box=site.general.id, message=message.id)
    if tail not in ("", "/new"):
        assert client.get(own_account).status_code == 404
    assert count(Mailbox) == 4 and len(messages_of(site.general)) == 1


def test_anonymous_visitors_are_sent_to_the_login_page(client, site):
    response = client.get(_url(site))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
