#!/bin/sh
# Recipe for the OpenPGP fixtures of tests/openpgp_*.rs (needs gpg 2.2 or later).
# Keys are fresh on every run, so rerunning changes every file; the tests only depend
# on the structure described here and in README.md. gpg's own verdict for every
# signature (with the signer's public key imported) is written to gpg-verdicts.txt.
set -eu
cd "$(dirname "$0")"
rm -f ./*.gpg ./*.asc ./*.sig gpg-verdicts.txt fingerprints.txt
export GNUPGHOME="$(mktemp -d)"
trap 'rm -rf "$GNUPGHOME"' EXIT
G="gpg --batch --no-tty --quiet --pinentry-mode loopback --passphrase="
OLD=20200101T000000!      # key creation time of the "old" keys
SIGNED=20200102T000000!   # signing time of the old-key signatures

fpr() { $G --with-colons --list-keys "<$1>" | awk -F: '/^fpr/ {print $10; exit}'; }
subfpr() { $G --with-colons --list-keys "<$1>" | awk -F: '/^fpr/ {n++; if (n==2) {print $10; exit}}'; }
export_key() { $G --export "<$1>" > "$2.gpg"; $G --armor --export "<$1>" > "$2.asc"; }

# payload.json (committed) is the signed simple-signing payload; it names manifest.json.

$G --quick-gen-key "RSA Test <rsa@example.com>" rsa2048 sign never
$G --quick-add-key "$(fpr rsa@example.com)" rsa2048 encr never
$G --quick-gen-key "Ed25519 Test <ed25519@example.com>" ed25519 sign never
$G --quick-gen-key "P-256 Test <p256@example.com>" nistp256 sign never
# A primary key that can only certify, with a signing subkey.
$G --quick-gen-key "Subkey Test <subkey@example.com>" ed25519 cert never
$G --quick-add-key "$(fpr subkey@example.com)" ed25519 sign never
# The same, and the signing subkey is revoked after signing (see below).
$G --quick-gen-key "Revoked Subkey Test <revoked-subkey@example.com>" ed25519 cert never
$G --quick-add-key "$(fpr revoked-subkey@example.com)" ed25519 sign never
# A key revoked after signing.
$G --quick-gen-key "Revoked Test <revoked@example.com>" ed25519 sign never
# A key that expired one day after its creation in 2020.
$G --faked-system-time $OLD --quick-gen-key "Expired Test <expired@example.com>" ed25519 sign 1d
# A key from 2020 that never expires (for expired and long-lived signatures).
$G --faked-system-time $OLD --quick-gen-key "Old Test <old@example.com>" ed25519 sign never

for k in rsa ed25519 p256 subkey; do export_key "$k@example.com" "$k"; done

sign() { # sign OUT KEY [gpg options...]
  out=$1; key=$2; shift 2
  $G --local-user "<$key>" "$@" --output "$out" --sign payload.json
}
sign rsa.sig rsa@example.com
sign ed25519.sig ed25519@example.com
sign p256.sig p256@example.com
sign subkey.sig subkey@example.com
sign uncompressed.sig ed25519@example.com --compress-algo none
sign zlib.sig ed25519@example.com --compress-algo zlib
sign bzip2.sig ed25519@example.com --compress-algo bzip2
sign textmode.sig ed25519@example.com --textmode
sign armored.asc ed25519@example.com --armor
$G --local-user "<ed25519@example.com>" --output cleartext.asc --clearsign payload.json
$G --local-user "<ed25519@example.com>" --output detached.sig --detach-sign payload.json
$G --local-user "<ed25519@example.com>" --local-user "<rsa@example.com>" --output two-signatures.sig --sign payload.json
sign revoked-subkey.sig revoked-subkey@example.com
sign revoked.sig revoked@example.com
sign expired-key.sig expired@example.com --faked-system-time 20200101T010000!
sign expired-signature.sig old@example.com --faked-system-time $SIGNED --default-sig-expire 1d
sign long-lived-signature.sig old@example.com --faked-system-time $SIGNED --default-sig-expire 3650d
$G --output encrypted.sig --recipient "<rsa@example.com>" --encrypt payload.json
$G --output literal.sig --store payload.json
# 5 MiB of zeros, signed and compressed to a few KiB: over the payload limit.
head -c 5242880 /dev/zero > zeros.tmp
$G --local-user "<ed25519@example.com>" --compress-algo zlib --output bomb.sig --sign zeros.tmp
rm zeros.tmp

# Revoke the subkey ("key compromised") and the whole key, after signing.
printf 'key 1\nrevkey\ny\n1\n\ny\nsave\n' |
  $G --command-fd 0 --edit-key "$(fpr revoked-subkey@example.com)" >/dev/null 2>&1
sed 's/^:-----/-----/' "$GNUPGHOME/openpgp-revocs.d/$(fpr revoked@example.com).rev" | $G --import
for k in revoked-subkey revoked expired old; do export_key "$k@example.com" "$k"; done

# Primary fingerprints (and the signing subkeys'), for the tests.
for k in rsa ed25519 p256 subkey revoked-subkey revoked expired old; do
  echo "$k $(fpr $k@example.com)" >> fingerprints.txt
done
echo "subkey-signing-subkey $(subfpr subkey@example.com)" >> fingerprints.txt

# gpg's verdicts, each signature checked with only its signer's key imported.
verdict() { # verdict SIG KEYFILE...
  sig=$1; shift
  home="$(mktemp -d)"
  for k in "$@"; do gpg --homedir "$home" --batch --quiet --import "$k" 2>/dev/null; done
  status=$(gpg --homedir "$home" --batch --status-fd 1 --verify "$sig" 2>/dev/null |
    awk '$2 ~ /^(GOODSIG|BADSIG|EXPSIG|EXPKEYSIG|REVKEYSIG|ERRSIG|NODATA|NO_PUBKEY|VALIDSIG)$/ {print $2}' | sort -u | tr '\n' ' ')
  echo "$sig: ${status:-no signature status}" >> gpg-verdicts.txt
  rm -rf "$home"
}
for s in rsa ed25519 p256 subkey revoked-subkey revoked; do verdict "$s.sig" "$s.gpg"; done
for s in uncompressed zlib bzip2 textmode detached; do verdict "$s.sig" ed25519.gpg; done
verdict armored.asc ed25519.gpg
verdict cleartext.asc ed25519.gpg
verdict two-signatures.sig ed25519.gpg rsa.gpg
verdict expired-key.sig expired.gpg
verdict expired-signature.sig old.gpg
verdict long-lived-signature.sig old.gpg
verdict encrypted.sig rsa.gpg
verdict literal.sig rsa.gpg
verdict bomb.sig ed25519.gpg
