#!/usr/bin/env bash
# Smoke test of the `policy` command (examples/policy.rs) on shipped data: exit codes
# and the JSON lines that scripts rely on. Run by .ci/run after the build.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/examples/policy
[ -x "$bin" ] || cargo build -q --release --example policy
fail() { echo "cli-smoke: $*" >&2; exit 1; }
field() { python3 -c 'import json,sys; v=json.loads(sys.stdin.readline()); print(json.dumps(v[sys.argv[1]]))' "$1"; }

# check: valid / invalid / --json
"$bin" check examples/policies/registry.json >/dev/null || fail "valid policy rejected"
if "$bin" check examples/policies/broken.json 2>/tmp/cli-smoke.err; then fail "broken policy accepted"; fi
grep -q '^examples/policies/broken.json:10:35: transports.docker\["quay.io/org"\]\[0\].signedIdentiy: unknown key' /tmp/cli-smoke.err \
  || fail "check message: $(cat /tmp/cli-smoke.err)"
out=$("$bin" check --json examples/policies/broken.json || true)
[ "$(echo "$out" | field line)" = 10 ] || fail "check --json line: $out"
[ "$(echo "$out" | field valid)" = false ] || fail "check --json valid: $out"
out=$("$bin" check --parse-bench 10 examples/policies/registry.json)
[ "$(echo "$out" | field bench)" = '"parse-bytes"' ] || fail "parse-bench: $out"

# scope
out=$("$bin" scope --policy examples/policies/registry.json docker://quay.io/example/app:v1)
[ "$(echo "$out" | field scope)" = '{"transport": "docker", "scope": "quay.io/example/app"}' ] || fail "scope: $out"
out=$("$bin" scope --policy examples/policies/registry.json docker-archive:/tmp/x.tar)
[ "$(echo "$out" | field scope)" = null ] || fail "scope default: $out"

# eval: allowed, rejected, policy stage, image stage; exit 0 whenever a line is printed
img=dir:tests/data/images/dir/unsigned
out=$("$bin" eval --policy examples/policies/registry.json --identity docker://busybox:latest "$img")
[ "$(echo "$out" | field allowed)" = true ] || fail "eval allowed: $out"
out=$("$bin" eval --policy examples/policies/registry.json --identity docker://quay.io/example/app:v1 "$img")
[ "$(echo "$out" | field stage)" = '"eval"' ] || fail "eval rejected: $out"
out=$("$bin" eval --policy examples/policies/broken.json "$img")
[ "$(echo "$out" | field stage)" = '"policy"' ] || fail "eval policy stage: $out"
out=$("$bin" eval --policy examples/policies/registry.json oci:tests/data/images/oci/layout:nosuchname)
[ "$(echo "$out" | field stage)" = '"image"' ] || fail "eval image stage: $out"
out=$(printf 'examples/policies/registry.json\t%s\tdocker://quay.io/example/app:v1\n# comment\n\nexamples/policies/registry.json\t%s\n' "$img" "$img" | "$bin" eval --batch)
[ "$(echo "$out" | wc -l)" = 2 ] || fail "batch lines: $out"
[ "$(echo "$out" | head -1 | field identity)" = '"docker://quay.io/example/app:v1"' ] || fail "batch identity: $out"
out=$("$bin" eval --bench 10 --policy examples/policies/registry.json "$img")
[ "$(echo "$out" | field bench)" = '"eval-warm"' ] || fail "eval bench: $out"
echo "cli-smoke: ok"
