"""Accounts, users and logging in (ACC-1..3): tenants and their users (rules), passwords, the login
throttle and API tokens (login), reset links (password_reset), TOTP (two_factor).

Who may see and change what is :mod:`fs_service.access`, beside this package: every feature asks it.
"""
