// Imported first by every extension page's script: the page's code runs only
// once its messages can be read. Headless Chromium now and then answers
// i18n.getMessage with nothing in a page opened right after another one
// closed, more often on a busy machine (a fresh CI machine saw four pages of
// one run show keys instead of text); such a page waits for its locale file.
import { messagesReady } from './i18n.js';

await messagesReady();
