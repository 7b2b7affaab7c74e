"""BackChat's web app: the demo page, the chat widget's assets and the staff area (staff/)."""
