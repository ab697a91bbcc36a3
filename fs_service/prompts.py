"""Every prompt the system plays, with its French and English text, in one table.

Audio lives in FreeSWITCH's sound folder under ``pbx/<id>.wav`` for each language (generated
from this text at install time, replaceable by real recordings). Plans refer to prompts by
:func:`path`, so a missing prompt is a KeyError in tests, not silence on a live call.
"""
from __future__ import annotations

from .conference_prompts import CONFERENCE_PROMPTS
from .number_prompts import NUMBER_PROMPTS
from .voicemail_prompts import VOICEMAIL_PROMPTS

PROMPTS: dict[str, dict[str, str]] = {
    "user-busy": {"fr": "La personne que vous tentez de joindre est déjà au téléphone.",
                  "en": "The person you are calling is on the phone."},
    "press-1-to-forward": {"fr": "Pour être transféré, appuyez sur le 1.",
                           "en": "To be forwarded, press 1."},
    "say-your-name": {"fr": "Après le signal, dites votre nom, puis patientez.",
                      "en": "After the tone, say your name, then please hold."},
    "call-from": {"fr": "Vous avez un appel de", "en": "You have a call from"},
    "press-1-to-accept": {"fr": "Pour accepter l'appel, appuyez sur le 1. Sinon, raccrochez.",
                          "en": "To accept the call, press 1. Otherwise, hang up."},
    "enter-access-code": {"fr": "Entrez votre code d'accès, suivi du carré.",
                          "en": "Enter your access code, followed by the pound key."},
    "access-code-invalid": {"fr": "Ce code d'accès n'est pas valide. Au revoir.",
                            "en": "This access code is not valid. Goodbye."},
    "call-not-allowed": {"fr": "Vous n'êtes pas autorisé à faire cet appel.",
                         "en": "You are not allowed to place this call."},
    "not-in-service": {"fr": "Le numéro composé n'est pas en service.",
                       "en": "The number you have dialed is not in service."},
}


PROMPTS.update(VOICEMAIL_PROMPTS)
PROMPTS.update(NUMBER_PROMPTS)
PROMPTS.update(CONFERENCE_PROMPTS)
LANGUAGES = ("fr", "en")


def path(prompt_id: str) -> str:
    """The file FreeSWITCH plays, relative to the channel's ``sound_prefix`` (its language)."""
    if prompt_id not in PROMPTS:
        raise KeyError(f"unknown prompt {prompt_id!r}")
    return f"pbx/{prompt_id}.wav"


def text(prompt_id: str, language: str) -> str:
    return PROMPTS[prompt_id][language]
