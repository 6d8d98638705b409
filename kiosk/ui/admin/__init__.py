"""The admin screen: devices, staff, calendar, catalogue, backup and print test."""
