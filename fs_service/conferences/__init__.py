"""Audio conferences (CONF-1..7, issue 18): rooms and codes, the phone entry, the waiting room
driven by ``conference::maintenance`` events, live control, history and reports.

One package per feature (issue 17): ``rules`` (pure time rules: 10 min early, planned end +
grace, 3 h cut), ``codes`` (room numbers and access codes), ``rooms`` (create/change/delete,
participants), ``entry`` + ``entry_model`` (the dialplan of a caller joining, as data),
``queries`` (what the entry reads and writes), ``dialin`` (the call planner's hook), ``events``
(ESL events → sessions, attendances and room commands), ``live`` (the widget's list and member
commands), ``history`` (ended occurrences, recording retention), ``report`` (PDF),
``report_mail`` and ``invitations`` (mail-queue kinds), ``prompts``. The package imports no
door: settings arrive as arguments.
"""
