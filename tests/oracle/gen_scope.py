#!/usr/bin/env python3
"""Regenerate tests/oracle/scope-vectors.jsonl from the Go oracle.

Usage: python3 tests/oracle/gen_scope.py [--oracle /tmp/cimage-oracle/bin/cimage-eval]
                                         [--vectors /tmp/cimage-oracle/vectors] [--root DIR]

For every case the policy (all requirement lists are insecureAcceptAnything) is evaluated with
`cimage-eval --batch --trace`, IMAGE = dir:$VECTORS/images/unsigned-a and
--identity = the case's image string, and the `scope` debug line is mapped to the chosen section.
A second, independent pass replaces every requirement list by a signedBy requirement whose keyPath
is a unique non-existent marker path and evaluates against the signed dir:images/gpg-valid; the
marker named in the resulting "open /scope-marker/N: no such file" error identifies the section
without relying on the log text.  Both passes must agree (except where the trace text is
ambiguous, see README).

Local-transport cases use real paths under a fresh directory ($ROOT, created under /tmp and kept);
the recorded strings contain the literal placeholder "$ROOT" and the "layout" field says what to
create below it.  Python 3 stdlib only.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
A = {"type": "insecureAcceptAnything"}
HEX = "0123456789abcdef" * 4
HEX2 = "a" * 64
D1 = "sha256:" + HEX
D2 = "sha256:" + HEX2
ID = "e" * 64

# Layout below $ROOT (created before running; recorded in every case that uses $ROOT).
LAYOUT = [
    {"type": "dir", "path": "d/a/b/img"},
    {"type": "dir", "path": "d/a/b/other"},
    {"type": "dir", "path": "d/a/c"},
    {"type": "symlink", "path": "d/link", "target": "a/b"},
    {"type": "symlink", "path": "d/imglink", "target": "a/b/img"},
    {"type": "symlink", "path": "d/abslink", "target": "$ROOT/d/a"},
    {"type": "dir", "path": "real/sub/img"},
    {"type": "symlink", "path": "alias", "target": "real"},
    {"type": "dir", "path": "o/x/y"},
    {"type": "dir", "path": "o/x/z"},
    {"type": "symlink", "path": "o/link", "target": "x/y"},
    {"type": "dir", "path": "arch"},
    {"type": "file", "path": "arch/img.tar"},
    {"type": "symlink", "path": "arch/link.tar", "target": "img.tar"},
    {"type": "dir", "path": "sif"},
    {"type": "file", "path": "sif/img.sif"},
    {"type": "dir", "path": "cs"},
]

CASES = []  # dicts: id, policy (python obj with $ROOT strings), image, uses_root


def pol(transports=None, default=None):
    p = {"default": [default or A]}
    if transports is not None:
        p["transports"] = {t: {s: [A] for s in scopes} for t, scopes in transports.items()}
    return p


def case(cid, policy, image):
    assert not any(c["id"] == "scope-" + cid for c in CASES), cid
    CASES.append({"id": "scope-" + cid, "policy": policy, "image": image})


# ---- §8.2 deep.com chain (policy_eval_test.go TestPolicyContextRequirementsForImageRef) ----
DEEP = pol({"docker": ["", "unmatched", "deep.com", "*.very.deep.com", "*.deep.com", "deep.com/n1", "deep.com/n1/n2",
                       "deep.com/n1/n2/n3", "deep.com/n1/n2/n3/repo", "deep.com/n1/n2/n3/repo:tag2"],
            "atomic": ["unmatched"]})
for cid, img in [
    ("deep-full-match", "docker://deep.com/n1/n2/n3/repo:tag2"),
    ("deep-repo", "docker://deep.com/n1/n2/n3/repo:nottag2"),
    ("deep-n3", "docker://deep.com/n1/n2/n3/notrepo:tag2"),
    ("deep-n2", "docker://deep.com/n1/n2/notn3/repo:tag2"),
    ("deep-n1", "docker://deep.com/n1/notn2/n3/repo:tag2"),
    ("deep-host", "docker://deep.com/notn1/n2/n3/repo:tag2"),
    ("deep-subdomain", "docker://very.deep.com/n1/n2/n3/repo:tag2"),
    ("deep-subsubdomain", "docker://not.very.deep.com/n1/n2/n3/repo:tag2"),
    ("deep-transport-default", "docker://this.does-not/match:anything"),
    ("deep-atomic-no-empty-scope", "atomic:this.does-not/match/x:anything"),
    ("deep-dir-transport-absent", "dir:$ROOT/d/a/b/img"),
    ("deep-digest-repo", "docker://deep.com/n1/n2/n3/repo@" + D1),
    ("deep-port-host", "docker://deep.com:5000/n1/n2/n3/repo:tag2"),
    ("deep-port-subdomain", "docker://a.very.deep.com:443/x:1"),
    ("deep-unmatched-literal", "docker://unmatched:latest"),
    ("deep-docker-daemon-absent", "docker-daemon:deep.com/n1/n2/n3/repo:tag2"),
    ("deep-untagged-latest", "docker://deep.com/n1/n2/n3/repo"),
]:
    case(cid, DEEP, img)

# ---- wildcards ----
W1 = pol({"docker": ["*.example.com", ""]})
for cid, img in [("sub", "docker://a.example.com/x:1"), ("subsub-port", "docker://a.b.example.com:5000/x:1"),
                 ("bare-domain", "docker://example.com/x:1"), ("suffix-lookalike", "docker://notexample.com/x:1"),
                 ("domain-as-label", "docker://a.example.com.evil/x:1"), ("upper-host", "docker://A.EXAMPLE.COM/x:1"),
                 ("mixed-case-host", "docker://a.Example.com/x:1")]:
    case("wild1-" + cid, W1, img)
W2 = pol({"docker": ["*.com", "*.example.com"]})
for cid, img in [("most-specific", "docker://a.b.example.com/x:1"), ("one-level", "docker://a.example.com/x:1"),
                 ("tld-only", "docker://foo.com/x:1"), ("bare", "docker://example.com/x:1"),
                 ("other-tld", "docker://foo.org/x:1")]:
    case("wild2-" + cid, W2, img)
W3 = pol({"docker": ["10.0.0.1", "*.0.0.1", "*.1", "*.168.0.1"]})
for cid, img in [("ip-host", "docker://10.0.0.1/x:1"), ("ip-port", "docker://10.0.0.1:5000/x:1"),
                 ("ip-other", "docker://192.168.0.1/x:1"), ("ip-other-2", "docker://172.16.0.1/x:1"),
                 ("ip-no-match", "docker://10.0.0.2/x:1")]:
    case("wild-ip-" + cid, W3, img)
W4 = pol({"docker": ["example.com:5000", "example.com", "*.com"]})
for cid, img in [("host-port", "docker://example.com:5000/x:1"), ("host", "docker://example.com/x:1"),
                 ("other-port", "docker://example.com:5001/x:1"), ("port-ns", "docker://example.com:5000/ns/x:1")]:
    case("port-" + cid, W4, img)
W5 = pol({"docker": ["localhost", "localhost:5000", "*.localhost"]})
for cid, img in [("plain", "docker://localhost/x:1"), ("port", "docker://localhost:5000/x:1"),
                 ("other-port", "docker://localhost:5001/x:1"), ("sub", "docker://a.localhost/x:1"),
                 ("ns", "docker://localhost/ns/x:1")]:
    case("localhost-" + cid, W5, img)
W6 = pol({"docker": ["*", "*.*", "*."]})
case("wild-star-only", W6, "docker://example.com/x:1")
W7 = pol({"docker": ["*.example.com/ns", "*.example.com:5000", ""]})
case("wild-with-path-never", W7, "docker://a.example.com/ns/x:1")
case("wild-with-port-never", W7, "docker://a.example.com:5000/x:1")

# ---- docker.io normalisation ----
H1 = pol({"docker": ["busybox", "library/busybox", "docker.io/busybox", "index.docker.io/library/busybox",
                     "busybox:latest", ""]})
for cid, img in [("short", "docker://busybox:latest"), ("short-untagged", "docker://busybox"),
                 ("library", "docker://library/busybox:latest"), ("docker-io", "docker://docker.io/busybox:latest"),
                 ("index", "docker://index.docker.io/library/busybox:latest")]:
    case("hub-noncanonical-" + cid, H1, img)
H2 = pol({"docker": ["docker.io/library/busybox", "docker.io/library/busybox:latest", "docker.io/library",
                     "docker.io", "*.io"]})
for cid, img in [("latest", "docker://busybox:latest"), ("untagged", "docker://busybox"),
                 ("tag", "docker://busybox:1.36"), ("index", "docker://index.docker.io/busybox:2"),
                 ("library-other", "docker://alpine:3"), ("user-repo", "docker://someuser/repo:1"),
                 ("notlocalhost", "docker://notlocalhost/repo:1"), ("digest", "docker://busybox@" + D1),
                 ("other-io", "docker://quay.io/x/y:1")]:
    case("hub-" + cid, H2, img)

# ---- tags vs digests ----
T1 = pol({"docker": ["example.com/ns/repo:v1", "example.com/ns/repo@" + D1, "example.com/ns/repo", ""]})
for cid, img in [("tag", "docker://example.com/ns/repo:v1"), ("digest", "docker://example.com/ns/repo@" + D1),
                 ("other-tag", "docker://example.com/ns/repo:v2"), ("other-digest", "docker://example.com/ns/repo@" + D2),
                 ("untagged", "docker://example.com/ns/repo"), ("other-repo", "docker://example.com/ns/repo2:v1")]:
    case("tagdigest-" + cid, T1, img)
T2 = pol({"docker": ["example.com/ns/repo:latest", "example.com/ns/repo@" + D1 + "", "example.com/ns/repo:v1@" + D1]})
case("tagdigest-untagged-gets-latest", T2, "docker://example.com/ns/repo")
case("tagdigest-digest-no-tag-crossover", T2, "docker://example.com/ns/repo@" + D2)
T3 = pol({"docker": ["example.com/ns/repo:v1", "example.com/ns"]})
case("tagdigest-digest-skips-tag-scope", T3, "docker://example.com/ns/repo@" + D1)

# ---- transport without "" / transports absent ----
N1 = pol({"docker": ["example.com"]})
case("no-empty-scope-falls-to-default", N1, "docker://other.com/x:1")
case("no-empty-scope-match", N1, "docker://example.com/x:1")
N2 = pol({"atomic": [""], "docker-daemon": [""]})
case("transport-absent-docker", N2, "docker://example.com/x:1")
case("transport-present-atomic", N2, "atomic:example.com/ns/x:1")
N3 = pol({})
case("transports-empty", N3, "docker://example.com/x:1")
N4 = pol({"Docker": [""], "docker ": [""], "nosuch": [""], "": [""]})
case("transport-name-case-mismatch", N4, "docker://example.com/x:1")
N5 = pol({"docker": ["", "\"\""]})
case("literal-quote-scope-vs-empty", N5, "docker://example.com/x:1")
N6 = pol({"docker": ["\"\""]})
case("literal-quote-scope-only", N6, "docker://example.com/x:1")

# ---- atomic ----
AT = pol({"atomic": ["host.example.com/ns/stream:tag", "host.example.com/ns/stream", "host.example.com/ns",
                     "host.example.com", "*.example.com", ""]})
for cid, img in [("full", "atomic:host.example.com/ns/stream:tag"), ("stream", "atomic:host.example.com/ns/stream:other"),
                 ("ns", "atomic:host.example.com/ns/other:tag"), ("host", "atomic:host.example.com/other/x:tag"),
                 ("wild", "atomic:other.example.com/ns/stream:tag"), ("default", "atomic:example.org/ns/stream:tag"),
                 ("port", "atomic:host.example.com:8443/ns/stream:tag")]:
    case("atomic-" + cid, AT, img)
AT2 = pol({"atomic": ["host.example.com/ns/stream@" + D1, "h o s t"], "docker": ["host.example.com"]})
case("atomic-docker-scope-not-used", AT2, "atomic:host.example.com/ns/stream:tag")

# ---- docker-daemon ----
DD = pol({"docker-daemon": ["docker.io/library/busybox:latest", "docker.io/library/busybox", "docker.io/library",
                            "example.com", "*.com", HEX, ""]})
for cid, img in [("identity", "docker-daemon:busybox:latest"), ("repo", "docker-daemon:busybox:1"),
                 ("library", "docker-daemon:alpine:3"), ("host", "docker-daemon:example.com/x:1"),
                 ("wild", "docker-daemon:other.com/x:1"), ("digest", "docker-daemon:busybox@" + D1),
                 ("id-ref-empty-identity", "docker-daemon:" + D1), ("default", "docker-daemon:example.org/x:1")]:
    case("daemon-" + cid, DD, img)
DD2 = pol({"docker-daemon": ["busybox", "docker.io/library/busybox:latest"], "docker": [""]})
case("daemon-id-ref-no-empty-scope", DD2, "docker-daemon:" + D1)
case("daemon-named", DD2, "docker-daemon:busybox:latest")
case("daemon-named-other", DD2, "docker-daemon:busybox:2")

# ---- docker-archive / tarball / sif / oci-archive ----
DA = pol({"docker-archive": [""], "tarball": [""]})
case("docker-archive-named", DA, "docker-archive:$ROOT/arch/img.tar:busybox:latest")
case("docker-archive-unnamed", DA, "docker-archive:$ROOT/arch/img.tar")
case("tarball", DA, "tarball:$ROOT/arch/img.tar")
DA2 = pol({"docker-archive": [], "tarball": []})
DA2["transports"] = {"docker-archive": {}, "tarball": {}}
case("docker-archive-empty-transport", DA2, "docker-archive:$ROOT/arch/img.tar:busybox:latest")
case("tarball-empty-transport", DA2, "tarball:$ROOT/arch/img.tar")
OA = pol({"oci-archive": ["$ROOT/arch/img.tar", "$ROOT/arch", "$ROOT"], "sif": ["$ROOT/sif", ""]})
case("oci-archive-identity", OA, "oci-archive:$ROOT/arch/img.tar")
case("oci-archive-identity-ref", OA, "oci-archive:$ROOT/arch/img.tar:ref")
case("oci-archive-symlink", OA, "oci-archive:$ROOT/arch/link.tar:ref")
case("oci-archive-missing-file", OA, "oci-archive:$ROOT/arch/new.tar")
case("oci-archive-root-ns", OA, "oci-archive:$ROOT/sif/img.sif")
case("sif-ns", OA, "sif:$ROOT/sif/img.sif")
case("sif-other", OA, "sif:$ROOT/arch/img.tar")
OA2 = pol({"oci-archive": ["$ROOT/arch/img.tar", ""]})
case("oci-archive-identity-in-namespace-list", OA2, "oci-archive:$ROOT/arch/img.tar:ref")

# ---- dir ----
DR = pol({"dir": ["$ROOT/d/a/b/img", "$ROOT/d/a", "$ROOT/d/link", "$ROOT/alias", "$ROOT/real/sub", ""]})
for cid, img in [("identity", "dir:$ROOT/d/a/b/img"), ("ns-parent", "dir:$ROOT/d/a/b/other"),
                 ("ns-dir-itself", "dir:$ROOT/d/a/b"), ("ns-sibling", "dir:$ROOT/d/a/c"),
                 ("ns-of-scope-itself", "dir:$ROOT/d/a"),
                 ("symlink-parent", "dir:$ROOT/d/link/img"), ("symlink-img", "dir:$ROOT/d/imglink"),
                 ("symlink-abs", "dir:$ROOT/d/abslink/b/img"), ("symlink-scope-never", "dir:$ROOT/d/link/other"),
                 ("symlink-dir-itself", "dir:$ROOT/d/link"),
                 ("alias-middle", "dir:$ROOT/alias/sub/img"), ("real-middle", "dir:$ROOT/real/sub/img"),
                 ("missing-last", "dir:$ROOT/d/a/b/new"), ("missing-last-symlink-parent", "dir:$ROOT/d/link/new"),
                 ("trailing-slash", "dir:$ROOT/d/a/b/img/"), ("double-slash", "dir:$ROOT/d//a/b/img"),
                 ("dotdot", "dir:$ROOT/d/a/c/../b/img"), ("dot", "dir:$ROOT/d/./a/b/img"),
                 ("outside", "dir:$ROOT/o/x/y"), ("root-itself", "dir:$ROOT")]:
    case("dir-" + cid, DR, img)
DR2 = pol({"dir": ["$ROOT/d/a/b/img"]})
case("dir-identity-no-empty", DR2, "dir:$ROOT/d/a/b/img")
case("dir-child-of-scope-no-empty", DR2, "dir:$ROOT/d/a/b/img/sub-missing")
DR3 = pol({"dir": ["$ROOT/d/a/b", "$ROOT/d"]})
case("dir-namespace-excludes-identity", DR3, "dir:$ROOT/d/a/b")
case("dir-namespace-deeper", DR3, "dir:$ROOT/d/a/b/img")
DR4 = pol({"dir": ["$ROOT/d"], "oci": [""]})
case("dir-grandparent", DR4, "dir:$ROOT/d/a/b/img")
case("dir-oci-scopes-not-used", DR4, "dir:$ROOT/o/x/y")

# ---- oci ----
OC = pol({"oci": ["$ROOT/o/x/y", "$ROOT/o/x/y:ref", "$ROOT/o/x", ""]})
for cid, img in [("identity-ref", "oci:$ROOT/o/x/y:ref"), ("identity-noref", "oci:$ROOT/o/x/y"),
                 ("identity-other-ref", "oci:$ROOT/o/x/y:other"),
                 ("ns", "oci:$ROOT/o/x/z:ref"), ("symlink", "oci:$ROOT/o/link:ref"),
                 ("missing-last", "oci:$ROOT/o/x/new:ref"), ("outside", "oci:$ROOT/d/a:ref"),
                 ("parent-itself", "oci:$ROOT/o/x")]:
    case("oci-" + cid, OC, img)
OC2 = pol({"oci": ["$ROOT/o/x/y:ref", "$ROOT/o"]})
case("oci-path-ref-scope-never", OC2, "oci:$ROOT/o/x/y:ref")
OC3 = pol({"oci": ["$ROOT/o/x"]})
case("oci-ns-includes-identity", OC3, "oci:$ROOT/o/x:ref")
case("oci-ns-parent", OC3, "oci:$ROOT/o/x/y:ref")
OC4 = pol({"oci": ["$ROOT/o/x/y"], "dir": ["$ROOT/o/x/y"]})
case("oci-no-empty-other", OC4, "oci:$ROOT/o/x/z:ref")
case("oci-symlink-identity", OC4, "oci:$ROOT/o/link")

# ---- containers-storage (vfs store under $ROOT/cs) ----
CSR = "[vfs@$ROOT/cs/root]"
CSREF = "containers-storage:[vfs@$ROOT/cs/root+$ROOT/cs/run]"
CS = pol({"containers-storage": [CSR + "registry.example.com/ns/img:v1", CSR + "registry.example.com/ns/img",
                                 CSR + "registry.example.com/ns", CSR + "registry.example.com",
                                 "[vfs@$ROOT/cs/root+$ROOT/cs/run]registry.example.com/ns/img:v2", CSR,
                                 "[$ROOT/cs/root]", ""]})
for cid, img in [("identity", "registry.example.com/ns/img:v1"), ("repo", "registry.example.com/ns/img:v3"),
                 ("ns", "registry.example.com/ns/other:v1"), ("host", "registry.example.com/x/y:v1"),
                 ("runroot-scope-never", "registry.example.com/ns/img:v2"), ("store", "example.org/x:1"),
                 ("digest", "registry.example.com/ns/img@" + D1), ("id-only", "@" + ID),
                 ("hub-short", "busybox:latest")]:
    case("storage-" + cid, CS, CSREF + img)
CS2 = pol({"containers-storage": ["[$ROOT/cs/root]", "[vfs@$ROOT/cs/root]@" + ID,
                                  CSR + "registry.example.com/ns/img:v1@" + ID]})
case("storage-driverless", CS2, CSREF + "example.org/x:1")
case("storage-id-identity", CS2, CSREF + "@" + ID)
case("storage-named-id-identity", CS2, CSREF + "registry.example.com/ns/img:v1@" + ID)
CS3 = pol({"containers-storage": [CSR + "registry.example.com/ns/img:v1", CSR + "*.example.com"]})
case("storage-no-wildcards", CS3, CSREF + "a.example.com/ns/img:v1")
case("storage-named-id-ns-tag", CS3, CSREF + "registry.example.com/ns/img:v1@" + ID)
CS4 = pol({"containers-storage": [CSR + "registry.example.com/ns/img:v1@" + D1, CSR + "registry.example.com/ns/img:v1"]})
case("storage-tag-digest", CS4, CSREF + "registry.example.com/ns/img:v1@" + D1)


# ---------------------------------------------------------------------------------------------

def subst(s, root):
    return s.replace("$ROOT", root)


def make_layout(root):
    for e in LAYOUT:
        p = os.path.join(root, e["path"])
        if e["type"] == "dir":
            os.makedirs(p, exist_ok=True)
        elif e["type"] == "file":
            os.makedirs(os.path.dirname(p), exist_ok=True)
            open(p, "ab").close()
    for e in LAYOUT:
        if e["type"] == "symlink":
            p = os.path.join(root, e["path"])
            os.makedirs(os.path.dirname(p), exist_ok=True)
            if not os.path.islink(p):
                os.symlink(subst(e["target"], root), p)


SCOPE_RE = re.compile(r'^Using transport "([^"]*)" (specific )?policy section(?: (.*))?$')


def map_trace(s):
    """Trace line -> (scope dict | None, via)."""
    if s == "Using default policy section":
        return None, "default"
    m = SCOPE_RE.match(s)
    if not m:
        raise RuntimeError("unparsable trace %r" % s)
    transport, specific, rest = m.group(1), m.group(2), m.group(3) or ""
    if specific:
        return {"transport": transport, "scope": rest}, "namespace"
    if rest == '""':
        # `policy section ""` is the transport-wide default; (ambiguous with a literal `""` identity)
        return {"transport": transport, "scope": ""}, "transport-default"
    return {"transport": transport, "scope": rest}, "identity"


def run_batch(oracle, lines):
    p = subprocess.run([oracle, "--batch", "--trace"], input="".join(lines).encode(), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=600)
    if p.returncode != 0:
        raise RuntimeError(p.stderr.decode(errors="replace"))
    out = [json.loads(l) for l in p.stdout.decode().splitlines() if l.strip()]
    assert len(out) == len(lines), (len(out), len(lines))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--oracle", default=os.environ.get("CIMAGE_EVAL", "/tmp/cimage-oracle/bin/cimage-eval"))
    ap.add_argument("--vectors", default=os.environ.get("ORACLE_VECTORS", "/tmp/cimage-oracle/vectors"))
    ap.add_argument("--root", default=None, help="layout root (default: new /tmp/cimage-scope-XXXX, kept)")
    ap.add_argument("--out", default=HERE)
    args = ap.parse_args()

    root = os.path.realpath(args.root or tempfile.mkdtemp(prefix="cimage-scope-", dir="/tmp"))
    make_layout(root)
    poldir = os.path.join(root, "_policies")
    os.makedirs(poldir, exist_ok=True)
    img_plain = "dir:" + os.path.join(args.vectors, "images", "unsigned-a")
    img_signed = "dir:" + os.path.join(args.vectors, "images", "gpg-valid")

    lines_trace, lines_marker, markers = [], [], []
    for i, c in enumerate(CASES):
        ptext = subst(json.dumps(c["policy"]), root)
        ppath = os.path.join(poldir, "%s.json" % c["id"])
        with open(ppath, "w") as f:
            f.write(ptext)
        # marker policy: every list -> signedBy with a unique non-existent keyPath
        mp = json.loads(ptext)
        mk = {}

        def marker(key):
            n = "/scope-marker/%d/%d" % (i, len(mk))
            mk[n] = key
            return [{"type": "signedBy", "keyType": "GPGKeys", "keyPath": n}]
        mp["default"] = marker(None)
        for t, scopes in mp.get("transports", {}).items():
            for s in list(scopes):
                scopes[s] = marker({"transport": t, "scope": subst(s, root)})
        mpath = os.path.join(poldir, "%s.marker.json" % c["id"])
        with open(mpath, "w") as f:
            json.dump(mp, f)
        markers.append(mk)
        ident = subst(c["image"], root)
        lines_trace.append("%s\t%s\t%s\n" % (ppath, img_plain, ident))
        lines_marker.append("%s\t%s\t%s\n" % (mpath, img_signed, ident))

    res_t = run_batch(args.oracle, lines_trace)
    res_m = run_batch(args.oracle, lines_marker)

    recs, problems = [], []
    for c, rt, rm, mk in zip(CASES, res_t, res_m, markers):
        if rt.get("stage") or not rt.get("allowed"):
            problems.append("%s: oracle error %r" % (c["id"], rt.get("error")))
            continue
        scope_t, via = map_trace(rt["scope"])
        m = re.match(r"^open (/scope-marker/\d+/\d+): no such file or directory$", rm.get("error", ""))
        if not m:
            problems.append("%s: marker pass gave %r" % (c["id"], rm.get("error")))
            continue
        scope_m = mk[m.group(1)]
        if scope_m is not None:
            scope_m = {"transport": scope_m["transport"], "scope": scope_m["scope"].replace(root, "$ROOT")}
        if scope_t is not None:
            scope_t["scope"] = scope_t["scope"].replace(root, "$ROOT")
        if scope_t != scope_m:
            if via == "transport-default" and scope_m == {"transport": scope_t["transport"], "scope": '""'}:
                via = "identity"  # literal `""` scope: the trace text is ambiguous, marker pass decides
            else:
                problems.append("%s: trace %r (%r) != marker %r" % (c["id"], rt["scope"], scope_t, scope_m))
                continue
        rec = {"id": c["id"], "policy": json.dumps(c["policy"]), "image": c["image"], "scope": scope_m,
               "via": via, "trace": rt["scope"].replace(root, "$ROOT")}
        if "$ROOT" in rec["policy"] or "$ROOT" in rec["image"]:
            rec["layout"] = LAYOUT
        recs.append(rec)
    # Cross-check: dir: identities evaluated as the real IMAGE (no --identity) must give the same trace.
    direct = [(c, l) for c, l in zip(CASES, lines_trace) if c["image"].startswith("dir:")]
    res_d = run_batch(args.oracle, ["%s\t%s\n" % (l.split("\t")[0], subst(c["image"], root)) for c, l in direct])
    for (c, l), rd in zip(direct, res_d):
        rt = res_t[CASES.index(c)]
        if rd.get("scope") != rt.get("scope"):
            problems.append("%s: direct dir evaluation trace %r != --identity trace %r" % (c["id"], rd.get("scope"), rt.get("scope")))
    if problems:
        sys.exit("problems:\n  " + "\n  ".join(problems))
    recs.sort(key=lambda r: r["id"])
    with open(os.path.join(args.out, "scope-vectors.jsonl"), "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("scope vectors: %d (root %s kept)" % (len(recs), root))


if __name__ == "__main__":
    main()
