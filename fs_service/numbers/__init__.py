"""Company numbers with their hours and menus (HRS-1..4): the numbers themselves and the closure
message (rules), weekly hours and exceptions (schedules, decided by schedule_rules), welcome menus
(menus), where a call goes (treatments), the sounds people upload for them (sound_uploads).
"""
