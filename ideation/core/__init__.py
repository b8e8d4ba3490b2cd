"""The core layer: pieces every area shares, below all of them.

Nothing here imports an area (see docs/architecture.md#layers): the audit journal,
writing limits, SVG charts, time helpers, dialect-aware SQL, loaders, shared form
pieces, sanitising, the request-side security helpers and the signals areas send.
"""
