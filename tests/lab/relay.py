"""What the lab's two TCP relays share (strip_proxy.py, forward.py)."""


def address(text):
    """ "host:port" as a (host, port) pair."""
    host, port = text.rsplit(":", 1)
    return host, int(port)


async def pump(reader, writer):
    """Copies one direction of a connection until it closes."""
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()
