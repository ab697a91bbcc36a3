"""The Content-Security-Policy (web/security_headers.py) allows no inline script or style: a
template that brings one back would break silently in the browser. This scan catches it first."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"
# Jinja statements and comments vanish, expressions become a plain word, so the HTML parser
# sees the markup a page would have (an ``on{{ event }}=`` handler still reads ``onX=``).
JINJA = (re.compile(r"\{#.*?#\}", re.S), re.compile(r"\{%.*?%\}", re.S), re.compile(r"\{\{.*?\}\}", re.S))


class InlineCodeFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        names = {name.lower(): value or "" for name, value in attrs}
        if tag == "script":
            self._in_script = True
            if "src" not in names:
                self.problems.append(f"line {line}: <script> without src")
        if tag == "style":
            self.problems.append(f"line {line}: <style> element")
        for name, value in names.items():
            if name.startswith("on"):
                self.problems.append(f"line {line}: {name}= handler on <{tag}>")
            if name == "style":
                self.problems.append(f"line {line}: style= attribute on <{tag}>")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"line {line}: javascript: URL in {name}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append(f"line {self.getpos()[0]}: code inside <script>")


def inline_code(source: str) -> list[str]:
    for pattern in JINJA:
        source = pattern.sub(lambda m: "X" if m.group(0).startswith("{{") else " ", source)
    finder = InlineCodeFinder()
    finder.feed(source)
    finder.close()
    return finder.problems


TEMPLATE_FILES = sorted(TEMPLATES.rglob("*.html"))


def test_the_scan_covers_the_templates():
    assert len(TEMPLATE_FILES) > 20 and TEMPLATES / "base.html" in TEMPLATE_FILES


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_has_inline_script_style_or_event_handler(path: Path):
    assert inline_code(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("snippet", [
    "<script>alert(1)</script>",
    "<script type=module>{{ code }}</script>",
    '<button onclick="go()">go</button>',
    '<body {% if x %}onload="go()"{% endif %}>',
    '<input on{{ event }}="go()">',
    '<a href="javascript:go()">go</a>',
    '<p style="color: red">x</p>',
    "<style>p { color: red }</style>",
    "<script src=\"{{ url_for('static', filename='a.js') }}\">go()</script>",
])
def test_the_scan_finds_inline_code(snippet: str):
    assert inline_code(snippet) != []


def test_the_scan_accepts_external_scripts_and_jinja_inside_tags():
    source = ("<script src=\"{{ url_for('static', filename='a.js') }}\" defer></script>"
              "<option value=\"fr\" {% if lang == 'fr' %}selected{% endif %}>Français</option>"
              "<div data-only=\"{{ only }}\" {{ 'hidden' if x > 1 }}>x</div>")
    assert inline_code(source) == []
