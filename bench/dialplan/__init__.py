"""Internal-call dialplan benchmark (forwarding and follow-me callees) against the fixed-document ceiling."""
