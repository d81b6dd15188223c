"""CRM data: the export format and its checks (``format``), how a file is written
(``conventions``: encoding, delimiter, decimal mark, date form) and read (``files``),
dates an export cannot mean (``plausible``), one adapter per vendor (``salesforce``,
``hubspot``, ``amocrm``, ``bitrix24``; their shared helpers and detection in
``adapters``), reading and writing a CRM folder (``io``), writing one in a vendor's form
(``forms``), a simulated department's export (``synthetic``) and the calibration that fits
a scenario to an export (``calibration/``). Nothing is imported here, so loading one of
them does not load the others."""
