"""Input channels: REST, the widget's signed socket.io, verified platform webhooks, the guard."""
