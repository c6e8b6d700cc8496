#!/usr/bin/env bash
# Parse speed of this crate against containers/image, side by side, as a ratio.
#
#   bash benches/compare-with-go.sh [POLICY.json ...]
#
# Needs the oracle (bash ../shared/oracle/setup.sh); ORACLE_HOME defaults to
# /tmp/cimage-oracle. Each policy is parsed N times (N=20000) by `policy check
# --parse-bench` and by `cimage-eval --parse-bench` (the parse-bytes line).
set -euo pipefail
cd "$(dirname "$0")/.."
ORACLE_HOME="${ORACLE_HOME:-/tmp/cimage-oracle}"
N="${N:-20000}"
GO="$ORACLE_HOME/bin/cimage-eval"
[ -x "$GO" ] || { echo "no oracle at $GO; run bash ../shared/oracle/setup.sh" >&2; exit 1; }
if [ $# -eq 0 ]; then
  # c/image 5.23 predates fulcio/pki/keyPaths for sigstore: compare on what both read.
  large="$(mktemp --suffix=.json)"
  python3 - "$large" <<'PY'
import json, sys
docker = {f"registry{i % 97}.example.com/team{i}/app": [{"type": "signedBy", "keyType": "GPGKeys",
          "keyPath": f"/etc/keys/{i}.gpg", "signedIdentity": {"type": "matchRepository"}}] for i in range(1000)}
json.dump({"default": [{"type": "reject"}], "transports": {"docker": docker}}, open(sys.argv[1], "w"))
PY
  set -- examples/policies/default.json "$large"
fi
cargo build -q --release --example policy
printf '%-40s %14s %14s %8s\n' policy "rust ns/op" "go ns/op" "go/rust"
for policy in "$@"; do
  rust=$(target/release/examples/policy check --parse-bench "$N" "$policy" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ns_per_op"])')
  go=$("$GO" --policy "$policy" --parse-bench "$N" | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if r.get("bench") == "parse-bytes":
        print(r["ns_per_op"])')
  python3 -c "import sys; r, g = float(sys.argv[2]), float(sys.argv[3]); print(f'{sys.argv[1]:<40} {r:14.0f} {g:14.0f} {g / r:8.2f}')" "$policy" "$rust" "$go"
done

# Warm evaluation of our signed images (tests/data/signed): one context, N evaluations.
S="$PWD/tests/data/signed"
tmp="$(mktemp -d)"
echo "{\"default\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPath\":\"$S/keys/A.gpg\"}]}" > "$tmp/gpg.json"
echo "{\"default\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"$S/keys/S1.pub\",\"signedIdentity\":{\"type\":\"matchRepository\"}}]}" > "$tmp/sigstore.json"
M="${M:-300}"
printf '\n%-40s %14s %14s %8s\n' "eval (warm)" "rust ns/op" "go ns/op" "go/rust"
for scenario in gpg:gpg-A sigstore:ss-S1; do
  policy="$tmp/${scenario%%:*}.json"; image="dir:$S/images/${scenario##*:}"
  identity=docker://registry.example.com/signed/app:v1
  rust=$(target/release/examples/policy eval --bench "$M" --policy "$policy" --identity "$identity" "$image" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ns_per_op"])')
  go=$("$GO" --policy "$policy" --bench "$M" --identity "$identity" "$image" | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if r.get("bench") == "eval-warm":
        print(r["ns_per_op"])')
  python3 -c "import sys; r, g = float(sys.argv[2]), float(sys.argv[3]); print(f'{sys.argv[1]:<40} {r:14.0f} {g:14.0f} {g / r:8.2f}')" "${scenario%%:*}" "$rust" "$go"
done
rm -rf "$tmp"
