"""What plugs into or patches Rasa: entry point, tracker and lock stores, action-result check."""
