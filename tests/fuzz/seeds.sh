#!/usr/bin/env bash
# Seed inputs for the fuzz targets, from real material: the crate itself (the
# sealmark CLI), GnuPG (gpg) and Sequoia (sq), the transport corpus and the
# OpenPGP fixtures of tests/corpus/. The fixture keys of tests/fuzz/fixtures/
# are made once, here, and then kept: the seeds and the corpora depend on them.
#
#   tests/fuzz/seeds.sh [OUT]     seeds into OUT/<target>/ (default target/fuzz/seeds)
#
# The campaign started from these seeds; what it kept, minimised, is the
# committed corpus (tests/fuzz/corpus/). Run again only to add material.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
SEALMARK=${SEALMARK:-$ROOT/target/release/sealmark}
OUT=$(realpath -m "${1:-target/fuzz/seeds}")
FIXTURES=$ROOT/tests/fuzz/fixtures
CORPUS=$ROOT/tests/corpus
PASSWORD="fuzz password"                                    # targets.rs PASSWORD
SETUP_CODE=1234-5678-9012-3456-7890-1234-5678-9012-3456     # targets.rs SETUP_CODE

[[ -x $SEALMARK ]] || { echo "error: $SEALMARK missing: run ./build.sh first" >&2; exit 1; }
for tool in gpg sq; do
  command -v "$tool" >/dev/null || { echo "error: $tool missing: ./build.sh installs it" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'gpgconf --kill all >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
export GNUPGHOME=$work/gnupg
mkdir -m 700 "$GNUPGHOME"
gpg_() { gpg --batch --quiet --no-tty --pinentry-mode loopback --trust-model always "$@" 2>/dev/null; }
sm() { "$SEALMARK" "$@"; }
cd "$work"

# ---------------------------------------------------------------- fixtures

# Unprotected, so the fuzzer never derives a passphrase to use them.
[[ -f $FIXTURES/v4.key ]] || sm generate-key --profile curve25519 "Fuzz V4 <fuzz-v4@example.org>" >"$FIXTURES/v4.key"
[[ -f $FIXTURES/v6.key ]] || sm generate-key --profile rfc9580 "Fuzz V6 <fuzz-v6@example.org>" >"$FIXTURES/v6.key"
[[ -f $FIXTURES/signed-data.txt ]] || printf 'Signed text for the fuzz seeds.\nA second line with trailing space \nand a third without a line break' >"$FIXTURES/signed-data.txt"
cp "$FIXTURES"/v4.key "$FIXTURES"/v6.key "$FIXTURES"/signed-data.txt .
sm extract-cert <v4.key >v4.cert
sm extract-cert <v6.key >v6.cert
DATA=signed-data.txt
printf 'Hello from the fuzz seeds.\nSecond line.\n' >msg.txt
head -c 3000 /dev/zero | tr '\0' 'k' >long.txt

mkdir -p "$OUT"/{armor,keys,decrypt,verify,mime,autocrypt,transport}
seed() { cat >"$OUT/$1/$2"; }   # seed TARGET NAME < data

gpg_ --passphrase '' --import v4.key
sq key generate --userid "Sequoia Peer <sq-peer@example.org>" --export sq.key 2>/dev/null
sq key extract-cert sq.key >sq.cert

# ---------------------------------------------------------------- decrypt

sm encrypt v4.cert <msg.txt | seed decrypt ours-seipdv1.asc
sm encrypt --no-armor v4.cert <msg.txt | seed decrypt ours-seipdv1.bin
sm encrypt --sign-with v4.key v4.cert <msg.txt | seed decrypt ours-seipdv1-signed.asc
sm encrypt --no-armor --sign-with v4.key --as text v4.cert <long.txt | seed decrypt ours-seipdv1-signed-long.bin
sm encrypt v6.cert <msg.txt | seed decrypt ours-seipdv2-gcm.asc
sm encrypt --no-armor v6.cert <msg.txt | seed decrypt ours-seipdv2-gcm.bin
sm encrypt --sign-with v6.key v6.cert <msg.txt | seed decrypt ours-seipdv2-gcm-signed.asc
sm encrypt --no-armor --sign-with v6.key --sign-with v4.key v6.cert <long.txt | seed decrypt ours-seipdv2-gcm-two-signers.bin
sm encrypt --no-armor v4.cert v6.cert <msg.txt | seed decrypt ours-two-recipients.bin
for compress in none zip zlib bzip2; do
  gpg_ -r fuzz-v4@example.org --compress-algo "$compress" --encrypt <msg.txt | seed decrypt "gpg-seipdv1-$compress.bin"
done
gpg_ -r fuzz-v4@example.org -u fuzz-v4@example.org --sign --encrypt <long.txt | seed decrypt gpg-seipdv1-signed-partial-lengths.bin
gpg_ --armor -r fuzz-v4@example.org -u fuzz-v4@example.org --sign --encrypt <msg.txt | seed decrypt gpg-seipdv1-signed.asc
# Salted S2K, not iterated: the fuzzer derives the key on every run, and GnuPG
# ignores --s2k-count for symmetric encryption (65 MiB hashed, a second in rPGP).
gpg_ --passphrase "$PASSWORD" --s2k-mode 1 --symmetric <msg.txt | seed decrypt gpg-password.bin
gpg_ --passphrase "$PASSWORD" --s2k-mode 1 --symmetric --rfc2440 --cipher-algo AES256 <msg.txt | seed decrypt gpg-password-no-mdc.bin
sq encrypt --recipient-cert v4.cert <msg.txt | seed decrypt sq-seipdv1.asc
sq encrypt --binary --recipient-cert v4.cert --signer-key sq.key <long.txt | seed decrypt sq-seipdv1-signed.bin
for peer in gnupg sequoia openpgpjs-v6; do
  seed decrypt "$peer-message.asc" <"$CORPUS/openpgp/$peer-message.asc"
done

# ---------------------------------------------------------------- verify (detached seeds sign signed-data.txt)

sm sign v4.key <$DATA | seed verify ours-v4-detached.asc
sm sign --no-armor --as text v4.key <$DATA | seed verify ours-v4-detached-text.bin
sm sign v6.key <$DATA | seed verify ours-v6-detached.asc
sm sign --no-armor v6.key v4.key <$DATA | seed verify ours-two-detached.bin
sm inline-sign --as clearsigned v4.key <$DATA | seed verify ours-v4-cleartext.asc
sm inline-sign --as clearsigned v6.key <$DATA | seed verify ours-v6-cleartext.asc
sm inline-sign v4.key <$DATA | seed verify ours-v4-inline.asc
# Text with CRLF line endings (the other seeds have bare LFs).
sed 's/$/\r/' $DATA | sm inline-sign --no-armor --as text v6.key | seed verify ours-v6-inline-text.bin
gpg_ -u fuzz-v4@example.org --detach-sign <$DATA | seed verify gpg-detached.bin
gpg_ -u fuzz-v4@example.org --armor --textmode --detach-sign <$DATA | seed verify gpg-detached-text.asc
gpg_ -u fuzz-v4@example.org --clearsign <$DATA | seed verify gpg-cleartext.asc
gpg_ -u fuzz-v4@example.org --sign <$DATA | seed verify gpg-inline-compressed.bin
sq sign --detached --signer-key v4.key $DATA | seed verify sq-detached.asc
sq sign --cleartext-signature --signer-key v4.key $DATA | seed verify sq-cleartext.asc
sq sign --binary --signer-key v4.key $DATA | seed verify sq-inline.bin

# ---------------------------------------------------------------- keys

for name in v4 v6; do
  seed keys "ours-$name.key" <$name.key
  seed keys "ours-$name.cert" <$name.cert
  sm dearmor <$name.key | seed keys "ours-$name-key.bin"
  sm dearmor <$name.cert | seed keys "ours-$name-cert.bin"
done
sm generate-key --profile rsa3072 "Fuzz RSA <fuzz-rsa@example.org>" | sm extract-cert | seed keys ours-rsa3072.cert
sm generate-key --with-key-password @ENV:HOME "Locked <locked@example.org>" | seed keys ours-v4-locked.key
sm generate-key --profile rfc9580 --with-key-password @ENV:HOME "Locked <locked6@example.org>" | seed keys ours-v6-locked.key
sm revoke-key <v4.key | seed keys ours-v4-revoked.cert
cat v4.cert v6.cert | seed keys ours-two-certs.asc
gpg_ --export fuzz-v4@example.org | seed keys gpg-export.bin
gpg_ --quick-gen-key --passphrase '' "GnuPG Peer <gpg-peer@example.org>" future-default default 2y
gpg_ --armor --export gpg-peer@example.org | seed keys gpg-peer.cert
gpg_ --passphrase '' --armor --export-secret-keys gpg-peer@example.org | seed keys gpg-peer.key
gpg_ --quick-gen-key --passphrase '' "GnuPG RSA <gpg-rsa@example.org>" rsa2048 default never
gpg_ --export gpg-rsa@example.org | seed keys gpg-rsa2048.bin
seed keys sq-peer.key <sq.key
seed keys sq-peer.cert <sq.cert
for peer in gnupg sequoia openpgpjs-v6; do
  seed keys "$peer-key.asc" <"$CORPUS/openpgp/$peer-key.asc"
done

# ---------------------------------------------------------------- armor

for file in "$OUT"/decrypt/*.asc "$OUT"/verify/*.asc "$OUT"/keys/*.asc "$OUT"/keys/*.key "$OUT"/keys/*.cert; do
  [[ $(head -c 5 "$file") == ----- ]] && cp "$file" "$OUT/armor/$(basename "${file%.*}").asc"
done
block=$OUT/decrypt/ours-seipdv1-signed.asc
sed 's/^/> /' "$block" | seed armor webmail-quoted.txt
sed 's/$/\r/' "$block" | seed armor webmail-crlf.txt
sed 's/$/   /' "$block" | seed armor webmail-trailing-spaces.txt
sed 's/^/    /' "$block" | seed armor webmail-indented.txt
sed 's/ /\xc2\xa0/g' "$OUT/verify/ours-v4-cleartext.asc" | seed armor webmail-nbsp-cleartext.txt
awk 'NR == 2 && $0 == "" { next } { print }' "$block" | seed armor webmail-no-blank-line.txt
sed '/^=/d' "$block" | seed armor checksum-missing.txt
sed 's/^=.*/=AAAA/' "$block" | seed armor checksum-wrong.txt
# Re-wrapped at 50 columns, as a mail client wrapping text does.
awk 'state == 0 { print; if ($0 == "") state = 1; next }
     state == 1 && /^(=|-----)/ { while (length(body)) { print substr(body, 1, 50); body = substr(body, 51) } state = 2 }
     state == 1 { body = body $0; next }
     { print }' "$block" | seed armor webmail-rewrapped.txt
{ printf 'Hi,\n\nsee below.\n\n'; cat "$block"; printf '\nand a key:\n'; cat v4.cert; printf -- '-----BEGIN PGP MESSAGE-----\ntruncated\n'; } | seed armor text-around-blocks.txt
{ printf '<div>'; sed 's/$/<br>/' "$block"; printf '</div>'; } | seed armor webmail-html.txt

# ---------------------------------------------------------------- mime

crlf() { sed 's/$/\r/'; }
armored=$(cat "$OUT/decrypt/ours-seipdv1-signed.asc")
crlf <<EOF | seed mime pgp-mime-encrypted.eml
From: Alice <fuzz-v4@example.org>
To: Bob <bob@example.org>
Subject: ...
MIME-Version: 1.0
Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="enc-boundary"

This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)
--enc-boundary
Content-Type: application/pgp-encrypted
Content-Description: PGP/MIME version identification

