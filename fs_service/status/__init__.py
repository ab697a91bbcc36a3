"""Live extension status (STAT-1..3): what FreeSWITCH's events and ``show`` rows mean
(events), how batches of them are written with the per-account live version (store), and
what the status page, its push stream and the API read (queries)."""
