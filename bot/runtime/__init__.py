"""Start-up and supervision: settings, profiles, service checks, secrets, the stack."""
