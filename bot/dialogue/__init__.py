"""Dialogue logic without Rasa: parsed message -> slot updates, which question next."""
