#!/usr/bin/env python3
"""Regenerate tests/oracle/signed-vectors.jsonl from the Go oracle.

Usage: python3 tests/oracle/gen_signed.py [--oracle /tmp/cimage-oracle/bin/cimage-eval] [--out FILE]

Every case is a complete policy.json text plus an image (and optionally an --identity override), evaluated by
`cimage-eval --batch --trace` under TZ=UTC.  The images and keys are our own: tests/data/signed (made by
tests/data/signed/make-signed.sh: GPG keys A-E, cosign keys S1/S2, signed copies of
tests/data/images/dir/unsigned) and tests/data/images.  Unlike eval-vectors.jsonl, signatures here do verify.

Placeholders in `policy`, `image`, `identity`, `error` and `scope`:
  $SIGNED   the canonical absolute path of a copy of tests/data/signed
  $IMAGES   the canonical absolute path of a copy of tests/data/images
`keyData` values are literal base64 of the committed key files.  The recording is done twice, in two different
temporary directories, and both normalised runs must be identical.  Python 3 stdlib only; deterministic output.
"""
import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SIGNED_SRC = os.path.join(REPO, "tests", "data", "signed")
IMAGES_SRC = os.path.join(REPO, "tests", "data", "images")


def manifest_digest(path):
    with open(os.path.join(path, "manifest.json"), "rb") as f:
        return "sha256:" + hashlib.sha256(f.read()).hexdigest()


D = manifest_digest(os.path.join(IMAGES_SRC, "dir", "unsigned"))          # every signed image has this manifest
D_OTHER = manifest_digest(os.path.join(IMAGES_SRC, "dir", "whitespace"))  # what the *-wrong-digest signatures sign
assert D == manifest_digest(os.path.join(SIGNED_SRC, "images", "gpg-A"))

REG = "registry.example.com/signed"
ID = REG + "/app:v1"

SIGNED_IMAGES = sorted(os.listdir(os.path.join(SIGNED_SRC, "images")))


def img(name):
    assert name in SIGNED_IMAGES, name
    return "dir:$SIGNED/images/" + name


UNSIGNED = "dir:$IMAGES/dir/unsigned"


def b64file(rel):
    with open(os.path.join(SIGNED_SRC, rel), "rb") as f:
        return base64.b64encode(f.read()).decode()


def kp(name):
    return "$SIGNED/keys/" + name


MISSING_GPG = kp("missing.gpg")  # deliberately absent

# ---- key sources ----
GPG_SRC = {
    "a": {"keyPath": kp("A.gpg")},
    "a-asc": {"keyPath": kp("A.asc")},
    "a-data": {"keyData": b64file("keys/A.gpg")},
    "a-data-asc": {"keyData": b64file("keys/A.asc")},
    "b": {"keyPath": kp("B.gpg")},
    "b-data": {"keyData": b64file("keys/B.gpg")},
    "c": {"keyPath": kp("C.gpg")},
    "c-data": {"keyData": b64file("keys/C.asc")},
    "d": {"keyPath": kp("D.gpg")},
    "d-data": {"keyData": b64file("keys/D.asc")},
    "e": {"keyPath": kp("E.gpg")},
    "e-data": {"keyData": b64file("keys/E.asc")},
    "ring-ab": {"keyPath": kp("AB.gpg")},
    "paths-a-b": {"keyPaths": [kp("A.gpg"), kp("B.asc")]},
    "paths-b-a": {"keyPaths": [kp("B.asc"), kp("A.gpg")]},
    "paths-a-missing": {"keyPaths": [kp("A.gpg"), MISSING_GPG]},
    "paths-missing-a": {"keyPaths": [MISSING_GPG, kp("A.gpg")]},
    "paths-a-e": {"keyPaths": [kp("A.gpg"), kp("E.gpg")]},
    "paths-e-a": {"keyPaths": [kp("E.gpg"), kp("A.gpg")]},
    "paths-e": {"keyPaths": [kp("E.gpg")]},
    "paths-c-d": {"keyPaths": [kp("C.gpg"), kp("D.gpg")]},
    "missing": {"keyPath": MISSING_GPG},
    "s1pub": {"keyPath": kp("S1.pub")},  # not an OpenPGP key
}
SS_SRC = {
    "s1": {"keyPath": kp("S1.pub")},
    "s1-data": {"keyData": b64file("keys/S1.pub")},
    "s2": {"keyPath": kp("S2.pub")},
    "s2-data": {"keyData": b64file("keys/S2.pub")},
    "missing": {"keyPath": kp("missing.pub")},
    "a-asc": {"keyPath": kp("A.asc")},  # a PEM-like armored OpenPGP key, not a PKIX key
}

