"""The registry's domain: pure functions and types, no web framework and no storage driver."""
