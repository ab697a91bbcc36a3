"""What a caller hears on the way into a room, in the room's language (CONF-1, CONF-3, CONF-5).

Merged into fs_service.prompts.PROMPTS (beside number_prompts and voicemail_prompts), so scripts/generate_prompts.py makes the audio and
:func:`fs_service.prompts.path` refuses an unknown id."""
from __future__ import annotations

CONFERENCE_PROMPTS: dict[str, dict[str, str]] = {
    "conf-enter-room": {"fr": "Entrez le numéro de la salle de conférence, suivi du carré.",
                        "en": "Enter the conference room number, followed by the pound key."},
    "conf-enter-code": {"fr": "Entrez votre code d'accès, suivi du carré.",
                        "en": "Enter your access code, followed by the pound key."},
    "conf-bad-room": {"fr": "Ce numéro de salle n'existe pas.", "en": "This room number does not exist."},
    "conf-bad-code": {"fr": "Ce code d'accès n'est pas valide.", "en": "This access code is not valid."},
    "conf-too-many": {"fr": "Trop d'essais. Au revoir.", "en": "Too many attempts. Goodbye."},
    "conf-too-early": {"fr": "Cette conférence n'est pas encore ouverte. Vous pourrez la joindre dix minutes "
                             "avant l'heure prévue. Au revoir.",
                       "en": "This conference is not open yet. You may join it ten minutes before its "
                             "start time. Goodbye."},
    "conf-ended": {"fr": "Cette conférence est terminée. Au revoir.",
                   "en": "This conference has ended. Goodbye."},
    "conf-waiting": {"fr": "Veuillez patienter. La conférence commencera à l'arrivée d'un administrateur.",
                     "en": "Please hold. The conference will start when an administrator joins."},
    "conf-say-name": {"fr": "Dites votre nom maintenant, pour l'annoncer à la conférence.",
                      "en": "Please say your name now, to announce you to the conference."},
    "conf-joined": {"fr": "est entré dans la conférence.", "en": "has joined the conference."},
    "conf-left": {"fr": "a quitté la conférence.", "en": "has left the conference."},
    "conf-ending-soon": {"fr": "Cette conférence se terminera dans cinq minutes.",
                         "en": "This conference will end in five minutes."},
}
