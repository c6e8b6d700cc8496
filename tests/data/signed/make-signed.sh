#!/bin/bash
# Recipe for tests/data/signed/: our own test keys and signed `dir:` images.
#
#   bash tests/data/signed/make-signed.sh        (as root or not; needs gpg 2.2, skopeo 1.9.3 and the oracle's
#                                                  cimage-sign; see shared/oracle/README.md)
#
# What it writes (everything below this script's directory; images/ and keys/ are replaced):
#   keys/    public keys only: GPG keys A..E (binary .gpg and armored .asc, .fpr), the keyring AB.gpg, and the
#            cosign-style ECDSA P-256 public keys S1.pub, S2.pub.  No private key is kept: every run makes fresh
#            keys in a throwaway GNUPGHOME / temp dir and deletes them at the end.
#   images/  small `dir:` images: a copy of tests/data/images/dir/unsigned (same manifest, same digest) plus
#            `signature-N` files assembled from a pool of signature blobs made below.
#   SIGNATURES  what each image's signature-N is (generated; a table).
#
# NOT byte-reproducible: keys are random and signatures carry timestamps, so a rerun gives different key,
# fingerprint and signature bytes (the verdicts stay the same; error texts that quote fingerprints or times
# change, so rerun tests/oracle/gen_signed.py afterwards).
#
# Environment: CIMAGE_SIGN (default /tmp/cimage-oracle/bin/cimage-sign), SKOPEO (default skopeo).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO="$(cd "$HERE/../../.." && pwd -P)"
UNSIGNED="$REPO/tests/data/images/dir/unsigned"
OTHER="$REPO/tests/data/images/dir/whitespace"   # same manifest value, different bytes -> different digest
SIGN="${CIMAGE_SIGN:-/tmp/cimage-oracle/bin/cimage-sign}"
SKOPEO="${SKOPEO:-skopeo}"
[ -x "$SIGN" ] || { echo "make-signed.sh: $SIGN not found (build the oracle: shared/oracle/setup.sh build)" >&2; exit 1; }
[ -f "$UNSIGNED/manifest.json" ] || { echo "make-signed.sh: $UNSIGNED missing" >&2; exit 1; }

