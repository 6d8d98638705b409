"""The reference district server: receives every site's events exactly once, publishes the
catalogue and holiday calendar, and aggregates statistics (SQLite or PostgreSQL).

Public face (imported from the modules, so `kiosk --help` does not load the web stack):
`storage.Database`, `app.create_app`/`app.serve`, `sites.add_site`, `snapshots.publish`,
`stats.compute_stats`, `cli.district`.
"""
