"""BackChat NLP: spaCy rules, duration, negation and the Rasa components wrapping them."""
