"""Extensions (EXT-1..5), with forwarding (FWD) and find-me/follow-me (FMFM), which are settings
of an extension: creation and deletion (rules), what each role may change and quick edit
(settings), the checks that need the account (settings_rules), the SIP user FreeSWITCH's
directory serves (directory). What a call does with these settings is the call planner's
(:mod:`fs_service.callplan.extension_call`).
"""
