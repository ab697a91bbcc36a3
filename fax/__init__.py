"""The fax document pipeline (FAX-2..4, FAX-7; DESIGN flow 5): pure functions, no Flask, no database.

- :mod:`fax.validation` — ``validate_pdf``: may this upload be faxed? (sandboxed pypdf check)
- :mod:`fax.cover` — ``build_cover``: the cover page PDF; data and rules in :mod:`fax.cover_data`
- :mod:`fax.render` — ``render_fax_tiff``: cover + documents → the TIFF ``txfax`` sends
- :mod:`fax.received` — ``received_tiff_to_pdf``, ``first_page_thumbnail``: what ``rxfax`` wrote → PDF
  (bilevel pages re-encoded by :mod:`fax.g4_page`, whatever bit order spandsp wrote)
- :mod:`fax.storage` — the layout of the folder shared with FreeSWITCH (``PBX_FAX_STORAGE`` /
  ``PBX_FAX_FS_STORAGE``).

A library beneath the core: it imports nothing of ours. The fax rules that use it are in
fs_service/fax/; the worker that drives sends through FreeSWITCH is esl_handlers/fax_worker.py.
"""
