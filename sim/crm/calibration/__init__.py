"""Calibration of a scenario to a company's own CRM export (``salesim calibrate``)."""
