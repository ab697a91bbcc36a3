"""French by default, English on request, and a French catalog that covers every UI string."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.factories import PASSWORD, make_account
from web.ui.i18n import TRANSLATIONS, ensure_catalogs_compiled

ROOT = Path(__file__).resolve().parents[2]
FRENCH = TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po"


def test_pages_are_french_by_default(make_app):
    page = make_app().test_client().get("/login")
    assert '<html lang="fr">' in page.text and "Se connecter" in page.text and "Mot de passe" in page.text


def test_the_language_link_switches_to_english_and_goes_back(make_app):
    client = make_app().test_client()
    response = client.get("/lang/en?next=/password/forgot")
    assert response.status_code == 302 and response.headers["Location"] == "/password/forgot"
    page = client.get("/login")
    assert '<html lang="en">' in page.text and "Log in" in page.text and "Se connecter" not in page.text
    client.get("/lang/fr")
    assert "Se connecter" in client.get("/login").text


def test_the_language_link_ignores_unknown_languages_and_foreign_redirects(make_app):
    client = make_app().test_client()
    response = client.get("/lang/de?next=https://evil.example/")
    assert response.headers["Location"] == "/"
    assert "Se connecter" in client.get("/login").text


def test_a_logged_in_user_sees_their_own_language_unless_they_chose_one(make_app):
    app = make_app()
    with app.app_context():
        account, admin = make_account(language="en")
        account_id, email = account.id, admin.email
    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD})
    assert "Extensions" in client.get(f"/accounts/{account_id}/").text
    client.get("/lang/fr")
    assert "Postes" in client.get(f"/accounts/{account_id}/").text


def test_every_ui_string_has_a_french_translation():
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    extracted = {msg[2] for msg in extract_from_dir(str(ROOT), method_map, options_map)}
    with FRENCH.open("rb") as fh:
        catalog = read_po(fh, locale="fr")
    untranslated = sorted(str(m) for m in extracted
                          if not catalog.get(m) or not catalog.get(m).string or catalog.get(m).fuzzy)
    assert len(extracted) > 100
    assert untranslated == []


def test_catalogs_are_compiled_when_missing_or_stale(tmp_path):
    copy = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, copy, ignore=shutil.ignore_patterns("*.mo"))
    mo = copy / "fr" / "LC_MESSAGES" / "messages.mo"
    assert ensure_catalogs_compiled(copy) == [mo] and mo.stat().st_size > 0
    assert ensure_catalogs_compiled(copy) == []
    po = mo.with_suffix(".po")
    os.utime(po, (mo.stat().st_mtime + 10, mo.stat().st_mtime + 10))
    assert ensure_catalogs_compiled(copy) == [mo]
