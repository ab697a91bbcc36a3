"""Forms that guide (issue 20.4), server side: the follow-me-while-forwarding warning is on the
page before saving (hidden until both are ticked, forms.js shows it) and, once saved, read at
the top where "saved" is said as well as beside the fields. The browser side (focus, links,
live warnings, overnight ranges) is tests/browser/test_first_hour_browser.py."""
from __future__ import annotations

import lxml.html
import pytest

from tests.integration.test_api_support import log_in
from tests.integration.test_settings_support import acme  # noqa: F401
from tests.integration.test_settings_ui import page_url, submit

WARNING = "Le find-me/follow-me n'est pas utilisé tant que le renvoi d'appel est activé."
BOTH_TICKED = "#settings [name=forward_enabled]:checked|#settings [name=fmfm_enabled]:checked"


@pytest.fixture
def admin(client, acme):  # noqa: F811
    log_in(client, acme.admin)
    return client


def warnings_on(html: str) -> dict[str, tuple[bool, str]]:
    """data-warning → (hidden, text) of the live follow-me warnings."""
    return {p.get("data-warning"): (p.get("hidden") is not None, p.text_content())
            for p in lxml.html.fromstring(html).xpath(f"//p[@data-show-when-all='{BOTH_TICKED}']")}


def test_the_warning_waits_on_the_page_before_saving(admin, acme):  # noqa: F811
    html = admin.get(page_url(acme, "101")).text
    assert warnings_on(html) == {"forward_enabled": (True, WARNING), "fmfm_enabled": (True, WARNING)}


def test_once_saved_it_is_said_at_the_top_and_beside_both_fields(admin, acme):  # noqa: F811
    response = submit(admin, acme, "101", forward_enabled="on", forward_rule="always", forward_kind="extension",
                      forward_extension="102", fmfm_enabled="on", fmfm_number="5145557777")
    page = lxml.html.fromstring(admin.get(response.headers["Location"]).text)
    assert [f.text_content() for f in page.xpath("//div[contains(@class, 'flash-warning')]")] == [WARNING]
    assert warnings_on(lxml.html.tostring(page, encoding="unicode")) == {
        "forward_enabled": (False, WARNING), "fmfm_enabled": (False, WARNING)}
