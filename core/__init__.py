"""Helpers with no domain, shared by every app (CSV streaming and rendering, e-mail after
commit, environment readers, reference-table loading, ...). Nothing here imports an app."""
