"""Input channels: the website widget's socket.io channel with signed sessions."""
