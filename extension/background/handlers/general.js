import { core, enginesLoaded, transportCore } from '../core.js';
import { fail } from '../errors.js';
import { changeSettings, settings } from '../settings.js';
import { BUILT_IN_ORIGINS, addOrigin, addedOrigins, enabledOrigin, originOf, removeOrigin } from '../sites.js';
import { chooseSign, securitySign } from '../security-sign.js';
import { answer, confirmation } from '../confirm.js';
import { clearHistory, historyReport } from '../history.js';
import { checkPolicy } from '../mta-sts.js';

const PAGE = ['page'];
const ANY_SEALMARK = ['page', 'frame'];
/** When this background instance started: a restarted worker shows a new time. */
const STARTED_AT = new Date().toISOString();

/** Version, settings, sites, the security sign, confirmations and header analysis: nothing secret. */
export const generalHandlers = {
  'core.version': { from: PAGE, run: async () => (await core()).version() },
  'core.buildInfo': { from: PAGE, run: async () => (await core()).buildInfo() },
  'core.status': {
    from: ANY_SEALMARK,
    run: () => {
      const { transport, openpgp } = enginesLoaded();
      return { startedAt: STARTED_AT, engines: { transport, openpgp } };
    },
  },
  // How often each core function was called: activity, so for Sealmark's own pages only.
  'core.calls': { from: PAGE, run: () => enginesLoaded().calls },
  'transport.analyze': {
    from: PAGE,
    run: async ({ raw, trustedDomains }) => {
      if (typeof raw !== 'string') fail('BAD_INPUT', 'raw must be the message as text');
      const domains = trustedDomains ?? (await settings()).trustedDomains;
      return (await transportCore()).analyzeMessage(raw, { trustedDomains: domains });
    },
  },
  'settings.get': { from: PAGE, run: () => settings() },
  'settings.set': { from: PAGE, run: (changes) => changeSettings(changes) },
  'sites.list': { from: PAGE, run: async () => ({ builtIn: BUILT_IN_ORIGINS, added: await addedOrigins() }) },
  'sites.add': { from: PAGE, run: ({ origin }) => addOrigin(originOf(origin)) },
  'sites.remove': { from: PAGE, run: ({ origin }) => removeOrigin(originOf(origin)) },
  'sites.status': {
    from: PAGE,
    run: async ({ url }) => {
      const origin = await enabledOrigin(url);
      return { enabled: Boolean(origin), origin, builtIn: BUILT_IN_ORIGINS.includes(origin) };
    },
  },
  'sign.get': { from: ANY_SEALMARK, run: () => securitySign() },
  'sign.set': { from: PAGE, run: (sign) => chooseSign(sign) },
  'confirm.get': { from: PAGE, run: ({ token }) => confirmation(token) },
  'history.report': { from: PAGE, run: () => historyReport() },
  'history.clear': { from: PAGE, run: () => clearHistory() },
  'mtaSts.check': { from: PAGE, run: ({ domain }) => checkPolicy(domain) },
  'confirm.answer': { from: PAGE, run: ({ token, yes }) => answer(token, yes === true) },
};
