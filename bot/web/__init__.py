"""BackChat's web app: demo page for the chat widget (staff pages come later)."""
