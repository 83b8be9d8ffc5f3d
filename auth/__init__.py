"""Access: token issuing and validation, scopes, roles and the area policy."""
