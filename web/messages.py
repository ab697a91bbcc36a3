"""Core and schema messages are stable English sentences; this module shows them in the
visitor's language.

The core must not depend on Flask-Babel (it also runs in the ESL listener), so translation
happens at the edge: exact messages map to a catalog entry, parameterised ones are matched by
a pattern and their parts translated. Anything unknown is shown as is (English), never hidden.
"""
from __future__ import annotations

import re

from flask_babel import gettext

from schema.common import MAX_ID


def N_(message: str) -> str:
    """Mark a string for extraction (pybabel) without translating it now."""
    return message


EXACT = {
    # marshmallow's built-in messages
    "Missing data for required field.": N_("This field is required."),
    "Field may not be null.": N_("This field is required."),
    "Invalid value.": N_("Invalid value."),
    "Not a valid email address.": N_("Not a valid email address."),
    "Not a valid boolean.": N_("Not a valid yes/no value."),
    "Not a valid integer.": N_("Not a valid number."),
    "Not a valid string.": N_("Not a valid text."),
    "Unknown field.": N_("Unknown field."),
    # A minimum length of 1 means "fill it in", not "at least 1 characters".
    "Shorter than minimum length 1.": N_("This field is required."),
    "Invalid input type.": N_("Invalid input."),
    # schema/ rules
    "digits only": N_("Digits only."),
    "must be one of: fr, en": N_("Choose French or English."),
    "must be one of: new_user, existing_user, admin": N_("Choose how the extension is assigned."),
    "required for a new user": N_("Required for a new user."),
    "must not contain control characters or '${'": N_("Must not contain control characters or '${'."),
    "must be a DNS name such as acme.example.com": N_("Must be a domain name such as acme.example.com."),
    # fs_service rules
    "this email is already used by another login": N_("This email is already used by another login."),
    "this SIP domain is already used by another account": N_("This SIP domain is already used by another account."),
    "choose the user to assign": N_("Choose the user to assign."),
    "no such user in this account": N_("No such user in this account."),
    "this link is invalid, already used or expired": N_("This link is invalid, already used or expired."),
    "too many failed logins; try again later": N_("Too many failed login attempts. Try again later."),
    # fs_service.accounts.two_factor
    "the code does not match (check that the phone's clock is right)":
        N_("This code does not match. Check that the phone's clock is right."),
    "two-factor authentication is already on": N_("Two-factor authentication is already on."),
    "two-factor authentication is required for this login":
        N_("Two-factor authentication is required for this login: it cannot be turned off."),
    "ask another administrator or the operator to reset your own two-factor":
        N_("Ask another administrator or the operator to reset your own two-factor authentication."),
    "this action is reserved to the account administrators": N_("This action is reserved to the account administrators."),
    "this action is reserved to the operator": N_("This action is reserved to the operator."),
    "this extension is not assigned to you": N_("This extension is not assigned to you."),
    "log in or send a valid API token": N_("Please log in."),
    "account not found": N_("Account not found."),
    "extension not found": N_("Extension not found."),
    "softphone not found": N_("Softphone not found."),
    "user not found": N_("User not found."),
    "not found": N_("Page not found."),
    "internal error": N_("Internal error. The team has been notified; please try again later."),
    "the form has expired": N_("The form has expired. Reload the page and try again."),
    # extension settings (schema/extension_settings.py, fs_service/extension_settings*.py)
    "digits only, with an optional leading +": N_("Digits only, with an optional leading +."),
    "the access code must be 4 to 12 digits": N_("The access code must be 4 to 12 digits."),
    "each row needs the extension id": N_("Each row must name its extension."),
    "this extension appears twice": N_("This extension appears twice."),
    "choose an extension of this account or an external number":
        N_("Choose an extension of this account or an external number."),
    "an extension cannot forward to itself": N_("An extension cannot forward to itself."),
    "emergency and service numbers cannot receive forwarded calls":
        N_("Emergency and service numbers cannot receive forwarded calls."),
    "not a valid phone number": N_("Not a valid phone number."),
    "this extension may not call this number without an access code":
        N_("This extension may not call this number without an access code."),
    "find-me/follow-me needs an external number": N_("Find-me/follow-me needs an external number."),
    "required when call forwarding is on": N_("Required when call forwarding is on."),
    "required when find-me/follow-me is on": N_("Required when find-me/follow-me is on."),
    "required when calls need an access code": N_("Required when calls need an access code."),
    "enter both the caller ID name and number, or neither":
        N_("Enter both the caller ID name and number, or neither."),
    "choose one of the account's numbers": N_("Choose one of the account's numbers."),
    "choose one of the music on hold offered": N_("Choose one of the music on hold offered."),
    "this setting is reserved to the account administrators":
        N_("This setting is reserved to the account administrators."),
    "this setting does not exist": N_("This setting does not exist."),
    "the outbound caller ID name has accents or special characters: many carriers and phones do not show them":
        N_("The outbound caller ID name has accents or special characters: many carriers and phones do not show them."),
    "find-me/follow-me is not used while call forwarding is on":
        N_("Find-me/follow-me is not used while call forwarding is on."),
    "call forwarding to this number will not work: access code needed":
        N_("Call forwarding to this number will not work: it needs an access code."),
    # purposes of reserved numbers (fs_service.numbering.RESERVED)
    "public service": N_("public service"),
    "voicemail access": N_("voicemail access"),
    "call park": N_("call park"),
    "call park slot": N_("call park slot"),
    "conference access": N_("conference access"),
    "closure message recording": N_("closure message recording"),
    # voicemail (schema/voicemail.py, fs_service/voicemail/, web/voicemail_access.py)
    "use 2 to 5 digits": N_("Use 2 to 5 digits."),
    "use 4 to 10 digits": N_("Use 4 to 10 digits."),
    "an email address is required to keep messages off the server":
        N_("An email address is required to keep messages off the server."),
    "no such extension in this account": N_("No such extension in this account."),
    "a mailbox attached to an extension has its number": N_("A mailbox attached to an extension has its number."),
    "this extension already has a mailbox": N_("This extension already has a mailbox."),
    "no such call treatment in this account": N_("No such call treatment in this account."),
    "this field cannot be changed": N_("This field cannot be changed."),
    "mailbox not found": N_("Mailbox not found."),
    "message not found": N_("Message not found."),
    "recording not found": N_("Recording not found."),
    # numbers, schedules, blacklist, menus (schema/numbers.py, schedules.py, blacklist.py, menus.py, fs_service/)
    "digits only, without spaces or dashes (e.g. 5149073400)":
        N_("Digits only, without spaces or dashes (e.g. 5149073400)."),
    "from 1 to 20 digits": N_("From 1 to 20 digits."),
    # fax (fs_service/fax, web/ui/fax_common.py) and the development mail catcher (web/ui/mail.py)
    "fax not found": N_("Fax not found."),
    "you do not have the right to send faxes; ask your account administrator":
        N_("You do not have the right to send faxes; ask your account administrator."),
    "there is no mail catcher in production": N_("There is no mail catcher in production."),
    "email not found": N_("Email not found."),
    "attachment not found": N_("Attachment not found."),
    "no spaces, control characters or '${'": N_("No spaces, control characters or '${'."),
    f"must be an id from 1 to {MAX_ID}": N_("Choose one of the choices offered."),
    "this rule already exists": N_("This rule already exists."),
    "rule not found": N_("Rule not found."),
    "confirm to delete every rule": N_("Tick the box to confirm."),
    "number not found": N_("Number not found."),
    "exception not found": N_("Exception not found."),
    "treatment not found": N_("Treatment not found."),
    "menu not found": N_("Welcome menu not found."),
    "Not a valid time.": N_("Not a valid time (HH:MM)."),
    "Not a valid date.": N_("Not a valid date (YYYY-MM-DD)."),
    "Not a valid datetime.": N_("Not a valid date and time."),
    "required": N_("This field is required."),
    "must not be before the start date": N_("Must not be before the start date."),
    "a yearly exception must last less than a year": N_("A yearly exception must last less than a year."),
    "required when closed between two times": N_("Required when closed between two times."),
    "must be after the closing time (00:00 = midnight)": N_("Must be after the closing time (00:00 = midnight)."),
    "must differ from the opening time (00:00 to 00:00 = all day)":
        N_("Must differ from the opening time (00:00 to 00:00 = all day)."),
    "no such treatment in this account": N_("No such call treatment in this account."),
    "choose one of this account's": N_("Choose one of this account's."),
    "choose what follows the message": N_("Choose what follows the message."),
    "this would loop back to the same message": N_("This would loop back to the same message."),
    "unknown time zone: use an IANA name such as America/Toronto":
        N_("Unknown time zone: use a name such as America/Toronto."),
    "an IANA time zone name": N_("Unknown time zone: use a name such as America/Toronto."),
    "a North American number, e.g. +15145550100": N_("A North American number, e.g. +15145550100."),
    "not a North American number: +1 then 10 digits (e.g. +15145550100)":
        N_("Not a North American number: +1 then 10 digits (e.g. +15145550100)."),
    "must be one of this account's uploaded sounds or a shipped prompt (pbx/<name>.wav)":
        N_("Must be one of this account's uploaded sounds or a shipped prompt (pbx/<name>.wav)."),
    "required, at most 80 characters": N_("Required, at most 80 characters."),
    "cannot be this same menu": N_("Cannot be this same menu."),
    "Monday": N_("Monday"), "Tuesday": N_("Tuesday"), "Wednesday": N_("Wednesday"), "Thursday": N_("Thursday"),
    "Friday": N_("Friday"), "Saturday": N_("Saturday"), "Sunday": N_("Sunday"),
    # carrier gateways (fs_service/gateways.py, schema/gateways.py)
    "use 1 to 64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit":
        N_("Use 1 to 64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit."),
    "must be a host name or IP address, with an optional :port":
        N_("Must be a host name or IP address, with an optional :port."),
    "this name is already used by another gateway": N_("This name is already used by another gateway."),
    "no such gateway": N_("No such gateway."),
    "gateway not found": N_("Gateway not found."),
    "this gateway is reserved to another account": N_("This gateway is reserved to another account."),
    "no such account": N_("No such account."),
    "other accounts use this gateway: give them another gateway first":
        N_("Other accounts use this gateway: give them another gateway first."),
    "no spaces": N_("No spaces."),
    # audio conferences (fs_service/conferences, schema/conferences.py)
    "required for a single-use conference": N_("Required for a single-use conference."),
    "unknown time zone": N_("Unknown time zone."),
    "not allowed for a permanent conference": N_("Not allowed for a permanent conference."),
    "must be from 15 to 180 minutes (3 hours at most)": N_("Must be from 15 to 180 minutes (3 hours at most)."),
    "must be one of: permanent, single_use": N_("Choose permanent or single use."),
    "must be one of: admin, participant": N_("Choose administrator or participant."),
    "participant not connected": N_("This participant is no longer connected."),
    "participant not yet in the room": N_("This participant is not in the room yet."),
    "the room is not running": N_("The conference is not running: a participant can only be called into it once "
                                  "it has started."),
    "no carrier route": N_("This account has no way to call out."),
    "not a phone number that can be dialled": N_("Not a phone number that can be dialled."),
    "an emergency number cannot be called into a conference":
        N_("An emergency number cannot be called into a conference."),
    "your extension may not call this number without an access code":
        N_("Your extension may not call this number without an access code."),
    "digits only, 3 to 15": N_("Digits only, 3 to 15."),
    "required to call the participant now": N_("Required to call the participant now."),
}

