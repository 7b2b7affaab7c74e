"""Review that teaches the bot: scrubbing, the review queue's reasons, the export.

Pure Python except ``export`` (which reads the staff store): staff corrections become
Rasa NLU examples (data/nlu-reviewed.yml) and evaluation conversations
(tests/eval/reviewed.yml), with visitors' personal details replaced by placeholders.
"""
