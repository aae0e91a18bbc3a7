//! The wasm-bindgen face: JavaScript names and types for the core, nothing
//! else. Every function converts arguments, calls the core and converts back;
//! errors become JavaScript `Error`s with a stable `code` property. One file
//! per feature, as the CLI's faces are (`src/bin/sealmark/`).
//!
//! The crate builds two Wasm modules from this face: the whole core, and with
//! `--no-default-features` the transport module (`transport.rs` only, no
//! OpenPGP), which the route strip and the Inspector's route tab load alone.

use wasm_bindgen::prelude::*;

use crate::version;
use convert::{error, to_js};

mod convert;
#[cfg(feature = "openpgp")]
mod keys;
#[cfg(feature = "openpgp")]
mod mail;
#[cfg(feature = "openpgp")]
mod message;
mod transport;

// One flat namespace, as JavaScript sees it (and the Wasm tests call it).
pub use transport::*;
#[cfg(feature = "openpgp")]
pub use {keys::*, mail::*, message::*};

/// Precise TypeScript types for the options and results (the generated
/// declarations would otherwise say `any`); each feature's file adds its own.
#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT: &str = r#"
export type Bytes = Uint8Array;
export type ErrorCode =
  | 'BAD_ARMOR' | 'BAD_KEY' | 'WRONG_KEY_KIND' | 'BAD_MESSAGE' | 'KEY_EXPIRED' | 'KEY_REVOKED'
  | 'WEAK_KEY' | 'KEY_CANNOT_ENCRYPT' | 'KEY_CANNOT_SIGN' | 'KEY_IS_PROTECTED' | 'BAD_PASSPHRASE' | 'CANNOT_DECRYPT'
  | 'NO_INTEGRITY_PROTECTION' | 'TAMPERED' | 'NO_SIGNATURE' | 'TOO_LARGE' | 'BAD_INPUT' | 'UNSUPPORTED'
  | 'INTERNAL' | 'BAD_OPTIONS' | 'NOT_TEXT' | 'HEADER_TOO_LARGE' | 'PANIC';
/** Every function throws an Error with a stable `code`. */
export interface SealmarkError extends Error { code: ErrorCode; }
"#;

/// The global function the panic hook tells, one per module: a panic in the
/// transport module must not fail the OpenPGP module's calls under way in
/// the same global scope.
const PANIC_HOOK: &str = if cfg!(feature = "openpgp") {
    "__sealmarkOnPanic"
} else {
    "__sealmarkTransportOnPanic"
};

/// Runs when the module is instantiated: turns a Rust panic into a
/// JavaScript `Error` with code `PANIC` instead of an anonymous trap.
///
/// A panic inside an asynchronous function happens in wasm-bindgen-futures'
/// task queue, where the thrown error reaches no caller and the function's
/// promise never settles; so the hook first hands the error to
/// `globalThis[PANIC_HOOK]` if the embedder set one, which rejects what is
/// pending and instantiates the module anew (`www/components/core-guard.js`).
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message =
            format!("internal error in the Sealmark core ({info}); reload the core to continue");
        let error = error("PANIC", &message);
        let _ = crate::js_reflect::call_method(
            &js_sys::global(),
            PANIC_HOOK,
            std::slice::from_ref(&error),
        );
        // The module's state after a panic cannot be trusted: callers must instantiate it anew.
        wasm_bindgen::throw_val(error);
    }));
}

#[cfg(feature = "test-hooks")]
mod test_hooks;

/// The one-line version, e.g. `sealmark 0.1.0`.
#[wasm_bindgen]
pub fn version() -> String {
    version::build_info().short()
}

/// Version and build information as an object:
/// `{version, pgp, mail_parser, target}`.
#[wasm_bindgen(js_name = buildInfo, unchecked_return_type = "BuildInfo")]
pub fn build_info() -> Result<JsValue, JsValue> {
    to_js(&version::build_info())
}
