import { core, enginesLoaded, transportCore } from '../core.js';
import { fail } from '../errors.js';
import { changeSettings, settings } from '../settings.js';
import { BUILT_IN_ORIGINS, addOrigin, addedOrigins, enabledOrigin, originOf, removeOrigin } from '../sites.js';
import { chooseSign, securitySign } from '../security-sign.js';
import { answer, confirmation } from '../confirm.js';
import { clearHistory, historyReport } from '../history.js';
import { checkPolicy } from '../mta-sts.js';

/** When this background instance started: a restarted worker shows a new time. */
const STARTED_AT = new Date().toISOString();

/** Version, settings, sites, the security sign, confirmations and header analysis: nothing secret. */
export const generalHandlers = {
  'core.version': { run: async () => (await core()).version() },
  'core.buildInfo': { run: async () => (await core()).buildInfo() },
  'core.status': {
    run: () => {
      const { transport, openpgp } = enginesLoaded();
      return { startedAt: STARTED_AT, engines: { transport, openpgp } };
    },
  },
  // How often each core function was called, by this background (a restarted one counts anew):
  // activity, so for Sealmark's own pages only.
  'core.calls': { run: () => ({ startedAt: STARTED_AT, calls: enginesLoaded().calls }) },
  'transport.analyze': {
    /** @param {{raw: string, trustedDomains?: string[]}} payload */
    run: async ({ raw, trustedDomains }) => {
      if (typeof raw !== 'string') fail('BAD_INPUT', 'raw must be the message as text');
      const domains = trustedDomains ?? (await settings()).trustedDomains;
      return (await transportCore()).analyzeMessage(raw, { trustedDomains: domains });
    },
  },
  'settings.get': { run: () => settings() },
  'settings.set': { run: (changes) => changeSettings(changes) },
  'sites.list': { run: async () => ({ builtIn: BUILT_IN_ORIGINS, added: await addedOrigins() }) },
  'sites.add': { run: ({ origin }) => addOrigin(originOf(origin)) },
  'sites.remove': { run: ({ origin }) => removeOrigin(originOf(origin)) },
  'sites.status': {
    run: async ({ url }) => {
      const origin = await enabledOrigin(url);
      return { enabled: Boolean(origin), origin, builtIn: BUILT_IN_ORIGINS.includes(origin) };
    },
  },
  'sign.get': { run: () => securitySign() },
  'sign.set': { run: (sign) => chooseSign(sign) },
  'confirm.get': { run: ({ token }) => confirmation(token) },
  'history.report': { run: () => historyReport() },
  'history.clear': { run: () => clearHistory() },
  'mtaSts.check': { run: ({ domain }) => checkPolicy(domain) },
  'confirm.answer': { run: ({ token, yes }) => answer(token, yes === true) },
};
