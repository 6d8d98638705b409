"""Một Cửa Kiosk: the software of a Vietnamese one-stop reception counter."""

__version__ = "0.1.0"
