"""What a call is and may do, beneath every feature that plans or places one: the plan
vocabulary (:mod:`.steps`), the request and the snapshots it is decided on (:mod:`.model`),
dialogue stages carried on the channel (:mod:`.stages`), how a dialed number is classified and
which toll classes an extension may reach (:mod:`.dialing`, :mod:`.outbound`), call recording
paths (:mod:`.recording`), the park lot's plan (:mod:`.park`) and the account's routing view read
from the database (:mod:`.context`).

The call planner (fs_service/callplan/) builds on it; so do the fax queue (a fax obeys the
sender's toll classes) and the conferences (entry dialogue, dial-out rules): none of them is
imported from here, so the planner may use them all without a cycle.
"""
