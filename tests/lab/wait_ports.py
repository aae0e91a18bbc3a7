"""Exits 0 when every host:port given accepts a TCP connection, else 1."""
import socket
import sys

for target in sys.argv[1:]:
    host, port = target.rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError:
        sys.exit(1)
