#!/usr/bin/env bash
# Sealmark's one entry point.
#   ./build.sh          set up what is missing, build the Wasm core, the CLI and the packages
#   ./build.sh test     set up, build, then run every test (Rust, Wasm in browsers, extension e2e)
#   ./build.sh bench    set up, build, then benchmark the core and the Wasm package against OpenPGP.js
#   ./build.sh lab      set up, build, then bring the local mail lab up (./build.sh lab down stops it)
#   ./build.sh load [ROUNDS]  the browser tests (Wasm, e2e, mail lab) in both browsers ROUNDS times (default 2) beside two CPU-burning processes
#   ./build.sh fuzz [SECONDS]  fuzz every target for SECONDS each (default 300; nightly, cargo-fuzz)
# Set-up installs only from the package registries (crates.io, npm, Debian) and
# is idempotent: each tool is checked, at its pinned version, before installing.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

# Pinned tool versions. wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock.
WASM_PACK_VERSION=0.15.1
GECKODRIVER_VERSION=0.37.1
APT_PACKAGES=(chromium chromium-driver firefox-esr firefox-esr-l10n-de firefox-esr-l10n-fr firefox-esr-l10n-es-es gnupg sq rnp openssl)

PKG_DIR=target/pkg
DIST=dist
# A second copy of the extension for the e2e tests only, its core built with
# the test-hooks feature (src/wasm/test_hooks.rs): a real panic and long work on demand.
TEST_HOOKS_PKG=target/pkg-test-hooks
TEST_HOOKS_DIST=target/dist-test-hooks
LOG_DIR=target/test-logs

# ---------------------------------------------------------------- helpers

# step "what" command...: announces a step, runs it, prints how long it took.
step() {
  local title=$1
  shift
  local start=$SECONDS
  printf '\n\033[1m==> %s\033[0m\n' "$title"
  "$@"
  printf '    (%s: %ds)\n' "$title" $((SECONDS - start))
}

die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

have() { command -v "$1" >/dev/null 2>&1; }

# The version a tool prints as its second word ("wasm-pack 0.13.1" → 0.13.1).
tool_version() { "$1" --version 2>/dev/null | head -n1 | awk '{print $2}' | sed 's/^v//'; }

locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

# ---------------------------------------------------------------- set-up

