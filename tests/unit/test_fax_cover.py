"""FAX-2/FAX-3: the cover page says everything the guide asks, in French or English, hides what
the sender chose to hide, and never spills onto a second page."""
from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from pypdf import PdfReader

from fax.cover import FIELD_MAX_CHARS, CoverIncomplete, build_cover
from fax.cover_data import REQUIRED_FIELDS, field_names, missing_fields, total_pages
from tests.unit.test_fax_support import sample_cover


def cover_text(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)
    return page.extract_text()


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def test_french_cover_shows_every_field_with_its_accents():
    text = flat(cover_text(build_cover(sample_cover(), "fr")))
    for expected in ("Facsimilé de Ubity inc.", "Sujet : Contrat révisé — « version finale »",
                     "Date : 2019-10-29", "Heure : 10:50", "Pages : 3 (incluant la page couverture)",
                     "Nom : Jean-François Côté", "Compagnie : Œuvres d'art Ça Marche inc.",
                     "Fax : 418 555-0000", "Téléphone : 418 555-0001",
                     "Nom : Chrystiane Gaudet", "Compagnie : Ubity inc.", "Fax : 514 907-3401",
                     "Téléphone : 1 800 112-5290", "Commentaires :",
                     "Veuillez signer à la page 2 et nous retourner le tout. Merci!"):
        assert expected in text


def test_english_cover_uses_english_labels():
    text = flat(cover_text(build_cover(sample_cover(), "en")))
    for expected in ("Facsimile from Ubity inc.", "Subject:", "Time: 10:50",
                     "Pages: 3 (including this cover page)", "To", "From", "Company: Ubity inc.",
                     "Phone: 1 800 112-5290", "Comments:"):
        assert expected in text
    assert "Sujet" not in text and "Téléphone" not in text


@pytest.mark.parametrize("flag, gone, kept", [
    ("hide_recipient_phone", ["418 555-0001"], ["418 555-0000", "514 907-3401", "1 800 112-5290"]),
    ("hide_sender_phone", ["1 800 112-5290"], ["418 555-0001", "514 907-3401"]),
    ("hide_sender_fax", ["514 907-3401"], ["418 555-0000", "1 800 112-5290"]),
])
def test_hidden_number_disappears_with_its_label(flag, gone, kept):
    shown = flat(cover_text(build_cover(sample_cover(), "fr")))
    text = flat(cover_text(build_cover(sample_cover(**{flag: True}), "fr")))
    for value in gone:
        assert value not in text
    for value in kept:
        assert value in text
    label = "Téléphone :" if "phone" in flag else "Fax :"
    assert text.count(label) == shown.count(label) - 1


def test_all_numbers_hidden_still_leaves_the_recipient_fax():
    text = flat(cover_text(build_cover(sample_cover(hide_recipient_phone=True, hide_sender_phone=True,
                                                    hide_sender_fax=True), "en")))
    assert text.count("Phone:") == 0 and text.count("Fax:") == 1 and "418 555-0000" in text


def test_five_thousand_character_comment_is_shortened_on_one_page_with_a_note():
    comment = "Début du commentaire. " + "Une phrase assez longue pour remplir la page, encore. " * 100
    comment = comment[:5000]
    text = flat(cover_text(build_cover(sample_cover(comments=comment), "fr")))
    assert "Début du commentaire." in text
    assert "…" in text
    assert "[Commentaire abrégé :" in text and "caractères ne tenaient pas sur la page.]" in text
    omitted = int(text.split("[Commentaire abrégé : ")[1].split(" ")[0])
    assert 3000 < omitted < 5000


def test_short_comment_is_not_shortened():
    text = flat(cover_text(build_cover(sample_cover(comments="Court."), "en")))
    assert "Court." in text and "…" not in text and "shortened" not in text


def test_comment_line_breaks_and_markup_characters_are_kept_as_text():
    comment = "Ligne 1 <b>pas du gras</b> & co\nLigne 2"
    text = cover_text(build_cover(sample_cover(comments=comment), "fr"))
    assert "Ligne 1 <b>pas du gras</b> & co\nLigne 2" in text


def test_unbroken_long_word_and_long_fields_still_fit_one_page():
    long = "x" * 400
    pdf = build_cover(sample_cover(comments="https://example.com/" + "x" * 3000, to_company=long,
                                   from_company="Société " + long, subject=long), "fr")
    squeezed = "".join(cover_text(pdf).split())  # wrapped lines rejoined
    assert "x" * (FIELD_MAX_CHARS - 1) + "…" in squeezed  # single-line fields are capped
    assert "https://example.com/xxxxxxxxxx" in squeezed     # the unbroken comment is split…
    assert "[Commentaireabrégé:" in squeezed               # …and shortened to what fits
    # (that nothing is drawn outside the margins is checked on the rendered page, in
    # tests/integration/test_fax_render.py)


def test_characters_the_font_lacks_become_question_marks_not_blanks():
    text = cover_text(build_cover(sample_cover(comments="Prix\u202f: 5\u00a0€ — 日本"), "fr"))
    assert "5\u00a0€ — ??" in text or "5 € — ??" in text


def test_every_field_is_required():
    assert missing_fields(sample_cover()) == []
    blank = sample_cover(subject="  ", to_phone="", comments="", page_count=0, date="")
    assert missing_fields(blank) == ["subject", "date", "page_count", "to_phone", "comments"]
    with pytest.raises(CoverIncomplete) as caught:
        build_cover(blank, "fr")
    assert caught.value.missing == ["subject", "date", "page_count", "to_phone", "comments"]


def test_hidden_number_is_still_required():
    assert missing_fields(sample_cover(to_phone="", hide_recipient_phone=True)) == ["to_phone"]


def test_required_fields_are_the_guide_fields_and_flags_are_the_rest():
    assert set(field_names()) - set(REQUIRED_FIELDS) == {
        "hide_recipient_phone", "hide_sender_phone", "hide_sender_fax"}


def test_page_count_includes_the_cover():
    assert total_pages([2, 5]) == 8


def test_same_data_gives_the_same_bytes():
    assert build_cover(sample_cover(), "fr") == build_cover(sample_cover(), "fr")


def test_date_and_time_may_be_given_as_text():
    text = flat(cover_text(build_cover(sample_cover(date="2019/10/29", time=dt.time(9, 5)), "fr")))
    assert "Date : 2019/10/29" in text and "Heure : 09:05" in text
