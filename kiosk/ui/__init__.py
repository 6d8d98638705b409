"""The screens (PySide6 only here): kiosk, counter, display, rating, admin.

- `theme`: colours, style sheet, the bundled Be Vietnam Pro fonts; `theme.application()`.
- `tasks.Tasks`: background work per screen, results back on the UI thread.
- `events.EventStream`: the hub's WebSocket stream (snapshot, events, reconnect and resume).
- `kiosk/`, `display/`, `rating/`: the citizen's screens; `widgets/`: buttons, cards, keypad.
- `run` (`kiosk run ROLE`), `demo` (`kiosk demo`), `screenshots` (`kiosk screenshots DIR`).
"""
