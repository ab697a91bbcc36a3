"""ESL ingestion benchmark: events applied per second vs a read-and-split ceiling."""
