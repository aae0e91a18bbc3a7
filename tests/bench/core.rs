//! Native benchmarks of the core (`./build.sh bench`, or `cargo bench`):
//! header analysis throughput over the transport corpus (goal: at least
//! 50,000 messages per second on one core), the mailbox report of
//! `sealmark hops --report` (goal: 100,000 messages well under a minute on
//! one core), the OpenPGP hot paths, and the zero-access filter
//! (`sealmark seal-inbound`) in messages per second on one core.

// criterion is a native dev-dependency; the wasm32 build (clippy --all-targets) gets an empty bench.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::fs;
    use std::path::Path;

    use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
    use sealmark::mail::seal::{self, SealOptions};
    use sealmark::openpgp::keys::{self, GenerateOptions, Profile};
    use sealmark::openpgp::message::{self, DecryptOptions, EncryptOptions};
    use sealmark::openpgp::unlock::UnlockKey;
    use sealmark::transport;
    use sealmark::transport::mailbox::{MailboxSummary, Mbox};

    fn corpus() -> Vec<Vec<u8>> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/transport");
        let mut messages: Vec<Vec<u8>> = fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|entry| entry.path().extension().is_some_and(|e| e == "eml"))
            .filter_map(|entry| fs::read(entry.path()).ok())
            .collect();
        messages.sort();
        messages
    }

    pub fn header_analysis(c: &mut Criterion) {
        let messages = corpus();
        let options = transport::Options::default();
        let mut group = c.benchmark_group("transport");
        group.throughput(Throughput::Elements(messages.len() as u64));
        group.bench_function("analyze corpus", |b| {
            b.iter(|| {
                for raw in &messages {
                    let _ = std::hint::black_box(transport::analyze(raw, &options));
                }
            })
        });
        group.finish();
    }

    /// An mbox (mboxrd) holding the corpus over and over, `count` messages.
    fn mbox(messages: &[Vec<u8>], count: usize) -> Vec<u8> {
        let mut mbox = Vec::new();
        for raw in messages.iter().cycle().take(count) {
            mbox.extend_from_slice(b"From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n");
            for line in raw.split_inclusive(|&b| b == b'\n') {
                if line.starts_with(b"From ") {
                    mbox.push(b'>');
                }
                mbox.extend_from_slice(line);
            }
            mbox.extend_from_slice(b"\n");
        }
        mbox
    }

    /// What `sealmark hops --report` does with an mbox, minus the printing.
    fn report(mbox: &[u8], options: &transport::Options) -> MailboxSummary {
        let mut summary = MailboxSummary::default();
        for header in Mbox::new(mbox) {
            match header.map(|h| transport::analyze(&h, options)) {
                Ok(Ok(report)) => summary.add(&report),
                _ => summary.add_error(),
            }
        }
        summary.finish();
        summary
    }

    pub fn mailbox_report(c: &mut Criterion) {
        let messages = corpus();
        let options = transport::Options::default();
        let sample = mbox(&messages, 10_000);
        let mut group = c.benchmark_group("transport");
        group.sample_size(10);
        group.throughput(Throughput::Elements(10_000));
        group.bench_function("mailbox report, 10,000 messages", |b| {
            b.iter(|| std::hint::black_box(report(&sample, &options)))
        });
        group.finish();

        // The figure, measured once as a user would meet it.
        const GOAL_SECONDS: f64 = 60.0;
        let full = mbox(&messages, 100_000);
        let started = std::time::Instant::now();
        let summary = report(&full, &options);
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "mailbox report: {} messages ({:.0} MiB of mbox) in {seconds:.2} s on one core; goal under {GOAL_SECONDS:.0} s: {:.1}x faster",
            summary.messages,
            full.len() as f64 / f64::from(1u32 << 20),
            GOAL_SECONDS / seconds.max(f64::EPSILON),
        );
    }

    pub fn openpgp(c: &mut Criterion) {
        let mut group = c.benchmark_group("openpgp");
        group.sample_size(10);
        for (name, profile) in [("v4", Profile::Curve25519), ("v6", Profile::Rfc9580)] {
            group.throughput(Throughput::Elements(1));
            group.bench_function(BenchmarkId::new("generate curve25519", name), |b| {
                b.iter(|| {
                    keys::generate(&GenerateOptions {
                        user_ids: vec!["Bench <bench@example.org>".into()],
                        passphrase: None,
                        profile,
                        expires_in: None,
                    })
                })
            });
            let Ok(key) = keys::generate(&GenerateOptions {
                user_ids: vec!["Bench <bench@example.org>".into()],
                passphrase: None,
                profile,
                expires_in: None,
            }) else {
                continue;
            };
            let cert = key.to_public_key();
            let data = vec![0x5a_u8; 1 << 20];
            let signer = [UnlockKey {
                key: &key,
                passphrase: None,
            }];
            let recipients = [cert.clone()];
            let options = EncryptOptions {
                recipients: &recipients,
                signers: &signer,
                passwords: &[],
                armor: false,
                text: false,
            };
            group.throughput(Throughput::Bytes(data.len() as u64));
            group.bench_function(BenchmarkId::new("encrypt+sign 1 MiB", name), |b| {
                b.iter(|| message::encrypt(&data, &options))
            });
            let Ok(ciphertext) = message::encrypt(&data, &options) else {
                continue;
            };
            let decrypt = DecryptOptions {
                keys: &signer,
                passwords: &[],
                verification: &recipients,
                max_plaintext: None,
            };
            group.bench_function(BenchmarkId::new("decrypt+verify 1 MiB", name), |b| {
                b.iter(|| message::decrypt(&ciphertext, &decrypt))
            });
        }
        group.finish();
    }

    /// A delivered message of about `size` bytes: a route's header and a text body.
    fn delivered(size: usize) -> Vec<u8> {
        let mut raw = b"Received: from mx.example.net by mail.example.org with ESMTPS id 1\r\nAuthentication-Results: mail.example.org; dkim=pass\r\nFrom: Bob <bob@example.net>\r\nTo: owner@example.org\r\nSubject: The figures\r\nDate: Fri, 04 Dec 2026 10:00:00 +0000\r\nMessage-ID: <1@example.net>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n".to_vec();
        let line = b"Quarterly figures, region by region, as discussed on Monday.\r\n";
        while raw.len() < size {
            raw.extend_from_slice(line);
        }
        raw
    }

    /// The zero-access filter, one message at a time as a mail server runs it (messages per second).
    pub fn seal_inbound(c: &mut Criterion) {
        let Ok(key) = keys::generate(&GenerateOptions {
            user_ids: vec!["<owner@example.org>".into()],
            passphrase: None,
            profile: Profile::Curve25519,
            expires_in: None,
        }) else {
            return;
        };
        let recipients = [key.to_public_key()];
        let options = SealOptions {
            recipients: &recipients,
            keep_subject: false,
        };
        let mut group = c.benchmark_group("seal-inbound");
        group.sample_size(20);
        group.throughput(Throughput::Elements(1));
        for (name, size) in [("10 KB", 10_000), ("1 MB", 1_000_000)] {
            let raw = delivered(size);
            group.bench_function(BenchmarkId::new("messages", name), |b| {
                b.iter(|| seal::seal(&raw, &options))
            });
        }
        group.finish();
    }

    criterion_group!(
        benches,
        header_analysis,
        mailbox_report,
        openpgp,
        seal_inbound
    );
}
