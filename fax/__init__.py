"""The fax document pipeline (FAX-2..4, FAX-7; DESIGN flow 5): pure functions, no Flask, no database.

- :mod:`fax.validation` — ``validate_pdf``: may this upload be faxed? (sandboxed pypdf check)
- :mod:`fax.cover` — ``build_cover``: the cover page PDF; data and rules in :mod:`fax.cover_data`
- :mod:`fax.render` — ``render_fax_tiff``: cover + documents → the TIFF ``txfax`` sends
- :mod:`fax.received` — ``received_tiff_to_pdf``, ``first_page_thumbnail``: what ``rxfax`` wrote → PDF
  (bilevel pages re-encoded by :mod:`fax.g4_page`, whatever bit order spandsp wrote)

Beside the pure pipeline, two process-level pieces of the fax feature live here too:
- :mod:`fax.storage` — the folder shared with FreeSWITCH (``PBX_FAX_STORAGE`` / ``PBX_FAX_FS_STORAGE``);
- :mod:`fax.worker` (+ :mod:`fax.worker_esl`) — the queue worker: places faxes through ESL,
  watchdog, received-fax conversion, fax emails (rules in fs_service/fax/).
"""