setup_apt() {
  local missing=()
  for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  ((${#missing[@]} == 0)) && return 0
  if [[ $(id -u) -ne 0 ]]; then
    die "missing Debian packages: ${missing[*]} — install them with: sudo apt-get install ${missing[*]}"
  fi
  echo "    installing ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

setup_rust() {
  have cargo || die "cargo is missing: install Rust 1.95 with rustup"
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
  cargo_install wasm-pack "$WASM_PACK_VERSION" --locked
  # Not --locked: one of its locked dependencies has left the index.
  cargo_install wasm-bindgen "$(locked_version wasm-bindgen)" --crate wasm-bindgen-cli
  cargo_install geckodriver "$GECKODRIVER_VERSION" --locked
}

# cargo_install BINARY VERSION [--crate NAME] [--locked]
cargo_install() {
  local binary=$1 version=$2 crate=$1 locked=()
  shift 2
  while (($#)); do
    case $1 in
      --crate) crate=$2; shift 2 ;;
      --locked) locked=(--locked); shift ;;
    esac
  done
  if [[ $(tool_version "$binary") == "$version" ]]; then return 0; fi
  echo "    cargo install $crate $version (a few minutes on a fresh machine)"
  cargo install "${locked[@]}" --quiet "$crate" --version "$version"
}

setup_node() {
  have node || die "node is missing: install Node.js 20 or newer"
  if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# Sequoia's SOP, for the post-quantum interop test (tests/interop.rs): Debian's
# sq is too old for RFC 9980. Its RustCrypto backend needs no system library.
SQOP_VERSION=0.38.0
SQOP_FEATURES=cli,crypto-rust,sequoia-openpgp/allow-experimental-crypto,sequoia-openpgp/allow-variable-time-crypto

setup_sqop() {
  [[ $(sqop version 2>/dev/null) == "sequoia-sop $SQOP_VERSION" ]] && return 0
  echo "    cargo install sequoia-sop $SQOP_VERSION (about 5 minutes on a fresh machine)"
  cargo install --locked --quiet sequoia-sop --version "$SQOP_VERSION" --no-default-features --features "$SQOP_FEATURES"
}

setup() {
  step "Debian packages" setup_apt
  step "Rust toolchain and tools" setup_rust
  step "Node dev tools" setup_node
}

# ---------------------------------------------------------------- build

# wasm_package: the core for browsers, as the .wasm and
# wasm-bindgen's --target web glue. Built with cargo and wasm-bindgen rather than
# wasm-pack, which cannot pass --experimental-reset-state-function: that gives the
# glue __wbg_reset_state(), with which the background instantiates the core anew
# after a panic (Chrome's service worker cannot import() a fresh glue module).
# No wasm-opt: Debian's binaryen produces Wasm browsers refuse.
#
# wasm_package OUT NAME TARGET_DIR PROFILE [cargo args…] writes OUT/NAME.js and
# OUT/NAME_bg.wasm. Two modules come from the one crate: the whole core
# (sealmark) and, without the default `openpgp` feature, the transport module
# (sealmark_transport) the route strip loads alone; it gets a target directory
# of its own so that neither build overwrites the other's artefacts.
wasm_package() {
  local out=$1 name=$2 target_dir=$3 profile=$4
  shift 4
  cargo build --quiet --lib --target wasm32-unknown-unknown --target-dir "$target_dir" --profile "$profile" "$@"
  local dir=$profile
  [[ $profile == dev ]] && dir=debug
  # strip = true leaves no target_features section, which wasm-bindgen mentions on every build.
  wasm-bindgen --target web --out-dir "$ROOT/$out" --out-name "$name" --experimental-reset-state-function \
    "$target_dir/wasm32-unknown-unknown/$dir/sealmark.wasm" 2> >(grep -v 'target_features\|wasm-opt' >&2)
}

build_wasm() {
  wasm_package "$PKG_DIR" sealmark target release
  wasm_package "$PKG_DIR" sealmark_transport target/transport release --no-default-features
}

build_cli() { cargo build --release --quiet --bin sealmark; }

# extension_packages PKG DIST: the unpacked Chrome and Firefox extensions and their zip and xpi.
extension_packages() {
  local pkg=$1 dist=$2
  node extension/assemble.mjs "$pkg" "$dist"
  rm -f "$dist/sealmark-chrome.zip" "$dist/sealmark-firefox.xpi"
  local artifacts=target/web-ext
  rm -rf "$artifacts"
  web-ext build --source-dir "$dist/chrome" --artifacts-dir "$artifacts/chrome" --filename sealmark-chrome.zip >/dev/null
  web-ext build --source-dir "$dist/firefox" --artifacts-dir "$artifacts/firefox" --filename sealmark-firefox.xpi >/dev/null
  mv "$artifacts/chrome/sealmark-chrome.zip" "$artifacts/firefox/sealmark-firefox.xpi" "$dist/"
}

build_packages() {
  extension_packages "$PKG_DIR" "$DIST"
  rm -rf "$DIST/www"
  cp -r www "$DIST/www"
  cp "$PKG_DIR"/sealmark{,_transport}.js "$PKG_DIR"/sealmark{,_transport}_bg.wasm "$DIST/www/"
  # The Inspector says its words from the extension's own locale files.
  cp -r extension/_locales "$DIST/www/_locales"
}

build() {
  step "Wasm core (release)" build_wasm
  step "CLI (release)" build_cli
  step "Extension packages and Inspector page" build_packages
}

print_build_summary() {
  cat <<EOF

Built:
  Chrome   $DIST/chrome/  and  $DIST/sealmark-chrome.zip
           load: chrome://extensions → Developer mode → Load unpacked → $DIST/chrome
  Firefox  $DIST/firefox/  and  $DIST/sealmark-firefox.xpi
           load: about:debugging#/runtime/this-firefox → Load Temporary Add-on… → $DIST/firefox/manifest.json
  Inspector page  $DIST/www/   serve: python3 -m http.server -d $DIST/www 8000
  CLI      target/release/sealmark
EOF
}

# ---------------------------------------------------------------- test

# Sums "N passed" over every "test result:" line of a cargo / wasm-bindgen log.
count_passed() { grep -Eo 'test result: ok\. [0-9]+ passed' "$1" | awk '{sum += $4} END {print sum + 0}'; }

rust_tests() {
  cargo fmt --check
  cargo clippy --quiet --all-targets -- -D warnings
  cargo clippy --quiet --all-targets --target wasm32-unknown-unknown -- -D warnings
  # The transport module's build, without OpenPGP (its own target directory, as build_wasm uses).
  cargo clippy --quiet --lib --target wasm32-unknown-unknown --no-default-features --target-dir target/transport -- -D warnings
  # The interop test must find Sequoia here, not skip it.
  SEALMARK_SQOP=$(command -v sqop) cargo test 2>&1 | tee "$LOG_DIR/rust.log"
  RUST_PASSED=$(count_passed "$LOG_DIR/rust.log")
}

# wasm_tests chrome|firefox|node: the Wasm face in a real headless browser, or Node.js.
wasm_tests() {
  local browser=$1 runner=(--headless "--$1") suites=(--test web)
  case $browser in
    chrome) runner+=(--chromedriver "$(command -v chromedriver)") ;;
    firefox) runner+=(--geckodriver "$(command -v geckodriver)") ;;
    node) runner=(--node) suites=(--test node --test panic) ;;
  esac
  # The runner gives the whole suite 20 s and a driver 5 s to start by default: a busy machine needs more.
  WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/tests/wasm/webdriver.json" \
    WASM_BINDGEN_TEST_TIMEOUT=600 WASM_BINDGEN_TEST_DRIVER_TIMEOUT=60 \
    wasm-pack test "${runner[@]}" --mode no-install -- "${suites[@]}" 2>&1 |
    tee "$LOG_DIR/wasm-$browser.log"
  local passed
  passed=$(count_passed "$LOG_DIR/wasm-$browser.log")
  # A suite not configured for the runner is skipped and still exits 0.
  ((passed > 0)) || die "no Wasm test ran in $browser"
  WASM_PASSED[$browser]=$passed
}

# The test copy of the extension: its core in the dev profile (the dependencies
# are optimised there and were just built for the Wasm tests; a release build
# would link the whole core a second time for a few test functions).
build_test_hooks_package() {
  wasm_package "$TEST_HOOKS_PKG" sealmark target dev --features test-hooks
  # The transport module has no test hooks: the release one is used as it is.
  cp "$PKG_DIR"/sealmark_transport{.js,_bg.wasm} "$TEST_HOOKS_PKG/"
  extension_packages "$TEST_HOOKS_PKG" "$TEST_HOOKS_DIST"
}

# The extension's pure rules (tests/unit), in Node.js without a browser.
unit_tests() {
  node --test --test-reporter=spec tests/unit/ 2>&1 | tee "$LOG_DIR/unit.log"
  UNIT_PASSED=$(grep -Eo 'ℹ pass [0-9]+' "$LOG_DIR/unit.log" | awk '{print $3}')
  ((UNIT_PASSED > 0)) || die "no unit test ran"
}

# The package's TypeScript declarations must type real usage.
typescript_check() {
  tsc --noEmit --strict --target es2022 --module es2022 --moduleResolution bundler tests/wasm/types.ts
  # The extension's and the Inspector's JavaScript (checkJs, extension/jsconfig.json), against the
  # Wasm package's declarations where the packages put them: wasm/ for the extension, beside www/.
  mkdir -p target/types/wasm
  cp "$PKG_DIR"/sealmark{,_transport}.d.ts target/types/wasm/
  cp "$PKG_DIR"/sealmark{,_transport}.d.ts target/types/
  tsc -p extension/jsconfig.json
}

lint_extension() {
  # The background is not bundled: a missing export would stop it from loading
  # at all (its listeners never registered). Bundling it here fails on that.
  esbuild "$DIST/chrome/background/background.js" --bundle --format=esm --outfile=/dev/null --log-level=warning
  web-ext lint --source-dir "$DIST/firefox" --output json --self-hosted >"$LOG_DIR/web-ext-lint.json" || true
  node -e '
    const report = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const kind of ["errors", "warnings", "notices"])
      for (const m of report[kind] ?? []) console.log(`    ${kind.slice(0, -1)}: ${m.code} ${m.file ?? ""} — ${m.message}`);
    console.log(`    web-ext lint: ${report.count} messages, ${report.summary.errors} errors`);
    process.exit(report.summary.errors === 0 ? 0 : 1);
  ' "$LOG_DIR/web-ext-lint.json"
}

# e2e_tests chromium|firefox: the packaged extension driven in a real browser.
e2e_tests() {
  local browser=$1
  local status=0
  E2E_BROWSER=$browser node --test --test-concurrency=1 --test-reporter=spec tests/e2e/ 2>&1 |
    tee "$LOG_DIR/e2e-$browser.log" || status=$?
  E2E_PASSED[$browser]=$(grep -Eo 'ℹ pass [0-9]+' "$LOG_DIR/e2e-$browser.log" | awk '{print $3}')
  ((status == 0)) || die "e2e tests failed in $browser"
  ((E2E_PASSED[$browser] > 0)) || die "no e2e test ran in $browser"
}

run_tests() {
  mkdir -p "$LOG_DIR"
  declare -gA WASM_PASSED=() E2E_PASSED=() LAB_PASSED=()
  step "Rust: fmt, clippy, tests" rust_tests
  step "Wasm tests in headless Chromium" wasm_tests chrome
  step "Wasm tests in headless Firefox" wasm_tests firefox
  step "Wasm tests in Node.js" wasm_tests node
  step "TypeScript: declarations and the extension's JavaScript (tsc --checkJs)" typescript_check
  step "web-ext lint" lint_extension
  step "Extension unit tests (Node.js)" unit_tests
  step "Extension with test hooks (for the e2e tests)" build_test_hooks_package
  step "Extension e2e in headless Chromium" e2e_tests chromium
  step "Extension e2e in headless Firefox" e2e_tests firefox
  step "Mail lab: install (Debian packages; Exim unpacked under target/lab)" tests/lab/install.sh
  step "Mail lab: up" lab_up
  trap 'tests/lab/down.sh >/dev/null 2>&1' EXIT
  step "Mail lab: routes against the MTAs' logs, Roundcube and zero-access e2e in headless Chromium" lab_tests chromium
  step "Mail lab: Roundcube and zero-access e2e in headless Firefox" lab_tests firefox
  step "Mail lab: down" tests/lab/down.sh
  trap - EXIT
  local total=$((RUST_PASSED + UNIT_PASSED + WASM_PASSED[chrome] + WASM_PASSED[firefox] + WASM_PASSED[node] + E2E_PASSED[chromium] + E2E_PASSED[firefox] + LAB_PASSED[chromium] + LAB_PASSED[firefox]))
  cat <<EOF

Tests run:
  Rust (native)       $RUST_PASSED
  extension units     $UNIT_PASSED
  Wasm in Chromium    ${WASM_PASSED[chrome]}
  Wasm in Firefox     ${WASM_PASSED[firefox]}
  Wasm in Node.js     ${WASM_PASSED[node]}
  e2e in Chromium     ${E2E_PASSED[chromium]}
  e2e in Firefox      ${E2E_PASSED[firefox]}
  mail lab, Chromium  ${LAB_PASSED[chromium]}  (routes, Roundcube, zero access)
  mail lab, Firefox   ${LAB_PASSED[firefox]}
$total passed, 0 failed
EOF
}

# lab_tests chromium|firefox: the mail lab (tests/lab) must be up.
lab_tests() {
  local browser=$1
  local status=0
  local files=(tests/lab/roundcube.test.mjs tests/lab/zero-access.test.mjs)
  # The routes test needs no browser: run once, with the first browser.
  [[ $browser == chromium ]] && files=(tests/lab/routes.test.mjs "${files[@]}")
  E2E_BROWSER=$browser node --test --test-concurrency=1 --test-reporter=spec "${files[@]}" 2>&1 |
    tee "$LOG_DIR/lab-$browser.log" || status=$?
  LAB_PASSED[$browser]=$(grep -Eo 'ℹ pass [0-9]+' "$LOG_DIR/lab-$browser.log" | awk '{print $3}')
  ((status == 0)) || die "mail lab tests failed in $browser (lab logs: target/lab/run/log)"
  ((LAB_PASSED[$browser] > 0)) || die "no mail lab test ran in $browser"
}

# lab_up: a fresh lab (whatever an earlier run left is taken down first).
lab_up() {
  tests/lab/down.sh >/dev/null
  tests/lab/up.sh
}

# ---------------------------------------------------------------- load

# run_load [ROUNDS]: the proof that no test in a browser depends on the machine
# being idle: the Wasm tests in both browsers, every e2e suite and the mail lab's
# in both browsers, ROUNDS times in a row, while two busy loops keep both cores
# of a 2-core machine saturated (as CI's machine may be).
run_load() {
  local rounds=${1:-2} round browser burners=()
  [[ $rounds =~ ^[1-9][0-9]*$ ]] || die "./build.sh load [ROUNDS]: not a number of rounds: $rounds"
  mkdir -p "$LOG_DIR"
  declare -gA WASM_PASSED=() E2E_PASSED=() LAB_PASSED=()
  step "Extension with test hooks (for the e2e tests)" build_test_hooks_package
  step "Mail lab: install (Debian packages; Exim unpacked under target/lab)" tests/lab/install.sh
  step "Mail lab: up" lab_up
  for _ in 1 2; do
    (while :; do :; done) &
    burners+=($!)
  done
  trap 'kill "${burners[@]}" 2>/dev/null; tests/lab/down.sh >/dev/null 2>&1' EXIT
  for round in $(seq "$rounds"); do
    for browser in chrome firefox; do
      step "Round $round of $rounds, two cores busy: Wasm tests in $browser" wasm_tests "$browser"
      printf '    round %s, Wasm in %s: %s passed\n' "$round" "$browser" "${WASM_PASSED[$browser]}"
    done
    for browser in chromium firefox; do
      step "Round $round of $rounds, two cores busy: e2e in $browser" e2e_tests "$browser"
      step "Round $round of $rounds, two cores busy: mail lab in $browser" lab_tests "$browser"
      printf '    round %s, %s: e2e %s passed, mail lab %s passed\n' "$round" "$browser" "${E2E_PASSED[$browser]}" "${LAB_PASSED[$browser]}"
    done
  done
  kill "${burners[@]}" 2>/dev/null
  step "Mail lab: down" tests/lab/down.sh
  trap - EXIT
}

# ---------------------------------------------------------------- bench

# run_benchmarks [--quick]: the core natively (criterion), then the Wasm package
# against OpenPGP.js in headless Chromium and Firefox. Figures, not pass/fail.
run_benchmarks() {
  step "Native core (criterion)" cargo bench --quiet --bench core -- --warm-up-time 1 --measurement-time 3
  step "Wasm vs OpenPGP.js in headless Chromium and Firefox" node tests/bench/run.mjs "$@"
}

# ---------------------------------------------------------------- fuzz

CARGO_FUZZ_VERSION=0.13.2
FUZZ_DIR=tests/fuzz
FUZZ_OUT=target/fuzz
# Nightly, build output under target/, no sanitizer (the code is safe Rust and
# a sanitizer halves the executions) but debug assertions and overflow checks.
FUZZ_CARGO=(env "CARGO_TARGET_DIR=$ROOT/$FUZZ_OUT" cargo +nightly fuzz)
FUZZ_BUILD=(--fuzz-dir "$FUZZ_DIR" --sanitizer none --debug-assertions)
# libFuzzer's limits: inputs up to 16 KiB (the largest seed is a 7 KiB RSA key;
# longer inputs only slow every run); an input taking 10 s or 2 GiB is a crash.
FUZZ_ARGS=(-max_len=16384 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)

setup_fuzz() {
  rustup toolchain list | grep -q '^nightly' ||
    die "cargo fuzz needs Rust nightly and none is installed: rustup toolchain install nightly"
  cargo_install cargo-fuzz "$CARGO_FUZZ_VERSION" --locked
  # The fuzzed dependencies are the versions Sealmark ships: the fuzz
  # workspace starts from the main lock file (cargo adds libFuzzer to it).
  if [[ ! -f $FUZZ_DIR/Cargo.lock || Cargo.lock -nt $FUZZ_DIR/Cargo.lock ]]; then
    cp Cargo.lock "$FUZZ_DIR/Cargo.lock"
  fi
}

# fuzz_target NAME SECONDS: one libFuzzer process, niced, on the committed
# corpus, which it only reads (new inputs land in target/fuzz/corpus/NAME);
# adds its line to FUZZ_ROWS.
fuzz_target() {
  local name=$1 seconds=$2 log=$FUZZ_OUT/logs/$1.log status=0
  local work=$FUZZ_OUT/corpus/$name artifacts=$FUZZ_DIR/artifacts/$name
  mkdir -p "$work" "$artifacts" "$FUZZ_OUT/logs"
  local before execs speed last crashes
  before=$(find "$artifacts" -type f | wc -l)
  nice -n 10 "${FUZZ_CARGO[@]}" run "${FUZZ_BUILD[@]}" "$name" "$work" "$FUZZ_DIR/corpus/$name" -- \
    "${FUZZ_ARGS[@]}" "-max_total_time=$seconds" >"$log" 2>&1 || status=$?
  execs=$(awk -F': ' '/stat::number_of_executed_units/ {print $2}' "$log")
  speed=$(awk -F': ' '/stat::average_exec_per_sec/ {print $2}' "$log")
  last=$(grep -E '^#[0-9]+.* cov: ' "$log" | tail -n1 || true)
  crashes=$(($(find "$artifacts" -type f | wc -l) - before))
  if ((status != 0 && crashes == 0)); then crashes="exit $status"; fi
  FUZZ_ROWS+=("$(printf '%-10s %11s %8s %6s %7s %7s  %s' "$name" "${execs:-?}" "${speed:-?}" \
    "$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")" "$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")" \
    "$(find "$FUZZ_DIR/corpus/$name" -type f | wc -l)" "$crashes")")
  [[ $crashes == 0 ]] || FUZZ_FAILED+=("$name")
  printf '    %s\n' "${FUZZ_ROWS[-1]}"
}

