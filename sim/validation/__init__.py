"""Validation: the model against queueing theory, its own formulas and published figures.

By family: the :class:`~sim.validation.checks.Check` every check returns (``checks``),
the closed forms (``theory``), queue-theory checks (``queues``), requests followed from
outside the model (``trace``), checks while people quit (``turnover``), published ranges
and mechanism checks (``published``), and the printer of docs/validation.md's tables
(``tables``, run as ``python -m sim.validation``). Nothing is imported here.
"""
