// The first page a new user sees: the security sign, explained in one screen
// and chosen, before anything asks them for a passphrase.
import '../../shared/i18n-ready.js';
import { localize } from '../../shared/i18n.js';
import { signChooser } from '../../shared/sign-chooser.js';

localize();
signChooser(document.getElementById('sign-chooser'));
