//! Functions that exist only in a build with the `test-hooks` feature, which
//! the end-to-end tests load as a second copy of the extension: they make the
//! failures a user may meet happen on demand (a real Rust panic, work that
//! outlasts the background's idle timeout), so that the tests prove the
//! extension survives them instead of depending on how fast the machine is.
//! Release builds contain none of this.

use wasm_bindgen::prelude::*;

/// Panics at once, as a bug in a synchronous function would.
#[wasm_bindgen(js_name = testPanic)]
pub fn test_panic() {
    panic!("deliberate test panic (test-hooks build)");
}

/// Panics after the first await, as a bug in an asynchronous function
/// (`encrypt`, `decrypt`) would: inside wasm-bindgen-futures' task queue.
#[wasm_bindgen(js_name = testPanicAsync)]
pub async fn test_panic_async() {
    yield_now().await;
    panic!("deliberate asynchronous test panic (test-hooks build)");
}

/// What the text to encrypt starts with when a test wants `encrypt` to panic
/// halfway, the way a bug would meet the user in the middle of sending.
const PANIC_MARKER: &str = "sealmark-test-panic";

/// Panics (after an await, as inside `encrypt`) when `data` is text starting
/// with [`PANIC_MARKER`].
pub(super) async fn panic_if_asked(data: &JsValue) {
    if data
        .as_string()
        .is_some_and(|text| text.starts_with(PANIC_MARKER))
    {
        yield_now().await;
        panic!("deliberate test panic inside encrypt (test-hooks build)");
    }
}

/// Works for `ms` milliseconds: hashes in slices of about 20 ms and lets the
/// event loop run between them, as the core's long operations do between
/// their WebCrypto steps. Returns how many slices it ran.
#[wasm_bindgen(js_name = testWork)]
pub async fn test_work(ms: f64) -> f64 {
    use sha2::Digest;
    let until = js_sys::Date::now() + ms;
    let mut digest = [0u8; 32];
    let mut slices = 0.0;
    loop {
        let slice_end = (js_sys::Date::now() + 20.0).min(until);
        while js_sys::Date::now() < slice_end {
            for _ in 0..64 {
                digest = sha2::Sha256::digest(digest).into();
            }
        }
        slices += 1.0;
        if js_sys::Date::now() >= until {
            return slices;
        }
        yield_now().await;
    }
}

/// Resolves on the next turn of the event loop (`setTimeout(…, 0)`), so
/// timers queued meanwhile run.
async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = crate::js_reflect::call_method(
            &js_sys::global(),
            "setTimeout",
            &[resolve.into(), JsValue::from_f64(0.0)],
        );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
