//! Native benchmarks of the core (`./build.sh bench`, or `cargo bench`):
//! header analysis throughput over the transport corpus (goal: at least
//! 50,000 messages per second on one core) and the OpenPGP hot paths.

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
    use sealmark::openpgp::keys::{self, GenerateOptions, Profile};
    use sealmark::openpgp::message::{self, DecryptOptions, EncryptOptions, UnlockKey};
    use sealmark::transport;

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
                filename: None,
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

    criterion_group!(benches, header_analysis, openpgp);
}
