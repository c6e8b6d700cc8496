#!/usr/bin/env bash
# Live differential check against the oracle's own signed images (make-vectors.sh):
# every signedBy / sigstoreSigned key and signedIdentity type over every image and a
# few identities, evaluated by `cimage-eval --batch` and by `policy eval --batch`.
# Needs the oracle (bash ../shared/oracle/setup.sh); not run in CI (the images are made
# by the oracle's scripts, not committed). Prints the differences and their count.
set -euo pipefail
cd "$(dirname "$0")/../.."
ORACLE_HOME="${ORACLE_HOME:-/tmp/cimage-oracle}"
V="$ORACLE_HOME/vectors"
[ -d "$V/images" ] || { echo "no oracle vectors in $V" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$V" "$work" <<'PY'
import json, os, sys
V, W = sys.argv[1], sys.argv[2]
K = V + "/keys"
ids = [{"type": "matchExact"}, {"type": "matchRepoDigestOrExact"}, {"type": "matchRepository"},
       {"type": "exactReference", "dockerReference": "registry.example.com/oracle/a:v1"},
       {"type": "exactRepository", "dockerRepository": "registry.example.com/oracle/a"},
       {"type": "remapIdentity", "prefix": "mirror.example.com", "signedPrefix": "registry.example.com"}]
pols = {"insecure": {"default": [{"type": "insecureAcceptAnything"}]}, "reject": {"default": [{"type": "reject"}]}}
for i, ident in enumerate(ids):
    for k in ["key1", "key2", "key4"]:
        pols[f"gpg-{k}-{i}"] = {"default": [{"type": "signedBy", "keyType": "GPGKeys", "keyPath": f"{K}/gpg/{k}.gpg", "signedIdentity": ident}]}
    for k in ["cosign1", "cosign2"]:
        pols[f"ss-{k}-{i}"] = {"default": [{"type": "sigstoreSigned", "keyPath": f"{K}/sigstore/{k}.pub", "signedIdentity": ident}]}
for name, policy in pols.items():
    json.dump(policy, open(f"{W}/{name}.json", "w"))
images = sorted(d for d in os.listdir(V + "/images") if d != "oci-layout")
identities = ["docker://registry.example.com/oracle/a:v1", "docker://mirror.example.com/oracle/a:v1",
              "docker://registry.example.com/oracle/a:other", "docker://docker.io/library/busybox:latest"]
with open(f"{W}/cases.tsv", "w") as out:
    for name in sorted(pols):
        for image in images:
            for identity in identities:
                out.write(f"{W}/{name}.json\tdir:{V}/images/{image}\t{identity}\n")
PY
cargo build -q --release --example policy
TZ=UTC "$ORACLE_HOME/bin/cimage-eval" --batch < "$work/cases.tsv" > "$work/go.jsonl" 2>/dev/null
target/release/examples/policy eval --batch < "$work/cases.tsv" > "$work/rs.jsonl"
python3 - "$work" <<'PY'
import json, sys
W = sys.argv[1]
go = [json.loads(l) for l in open(f"{W}/go.jsonl")]
rs = [json.loads(l) for l in open(f"{W}/rs.jsonl")]
assert len(go) == len(rs), (len(go), len(rs))
diff = [(g, r) for g, r in zip(go, rs) if g["allowed"] != r["allowed"] or (g.get("stage") or "") != r["stage"]]
for g, r in diff:
    print(r["policy"], r["image"], r["identity"], "oracle:", g["allowed"], g.get("error", "")[:120], "| ours:", r["allowed"], r["error"][:120])
print(f"{len(diff)} differences in {len(go)} evaluations")
sys.exit(1 if diff else 0)
PY
