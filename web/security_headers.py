"""Browser hardening headers on every response (UI, API, error pages, xml_curl alike).

The policy allows scripts and styles from our own origin only, so an injected ``<script>``, an
``on*=`` handler or a ``style=`` attribute does nothing: templates keep their JavaScript in
web/static (tests/unit/test_templates_csp.py fails on any inline script). A small hook rather
than flask-talisman: talisman would also redirect to HTTPS and rewrite the session cookie
settings, which PBX_SESSION_COOKIE_SECURE and the HTTPS proxy in front already govern.
"""
from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate CSP level 2
}


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)  # a view that needs a different value sets it
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