# ---- signedIdentity variants ----
IDENTS = {
    "default": None,  # signedIdentity absent -> matchRepoDigestOrExact
    "exact": {"type": "matchExact"},
    "repodigest": {"type": "matchRepoDigestOrExact"},
    "repo": {"type": "matchRepository"},
    "exactref": {"type": "exactReference", "dockerReference": ID},
    "exactref-v2": {"type": "exactReference", "dockerReference": REG + "/app:v2"},
    "exactref-digest": {"type": "exactReference", "dockerReference": REG + "/app@" + D},
    "exactref-hub": {"type": "exactReference", "dockerReference": "app:v1"},
    "exactrepo": {"type": "exactRepository", "dockerRepository": REG + "/app"},
    "exactrepo-tagged": {"type": "exactRepository", "dockerRepository": REG + "/app:v9"},
    "exactrepo-other": {"type": "exactRepository", "dockerRepository": REG + "/other"},
    "exactrepo-hub": {"type": "exactRepository", "dockerRepository": "docker.io/library/app"},
    "remap": {"type": "remapIdentity", "prefix": "mirror.example.com/signed", "signedPrefix": REG},
    "remap-host": {"type": "remapIdentity", "prefix": "mirror.example.com", "signedPrefix": "registry.example.com"},
    "remap-hub": {"type": "remapIdentity", "prefix": "mirror.example.com/signed", "signedPrefix": "docker.io/library"},
    "remap-other": {"type": "remapIdentity", "prefix": "other.example.com", "signedPrefix": "registry.example.com"},
}

# ---- --identity values (None: evaluate the dir: image as itself, DockerReference nil) ----
IDENTITIES = {
    "none": None,
    "tag": "docker://" + ID,
    "tag-v2": "docker://" + REG + "/app:v2",
    "untagged": "docker://" + REG + "/app",  # the docker transport adds :latest
    "digest": "docker://" + REG + "/app@" + D,
    "digest-other": "docker://" + REG + "/app@" + D_OTHER,
    "other-repo": "docker://" + REG + "/other:v1",
    "mirror-tag": "docker://mirror.example.com/signed/app:v1",
    "mirror-digest": "docker://mirror.example.com/signed/app@" + D,
    "hub-tag": "docker://app:v1",
}
FEW_IDENTITIES = ["none", "tag", "digest", "mirror-tag", "mirror-digest"]

CASES = []
SEEN = set()


def case(cid, policy, image, identity=None):
    cid = "signed." + cid
    assert re.fullmatch(r"[a-z0-9.-]+", cid), cid
    assert cid not in SEEN, cid
    SEEN.add(cid)
    CASES.append({"id": cid, "policy": json.dumps(policy), "image": image, "identity": identity})


def sb(src, ident="exactref"):
    r = {"type": "signedBy", "keyType": "GPGKeys"}
    r.update(GPG_SRC[src])
    if IDENTS[ident] is not None:
        r["signedIdentity"] = IDENTS[ident]
    return r


def ss(src, ident="exactrepo"):
    r = {"type": "sigstoreSigned"}
    r.update(SS_SRC[src])
    if IDENTS[ident] is not None:
        r["signedIdentity"] = IDENTS[ident]
    return r


def dpol(reqs, transports=None):
    p = {"default": reqs}
    if transports is not None:
        p["transports"] = transports
    return p


def iname(image):
    return "unsigned" if image == UNSIGNED else image.rsplit("/", 1)[1].lower()


# ---------------------------------------------------------------------------------------------
# 1. signedBy key sources (identity fixed: exactReference registry.example.com/signed/app:v1, which works for
#    the dir: images themselves).
KEY_IMAGES = [img(n) for n in SIGNED_IMAGES if n in (
    "gpg-A", "gpg-A-copy", "gpg-A-prefixed", "gpg-A-uncompressed", "gpg-A-armored", "gpg-B", "gpg-C", "gpg-D",
    "gpg-E", "ss-S1", "mixed-A-S1", "mixed-S1-A", "mixed-E-S1") or n.startswith("gpg-multi-")] + [UNSIGNED]
for image in KEY_IMAGES:
    for src in GPG_SRC:
        case("key.%s.%s" % (iname(image), src), dpol([sb(src)]), image)

# 2. signedBy on every other GPG image (identity variants, corrupt blobs, wrong digest) with a few key sources.
OTHER_GPG = [img(n) for n in SIGNED_IMAGES if n.startswith("gpg-") and img(n) not in KEY_IMAGES]
OTHER_GPG += [img(n) for n in SIGNED_IMAGES if n.startswith(("ss-", "mixed-")) and img(n) not in KEY_IMAGES]
for image in OTHER_GPG:
    for src in ["a", "a-data", "paths-e-a", "e", "missing"]:
        case("key.%s.%s" % (iname(image), src), dpol([sb(src)]), image)
    case("key.%s.a.exactrepo" % iname(image), dpol([sb("a", "exactrepo")]), image)

