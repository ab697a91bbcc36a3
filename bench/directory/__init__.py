"""Directory benchmark: sip_auth fetches per second, warm and cold, against the fixed-document ceiling."""
