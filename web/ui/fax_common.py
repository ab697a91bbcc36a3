"""What the fax pages and the fax API share: who opens what, how a fax file leaves the server,
and the fax messages in the reader's language.

- Sending and the outbox: users with the fax right (FAX-1); admins see every fax of the
  account, users the faxes they sent.
- The inbox (FAX-7) is the account's fax machine: admins and users with the fax right.
Anything else is *not found*, as for every object of another tenant.
"""
from __future__ import annotations

from flask import Response, request, send_file
from flask_babel import gettext

from fax.received import first_page_thumbnail
from fax.storage import FaxStorage
from fs_service import access
from fs_service.errors import NotFound
from fs_service.fax import current_storage, retention, rights
from fs_service.models import Account, User
from web.actor import current_actor

from ..messages import N_, translate

#: The fax core's English messages (fs_service/fax, schema/fax.py) → catalog entries.
MESSAGES = {
    "choose one of the account's fax numbers": N_("Choose one of the account's fax numbers."),
    "choose one of the account's numbers": N_("Choose one of the account's numbers."),
    "not a fax number we can call": N_("This is not a fax number we can call."),
    "a phone number: digits, spaces, ( ) . - and an optional +":
        N_("A phone number: digits, spaces, ( ) . - and an optional +."),
    "must not contain control characters": N_("Must not contain control characters."),
    "This field is required.": N_("This field is required."),
    "you do not have the right to send faxes; ask your account administrator":
        N_("You do not have the right to send faxes; ask your account administrator."),
    "fax not found": N_("Fax not found."),
    "this fax is still being sent": N_("This fax is still being sent."),
    "the sender fax number of this fax is no longer a fax number":
        N_("The sender fax number of this fax is no longer a fax number."),
    "the pages of this fax are no longer stored": N_("The pages of this fax are no longer stored."),
    "the document check is unavailable; try again in a moment":
        N_("The document check is unavailable; try again in a moment."),
    "this setting is reserved to the operator": N_("This setting is reserved to the operator."),
    "reserved to the operator": N_("Reserved to the operator: ask your business representative."),
    "reserved to the account administrators": N_("This action is reserved to the account administrators."),
    "emergency numbers (911) cannot receive a fax": N_("Emergency numbers (911) cannot receive a fax."),
    "service numbers such as 311 or 511 cannot receive a fax":
        N_("Service numbers such as 311 or 511 cannot receive a fax."),
    "long-distance faxes are not allowed for your extension":
        N_("Long-distance faxes are not allowed for your extension."),
    "international faxes are not allowed for your extension":
        N_("International faxes are not allowed for your extension."),
    "long-distance calls need an access code on your extension, and a fax cannot type one; ask your administrator":
        N_("Long-distance calls need an access code on your extension, and a fax cannot type one; "
           "ask your administrator."),
    "international calls need an access code on your extension, and a fax cannot type one; ask your administrator":
        N_("International calls need an access code on your extension, and a fax cannot type one; "
           "ask your administrator."),
    "you have no extension allowing long-distance calls": N_("You have no extension allowing long-distance calls."),
    "you have no extension allowing international calls": N_("You have no extension allowing international calls."),
    "this fax is being sent right now and can no longer be cancelled":
        N_("This fax is being sent right now and can no longer be cancelled."),
    "this fax is finished and can no longer be cancelled": N_("This fax is finished and can no longer be cancelled."),
    "the pages of this fax were deleted at the end of the retention period":
        N_("The pages of this fax were deleted at the end of the retention period."),
    "at most 10 addresses": N_("At most 10 addresses."),
    "number not found": N_("Number not found."),
}
STATES = {"queued": N_("Queued"), "sending": N_("Sending"), "retrying": N_("New try scheduled"),
          "sent": N_("Sent"), "failed": N_("Failed"), "cancelled": N_("Cancelled"),
          "unknown": N_("Outcome unknown"), "awaiting": N_("Awaiting the switch's report")}
#: The fax fields of a number, as the fax settings page labels them (refusals name the field).
FIELDS = {"is_fax": N_("Fax number"), "fax_confirmation_email": N_("Send a confirmation email"),
          "fax_inbound_emails": N_("Send received faxes to")}
FAILURES = {"line": N_("Busy, no answer or unreachable"), "negotiation": N_("The fax machines could not communicate"),
            "document": N_("The document was refused by the fax software"),
            "number": N_("This number cannot be reached")}


def fax_message(message: str) -> str:
    """A fax core or schema message in the current language (unknown ones as they are)."""
    if message in MESSAGES:
        return gettext(MESSAGES[message])
    if message.startswith("not a valid email address: "):
        return gettext("Not a valid email address: %(address)s.", address=message.rsplit(": ", 1)[1])
    if message.startswith("the documents could not be converted to a fax"):
        return gettext("The documents could not be converted to a fax. Please try again later.")
    return translate(message)


def field_messages(details: dict) -> list[str]:
    """Each refusal of a fax number setting, with the field it is about."""
    return [gettext("%(field)s: %(message)s", field=gettext(FIELDS[key]), message=fax_message(str(m)))
            if key in FIELDS else fax_message(str(m)) for key, items in details.items() for m in items]


def state_label(state: str) -> str:
    return gettext(STATES.get(state, state))


def failure_label(failure: str | None) -> str:
    return gettext(FAILURES[failure]) if failure in FAILURES else ""


def may_use_inbox(user: User, account: Account) -> bool:
    return access.is_admin_of(user, account) or rights.can_send(user, account)


def require_inbox(user: User, account: Account) -> None:
    if not may_use_inbox(user, account):
        raise NotFound("fax not found")


def tab_context() -> dict:
    """What the fax pages' own menu (templates/fax/_tabs.html) may offer the visitor."""
    user, account_id = current_actor(), (request.view_args or {}).get("account_id")
    if user is None or account_id is None or (user.account_id != account_id and not access.is_operator(user)):
        return {"fax_can_send": False, "fax_is_admin": False}
    is_admin = access.is_operator(user) or (user.role == "admin" and user.account_id == account_id)
    return {"fax_can_send": bool(user.can_fax) and user.account_id == account_id, "fax_is_admin": is_admin}


def storage() -> FaxStorage:
    return current_storage()


def stored_pdf(row) -> str | None:
    """A fax's PDF path; 410 ``fax_files_purged`` once the retention sweep deleted its pages."""
    retention.require_files(row)
    return row.pdf_path


def file_response(relative: str | None, name: str, mimetype: str, download: bool = True) -> Response:
    """A stored fax file (PDF, PNG) or 404; never cached by shared caches (personal data)."""
    store = storage()
    path = store.local(relative) if relative else None
    if path is None or not path.is_file():
        raise NotFound("fax not found")
    response = send_file(path, mimetype=mimetype, as_attachment=download, download_name=name, max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def thumbnail_response(pdf_relative: str | None, name: str) -> Response:
    """The first-page preview, made from the PDF (Ghostscript) the first time it is asked for
    when the worker did not store one (older rows)."""
    if not pdf_relative:
        raise NotFound("fax not found")
    store = storage()
    relative = store.thumbnail_of(pdf_relative)
    if store.read(relative) is None and store.read(pdf_relative) is not None:
        store.write(relative, first_page_thumbnail(store.local(pdf_relative)))
    return file_response(relative, name, "image/png", download=False)
