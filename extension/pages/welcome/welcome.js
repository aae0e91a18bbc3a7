// The first run: the security sign, a key (created or restored), its backup, the person's webmail,
// done. One step at a time; each can be skipped, and the settings keep how far the person got, so
// the popup brings them back to the same step later. Every step reuses the key manager's own
// parts: the welcome page adds the order and the words, not a second way to do things.
import '../../shared/i18n-ready.js';
import { pageReady } from '../../shared/page-ready.js';
import { localize, t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';
import { describeError } from '../../shared/errors.js';
import { groupedFingerprint } from '../../shared/keys.js';
import { signChooser } from '../../shared/sign-chooser.js';
import { SETUP_STEPS } from '../../shared/setup-steps.js';
import { setUpGenerate } from '../../shared/key-manager/generate.js';
import { setUpImport } from '../../shared/key-manager/import.js';
import { setUpSites } from '../../shared/key-manager/sites.js';
import { backupPassphrase, showBackup } from '../../shared/key-manager/backup.js';

/** This page's own elements: their kinds are its HTML's. @type {(selector: string) => any} */
const $ = (selector) => document.querySelector(selector);
let current = SETUP_STEPS[0];

/** The person's own key that signs by default, or null before they have one. */
async function ownKey() {
  const { keys } = await request('keys.list');
  return keys.find((key) => key.own && key.isDefault) ?? keys.find((key) => key.own) ?? null;
}

/**
 * Shows `step` and moves the keyboard to its heading; a step the person moved to is kept as how
 * far setting up went (the one the page opens at is already what the settings say).
 */
async function show(step, moved = true) {
  current = step;
  const at = SETUP_STEPS.indexOf(step);
  // Said before shown: a step never appears with yesterday's state. A state that cannot be read
  // (the keyring unreadable) leaves its line empty; the step still shows.
  await describe(step).catch(() => null);
  if (moved) await request('settings.set', { setupStep: step }).catch(() => null);
  // Pressed again meanwhile: the later step is the one shown.
  if (current !== step) return;
  for (const section of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-step]'))) section.hidden = section.dataset.step !== step;
  for (const button of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-goto]'))) {
    if (button.dataset.goto === step) button.setAttribute('aria-current', 'step');
    else button.removeAttribute('aria-current');
  }
  $('#back').hidden = at === 0;
  $('#skip').hidden = step === 'done';
  $('#next').hidden = step === 'done';
  if (moved) $(`[data-step="${step}"] h2`).focus();
}

/** What a step says of the person's state: their key, its backup, what is still missing. */
async function describe(step) {
  const key = await ownKey();
  const name = key ? `${key.info.user_ids[0] ?? t('noUserId')} · ${groupedFingerprint(key.fingerprint)}` : '';
  if (step === 'key') {
    $('#key-have').hidden = !key;
    $('#key-have').textContent = key ? t('setupKeyHave', [name]) : '';
    $('#key-choices').hidden = Boolean(key);
  } else if (step === 'backup') {
    $('#backup-now').hidden = !key;
    $('#backup-state').textContent = !key ? t('setupBackupNoKey') : key.backedUpAt ? t('setupBackupHave', [name]) : t('setupBackupMissing', [name]);
    $('#backup-state').className = `status ${key?.backedUpAt ? 'ok' : ''}`;
  } else if (step === 'done') {
    const missing = [!key && t('setupMissingKey'), key && !key.backedUpAt && t('setupMissingBackup')].filter(Boolean);
    $('#done-missing').hidden = !missing.length;
    $('#done-missing').textContent = missing.length ? t('setupMissing', [missing.join(', ')]) : '';
  }
}

async function backUp() {
  const key = await ownKey();
  if (!key) return;
  const passphrase = await backupPassphrase();
  if (passphrase === null) return;
  try {
    const made = await request('keys.setupMessage', { fingerprint: key.fingerprint, passphrase });
    $('#backup-place').replaceChildren();
    await describe('backup');
    await showBackup(made, key.fingerprint, $('#backup-place'));
  } catch (error) {
    $('#backup-state').textContent = describeError(error);
    $('#backup-state').className = 'status error';
  }
}

const move = (by) => show(SETUP_STEPS[Math.min(Math.max(SETUP_STEPS.indexOf(current) + by, 0), SETUP_STEPS.length - 1)]);

localize();
signChooser($('#sign-chooser'));
// A key made or restored here: the step says so, and the keyboard goes on to Next.
setUpGenerate(async () => {
  await describe('key');
  $('#next').focus();
}, { choices: false });
setUpImport(() => describe('key'));
setUpSites();
$('#backup-now').addEventListener('click', backUp);
$('#back').addEventListener('click', () => move(-1));
$('#skip').addEventListener('click', () => move(1));
$('#next').addEventListener('click', () => move(1));
for (const button of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-goto]'))) button.addEventListener('click', () => show(button.dataset.goto));
// Ready once the step the person reached is shown: a click before would act on the first step.
request('settings.get')
  .then(
    ({ setupStep }) => show(SETUP_STEPS.includes(setupStep) ? setupStep : SETUP_STEPS[0], false),
    () => show(SETUP_STEPS[0], false),
  )
  .finally(pageReady);
