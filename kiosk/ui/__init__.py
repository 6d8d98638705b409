"""The screens (PySide6 only here): kiosk, counter, display, rating, admin."""
