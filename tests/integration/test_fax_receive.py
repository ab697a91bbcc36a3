"""FAX-7 end to end: the recorded rxfax stream stores one received fax, the worker turns the TIFF
into a PDF whose pages have the source's size, and the number's recipients get it by email once.
Also: the ReceiveFax step renders the rxfax dialplan the public planner will use."""
from __future__ import annotations

import subprocess
from io import BytesIO

import pytest
from lxml import etree
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, LETTER

from fs_service.callplan.public import fax_receive_steps
from fs_service.calls.steps import Plan
from fs_service.db import db
from fs_service.models import ReceivedFax
from fs_service.numbers import rules as numbers
from tests.integration.test_fax_worker_support import *  # noqa: F403 (fixtures)
from tests.integration.test_fax_worker_support import FS_STORAGE, RECEIVED_UUID, frames_for, send_fax_mail
from tests.unit.test_fax_support import make_pdf
from xml_curl.dialplan import RenderOptions, render

RECORDED_TIFF = f"{FS_STORAGE}/rx-{RECEIVED_UUID}.tif".encode()


def fax_machine_tiff(path, pdf: bytes, resolution: str) -> None:
    """What the far end sends: gs tiffg4 at a fax resolution (as test_fax_received.py)."""
    source = path.with_suffix(".pdf")
    source.write_bytes(pdf)
    subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffg4", f"-r{resolution}",
                    f"-sOutputFile={path}", str(source)], check=True, timeout=60, capture_output=True)
    source.unlink()


@pytest.fixture
def fax_line(world):
    number = numbers.create_number(world.account, "+15145550105", label="Fax in", is_fax=True)
    number.fax_inbound_emails = "compta@acme.test, Boss@Acme.test"
    db.session.commit()
    return number


def receive(world, running, pdf: bytes, resolution: str = "204x196") -> list[ReceivedFax]:
    """The far end faxes ``pdf``: rxfax's file appears, the recorded stream reports it."""
    path = world.storage.local(f"in/rx-{RECEIVED_UUID}.tif")
    fax_machine_tiff(path, pdf, resolution)
    running.esl.send(frames_for("fax-receive-audio", replace={RECORDED_TIFF: f"{FS_STORAGE}/in/rx-{RECEIVED_UUID}.tif"
                                                              .encode()}))
    return list(db.session.scalars(db.select(ReceivedFax)))


@pytest.mark.parametrize("size, resolution", [(LETTER, "204x196"), (A4, "204x98")])
def test_a_received_fax_appears_in_the_inbox_as_a_pdf_with_the_source_page_size(world, running, fax_line, size,
                                                                                  resolution):
    [row] = receive(world, running, make_pdf(size, size), resolution)
    assert (row.account_id, row.number_id, row.caller_number, row.pages) == (world.account.id, fax_line.id,
                                                                             "4185559999", 2)
    assert row.pdf_path is None and row.remote_station_id == "4185559999"
    assert running.worker.convert_received() == 1
    db.session.refresh(row)
    pdf = world.storage.read(row.pdf_path)
    pages = PdfReader(BytesIO(pdf)).pages
    assert len(pages) == 2
    for page in pages:  # gs pads/crops the width to 1728 px (±3 pt); the height is the page's own
        assert abs(float(page.mediabox.width) - size[0]) < 18 and abs(float(page.mediabox.height) - size[1]) < 2


def test_the_recipients_get_the_pdf_once_even_if_the_stream_is_replayed(world, running, fax_line):
    receive(world, running, make_pdf(LETTER, LETTER))
    running.worker.convert_received()
    assert send_fax_mail(world.app.config["PBX"], world.storage) == 1
    receive(world, running, make_pdf(LETTER))
    assert running.worker.convert_received() == 0
    assert send_fax_mail(world.app.config["PBX"], world.storage) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(ReceivedFax)) == 1
    [message] = world.smtp.messages
    assert message["To"] == "compta@acme.test, boss@acme.test"
    assert "Télécopie reçue de 4185559999 (2 pages)" == message["Subject"]
    [pdf] = list(message.iter_attachments())
    assert pdf.get_content_type() == "application/pdf" and pdf.get_content().startswith(b"%PDF")


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_a_tiff_not_yet_visible_is_retried_and_an_unreadable_one_is_kept_with_an_error(world, running, fax_line):
    running.esl.send(frames_for("fax-receive-audio", replace={RECORDED_TIFF: f"{FS_STORAGE}/in/rx-x.tif".encode()}))
    [row] = db.session.scalars(db.select(ReceivedFax))
    assert running.worker.convert_received() == 0 and row.error is None
    world.storage.write("in/rx-x.tif", b"II*\x00garbage")
    assert running.worker.convert_received() == 0
    db.session.refresh(row)
    assert row.error.startswith("received TIFF unreadable")


def test_a_file_outside_the_fax_storage_is_never_read(world, running, fax_line):
    running.esl.send(frames_for("fax-receive-audio"))  # the recorded path is not under in/
    running.esl.send(frames_for("fax-receive-audio", replace={RECORDED_TIFF: b"/etc/passwd"}))
    assert db.session.scalars(db.select(ReceivedFax)).all() == []


def test_fax_receive_steps_render_t38_answer_and_rxfax_with_the_number_id():
    class Entry:
        id = 7
    plan = Plan.of(*fax_receive_steps(Entry(), fs_root="/srv/fax"))
    root = etree.fromstring(render(plan, "public", RenderOptions("127.0.0.1:8084")))
    actions = [(a.get("application"), a.get("data")) for a in root.iter("action")]
    assert actions == [("set", "pbx_fax_number_id=7"), ("set", "fax_enable_t38=true"),
                       ("set", "fax_enable_t38_request=true"), ("answer", None),
                       ("rxfax", "/srv/fax/in/rx-7-${uuid}.tif"), ("hangup", "NORMAL_CLEARING")]


def test_fax_receive_steps_use_the_app_storage_as_freeswitch_sees_it(world):
    [step, _] = fax_receive_steps(world.fax_number)
    assert step.path == f"{FS_STORAGE}/in/rx-{world.fax_number.id}-${{uuid}}.tif"


def test_one_batch_holding_the_result_and_the_hangup_of_a_fax_stores_it_once(world, fax_line):
    from fs_service.fax import apply
    from fs_service.fax.events import RxResult

    def result(uuid: str, dialed: str = "5145550105", number_id=None) -> RxResult:
        return RxResult(uuid, number_id, dialed, "4185559999", f"{FS_STORAGE}/in/rx-{uuid}.tif", True, 0, "OK", 2,
                        "4185559999")

    # the result event, its hang-up fallback (same call), a second fax marked with the number's
    # id, and one for a number that is not ours: two rows, in one transaction
    apply.apply_changes("fs1", [result("u1"), result("u1"), result("u2", dialed="", number_id=fax_line.id),
                                result("u3", dialed="5145550199")])
    rows = db.session.scalars(db.select(ReceivedFax).order_by(ReceivedFax.id)).all()
    assert [(r.channel_uuid, r.number_id, r.tiff_path) for r in rows] == [
        ("u1", fax_line.id, "in/rx-u1.tif"), ("u2", fax_line.id, "in/rx-u2.tif")]
