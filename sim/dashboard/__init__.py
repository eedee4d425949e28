"""The interactive page (``sim dashboard``): Mesa's SolaraViz components driving one run.

``controls`` turns the lever catalogue into widgets, ``session`` builds and
rebuilds the run the page shows, ``views`` draws its curves and regions,
``app`` is the Solara page and ``serve`` the command. Only ``app`` and
``views.region_figure`` need the ``viz`` extra; nothing here is imported by
the model, the runner or the plots.
"""
