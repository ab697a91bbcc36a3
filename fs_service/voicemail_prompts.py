"""Every sentence the voicemail service says, FR and EN (merged into prompts.PROMPTS).

Numbers, dates and times are not here: they are spoken by FreeSWITCH's ``say`` (mod_say_fr,
mod_say_en) from the sound packs' digit files, so "vingt et un" and "twenty-one" come out right.
Sentences are cut where a number or a name is inserted ("Vous avez" + 3 + "nouveaux messages").
"""
from __future__ import annotations

VOICEMAIL_PROMPTS: dict[str, dict[str, str]] = {
    # -- deposit -----------------------------------------------------------------------
    "vm-person-at-extension": {"fr": "La personne au poste", "en": "The person at extension"},
    "vm-reached-mailbox": {"fr": "Vous avez joint la boîte vocale", "en": "You have reached mailbox"},
    "vm-not-available": {"fr": "n'est pas disponible.", "en": "is not available."},
    "vm-is-busy": {"fr": "est déjà au téléphone.", "en": "is on the phone."},
    "vm-leave-message": {"fr": "Laissez votre message après le signal sonore. Appuyez sur le carré "
                               "pour terminer.",
                         "en": "Please leave your message after the tone. Press pound when you are "
                               "finished."},
    "vm-mailbox-full": {"fr": "Cette boîte vocale est pleine. Vous ne pouvez pas laisser de message. "
                              "Au revoir.",
                        "en": "This mailbox is full. You cannot leave a message. Goodbye."},
    "vm-mailbox-unavailable": {"fr": "Cette boîte vocale n'est pas disponible. Au revoir.",
                               "en": "This mailbox is not available. Goodbye."},
    "vm-no-message-recorded": {"fr": "Aucun message n'a été enregistré. Au revoir.",
                               "en": "No message was recorded. Goodbye."},
    "vm-review-message": {"fr": "Pour écouter votre message, appuyez sur le 1. Pour le réenregistrer, "
                                "appuyez sur le 3. Pour l'envoyer, appuyez sur le carré ou raccrochez.",
                          "en": "To listen to your message, press 1. To record it again, press 3. "
                                "To send it, press pound or hang up."},
    "vm-message-sent": {"fr": "Votre message a été transmis. Merci, au revoir.",
                        "en": "Your message has been delivered. Thank you, goodbye."},
    # the switch's own fallback when the voicemail service does not answer (xml_curl/dialplan.py)
    "vm-service-unavailable": {"fr": "Notre messagerie vocale est momentanément indisponible. "
                                     "Veuillez rappeler dans quelques minutes. Au revoir.",
                               "en": "Our voicemail is briefly unavailable. Please call again in a few minutes. "
                                     "Goodbye."},
    # -- login -------------------------------------------------------------------------
    "vm-enter-mailbox": {"fr": "Entrez le numéro de votre boîte vocale, suivi du carré.",
                         "en": "Enter your mailbox number, followed by the pound key."},
    "vm-enter-password": {"fr": "Entrez votre mot de passe, suivi du carré.",
                          "en": "Enter your password, followed by the pound key."},
    "vm-login-incorrect": {"fr": "Ouverture de session invalide.", "en": "Login incorrect."},
    "vm-too-many-attempts": {"fr": "Trop de tentatives. La boîte vocale est verrouillée pour quelques "
                                   "minutes. Au revoir.",
                             "en": "Too many attempts. The mailbox is locked for a few minutes. Goodbye."},
    "vm-mailbox-locked": {"fr": "Cette boîte vocale est temporairement verrouillée. Réessayez plus tard. "
                                "Au revoir.",
                          "en": "This mailbox is temporarily locked. Please try again later. Goodbye."},
    # -- main menu ---------------------------------------------------------------------
    "vm-you-have": {"fr": "Vous avez", "en": "You have"},
    "vm-new-message": {"fr": "nouveau message", "en": "new message"},
    "vm-new-messages": {"fr": "nouveaux messages", "en": "new messages"},
    "vm-saved-message": {"fr": "message sauvegardé", "en": "saved message"},
    "vm-saved-messages": {"fr": "messages sauvegardés", "en": "saved messages"},
    "vm-and": {"fr": "et", "en": "and"},
    "vm-no-messages": {"fr": "Vous n'avez aucun message.", "en": "You have no messages."},
    "vm-main-menu": {"fr": "Pour écouter vos nouveaux messages, appuyez sur le 1. Pour vos messages "
                           "sauvegardés, appuyez sur le 2. Pour les options de la boîte vocale, appuyez "
                           "sur le 0. Pour terminer, appuyez sur l'étoile.",
                     "en": "To listen to your new messages, press 1. For your saved messages, press 2. "
                           "For mailbox options, press 0. To finish, press star."},
    # -- messages ----------------------------------------------------------------------
    "vm-message": {"fr": "Message", "en": "Message"},
    "vm-message-menu": {"fr": "Pour réécouter, appuyez sur le 1. Pour sauvegarder, appuyez sur le 2. "
                              "Pour effacer, appuyez sur le 3. Pour la date et l'appelant, appuyez sur "
                              "le 5. Pour le message suivant, appuyez sur le 6. Pour revenir au menu "
                              "principal, appuyez sur l'étoile.",
                        "en": "To replay, press 1. To save, press 2. To delete, press 3. For the date "
                              "and the caller, press 5. For the next message, press 6. To return to "
                              "the main menu, press star."},
    "vm-received": {"fr": "Reçu le", "en": "Received"},
    "vm-from": {"fr": "De", "en": "From"},
    "vm-unknown-caller": {"fr": "numéro inconnu", "en": "unknown number"},
    "vm-saved": {"fr": "Message sauvegardé.", "en": "Message saved."},
    "vm-deleted": {"fr": "Message effacé.", "en": "Message deleted."},
    "vm-no-more-messages": {"fr": "Il n'y a plus de messages.", "en": "There are no more messages."},
    # -- options -----------------------------------------------------------------------
    "vm-options-menu": {"fr": "Pour votre message d'absence, appuyez sur le 1. Pour votre message "
                              "d'occupation, appuyez sur le 2. Pour votre nom, appuyez sur le 3. Pour "
                              "votre message temporaire, appuyez sur le 4. Pour changer votre mot de "
                              "passe, appuyez sur le 5. Pour revenir au menu principal, appuyez sur "
                              "l'étoile.",
                        "en": "For your unavailable greeting, press 1. For your busy greeting, press 2. "
                              "For your name, press 3. For your temporary greeting, press 4. To change "
                              "your password, press 5. To return to the main menu, press star."},
    "vm-greeting-unavailable": {"fr": "Message d'absence.", "en": "Unavailable greeting."},
    "vm-greeting-busy": {"fr": "Message d'occupation.", "en": "Busy greeting."},
    "vm-greeting-name": {"fr": "Votre nom.", "en": "Your name."},
    "vm-greeting-temporary": {"fr": "Message temporaire.", "en": "Temporary greeting."},
    "vm-greeting-menu": {"fr": "Pour l'enregistrer, appuyez sur le 1. Pour le supprimer, appuyez sur "
                               "le 2. Pour revenir, appuyez sur l'étoile.",
                         "en": "To record it, press 1. To remove it, press 2. To go back, press star."},
    "vm-record-greeting": {"fr": "Après le signal sonore, enregistrez votre message. Appuyez sur le "
                                 "carré pour terminer.",
                           "en": "After the tone, record your greeting. Press pound when you are "
                                 "finished."},
    "vm-record-name": {"fr": "Après le signal sonore, dites votre nom. Appuyez sur le carré pour "
                             "terminer.",
                       "en": "After the tone, say your name. Press pound when you are finished."},
    "vm-review-greeting": {"fr": "Pour l'écouter, appuyez sur le 1. Pour le conserver, appuyez sur le "
                                 "2. Pour le réenregistrer, appuyez sur le 3. Pour annuler, appuyez sur "
                                 "l'étoile.",
                           "en": "To listen to it, press 1. To keep it, press 2. To record it again, "
                                 "press 3. To cancel, press star."},
    "vm-greeting-saved": {"fr": "C'est enregistré.", "en": "Your greeting has been saved."},
    "vm-greeting-removed": {"fr": "C'est supprimé.", "en": "Your greeting has been removed."},
    "vm-no-greeting": {"fr": "Aucun message de ce type n'est enregistré.",
                       "en": "There is no such greeting."},
    "vm-cancelled": {"fr": "Annulé.", "en": "Cancelled."},
    "vm-enter-new-password": {"fr": "Entrez votre nouveau mot de passe, de 4 à 10 chiffres, suivi du "
                                    "carré.",
                              "en": "Enter your new password, 4 to 10 digits, followed by the pound "
                                    "key."},
    "vm-confirm-password": {"fr": "Entrez-le de nouveau pour confirmer, suivi du carré.",
                            "en": "Enter it again to confirm, followed by the pound key."},
    "vm-password-mismatch": {"fr": "Les mots de passe ne correspondent pas.",
                             "en": "The passwords do not match."},
    "vm-password-changed": {"fr": "Votre mot de passe a été changé.", "en": "Your password has been changed."},
    # -- shared ------------------------------------------------------------------------
    "vm-invalid-choice": {"fr": "Choix invalide.", "en": "Invalid choice."},
    "vm-goodbye": {"fr": "Au revoir.", "en": "Goodbye."},
}
