"""Prompts of company numbers and welcome menus (HRS, guide 4, 5), merged into fs_service.prompts."""
from __future__ import annotations

NUMBER_PROMPTS: dict[str, dict[str, str]] = {
    "office-closed": {"fr": "Nos bureaux sont présentement fermés. Merci de rappeler pendant nos heures d'ouverture.",
                      "en": "Our offices are currently closed. Please call back during business hours."},
    "menu-default-greeting": {"fr": "Bonjour. Si vous connaissez le numéro de poste de la personne à joindre, "
                                    "composez-le maintenant.",
                              "en": "Hello. If you know the extension of the person you are calling, dial it now."},
    "menu-invalid": {"fr": "Ce choix n'est pas valide.", "en": "That is not a valid choice."},
}