TMP="$(mktemp -d)"
HOMES=()
cleanup() {
	# stop only the gpg-agents of our own throwaway homes
	for h in "${HOMES[@]}"; do GNUPGHOME="$h" gpgconf --kill gpg-agent 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT
export TZ=UTC

KEYS="$HERE/keys"
IMG="$HERE/images"
POOL="$TMP/pool"          # signature blobs, one file each
rm -rf "$KEYS" "$IMG" && mkdir -p "$KEYS" "$IMG" "$POOL"

sha() { sha256sum "$1" | cut -d' ' -f1; }
DIGEST="sha256:$(sha "$UNSIGNED/manifest.json")"
DIGEST_OTHER="sha256:$(sha "$OTHER/manifest.json")"
[ "$DIGEST" != "$DIGEST_OTHER" ]

ID=registry.example.com/signed/app:v1
ID_V2=registry.example.com/signed/app:v2
ID_REPO=registry.example.com/signed/app
ID_DIGEST="registry.example.com/signed/app@$DIGEST"
ID_TAG_DIGEST="registry.example.com/signed/app:v1@$DIGEST"
ID_OTHER_REPO=registry.example.com/signed/other:v1
ID_SHORT=app:v1                # Docker Hub short form: docker.io/library/app:v1 once normalised
ID_INVALID=INVALID             # not a valid reference

# ------------------------------------------------------------------ GPG keys
# Fixed parameters; no passphrase; uid "containers-policy test key X <key-x@example.com>".
G() { gpg --batch --quiet --pinentry-mode loopback --passphrase '' "$@"; }
fpr_of() { gpg --with-colons --list-keys "$1" 2>/dev/null | awk -F: '/^fpr/{print $10; exit}'; }
newhome() { local h="$TMP/gnupg-$1"; mkdir -m 700 "$h"; HOMES+=("$h"); echo "$h"; }
export_pub() { # name fpr
	gpg --export "$2" > "$KEYS/$1.gpg"
	gpg --armor --export "$2" > "$KEYS/$1.asc"
	echo "$2" > "$KEYS/$1.fpr"
}

export GNUPGHOME; GNUPGHOME="$(newhome main)"
G --quick-gen-key 'containers-policy test key A <key-a@example.com>' rsa2048 sign never
FPR_A=$(fpr_of key-a@example.com)
G --quick-gen-key 'containers-policy test key B <key-b@example.com>' ed25519 sign never
FPR_B=$(fpr_of key-b@example.com)
# C: the primary key can only certify; signing is done by an RSA-2048 signing subkey
G --quick-gen-key 'containers-policy test key C <key-c@example.com>' rsa2048 cert never
FPR_C=$(fpr_of key-c@example.com)
G --quick-add-key "$FPR_C" rsa2048 sign never
FPR_C_SUB=$(gpg --with-colons --list-keys "$FPR_C" | awk -F: '/^sub/{s=1} s&&/^fpr/{print $10; exit}')
G --quick-gen-key 'containers-policy test key E <key-e@example.com>' rsa2048 sign never
FPR_E=$(fpr_of key-e@example.com)
# D: expired.  Its own home fakes the clock: created 2020-01-01T00:00Z, expires one day later; gpg.conf then
# fakes 2020-01-01T12:00Z so that signing (by skopeo through gpgme) happens while the key is still valid.
GNUPGHOME_D="$(newhome expired)"
GNUPGHOME="$GNUPGHOME_D" G --faked-system-time 20200101T000000 \
	--quick-gen-key 'containers-policy test key D <key-d@example.com>' rsa2048 sign 1d
FPR_D=$(GNUPGHOME="$GNUPGHOME_D" fpr_of key-d@example.com)
echo "faked-system-time 20200101T120000" > "$GNUPGHOME_D/gpg.conf"

export_pub A "$FPR_A"; export_pub B "$FPR_B"; export_pub C "$FPR_C"; export_pub E "$FPR_E"
echo "$FPR_C_SUB" > "$KEYS/C.subkey.fpr"
GNUPGHOME="$GNUPGHOME_D" export_pub D "$FPR_D"
gpg --export "$FPR_A" "$FPR_B" > "$KEYS/AB.gpg"     # one keyring file holding two keys

# ------------------------------------------------------------------ sigstore keys (cosign-compatible ECDSA P-256)
PASS="$TMP/passphrase"; printf 'containers-policy-test\n' > "$PASS"
"$SIGN" keygen --passphrase-file "$PASS" --prefix "$TMP/S1"
"$SIGN" keygen --passphrase-file "$PASS" --prefix "$TMP/S2"
cp "$TMP/S1.pub" "$TMP/S2.pub" "$KEYS/"

# ------------------------------------------------------------------ signature pool
# Simple signing: `skopeo standalone-sign MANIFEST IDENTITY FPR` (c/image SignDockerManifest via gpgme).
gsig() { # out fpr identity [manifest]
	"$SKOPEO" standalone-sign "${4:-$UNSIGNED/manifest.json}" "$3" "$2" -o "$POOL/$1"
}
gsig A "$FPR_A" "$ID"
gsig A-2 "$FPR_A" "$ID"                 # a second, independently made good signature
gsig B "$FPR_B" "$ID"
gsig C "$FPR_C" "$ID"                   # gpg picks the signing subkey
gsig E "$FPR_E" "$ID"
GNUPGHOME="$GNUPGHOME_D" gsig D "$FPR_D" "$ID"
gsig A-v2 "$FPR_A" "$ID_V2"
gsig A-repo "$FPR_A" "$ID_REPO"
gsig A-digest "$FPR_A" "$ID_DIGEST"
gsig A-tag-digest "$FPR_A" "$ID_TAG_DIGEST"
gsig A-other-repo "$FPR_A" "$ID_OTHER_REPO"
gsig A-short "$FPR_A" "$ID_SHORT"
gsig A-invalid-id "$FPR_A" "$ID_INVALID"
gsig A-wrong-digest "$FPR_A" "$ID" "$OTHER/manifest.json"
gsig B-repo "$FPR_B" "$ID_REPO"
# skopeo copy --sign-by into a dir: writes the same kind of blob; keep one made that way too
"$SKOPEO" --insecure-policy copy -q --sign-by "$FPR_A" --sign-identity "$ID" "dir:$UNSIGNED" "dir:$TMP/copy-A"
test "sha256:$(sha "$TMP/copy-A/manifest.json")" = "$DIGEST"
cp "$TMP/copy-A/signature-1" "$POOL/A-copy"

# The same payload signed by gpg directly: uncompressed (one-pass signature, literal data, signature packets
# in the clear, so that a flipped byte reaches the cryptography) and ASCII-armored.
gpg --batch --quiet --decrypt "$POOL/A" > "$TMP/payload-A" 2>/dev/null
G --local-user "$FPR_A" --compress-algo none --sign -o "$POOL/A-uncompressed" "$TMP/payload-A"
G --local-user "$FPR_A" --armor --sign -o "$POOL/A-armored" "$TMP/payload-A"

# Corrupt blobs, derived from A's signatures
python3 - "$POOL" <<'PY'
import sys, os
pool = sys.argv[1]
a = open(os.path.join(pool, "A"), "rb").read()
def w(n, b): open(os.path.join(pool, n), "wb").write(b)
mid = len(a) // 2
w("A-flip-mid", a[:mid] + bytes([a[mid] ^ 0x01]) + a[mid + 1:])
w("A-flip-last", a[:-1] + bytes([a[-1] ^ 0x01]))
w("A-truncated", a[:mid])
w("A-prefixed", b"\x00simple-signing\n" + a)                  # the explicit storage format
w("garbage-text", b"this is not an OpenPGP signature\n")     # classification error (fetch fails)
w("garbage-prefixed", b"\x00simple-signing\n" + b"not an OpenPGP message\n")
w("garbage-packet", b"\xa3" + b"\x5a" * 40)                   # looks like a compressed packet, isn't
w("empty", b"")
u = open(os.path.join(pool, "A-uncompressed"), "rb").read()
w("A-uncompressed-flip-sig", u[:-1] + bytes([u[-1] ^ 0x01]))   # last byte of the signature MPI
i = u.index(b'"atomic container signature"') + 1                  # a byte of the literal data (the payload)
w("A-uncompressed-flip-data", u[:i] + bytes([u[i] ^ 0x20]) + u[i + 1:])
PY

# Sigstore: cimage-sign copy (c/image copy.Image with SignBySigstorePrivateKeyFile), then take signature-1.
ssig() { # out keyname identity [src-dir]
	local d="$TMP/ss-$1"
	"$SIGN" copy --sign-by-sigstore-private-key "$TMP/$2.key" --sign-passphrase-file "$PASS" \
		--sign-identity "$3" "dir:${4:-$UNSIGNED}" "dir:$d"
	test "$(ls "$d" | grep -c '^signature-')" = 1
	cp "$d/signature-1" "$POOL/$1"
}
ssig S1 S1 "$ID"
ssig S1-2 S1 "$ID"
ssig S2 S2 "$ID"
ssig S1-v2 S1 "$ID_V2"
ssig S1-digest S1 "$ID_DIGEST"
ssig S1-other-repo S1 "$ID_OTHER_REPO"
ssig S1-short S1 "docker.io/library/app:v1"
ssig S1-wrong-digest S1 "$ID" "$OTHER"
# c/image's copy refuses a repository-only --sign-identity ("Sign identity must be a fully specified
# reference"), but /usr/bin/cosign signs exactly that.  Make those by hand: S1's payload with another
# docker-reference, signed with openssl (ECDSA P-256, SHA-256, ASN.1 DER) using the decrypted private key.
ORACLE_HOME="${ORACLE_HOME:-/tmp/cimage-oracle}"
mkdir -p "$TMP/kx"
cat > "$TMP/kx/main.go" <<'GO'
// Prints a cosign "ENCRYPTED COSIGN PRIVATE KEY" (go-tuf encrypted PKCS#8) as PEM "PRIVATE KEY".
package main

import (
	"encoding/pem"
	"fmt"
	"os"
	"strings"

	"github.com/theupdateframework/go-tuf/encrypted"
)

func main() {
	keyPEM, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	pass, err := os.ReadFile(os.Args[2])
	if err != nil {
		panic(err)
	}
	b, _ := pem.Decode(keyPEM)
	if b == nil || b.Type != "ENCRYPTED COSIGN PRIVATE KEY" {
		panic("not an encrypted cosign key")
	}
	der, err := encrypted.Decrypt(b.Bytes, []byte(strings.TrimRight(string(pass), "\n")))
	if err != nil {
		panic(err)
	}
	fmt.Print(string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})))
}
GO
(cd "$TMP/kx" && GO111MODULE=off GOPATH="$ORACLE_HOME/gopath:/usr/share/gocode" GOCACHE="$ORACLE_HOME/gocache" \
	go build -o kx .)
