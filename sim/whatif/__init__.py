"""The what-if page (``salesim whatif``): the decisive assumptions as sliders, the
structures' figures against the baseline answered from the sweep's emulator, and the
simulation itself run for a chosen point. A Shiny for Python app served on localhost
(:mod:`sim.whatif.app`); what it computes lives in :mod:`sim.whatif.session`, its words
in :mod:`sim.whatif.texts`."""
