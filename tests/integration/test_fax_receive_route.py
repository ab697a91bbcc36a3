"""FAX-7 routing: the recorded carrier call to a fax number is answered by rxfax (T.38 allowed)."""
from __future__ import annotations

from fs_service.db import db
from fs_service.numbers import rules as numbers
from tests.integration.test_public_calls import acme, actions, call, frozen  # noqa: F401 - fixtures

FAX_CALL = ("fax-receive-audio", "0067-dialplan-5145550105.form")  # 4185559999 faxes 5145550105


def test_a_call_to_a_fax_number_is_received_with_t38_allowed(client, acme, frozen):
    account = acme[0]
    fax_number = numbers.create_number(account, "5145550105", is_fax=True)
    db.session.commit()
    found = call(client, FAX_CALL)
    assert ("set", f"pbx_fax_number_id={fax_number.id}") in found
    assert ("set", "fax_enable_t38=true") in found
    assert ("answer", "") in found
    receive = [data for app, data in found if app == "rxfax"]
    assert len(receive) == 1 and receive[0].endswith(".tif")
    assert found.index(("answer", "")) < found.index(("rxfax", receive[0]))
