"""UI blueprints (one per feature), server-rendered, French by default, working without JavaScript.

web.ui.blueprints puts them on the app."""