"$TMP/kx/kx" "$TMP/S1.key" "$PASS" > "$TMP/S1.pem"
"$TMP/kx/kx" "$TMP/S2.key" "$PASS" > "$TMP/S2.pem"
hsig() { # out keyname identity   (payload = S1's with docker-reference replaced)
	python3 - "$POOL/S1" "$3" > "$TMP/payload-$1" <<'PY'
import sys, json, base64
raw = open(sys.argv[1], "rb").read()
obj = json.loads(raw[len(b"\x00sigstore-json\n"):])
pl = base64.b64decode(obj["payload"])
old = json.loads(pl)["critical"]["identity"]["docker-reference"]
needle = json.dumps(old).encode()
assert pl.count(needle) == 1
sys.stdout.buffer.write(pl.replace(needle, json.dumps(sys.argv[2]).encode()))
PY
	openssl dgst -sha256 -sign "$TMP/$2.pem" -out "$TMP/sig-$1" "$TMP/payload-$1"
	openssl dgst -sha256 -verify "$TMP/$2.pub" -signature "$TMP/sig-$1" "$TMP/payload-$1" >/dev/null
	python3 - "$POOL/S1" "$TMP/payload-$1" "$TMP/sig-$1" > "$POOL/$1" <<'PY'
import sys, json, base64
prefix = b"\x00sigstore-json\n"
obj = json.loads(open(sys.argv[1], "rb").read()[len(prefix):])
obj["payload"] = base64.b64encode(open(sys.argv[2], "rb").read()).decode()
obj["annotations"]["dev.cosignproject.cosign/signature"] = base64.b64encode(open(sys.argv[3], "rb").read()).decode()
sys.stdout.buffer.write(prefix + json.dumps(obj, separators=(",", ":")).encode())
PY
}
hsig S1-repo S1 "$ID_REPO"
hsig S2-repo S2 "$ID_REPO"
hsig S1-hand S1 "$ID"          # hand-made equivalent of S1 (checks the hand-made path itself verifies)
hsig S1-invalid-id S1 "$ID_INVALID"
python3 - "$POOL" <<'PY'
import sys, os, json, base64
pool = sys.argv[1]
raw = open(os.path.join(pool, "S1"), "rb").read()
prefix = b"\x00sigstore-json\n"
assert raw.startswith(prefix)
obj = json.loads(raw[len(prefix):])
def w(n, o):
    open(os.path.join(pool, n), "wb").write(prefix + json.dumps(o, separators=(",", ":")).encode())
