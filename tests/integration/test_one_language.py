"""One language at a time (issue 20.6): every page of the UI (each GET route, with ids of real
objects), the error pages and the schedule preview, rendered in English, show no French word;
a sample rendered in French shows no English word.

A small word list is enough: it holds the words of the mixed messages that were found (an
English "not found" page for a French user, the preview's English reason line, French labels
left in English pages), and the commonest words of either language that never occur in the other.
"""
from __future__ import annotations

import html
import io
import re

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_babel import gettext
from marshmallow import ValidationError
from werkzeug.datastructures import FileStorage

from fs_service.db import db
from fs_service.models import User
from schema.accounts import AccountCreateSchema
from schema.blacklist import RuleCreateSchema
from schema.sound_uploads import SoundUploadSchema
from tests.contract.world import World, seed
from tests.integration.test_api_support import log_in
from web.messages import translate

FRENCH = re.compile(r"\b(Enregistrer|Enregistrements?|Annuler|Supprimer|Modifier|Ajouter|Rechercher|Retour|"
                    r"introuvables?|Numéros?|Postes?|Choisissez|caractères|fichier|Courriel|Paramètres|"
                    r"Sauvegarder|Aucune?|Fermé|Ouvert|Prénom|Utilisateurs?|Compte|Messagerie|Appels?|Envoyer|"
                    r"les|des|une|est|sont|avec|pour|dans|sans|votre|vos)\b")
ENGLISH = re.compile(r"\b(the|and|not|with|from|must|is|are|found|should|Save|Cancel|Delete|Edit|Add|Search|"
                     r"Back|Open|Closed|because|rule|required|digits|Reason|Your|you|outside|business|hours|"
                     r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
# Language names are written in their own language in the switcher; people's names are data.
ALLOWED = re.compile(r"Français|English")
SKIPPED = re.compile(r"/(stream|events)$|/lang/|/logout")


def visible_text(page: str) -> str:
    """What a person reads: no scripts, styles, tags or attribute values."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    return ALLOWED.sub(" ", html.unescape(re.sub(r"(?s)<[^>]+>", " ", page)))


def get_pages(app, world: World) -> list[str]:
    """Every GET route of the UI with seeded ids in its path."""
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(("/api/", "/static/", "/freeswitch")):
            continue
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(rf"<([a-z]+:)?{name}>", str(world.ids.get(name, 1)), path)
        if not SKIPPED.search(path):
            paths.append(path)
    return sorted(paths)


def words_in(client: FlaskClient, path: str, words: re.Pattern) -> list[str]:
    response = client.get(path)
    if response.mimetype != "text/html" or 300 <= response.status_code < 400:
        return []  # a redirect's body is never read: the browser follows it
    found = sorted(set(words.findall(visible_text(response.text))))
    return [f"{path} ({response.status_code}): {', '.join(found)}"] if found else []


@pytest.fixture
def world(app) -> World:
    return seed()


def client_of(app, role: str, language: str) -> FlaskClient:
    client = app.test_client()
    log_in(client, db.session.scalar(sa.select(User).where(User.role == role)))
    client.get(f"/lang/{language}")
    return client


@pytest.mark.timeout(300)
@pytest.mark.parametrize("language, words", [("en", FRENCH), ("fr", ENGLISH)])
def test_every_page_speaks_one_language(app, world: World, language: str, words: re.Pattern) -> None:
    """Every GET page for an admin, an operator and a user without the fax right (whose fax
    pages are error pages), error pages included."""
    pages = get_pages(app, world)
    assert len(pages) > 60
    mixed = [line for role in ("admin", "operator", "user") for line in _mixed(client_of(app, role, language), pages,
                                                                                words)]
    assert mixed == []


def _mixed(client: FlaskClient, pages: list[str], words: re.Pattern) -> list[str]:
    return [line for path in pages for line in words_in(client, path, words)]


def test_the_preview_and_unknown_pages_speak_the_chosen_language(app, world: World) -> None:
    ids = world.ids
    preview = f"/accounts/{ids['account_id']}/numbers/{ids['number_id']}?at_date=2026-12-25&at_time=10:00"
    for language, words in (("en", FRENCH), ("fr", ENGLISH)):
        admin = client_of(app, "admin", language)
        assert 'id="decision"' in admin.get(preview).text
        assert _mixed(admin, [preview, "/no/such/page"], words) == [], language


def test_the_listed_messages_are_gone(app) -> None:
    """Issue 20's examples, each as a person meets it."""
    with app.test_request_context():  # the site's default language: French
        assert translate("Shorter than minimum length 1.") == "Ce champ est obligatoire."
        assert gettext("Registrations") != gettext("Recording")
    with pytest.raises(ValidationError) as long_name:
        AccountCreateSchema().load({"name": "x" * 300, "sip_domain": "a.example.com", "admin_email": "a@example.com",
                                    "admin_first_name": "A", "admin_last_name": "B"})
    assert long_name.value.messages == {"name": ["Longer than maximum length 120."]}
    with pytest.raises(ValidationError) as long_digits:
        RuleCreateSchema().load({"digits": "5" * 40})
    assert long_digits.value.messages == {"digits": ["from 1 to 20 digits"]}
    with pytest.raises(ValidationError) as no_file:
        SoundUploadSchema().load({"file": FileStorage(io.BytesIO(b""), filename="")})
    assert no_file.value.messages == {"file": ["not a file upload"]}  # shown as "Choose a file."