# 3. signedBy identity matrix: key A, every signedIdentity, --identity variants.
GPG_ID_IMAGES = ["gpg-A", "gpg-A-v2", "gpg-A-repo", "gpg-A-digest", "gpg-A-tag-digest", "gpg-A-other-repo",
                 "gpg-A-short", "gpg-A-invalid-id", "gpg-A-wrong-digest"]
for n in GPG_ID_IMAGES:
    for ident in IDENTS:
        for idn in (IDENTITIES if n == "gpg-A" else FEW_IDENTITIES):
            case("id.%s.%s.%s" % (n.lower(), ident, idn), dpol([sb("a", ident)]), img(n), IDENTITIES[idn])

# 4. sigstoreSigned key sources (identity fixed: exactRepository registry.example.com/signed/app).
SS_KEY_IMAGES = [img(n) for n in SIGNED_IMAGES if n.startswith(("ss-", "mixed-"))] + [img("gpg-A"), UNSIGNED]
for image in SS_KEY_IMAGES:
    for src in SS_SRC:
        case("sskey.%s.%s" % (iname(image), src), dpol([ss(src)]), image)
    case("sskey.%s.s1.exactref" % iname(image), dpol([ss("s1", "exactref")]), image)

# 5. sigstoreSigned identity matrix: key S1 (S2 for ss-S2-repo).
SS_ID_IMAGES = ["ss-S1", "ss-S1-v2", "ss-S1-repo", "ss-S1-digest", "ss-S1-other-repo", "ss-S1-short",
                "ss-S1-invalid-id", "ss-S1-wrong-digest", "ss-S2-repo"]
for n in SS_ID_IMAGES:
    key = "s2" if "S2" in n else "s1"
    for ident in IDENTS:
        for idn in (IDENTITIES if n == "ss-S1" else FEW_IDENTITIES):
            case("ssid.%s.%s.%s" % (n.lower(), ident, idn), dpol([ss(key, ident)]), img(n), IDENTITIES[idn])

# 6. Requirement lists mixing signedBy, sigstoreSigned and the simple requirements.
A = {"type": "insecureAcceptAnything"}
R = {"type": "reject"}
LISTS = {
    "sb-ss": [sb("a"), ss("s1")],
    "ss-sb": [ss("s1"), sb("a")],
    "sb-ss2": [sb("a"), ss("s2")],
    "sbe-ss": [sb("e"), ss("s1")],
    "accept-sb": [A, sb("a")],
    "sb-accept": [sb("a"), A],
    "accept-ss": [A, ss("s1")],
    "sb-reject": [sb("a"), R],
    "reject-sb": [R, sb("a")],
    "sb-sbb": [sb("a"), sb("b")],
    "sb-sbexactv2": [sb("a"), sb("a", "exactref-v2")],
    "ss-ssrepo": [ss("s1"), ss("s1", "exactref")],
    "sb-ss-accept": [sb("a"), ss("s1"), A],
}
MIX_IMAGES = [img(n) for n in SIGNED_IMAGES if n.startswith("mixed-")] + [
    img(n) for n in ("gpg-A", "gpg-B", "gpg-A-v2", "ss-S1", "ss-S2", "gpg-multi-good-bad", "ss-multi-bad-good")] + [
    UNSIGNED]
for lname, reqs in LISTS.items():
    for image in MIX_IMAGES:
        case("list.%s.%s" % (lname, iname(image)), dpol(reqs), image)

# 7. Scoped policies under --identity: default reject, docker scopes requiring signatures.
SCOPED = {
    "docker": {
        REG: [sb("a", "repo")],
        REG + "/app:v2": [ss("s1", "repo")],
        "mirror.example.com": [sb("a", "remap")],
        "*.example.com": [R],
    }
}
for n in ("gpg-A", "gpg-E", "ss-S1", "mixed-A-S1", "gpg-A-v2", "gpg-multi-bad-good"):
    for idn in ("none", "tag", "tag-v2", "digest", "other-repo", "mirror-tag", "mirror-digest", "hub-tag"):
        case("scoped.%s.%s" % (n.lower(), idn), dpol([R], SCOPED), img(n), IDENTITIES[idn])


