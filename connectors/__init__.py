"""Connectors: the SDK (`connectors.sdk`), the conformance kit (`connectors.testing`)
and the built-in sector connectors with their simulators.

Layering rule: nothing in this package imports `hub`, `schema` or `auth`.
"""
