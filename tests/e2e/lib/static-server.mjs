// A static file server on loopback for the e2e tests (the Inspector page and,
// later, webmail fixture pages). Stops with the returned close().
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.eml': 'message/rfc822',
  '.json': 'application/json',
};

/**
 * Serves `root` on 127.0.0.1 at a free port; `requested` lists the paths asked for, in order.
 * @param {string} root
 * @returns {Promise<{url: string, requested: string[], close: () => Promise<void>}>}
 */
export async function serve(root) {
  const requested = [];
  const server = createServer(async (request, response) => {
    requested.push(new URL(request.url, 'http://x').pathname);
    const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, requested, close: () => new Promise((resolve) => server.close(resolve)) };
}
