"""Who may see what: API keys and roles (`auth`), what a viewer may not receive (`redaction`), and the audit log."""