Version: 1

--enc-boundary
Content-Type: application/octet-stream; name="encrypted.asc"
Content-Description: OpenPGP encrypted message
Content-Disposition: inline; filename="encrypted.asc"

$armored

--enc-boundary--
EOF
crlf <<'EOF' >signed-part.txt
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Signed PGP/MIME text =E2=9C=93
From the fuzz seeds.
EOF
# The part's last CRLF belongs to the boundary: what is signed ends before it.
head -c -2 signed-part.txt >signed-entity.txt
gpg_ -u fuzz-v4@example.org --armor --detach-sign <signed-entity.txt >gpg-mime.sig
{
  crlf <<'EOF'
From: Alice <fuzz-v4@example.org>
To: Bob <bob@example.org>
Subject: signed
MIME-Version: 1.0
Content-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="sig-boundary"

--sig-boundary
EOF
  cat signed-part.txt
  crlf <<EOF
--sig-boundary
Content-Type: application/pgp-signature; name="signature.asc"

$(cat gpg-mime.sig)
--sig-boundary--
EOF
} | seed mime pgp-mime-signed.eml
crlf <<'EOF' | seed mime content-protected-subject.eml
Content-Type: multipart/mixed; boundary="mixed"; protected-headers="v1"
Subject: The real subject
From: Alice <fuzz-v4@example.org>

