"""The "Conferences" page (CONF-1..3, CONF-7; guide 16): the account's rooms with how to join
them (room number, generic codes, invited people and their codes) and the ended conferences
with their participants, PDF report and recording (until it is deleted after 7 days). Admins
only. The creation wizard, edit and delete are in conferences_wizard, a room's page with its
live control widget in conferences_room (blueprints nested in this one)."""
from __future__ import annotations

from flask import Blueprint, render_template

from fs_service import access
from fs_service.conferences import history, rooms
from fs_service.numbering import CONFERENCE_ACCESS

from . import conferences_broadcast, conferences_room, conferences_wizard
from .common import account_context, login_required

bp = Blueprint("conferences", __name__)
bp.register_blueprint(conferences_wizard.bp)
bp.register_blueprint(conferences_room.bp)
bp.register_blueprint(conferences_broadcast.bp)


@bp.get("/accounts/<int:account_id>/conferences")
@login_required
def index(account_id: int):
    user, account, _ = account_context(account_id)
    access.require_admin(user, account)
    listed = [(room, rooms.list_participants(room)) for room in rooms.list_rooms(account)]
    return render_template("conferences/index.html", account=account, rooms=listed,
                           ended=history.ended(account), dial=CONFERENCE_ACCESS)
