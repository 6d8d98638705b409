"""The counter console (`kiosk run counter --counter N`): queue, reception, work lists."""
