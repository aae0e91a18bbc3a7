// Every route of the mail lab, captured as delivered and read by
// `sealmark hops --json`, against what the lab's MTAs and the stripping proxy
// logged for each connection.   (tests/lab/up.sh first; ./build.sh test does it)
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { LAB, delivered, hopsOf, labIsUp, labLogs, loggedHop, submit } from './lib/lab.mjs';

const ROUTES = ['tls13', 'tls12', 'plain', 'stripped', 'exim'];
const run = Date.now().toString(36);
const files = {};

before(async () => {
  assert.ok(labIsUp(), 'the mail lab is not up: run tests/lab/up.sh');
  for (const route of ROUTES) submit(`alice-${route}@rcpt.lab`, `route ${route} ${run}`, `Sent through the ${route} route.\n`);
  for (const route of ROUTES) files[route] = await delivered(`route ${route} ${run}`);
});

for (const route of ROUTES) {
  test(`${route} route: every hop as the lab logged it`, () => {
    const report = hopsOf(files[route]);
    const logs = labLogs();
    const checked = [];
    for (const hop of report.hops) {
      const logged = loggedHop(hop, logs);
      if (!logged) {
        assert.equal(hop.internal, true, `hop ${hop.index + 1} (${hop.protocol} by ${hop.by}) is written by no lab MTA and must be internal`);
        continue;
      }
      const label = `hop ${hop.index + 1} by ${hop.by}`;
      if (logged.tls) {
        assert.equal(hop.tls.encrypted, true, `${label}: the server logged ${logged.tls}`);
        assert.equal(hop.tls.version, logged.tls, `${label}: TLS version`);
      } else {
        assert.equal(hop.tls.encrypted, false, `${label}: the server logged no TLS`);
      }
      // Headers cannot tell a stripped STARTTLS from a sender that chose plaintext
      // (both read "with ESMTP"), so the warning is required where the proxy
      // stripped, and allowed on any plaintext hop between TLS hops.
      if (logged.stripped) assert.ok(report.verdict.downgrade_suspected.includes(hop.index), `${label}: the proxy stripped STARTTLS here`);
      if (logged.tls) assert.ok(!report.verdict.downgrade_suspected.includes(hop.index), `${label}: an encrypted hop is no downgrade`);
      checked.push(logged);
    }
    // Submission, the ISP hop (or Exim) and the MX: three MTA hops, plus LMTP.
    assert.equal(checked.length, 3, `MTA hops checked against the logs: ${JSON.stringify(checked)}`);
    assert.equal(report.hops.at(-1).protocol, 'LMTP');
    const ispHop = report.hops.find((h) => ['relay.isp.lab', 'exim.isp.lab'].includes(h.by));
    const expected = { tls13: 'TLSv1.3', tls12: 'TLSv1.2', plain: null, stripped: null, exim: 'TLSv1.3' }[route];
    // The route exists as designed: the lab's own log says so, checked above; this names it.
    assert.equal(ispHop.tls.encrypted ? ispHop.tls.version : null, expected);
    if (route === 'exim') assert.match(ispHop.software, /^Exim/);
    if (route === 'stripped') {
      assert.ok(logs.stripped.includes(LAB.IP_SENDER), 'the proxy logged stripping STARTTLS for the sender');
      assert.match(report.verdict.sentence, /possible STARTTLS downgrade/);
    }
  });
}