--mixed
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8

Plain text body.
--alt
Content-Type: text/html; charset=utf-8

<p>HTML <b>body</b> <a href="https://example.org">link</a><script>alert(1)</script></p>
--alt--
--mixed
Content-Type: application/pdf; name="report.pdf"
Content-Disposition: attachment; filename="report.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PC9UeXBlL0NhdGFsb2c+PgplbmRvYmoK
--mixed
Content-Type: text/plain; charset=iso-8859-1; name="notes.txt"
Content-Disposition: attachment; filename*=UTF-8''n%C3%B6tes.txt
Content-Transfer-Encoding: quoted-printable

Gr=FC=DFe
--mixed--
EOF
printf 'Content-Type: text/plain; charset=utf-8\r\n\r\nJust text.\r\n' | seed mime content-plain.eml
printf 'No MIME at all, just a decrypted line.\n' | seed mime content-not-mime.txt
printf 'Content-Type: text/html\nContent-Transfer-Encoding: base64\n\nPGI+aGk8L2I+\n' | seed mime content-html-base64.eml
for file in "$CORPUS"/transport/*.eml; do
  grep -qi '^content-type: multipart' "$file" && cp "$file" "$OUT/mime/transport-$(basename "$file")"
done

# ---------------------------------------------------------------- autocrypt

keydata() { sm dearmor <"$1" | base64 -w 76 | sed '2,$s/^/ /'; }
crlf <<EOF | seed autocrypt header-v4-mutual.eml
From: Fuzz V4 <fuzz-v4@example.org>
To: bob@example.org
Date: Tue, 03 Nov 2026 10:00:00 +0000
Subject: hello
Autocrypt: addr=fuzz-v4@example.org; prefer-encrypt=mutual; keydata=
 $(keydata v4.cert)

body
EOF
crlf <<EOF | seed autocrypt header-v6-nopreference.eml
From: fuzz-v6@example.org
Date: Mon, 1 Feb 2027 08:00:00 -0500
Autocrypt: addr=fuzz-v6@example.org; _extra=ignored; keydata=$(sm dearmor <v6.cert | base64 -w0)

body
EOF
crlf <<EOF | seed autocrypt header-gpg-key-wrong-addr.eml
From: "Someone Else" <else@example.org>
Date: Tue, 03 Nov 2026 10:00:00 +0000
Autocrypt: addr=gpg-peer@example.org; keydata=$(gpg_ --export gpg-peer@example.org | base64 -w0)

body
EOF
crlf <<EOF | seed autocrypt header-twice-future-date.eml
From: <fuzz-v4@example.org>
Date: Fri, 01 Jan 2100 00:00:00 +0000
Autocrypt: addr=fuzz-v4@example.org; keydata=$(sm dearmor <v4.cert | base64 -w0)
Autocrypt: addr=fuzz-v4@example.org; critical=unknown; keydata=$(sm dearmor <v4.cert | base64 -w0)

body
EOF
crlf <<EOF | seed autocrypt gossip-entity.eml
Content-Type: text/plain; charset=utf-8
Autocrypt-Gossip: addr=fuzz-v6@example.org; keydata=
 $(keydata v6.cert)
Autocrypt-Gossip: addr=sq-peer@example.org; keydata=$(sm dearmor <sq.cert | base64 -w0)

Decrypted text with gossip.
EOF
# A setup message as Autocrypt programs make it: the armored secret key,
# encrypted with the setup code (cheapest S2K, see decrypt above).
setup=$(gpg_ --armor --passphrase "$SETUP_CODE" --s2k-mode 1 --symmetric <v4.key |
  sed '1a Passphrase-Format: numeric9x4\nPassphrase-Begin: 12')
crlf <<EOF | seed autocrypt setup-message.eml
From: <fuzz-v4@example.org>
To: <fuzz-v4@example.org>
Subject: Autocrypt Setup Message
Autocrypt-Setup-Message: v1
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="setup"

--setup
Content-Type: text/plain; charset=utf-8

This message contains your Autocrypt setup.
--setup
Content-Type: application/autocrypt-setup
Content-Disposition: attachment; filename="autocrypt-setup-message.html"

<html><body><pre>
$setup
</pre></body></html>
--setup--
EOF
for file in "$CORPUS"/transport/*.eml; do
  grep -qi '^autocrypt' "$file" && cp "$file" "$OUT/autocrypt/transport-$(basename "$file")"
done

# ---------------------------------------------------------------- transport

cp "$CORPUS"/transport/*.eml "$OUT/transport/"
cp "$CORPUS"/transport/gmail-inbound.eml "$OUT/autocrypt/plain-gmail.eml"

for target in "$OUT"/*/; do
  printf '%-10s %3d seeds\n' "$(basename "$target")" "$(find "$target" -type f | wc -l)"
done