# ---------------------------------------------------------------------------------------------
TRACE_PATTERNS = [
    (re.compile(r'^Using default policy section$'), lambda m: None),
    (re.compile(r'^Using transport "([^"]*)" specific policy section (.*)$'), lambda m: {"transport": m[1], "scope": m[2]}),
    (re.compile(r'^Using transport "([^"]*)" policy section ""$'), lambda m: {"transport": m[1], "scope": ""}),
    (re.compile(r'^Using transport "([^"]*)" policy section (.*)$'), lambda m: {"transport": m[1], "scope": m[2]}),
    (re.compile(r'^Using transport "([^"]*)" policy section$'), lambda m: {"transport": m[1], "scope": ""}),
]


def trace_to_scope(trace):
    for rx, f in TRACE_PATTERNS:
        m = rx.match(trace)
        if m:
            return f(m)
    raise ValueError("unexpected trace %r" % trace)


def record(oracle, base):
    """Run every case with $SIGNED/$IMAGES below `base`; return the normalised records."""
    signed = os.path.join(base, "signed")
    images = os.path.join(base, "images")
    pdir = os.path.join(base, "policies")
    shutil.copytree(os.path.join(SIGNED_SRC, "keys"), os.path.join(signed, "keys"))
    shutil.copytree(os.path.join(SIGNED_SRC, "images"), os.path.join(signed, "images"))
    shutil.copytree(os.path.join(IMAGES_SRC, "dir"), os.path.join(images, "dir"))
    os.makedirs(pdir)

    def sub(s):
        return None if s is None else s.replace("$SIGNED", signed).replace("$IMAGES", images)

    def unsub(s):
        # signed and images are siblings below base: neither is a prefix of the other.
        return s.replace(signed, "$SIGNED").replace(images, "$IMAGES")

    lines = []
    pfiles = []
    for i, c in enumerate(CASES):
        pf = os.path.join(pdir, "%04d.json" % i)
        with open(pf, "w", encoding="utf-8") as f:
            f.write(sub(c["policy"]))
        pfiles.append(pf)
        fields = [pf, sub(c["image"])] + ([sub(c["identity"])] if c["identity"] is not None else [])
        assert not any("\t" in x or "\n" in x for x in fields)
        lines.append("\t".join(fields))
    env = dict(os.environ, TZ="UTC")
    out = subprocess.run([oracle, "--batch", "--trace"], input="\n".join(lines) + "\n", capture_output=True,
                         text=True, cwd=base, check=True, env=env).stdout.splitlines()
    assert len(out) == len(CASES), (len(out), len(CASES))
    recs = []
    for c, pf, line in zip(CASES, pfiles, out):
        r = json.loads(line)
        assert r["policy"] == pf and r["image"] == sub(c["image"]), (c["id"], r)
        stage = r.get("stage", "")
        err = unsub(r.get("error", ""))
        assert base not in err and "/tmp/" not in err, (c["id"], err)
        assert stage in ("", "eval"), (c["id"], r)  # no case here is meant to fail before evaluation
        scope = trace_to_scope(r.get("scope", ""))
        if scope is not None:
            scope["scope"] = unsub(scope["scope"])
        assert r["allowed"] == (stage == ""), (c["id"], r)
        recs.append({
            "id": c["id"],
            "policy": c["policy"],
            "image": c["image"],
            "identity": c["identity"],
            "allowed": r["allowed"],
            "stage": stage,
            "error": err,
            "error_type": r.get("error_type", ""),
            "scope": scope,
        })
    recs.sort(key=lambda x: x["id"])
    return recs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--oracle", default=os.environ.get("CIMAGE_EVAL", "/tmp/cimage-oracle/bin/cimage-eval"))
    ap.add_argument("--out", default=os.path.join(HERE, "signed-vectors.jsonl"))
    a = ap.parse_args()
    runs = []
    for n in range(2):
        base = os.path.realpath(tempfile.mkdtemp(prefix="cimage-signed-%d-" % n))
        try:
            runs.append(record(a.oracle, base))
        finally:
            shutil.rmtree(base)
    if runs[0] != runs[1]:
        for x, y in zip(*runs):
            if x != y:
                print("unstable:", x, y, sep="\n  ", file=sys.stderr)
        sys.exit(1)
    with open(a.out, "w", encoding="utf-8") as f:
        for rec in runs[0]:
            f.write(json.dumps(rec, ensure_ascii=False, sort_keys=False) + "\n")
    n_ok = sum(r["allowed"] for r in runs[0])
    types = {}
    for r in runs[0]:
        types[r["error_type"] or "allowed"] = types.get(r["error_type"] or "allowed", 0) + 1
    print("wrote %d cases (%d allowed) to %s; by error_type: %s" % (len(runs[0]), n_ok, a.out, types))


if __name__ == "__main__":
    main()
