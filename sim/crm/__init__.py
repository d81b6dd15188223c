"""CRM data: the export format and its checks (``format``), one adapter per vendor
(``salesforce``, ``hubspot``, their shared helpers and detection in ``adapters``),
reading and writing a CRM folder (``io``), a simulated department's export
(``synthetic``) and the calibration that fits a scenario to an export (``calibration/``).
Nothing is imported here, so loading one of them does not load the others."""
