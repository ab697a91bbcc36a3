"""Prompts of company numbers and welcome menus (HRS, guide 4, 5), merged into fs_service.prompts."""
from __future__ import annotations

NUMBER_PROMPTS: dict[str, dict[str, str]] = {
    "office-closed": {"fr": "Nos bureaux sont présentement fermés. Merci de rappeler pendant nos heures d'ouverture.",
                      "en": "Our offices are currently closed. Please call back during business hours."},
    "menu-default-greeting": {"fr": "Bonjour. Si vous connaissez le numéro de poste de la personne à joindre, "
                                    "composez-le maintenant.",
                              "en": "Hello. If you know the extension of the person you are calling, dial it now."},
    "menu-invalid": {"fr": "Ce choix n'est pas valide.", "en": "That is not a valid choice."},
    # The closure message recording dialogue (HRS-4), run by the IVR engine for 8400.
    "closure-enter-code": {"fr": "Entrez le code de votre message de fermeture, suivi du carré.",
                           "en": "Enter your closure message code, followed by the pound key."},
    "closure-enter-password": {"fr": "Entrez votre mot de passe, suivi du carré.",
                               "en": "Enter your password, followed by the pound key."},
    "closure-login-incorrect": {"fr": "Code ou mot de passe incorrect.", "en": "Incorrect code or password."},
    "closure-record": {"fr": "Après le signal sonore, enregistrez votre message de fermeture, puis appuyez sur le "
                             "carré. Pour le désactiver, enregistrez un court silence.",
                       "en": "After the tone, record your closure message, then press the pound key. "
                             "To turn it off, record a short silence."},
    "closure-saved": {"fr": "Votre message de fermeture est activé.", "en": "Your closure message is now on."},
    "closure-disabled": {"fr": "Votre message de fermeture est désactivé.", "en": "Your closure message is now off."},
    "closure-review": {"fr": "Pour conserver ce message, appuyez sur le 1. Pour le réenregistrer, appuyez sur le 2. "
                             "Pour le supprimer, appuyez sur le 3.",
                       "en": "To keep this message, press 1. To record it again, press 2. To delete it, press 3."},
    "closure-no-speech": {"fr": "Aucune parole n'a été entendue.", "en": "No speech was heard."},
    "closure-locked": {"fr": "Trop d'essais incorrects. Veuillez réessayer plus tard. Au revoir.",
                       "en": "Too many incorrect attempts. Please try again later. Goodbye."},
}
