"""Fixes to Pelican's own behaviour (list scaling, memory footprint, file:// links)."""
