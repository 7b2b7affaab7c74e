"""BackChat NLP: spaCy rules, assertion, red-flag layers, answer cues, intents, Rasa components."""
