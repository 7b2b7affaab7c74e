"""One blueprint per area of the staff app; each module's ``make()`` builds it."""
