"""The benchmark's input: a text-heavy US Letter document, like a contract sent by fax."""
from __future__ import annotations

import datetime as dt
from io import BytesIO

from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen.canvas import Canvas

from fax.cover_data import CoverData

_LINE = ("Le fournisseur s'engage à livrer les marchandises décrites à l'annexe A, conformément "
         "aux conditions générales")


def contract_pdf(pages: int = 10) -> bytes:
    """``pages`` Letter pages of 60 lines of 10 pt text each (~6,000 characters a page)."""
    out = BytesIO()
    canvas = Canvas(out, pagesize=LETTER, invariant=True)
    width, height = LETTER
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica-Bold", 16)
        canvas.drawString(54, height - 60, f"Contrat de fourniture — page {number} de {pages}")
        canvas.setFont("Times-Roman", 10)
        for row in range(60):
            canvas.drawString(54, height - 90 - row * 11.2, f"{number}.{row + 1:02d}  {_LINE}")
        canvas.rect(54, 40, width - 108, 20)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def cover_data(document_pages: int) -> CoverData:
    return CoverData(
        subject="Contrat de fourniture — version « finale »", date=dt.date(2024, 5, 14), time=dt.time(9, 30),
        page_count=document_pages + 1, to_name="Jean-François Côté", to_company="Œuvres Ça Marche inc.",
        to_fax="418 555-0000", to_phone="418 555-0001", from_name="Chrystiane Gaudet",
        from_company="Ubity inc.", from_fax="514 907-3401", from_phone="1 800 112-5290",
        comments="Veuillez signer à la page 10 et nous retourner le contrat. Merci!",
    )
