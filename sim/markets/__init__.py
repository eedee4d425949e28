"""Where agents meet: desks (``seats``), money (``finance``) and new spaces (``supply``).

Each market is a function of the model run once a month in the step order of
:meth:`sim.model.StartupEcosystem.step`. None scans all pairs of agents:
founders sample a few spaces, angels sample a few ventures.
"""
