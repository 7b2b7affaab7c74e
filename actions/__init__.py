"""BackChat's rasa-sdk action server: thin translators between the tracker and bot.*."""