PATTERNS = [
    (re.compile(r"^invalid extension: use 2 to 5 digits, not starting with 0$"),
     N_("Invalid extension: use 2 to 5 digits, not starting with 0.")),
    (re.compile(r"^invalid extension: (?P<number>\S+) is reserved for (?P<purpose>.+)$"),
     N_("Invalid extension: %(number)s is reserved (%(purpose)s).")),
    (re.compile(r"^invalid extension: (?P<number>\S+) is already used$"),
     N_("Invalid extension: %(number)s is already used.")),
    (re.compile(r"^must be at least (?P<count>\d+) characters$"),
     N_("Must be at least %(count)s characters.")),
    (re.compile(r"^must be between (?P<min>\d+) and (?P<max>\d+) characters$"),
     N_("Must be between %(min)s and %(max)s characters.")),
    (re.compile(r"^Length must be between (?P<min>\d+) and (?P<max>\d+)\.$"),
     N_("Must be between %(min)s and %(max)s characters.")),
    (re.compile(r"^Longer than maximum length (?P<max>\d+)\.$"),
     N_("At most %(max)s characters.")),
    (re.compile(r"^Shorter than minimum length (?P<min>\d+)\.$"),
     N_("At least %(min)s characters.")),
    (re.compile(r"^must be from (?P<low>\d+) to (?P<high>\d+)$"),
     N_("Must be from %(low)s to %(high)s.")),
    (re.compile(r"^must be one of: (?P<choices>.+)$"),
     N_("Must be one of: %(choices)s.")),
    (re.compile(r"^invalid input: (?P<fields>.+)$"),
     N_("Invalid input: %(fields)s.")),
    # voicemail: mailbox numbers follow the extension rules (fs_service/voicemail/mailboxes.py)
    (re.compile(r"^invalid mailbox number: use 2 to 5 digits, not starting with 0$"),
     N_("Invalid mailbox number: use 2 to 5 digits, not starting with 0.")),
    (re.compile(r"^invalid mailbox number: (?P<number>\S+) is reserved for (?P<purpose>.+)$"),
     N_("Invalid mailbox number: %(number)s is reserved (%(purpose)s).")),
    (re.compile(r"^(?P<number>\d+) is already used$"),
     N_("%(number)s is already used.")),
    (re.compile(r"^(?P<number>\+\d+) is already assigned$"), N_("%(number)s is already assigned.")),
    (re.compile(r"^must be a whole number from (?P<low>\d+) to (?P<high>\d+)$"),
     N_("Must be from %(low)s to %(high)s.")),
    (re.compile(r"^(?P<day>\w+): (?P<second>.+) overlaps (?P<first>.+)$"),
     N_("%(day)s: %(second)s overlaps %(first)s.")),
    (re.compile(r"^(?P<day>\w+): opens and closes at the same time$"),
     N_("%(day)s: opens and closes at the same time.")),
    (re.compile(r"^must be between (?P<min>\d+) and (?P<max>\d+)$"),
     N_("Must be between %(min)s and %(max)s.")),
    (re.compile(r"^Must be greater than or equal to (?P<min>\d+) and less than or equal to (?P<max>\d+)\.$"),
     N_("Must be between %(min)s and %(max)s.")),
]


