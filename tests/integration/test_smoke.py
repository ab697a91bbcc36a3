from tests.factories import make_account, make_extension


def test_app_migrates_and_creates_an_extension(app):
    account, _ = make_account(sip_domain="acme.test")
    ext = make_extension(account, number="101")
    assert ext.id and ext.sip_password and account.sip_domain == "acme.test"
