"""One TCP door from the host's loopback into the lab's network namespace, so
a browser outside it can reach Roundcube.

    python3 forward.py --listen 127.0.0.1:8480 --netns sealmark-lab --upstream 198.51.100.1:8080

The listening socket is made in the host's namespace; then the process joins
the lab's namespace, where every upstream connection is made.
"""
import argparse
import asyncio
import ctypes
import os
import socket

from relay import address, pump


CLONE_NEWNET = 0x40000000


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", type=address, required=True)
    parser.add_argument("--netns", required=True)
    parser.add_argument("--upstream", type=address, required=True)
    args = parser.parse_args()

    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(args.listen)
    listener.listen(64)
    fd = os.open(f"/var/run/netns/{args.netns}", os.O_RDONLY)
    if ctypes.CDLL(None, use_errno=True).setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "setns failed")
    os.close(fd)

    async def handle(client_reader, client_writer):
        try:
            up_reader, up_writer = await asyncio.open_connection(*args.upstream)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pump(client_reader, up_writer), pump(up_reader, client_writer))

    server = await asyncio.start_server(handle, sock=listener)
    async with server:
        await server.serve_forever()


asyncio.run(main())
