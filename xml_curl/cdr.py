"""The call-record door: FreeSWITCH (mod_xml_cdr) POSTs each finished channel's record here.

This is how a fax outcome reaches us even when no ESL listener was connected as the call
ended (issue 16): the switch retries the POST (``retries``/``delay`` in xml_cdr.conf.xml),
then keeps the record in its error folder, which ``freeswitch-conf/replay-xml-cdr.sh`` posts
again later. The rules are the core's (fs_service/fax/outcomes.py); this door only checks who
is asking (the very gate of ``/freeswitch/xml``: source networks ``PBX_XML_CURL_ALLOWED`` and
the basic-auth credentials), reads the XML and answers:

- 200 once the record is applied and committed, or when it concerns no fax (nearly every call:
  answered at once after a substring check, the XML is not even parsed);
- 400 for a body that is no record (the switch keeps it in its error folder: nothing is lost);
- 401/403 like the xml_curl endpoint;
- 503 when the database failed: the switch retries, then keeps the record for the replay.
mod_xml_cdr sends ``cdr=<url-encoded XML>`` (``encode=true``) or the bare XML (``textxml``).
"""
from __future__ import annotations

import logging
from urllib.parse import unquote

from flask import Blueprint, Response, current_app, request
from lxml import etree

from fs_service.db import db
from fs_service.fax.outcomes import CallRecord, is_fax, record_call

from .views import GATE, Gate

log = logging.getLogger("pbx.xml_curl.cdr")
bp = Blueprint("xml_cdr", __name__)
# No DTD, no entities, no network: the record is data from the switch, parsed defensively anyway.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class NotARecord(ValueError):
    pass


def _text(response: str, status: int) -> Response:
    return Response(response + "\n", status=status, mimetype="text/plain")


def _body() -> bytes:
    """The record's XML: the ``cdr`` form field (``encode=true``), else the raw body (``textxml``)."""
    if request.mimetype == "application/x-www-form-urlencoded":
        return (request.form.get("cdr") or "").encode()
    return request.get_data()


def parse_record(xml: bytes) -> CallRecord:
    """mod_xml_cdr's ``<cdr>``: ``<variables>`` (values URL-encoded by the switch) and the
    newest ``<callflow>``'s caller profile."""
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise NotARecord(f"cdr: not XML ({exc})") from None
    variables = root.find("variables") if root.tag == "cdr" else None
    if variables is None:
        raise NotARecord("cdr: no <cdr><variables> element")
    values = {child.tag: unquote(child.text or "") for child in variables if isinstance(child.tag, str)}
    profile = root.find("callflow/caller_profile")
    if profile is None:
        return CallRecord(values, direction=values.get("direction", ""))
    return CallRecord(values, profile.findtext("destination_number") or "", profile.findtext("caller_id_number") or "",
                      values.get("direction", ""))


@bp.post("/freeswitch/cdr")
def receive() -> Response:
    gate: Gate = current_app.extensions[GATE]  # set up with the xml_curl endpoint (views.install)
    if not gate.source_allowed(request.environ.get("REMOTE_ADDR")):
        log.warning("cdr refused source=%s reason=address-not-allowed", request.remote_addr)
        return _text("forbidden", 403)
    if not gate.credentials_ok(request):
        log.warning("cdr refused source=%s reason=bad-credentials", request.remote_addr)
        return Response("unauthorized\n", status=401, mimetype="text/plain",
                        headers={"WWW-Authenticate": 'Basic realm="pbx-xml-curl"'})
    if not is_fax(request.get_data(cache=True)):  # "fax_" survives URL encoding: no form parsed
        return _text("ok not-fax", 200)
    xml = _body()
    try:
        record = parse_record(xml)
    except NotARecord as exc:
        log.warning("cdr refused uuid=%s reason=%s", request.args.get("uuid", "")[:64], exc)
        return _text(str(exc), 400)
    try:
        outcome = record_call("cdr", record)
    except Exception:  # the switch must keep the record: it retries, then files it for the replay
        db.session.rollback()
        log.exception("cdr not applied uuid=%s", record.variables.get("uuid", ""))
        return _text("not applied, try again", 503)
    return _text(f"ok {outcome}", 200)