fuzz_all() {
  local seconds=$1 target
  for target in "${FUZZ_TARGETS[@]}"; do fuzz_target "$target" "$seconds"; done
}

# run_fuzz [SECONDS]: every target for SECONDS (default 300), one at a time.
run_fuzz() {
  local seconds=${1:-300}
  [[ $seconds =~ ^[0-9]+$ ]] || die "./build.sh fuzz [SECONDS]: not a number of seconds: $seconds"
  step "cargo-fuzz and the fuzz lock file" setup_fuzz
  step "Fuzz targets (nightly, debug assertions)" "${FUZZ_CARGO[@]}" build "${FUZZ_BUILD[@]}"
  declare -ga FUZZ_ROWS=() FUZZ_FAILED=() FUZZ_TARGETS=()
  mapfile -t FUZZ_TARGETS < <("${FUZZ_CARGO[@]}" list --fuzz-dir "$FUZZ_DIR")
  step "Fuzzing ${#FUZZ_TARGETS[@]} targets, ${seconds}s each (logs in $FUZZ_OUT/logs/)" fuzz_all "$seconds"
  printf '\n%-10s %11s %8s %6s %7s %7s  %s\n' target execs exec/s cov ft corpus "new crashes"
  printf '%s\n' "${FUZZ_ROWS[@]}"
  ((${#FUZZ_FAILED[@]} == 0)) ||
    die "fuzzing crashed in: ${FUZZ_FAILED[*]} (inputs in $FUZZ_DIR/artifacts/, logs in $FUZZ_OUT/logs/)"
  cat <<EOF

No crashes. Inputs that found new coverage are in $FUZZ_OUT/corpus/<target>/; to keep
them, copy them into $FUZZ_DIR/corpus/<target>/ and minimise it (every edge kept, not
every hit count):
  ${FUZZ_CARGO[*]} cmin ${FUZZ_BUILD[*]} <target> -- -max_len=16384 -use_counters=0
EOF
}

# ---------------------------------------------------------------- main

usage() {
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
}

main() {
  local command=${1:-build}
  case $command in
    build)
      setup
      build
      print_build_summary
      ;;
    test)
      setup
      step "Sequoia's sqop (post-quantum interop)" setup_sqop
      build
      run_tests
      ;;
    bench)
      setup
      build
      run_benchmarks "${@:2}"
      ;;
    lab)
      if [[ ${2:-} == down ]]; then
        tests/lab/down.sh
        return
      fi
      setup
      build
      step "Mail lab: install" tests/lab/install.sh
      step "Mail lab: up" lab_up
      cat <<EOF

The mail lab is up (./build.sh lab down stops it and removes what it made).
  Roundcube   http://127.0.0.1:8480/   user alice@rcpt.lab   password lab-password
  Extension   Chromium: chrome://extensions → Developer mode → Load unpacked → $DIST/chrome
              Firefox:  about:debugging → This Firefox → Load Temporary Add-on → $DIST/sealmark-firefox.xpi
              then Sealmark's options → Sites → add http://127.0.0.1:8480
  Routes      send to alice-tls13@, alice-tls12@, alice-plain@, alice-stripped@ or alice-exim@rcpt.lab
              (all arrive in Alice's inbox); logs in target/lab/run/log
  Zero access zoe@rcpt.lab (same password): her mail is sealed on arrival once her certificate is at
              target/lab/run/mail/rcpt.lab/zoe/sealmark/inbound.asc (Sieve) or
              target/lab/run/zero-access/certs/zoe@rcpt.lab.asc (zoe+pipe@rcpt.lab, Postfix's pipe)
EOF
      ;;
    fuzz) run_fuzz "${@:2}" ;;
    load)
      setup
      build
      run_load "${@:2}"
      ;;
    -h | --help | help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