def translate(message: str) -> str:
    """The message in the current locale, or unchanged when it is not one we know."""
    if message in EXACT:
        return gettext(EXACT[message])
    for pattern, msgid in PATTERNS:
        match = pattern.match(message)
        if match:
            parts = {key: translate(value) for key, value in match.groupdict().items()}
            return gettext(msgid, **parts)
    return message


# Address books (fs_service/books, schema/books.py)
EXACT.update({
    "digits only (2 to 20), without spaces, dashes or +: e.g. 5149073400":
        N_("Digits only (2 to 20), without spaces, dashes or +: e.g. 5149073400."),
    "give a first name or a last name": N_("Give a first name or a last name."),
    "not a valid email address": N_("Not a valid email address."),
    "at most 80 characters": N_("At most 80 characters."),
    "must not contain control characters": N_("Must not contain control characters."),
    "choose at least one address book": N_("Choose at least one address book."),
    "another address book already has this name": N_("Another address book already has this name."),
    "must be 1 to 80 characters": N_("Must be 1 to 80 characters."),
    "must not be empty": N_("This field is required."),
    "address book not found": N_("Address book not found."),
    "contact not found": N_("Contact not found."),
    "only the account administrators change a shared address book":
        N_("Only the account administrators change a shared address book."),
    "only the account administrators change the contacts of a shared address book":
        N_("Only the account administrators change the contacts of a shared address book."),
    '"mine" or the id of a shared address book': N_("Choose My contacts or a shared address book."),
    "the first line must name the columns: phone,first_name,last_name,email":
        N_("The first line must name the columns: phone,first_name,last_name,email."),
    "the file is empty": N_("The file is empty."),
    "at most 10000 contacts per file": N_("At most 10000 contacts per file."),
    "choose a CSV file: this one is empty": N_("Choose a CSV file: this one is empty."),
    "the file is larger than 2 MB": N_("The file is larger than 2 MB."),
    "the file is not UTF-8 text (save it as CSV UTF-8)": N_("The file is not UTF-8 text (save it as CSV UTF-8)."),
})


