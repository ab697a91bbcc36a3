"""The web door's Flask extensions, created unbound so its modules can import them (the app
factory, pbx/app.py, binds them to each app)."""
from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
