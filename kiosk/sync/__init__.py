"""Sync with the district server: outbox pusher, catalogue/calendar puller, wire protocol."""
