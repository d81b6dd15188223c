"""``python -m sim.validation``: print the validation tables of docs/validation.md."""

from sim.validation.tables import main

raise SystemExit(main())
