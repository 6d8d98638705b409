"""The ticket kiosk (touch screen): tickets, priority, dossier lookup, procedure information."""
