#!/bin/sh
# Makes the fixtures of tests/openpgp_policy.rs that GnuPG can make, in a
# throw-away home. Run from anywhere; writes next to this script. The keys
# have no passphrase and protect nothing.
set -eu
out=$(cd "$(dirname "$0")" && pwd)
GNUPGHOME=$(mktemp -d)
export GNUPGHOME
trap 'rm -rf "$GNUPGHOME"' EXIT
g() { gpg --batch --yes --quiet --pinentry-mode loopback --passphrase '' "$@"; }
fpr() { gpg --list-keys --with-colons "$1" | awk -F: '/^fpr/ { print $10; exit }'; }
printf 'The data these signatures cover.\n' > "$out/data.txt"

# An RSA 1024 key with an RSA 1024 encryption subkey, and its data signature.
g --quick-gen-key 'Small RSA <rsa1024@example.org>' rsa1024 sign never
small=$(fpr rsa1024@example.org)
g --quick-add-key "$small" rsa1024 encr never
g --armor --export rsa1024@example.org > "$out/rsa1024.cert"
g --armor --local-user "$small" --digest-algo SHA256 --detach-sign -o "$out/rsa1024.sig" "$out/data.txt"

# An RSA 3072 key, its data signatures over each hash, and one from 2099.
g --quick-gen-key 'Hashes <hashes@example.org>' rsa3072 sign never
hashes=$(fpr hashes@example.org)
g --armor --export hashes@example.org > "$out/hashes.cert"
for digest in SHA256 SHA1 RIPEMD160 MD5; do
  g --allow-weak-digest-algos --armor --local-user "$hashes" --digest-algo "$digest" \
    --detach-sign -o "$out/hashes-$(echo "$digest" | tr 'A-Z' 'a-z').sig" "$out/data.txt"
done
g --faked-system-time 20990101T000000 --ignore-time-conflict --armor --local-user "$hashes" \
  --detach-sign -o "$out/hashes-future.sig" "$out/data.txt"

# DSA 2048 with an ElGamal 2048 encryption subkey, as long-time GnuPG users
# have them; a message GnuPG encrypted to it and signed with it.
g --quick-gen-key 'Old DSA <old@example.org>' dsa2048 sign never
old=$(fpr old@example.org)
g --quick-add-key "$old" elg2048 encr never
g --armor --export old@example.org > "$out/dsa-elgamal.cert"
g --armor --export-secret-keys old@example.org > "$out/dsa-elgamal.key"
g --armor --trust-model always --recipient old@example.org --local-user "$old" --sign \
  --encrypt -o "$out/dsa-elgamal-message.asc" "$out/data.txt"
g --armor --local-user "$old" --detach-sign -o "$out/dsa.sig" "$out/data.txt"

# Keys whose symmetric preferences are AES-128 only, and CAST5 only.
for cipher in AES128 CAST5; do
  lower=$(echo "$cipher" | tr 'A-Z' 'a-z')
  g --quick-gen-key "Prefers $cipher <$lower@example.org>" ed25519 sign never
  id=$(fpr "$lower@example.org")
  g --quick-add-key "$id" cv25519 encr never
  printf 'setpref %s SHA256 Uncompressed\ny\nsave\n' "$cipher" |
    gpg --batch --yes --quiet --pinentry-mode loopback --passphrase '' --command-fd 0 --edit-key "$id" > /dev/null
  g --armor --export "$lower@example.org" > "$out/prefers-$lower.cert"
  g --armor --export-secret-keys "$lower@example.org" > "$out/prefers-$lower.key"
done
