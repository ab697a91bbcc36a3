"""Sending a fax (FAX-2..5): check everything, build the cover, render the TIFF, queue the job.

Order matters: every refusal happens before anything is written or queued — the right to fax,
the sender numbers, the destination (its toll class, :mod:`.destinations`), then **each** document (all of them, so the page can say
what is wrong with every file at once, :class:`DocumentsRejected`). Only then the cover page
(ReportLab), the TIFF (Ghostscript, with its page count checked) and the row.

Files, in the fax storage (fax/storage.py): ``<stem>.tif`` (what txfax sends), ``<stem>.pdf``
(the same pages converted back from that TIFF: exactly what the recipient gets, and no
untrusted PDF is ever parsed in this process — validation and rendering run sandboxed) and
``<stem>-cover.pdf`` (attached to the confirmation email, FAX-6).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fax.cover import CoverIncomplete, build_cover
from fax.cover_data import CoverData, total_pages
from fax.received import received_tiff_to_pdf
from fax.render import RenderError, render_fax_tiff
from fax.storage import FaxStorage
from fax.validation import PdfInfo, PdfRejected, ValidationUnavailable, validate_pdf

from ..errors import PbxError, ValidationFailed
from ..models import Account, FaxJob, User
from . import queue, rights
from .destinations import fax_destination

log = logging.getLogger("pbx.fax.sending")


@dataclass(frozen=True)
class Document:
    filename: str
    data: bytes


@dataclass(frozen=True)
class FaxRequest:
    """What the send form (schema/fax.py) gives: the cover fields and the options (FAX-2, 3)."""
    destination: str
    sender_number_id: int
    sender_phone_id: int
    subject: str
    to_name: str
    to_company: str
    to_phone: str
    from_name: str
    from_company: str
    comments: str
    language: str = "fr"
    hide_recipient_phone: bool = False
    hide_sender_phone: bool = False
    hide_sender_fax: bool = False
    remember_subject: bool = False
    remember_company: bool = False


class DocumentsRejected(PbxError):
    """One or more attachments cannot be faxed; ``rejections`` keeps each file's reason so the
    page can phrase it in the reader's language (fax.rejections.describe)."""
    status = 400
    error_id = "fax_documents_rejected"

    def __init__(self, rejections: list[PdfRejected]) -> None:
        self.rejections = rejections
        super().__init__("; ".join(r.reason for r in rejections),
                         {"documents": [r.reason for r in rejections]})


class CheckUnavailable(PbxError):
    """The sandboxed check itself could not run: a server problem, never the file's fault."""
    status = 503
    error_id = "fax_check_unavailable"


class FaxRenderFailed(PbxError):
    status = 422
    error_id = "fax_render_failed"


def check_documents(documents: list[Document]) -> list[PdfInfo]:
    """Validate every document (sandboxed, fax/validation.py); all refusals raised together."""
    infos, rejected = [], []
    for doc in documents:
        try:
            infos.append(validate_pdf(doc.filename, doc.data))
        except PdfRejected as exc:
            rejected.append(exc)
        except ValidationUnavailable:
            raise CheckUnavailable("the document check is unavailable; try again in a moment") from None
    if rejected:
        raise DocumentsRejected(rejected)
    return infos


def submit(account: Account, user: User, request: FaxRequest, documents: list[Document], storage: FaxStorage,
           now: datetime | None = None) -> FaxJob:
    """Queue one fax (flushed, not committed: the caller commits)."""
    rights.require_sender(user, account)
    sender = rights.sender_number(account, request.sender_number_id)
    phone = rights.phone_number(account, request.sender_phone_id)
    dialed = fax_destination(account, user, request.destination)  # 911/N11 refused, toll classes obeyed
    infos = check_documents(documents)
    pages = total_pages([info.page_count for info in infos])
    cover = _cover(_cover_data(account, request, sender.e164, phone.e164, pages, now), request.language)
    stem = storage.new_outbound(account.id)
    try:
        _render(storage, stem, [cover, *(doc.data for doc in documents)], pages)
        storage.write(f"{stem}-cover.pdf", cover)
        job = queue.create_job(account, user.id, sender, dialed.carrier_number, language=request.language,
                               subject=request.subject, recipient_name=request.to_name, stem=stem,
                               pages_total=pages, toll_class=dialed.toll_class)
    except BaseException:
        for suffix in (".tif", ".pdf", "-cover.pdf"):
            storage.remove(stem + suffix)
        raise
    remember_options(user, request)
    log.info("fax queued job=%s account=%s pages=%s", job.id, account.id, pages)
    return job


def _render(storage: FaxStorage, stem: str, pdfs: list[bytes], pages: int) -> None:
    try:
        tiff = render_fax_tiff(pdfs, storage.local(f"{stem}.tif"), expected_pages=pages)
        storage.write(f"{stem}.pdf", received_tiff_to_pdf(tiff.path).pdf)
    except RenderError as exc:
        raise FaxRenderFailed(f"the documents could not be converted to a fax: {exc}") from None


def _cover(data: CoverData, language: str) -> bytes:
    """The cover page; an empty required field is the sender's to fill (a 400 naming it)."""
    try:
        return build_cover(data, language)
    except CoverIncomplete as exc:
        raise ValidationFailed(str(exc), {name: ["Missing data for required field."] for name in exc.missing},
                               error_id="fax_cover_incomplete") from None


def _cover_data(account: Account, request: FaxRequest, sender: str, phone: str, pages: int,
                now: datetime | None) -> CoverData:
    moment = local_now(account.timezone, now)
    return CoverData(
        subject=request.subject, date=moment.date(), time=moment.time(), page_count=pages,
        to_name=request.to_name, to_company=request.to_company, to_fax=request.destination,
        to_phone=request.to_phone, from_name=request.from_name, from_company=request.from_company,
        from_fax=display(sender), from_phone=display(phone), comments=request.comments,
        hide_recipient_phone=request.hide_recipient_phone, hide_sender_phone=request.hide_sender_phone,
        hide_sender_fax=request.hide_sender_fax)


def local_now(zone: str, now: datetime | None = None) -> datetime:
    moment = now or datetime.now(timezone.utc)
    try:
        return moment.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return moment


def display(e164: str) -> str:
    """``+15149073401`` → ``514-907-3401`` (how the guide's cover page shows numbers)."""
    digits = e164.lstrip("+")
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[1:4]}-{digits[4:7]}-{digits[7:]}"
    return e164


def remember_options(user: User, request: FaxRequest) -> None:
    """FAX-2: the language and "hide" choices are kept; subject and company only when asked."""
    user.fax_language = request.language
    user.fax_hide_recipient_phone = request.hide_recipient_phone
    user.fax_hide_sender_phone = request.hide_sender_phone
    user.fax_hide_sender_fax = request.hide_sender_fax
    user.fax_subject = request.subject[:200] if request.remember_subject else None
    user.fax_company = request.from_company[:200] if request.remember_company else None