# Phones (fs_service/phones, schema/phones.py)
EXACT.update({
    "12 hexadecimal digits (0-9, a-f), optionally separated by ':', '-' or '.'":
        N_("12 hexadecimal digits (0-9, a-f), optionally separated by ':', '-' or '.'."),
    "not the address of one device (all zeros or multicast)":
        N_("Not the address of one device (all zeros or multicast)."),
    "this phone is already registered": N_("This phone is already registered."),
    "choose the phone's model before assigning it": N_("Choose the phone's model first."),
    "an IANA time zone such as America/Toronto": N_("Unknown time zone: use a name such as America/Toronto."),
    "only the company's extensions can be monitored": N_("Only the company's extensions can be monitored."),
    "confirm to replace their lists": N_("Tick the box to confirm."),
    "no such extension in the company book": N_("No such extension in the company book."),
    "no such contact in your address books": N_("No such contact in your address books."),
    "phone not found": N_("Phone not found."),
    "line key not found": N_("Line key not found."),
})
PATTERNS.extend([
    (re.compile(r"^line key (?P<key>\d+) is already used on this phone$"),
     N_("Line key %(key)s is already used on this phone.")),
    (re.compile(r"^extension (?P<number>\S+) is already on line key (?P<key>\d+) of this phone$"),
     N_("Extension %(number)s is already on line key %(key)s of this phone.")),
    (re.compile(r"^a key from 1 to (?P<high>\d+) on a (?P<model>.+)$"), N_("Choose a key from 1 to %(high)s.")),
    (re.compile(r"^position (?P<position>\d+) is already taken by entry \d+$"),
     N_("Position %(position)s is already taken.")),
    (re.compile(r"^(?P<count>\d+) favourites, but this phone has (?P<keys>\d+) free keys$"),
     N_("%(count)s favourites, but this phone has %(keys)s free keys.")),
])
