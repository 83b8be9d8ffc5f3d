"""Access records kept by the hub: OAuth clients of the built-in issuer and the PII audit log."""
