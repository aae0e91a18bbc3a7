/**
 * The first run's steps, in order: the welcome page shows one at a time, and the settings keep
 * which one the person reached, so setting up can stop anywhere and go on later.
 */
export const SETUP_STEPS = Object.freeze(['sign', 'key', 'backup', 'webmail', 'done']);
