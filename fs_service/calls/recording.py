"""Where call recordings go on the FreeSWITCH host: one folder per account and day."""
from __future__ import annotations


def recording_path(domain: str) -> str:
    # $${recordings_dir} is a FreeSWITCH global; ${strftime()} and ${uuid} expand at record time.
    return f"$${{recordings_dir}}/{domain}/${{strftime(%Y-%m-%d)}}/${{uuid}}.wav"
