"""The HTTP API: routes translate, the domain decides."""
