"""``python -m sim.cli``: the ``salesim`` command."""

from sim.cli import main

main()