ann = "dev.cosignproject.cosign/signature"
sig = bytearray(base64.b64decode(obj["annotations"][ann]))
sig[len(sig) // 2] ^= 0x01
o = json.loads(json.dumps(obj)); o["annotations"][ann] = base64.b64encode(bytes(sig)).decode(); w("S1-flip-sig", o)
pl = bytearray(base64.b64decode(obj["payload"]))
pl[-2] ^= 0x01   # inside the JSON, before the final '}'
o = json.loads(json.dumps(obj)); o["payload"] = base64.b64encode(bytes(pl)).decode(); w("S1-flip-payload", o)
o = json.loads(json.dumps(obj)); del o["annotations"][ann]; w("S1-no-sig-annotation", o)
open(os.path.join(pool, "S1-truncated"), "wb").write(raw[: len(raw) // 2])
PY

# ------------------------------------------------------------------ images
# image NAME SIG...  -> images/NAME = unsigned + signature-1.. in the order given
: > "$TMP/table"
image() {
	local name="$1"; shift
	local d="$IMG/$name" n=0
	mkdir -p "$d"
	cp "$UNSIGNED"/* "$d/"
	for s in "$@"; do n=$((n + 1)); cp "$POOL/$s" "$d/signature-$n"; done
	printf '%s\t%s\n' "$name" "$*" >> "$TMP/table"
}
# simple signing, one signature
for s in A A-copy A-prefixed B C D E A-v2 A-repo A-digest A-tag-digest A-other-repo A-short A-invalid-id \
	A-wrong-digest B-repo A-uncompressed A-armored A-uncompressed-flip-sig A-uncompressed-flip-data A-flip-mid A-flip-last A-truncated garbage-text garbage-prefixed garbage-packet empty; do
	image "gpg-$s" "$s"
done
# several simple-signing signatures (good = A with the main identity)
image gpg-multi-good-good A A-2
image gpg-multi-good-bad A E
image gpg-multi-bad-good E A
image gpg-multi-bad-bad E A-wrong-digest
image gpg-multi-ids-bad-good A-other-repo A-v2 A
image gpg-multi-a-b B A
image gpg-multi-corrupt-good A-flip-mid A
image gpg-multi-good-corrupt A A-truncated
image gpg-multi-good-garbage A garbage-text
image gpg-multi-subkey-expired C D
# sigstore, one signature
for s in S1 S2 S1-v2 S1-repo S1-digest S1-other-repo S1-short S1-hand S1-invalid-id S1-wrong-digest S2-repo S1-flip-sig S1-flip-payload \
	S1-no-sig-annotation S1-truncated; do
	image "ss-$s" "$s"
done
# several sigstore signatures
image ss-multi-good-good S1 S1-2
image ss-multi-good-bad S1 S2
image ss-multi-bad-good S2 S1
image ss-multi-bad-bad S2 S1-wrong-digest
image ss-multi-flip-good S1-flip-sig S1
# GPG beside sigstore
image mixed-A-S1 A S1
image mixed-S1-A S1 A
image mixed-E-S1 E S1
image mixed-A-S2 A S2
image mixed-S1-wrong-digest-A S1-wrong-digest A
image mixed-garbage-S1 garbage-text S1

{
	echo "# image<TAB>signature-1 signature-2 ... (pool names; see make-signed.sh).  Generated."
	echo "# manifest digest of every image: $DIGEST (tests/data/images/dir/unsigned)"
	echo "# *-wrong-digest signatures sign $DIGEST_OTHER (tests/data/images/dir/whitespace)"
	echo "# A=$FPR_A B=$FPR_B C=$FPR_C (signing subkey $FPR_C_SUB) D=$FPR_D E=$FPR_E"
	sort "$TMP/table"
} > "$HERE/SIGNATURES"
echo "make-signed.sh: wrote $(ls "$IMG" | wc -l) images, keys in $KEYS" >&2
