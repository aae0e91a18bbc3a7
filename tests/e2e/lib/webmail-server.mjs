// Webmail fixture pages under their real origins, on loopback only. An HTTPS
// server with a throw-away certificate answers for the webmail host names; a
// CONNECT proxy (the browser's proxy in these tests) tunnels exactly those
// names to it and refuses everything else, so nothing leaves the machine. The
// generic fixture is plain HTTP on 127.0.0.1, which browsers never proxy.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './browser.mjs';

/** Host name → fixture page reproducing that webmail's compose and read structure. */
export const FIXTURE_HOSTS = {
  'mail.google.com': 'gmail.html',
  'outlook.live.com': 'outlook.html',
};
const FIXTURES = join(ROOT, 'tests/e2e/fixtures');

function certificate() {
  const dir = mkdtempSync(join(tmpdir(), 'sealmark-cert-'));
  const names = Object.keys(FIXTURE_HOSTS).map((host) => `DNS:${host}`).join(',');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=Sealmark e2e fixtures', '-addext', `subjectAltName=${names}`,
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  const pair = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  rmSync(dir, { recursive: true, force: true });
  return pair;
}

function page(file) {
  return (request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(readFileSync(join(FIXTURES, file)));
  };
}

/**
 * Starts the fixture servers and the proxy.
 * @returns {Promise<{proxyPort: number, genericUrl: string, close: () => Promise<void>}>}
 */
export async function startWebmails() {
  const https = createHttpsServer(certificate(), (request, response) => {
    const file = FIXTURE_HOSTS[(request.headers.host ?? '').replace(/:443$/, '')];
    if (!file) return void response.writeHead(404).end();
    page(file)(request, response);
  });
  const generic = createHttpServer(page('generic.html'));
  const proxy = createHttpServer((request, response) => response.writeHead(405).end());
  proxy.on('connect', (request, client, head) => {
    const [host, port] = String(request.url).split(':');
    if (!FIXTURE_HOSTS[host] || port !== '443') {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(https.address().port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const servers = [https, generic, proxy];
  await Promise.all(servers.map((server) => new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))));
  return {
    proxyPort: proxy.address().port,
    genericUrl: `http://127.0.0.1:${generic.address().port}/`,
    close: async () => {
      for (const server of servers) server.closeAllConnections?.();
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}
