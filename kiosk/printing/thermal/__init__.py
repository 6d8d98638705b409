"""Thermal (ESC/POS) printing: layouts → 1-bit raster → job bytes → connections."""
