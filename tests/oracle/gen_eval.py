#!/usr/bin/env python3
"""Regenerate tests/oracle/eval-vectors.jsonl from the Go oracle.

Usage: python3 tests/oracle/gen_eval.py [--oracle /tmp/cimage-oracle/bin/cimage-eval] [--out FILE]

Every case is a complete policy.json text plus an image (and optionally an --identity override), evaluated
by `cimage-eval --batch --trace` (signature.NewPolicyFromFile -> NewPolicyContext -> open image ->
IsRunningImageAllowed).  The images are our own fixtures in tests/data/images (see make-images.py there);
no case depends on the oracle's vectors, keys or signatures, and no case has a signature that verifies.

Strings in `policy`, `image`, `identity`, `error` and `scope` may contain two placeholders:
  $IMAGES   the canonical absolute path of a copy of tests/data/images
  $SCRATCH  a canonical, initially empty scratch directory (containers-storage identities; the oracle
            creates a vfs store in $SCRATCH/cs when it parses such a reference)
The recording is done twice, with the images copied to two different temporary directories, and both
runs must give identical normalised output.  Python 3 stdlib only; deterministic output.
"""
import argparse
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
IMAGES_SRC = os.path.join(REPO, "tests", "data", "images")

# ---- requirements ----
A = {"type": "insecureAcceptAnything"}
R = {"type": "reject"}
B = {"type": "signedBaseLayer", "baseLayerIdentity": {"type": "matchRepository"}}
S = {"type": "signedBy", "keyType": "GPGKeys", "keyPath": "/nonexistent/policy-test/key.gpg"}
SD = {"type": "signedBy", "keyType": "GPGKeys", "keyData": "bm90IGEga2V5"}  # "not a key"
SP = {"type": "signedBy", "keyType": "GPGKeys", "keyPath": "$IMAGES/dir/unsigned/version"}  # exists, not a key
SX = {"type": "signedBy", "keyType": "X509Certificates", "keyPath": "/nonexistent/policy-test/cert.pem"}
SI = {"type": "signedBy", "keyType": "GPGKeys", "keyPath": "/nonexistent/policy-test/key.gpg",
      "signedIdentity": {"type": "exactReference", "dockerReference": "reg.example.com/ns/app:v1"}}
SS = {"type": "sigstoreSigned", "keyPath": "/nonexistent/policy-test/cosign.pub"}
SSD = {"type": "sigstoreSigned", "keyData": "bm90IGEga2V5"}
SSP = {"type": "sigstoreSigned", "keyPath": "$IMAGES/dir/unsigned/version"}
SSI = {"type": "sigstoreSigned", "keyPath": "/nonexistent/policy-test/cosign.pub",
       "signedIdentity": {"type": "matchRepository"}}

LISTS = {
    "a": [A], "r": [R], "b": [B], "s": [S], "sd": [SD], "sp": [SP], "sx": [SX], "si": [SI],
    "ss": [SS], "ssd": [SSD], "ssp": [SSP], "ssi": [SSI],
    "a-a": [A, A], "a-r": [A, R], "r-a": [R, A], "a-b": [A, B], "b-a": [B, A], "r-b": [R, B], "b-r": [B, R],
    "a-s": [A, S], "s-a": [S, A], "s-r": [S, R], "r-s": [R, S], "b-s": [B, S], "s-b": [S, B],
    "a-ss": [A, SS], "ss-r": [SS, R], "s-ss": [S, SS], "ss-s": [SS, S], "a-a-r": [A, A, R], "a-b-r": [A, B, R],
    "a-s-ss": [A, S, SS], "a-a-a": [A, A, A],
}
CORE = ["a", "r", "b", "s", "ss", "a-r", "r-a", "b-a", "s-a", "a-s", "s-ss", "ss-s", "sd", "ssd"]
SIGLISTS = ["a", "r", "b", "s", "sd", "sp", "sx", "si", "ss", "ssd", "ssp", "ssi", "s-ss", "ss-s", "a-s",
            "r-s", "s-r", "a-ss"]

HEX_E = "e" * 64
ZERO_DIGEST = "sha256:" + "0" * 64

CASES = []


def manifest_digest(rel):
    with open(os.path.join(IMAGES_SRC, rel, "manifest.json"), "rb") as f:
        return "sha256:" + hashlib.sha256(f.read()).hexdigest()


D_UNSIGNED = manifest_digest("dir/unsigned")
D_WS = manifest_digest("dir/whitespace")


def case(cid, policy, image, identity=None):
    cid = "eval-" + cid
    assert re.fullmatch(r"[a-z0-9.-]+", cid), cid
    assert not any(c["id"] == cid for c in CASES), cid
    if not isinstance(policy, str):
        # A scope that is literally "" (two quote characters) would make the trace ambiguous.
        assert all(k != '""' for sc in policy.get("transports", {}).values() for k in sc), cid
    text = policy if isinstance(policy, str) else json.dumps(policy)
    CASES.append({"id": cid, "policy": text, "image": image, "identity": identity})


def dpol(reqs, transports=None):
    p = {"default": reqs}
    if transports is not None:
        p["transports"] = transports
    return p


# ---------------------------------------------------------------------------------------------
# 1. Requirement lists in the global default, images opened directly.
MAIN_IMAGES = {
    "dir-unsigned": "dir:$IMAGES/dir/unsigned",
    "dir-no-manifest": "dir:$IMAGES/dir/no-manifest",
    "oci-layout-v1": "oci:$IMAGES/oci/layout:v1",
    "oci-single": "oci:$IMAGES/oci/single",
}
MORE_IMAGES = {
    "dir-whitespace": "dir:$IMAGES/dir/whitespace",
    "dir-oci-manifest": "dir:$IMAGES/dir/oci-manifest",
    "dir-nonexistent": "dir:$IMAGES/dir/nonexistent",
    "oci-layout-v2": "oci:$IMAGES/oci/layout:v2",
    "oci-single-colon": "oci:$IMAGES/oci/single:",
}
SIG_IMAGES = {
    "sig-garbage": "dir:$IMAGES/dir/garbage-signature",
    "sig-unknown-format": "dir:$IMAGES/dir/unknown-sig-format",
    "sig-fake-openpgp": "dir:$IMAGES/dir/fake-openpgp-signature",
    "sig-two-fake-openpgp": "dir:$IMAGES/dir/two-fake-openpgp-signatures",
    "sig-sigstore-attachment": "dir:$IMAGES/dir/sigstore-attachment",
    "sig-sigstore-bogus": "dir:$IMAGES/dir/sigstore-bogus-signature",
    "sig-mixed": "dir:$IMAGES/dir/mixed-signatures",
}
for iname, img in MAIN_IMAGES.items():
    for lname, reqs in LISTS.items():
        case("default-%s-%s" % (iname, lname), dpol(reqs), img)
for iname, img in MORE_IMAGES.items():
    for lname in CORE:
        case("default-%s-%s" % (iname, lname), dpol(LISTS[lname]), img)
for iname, img in SIG_IMAGES.items():
    for lname in SIGLISTS:
        case("%s-%s" % (iname, lname), dpol(LISTS[lname]), img)

# ---------------------------------------------------------------------------------------------
# 2. Transport sections for images opened directly (dir:, oci:).
# Convention: global default [reject], transport "" [signedBaseLayer], chosen scope [accept]; the error
# text therefore names the section kind as well as the trace does.
DU = "dir:$IMAGES/dir/unsigned"
for cid, tr, img in [
    ("dir-transport-default", {"dir": {"": [A]}}, DU),
    ("dir-transport-default-reject", {"dir": {"": [R]}}, DU),
    ("dir-exact", {"dir": {"": [B], "$IMAGES/dir/unsigned": [A]}}, DU),
    ("dir-exact-reject", {"dir": {"": [A], "$IMAGES/dir/unsigned": [R]}}, DU),
    ("dir-exact-signedby", {"dir": {"": [A], "$IMAGES/dir/unsigned": [A, S]}}, DU),
    ("dir-exact-sigstore", {"dir": {"": [A], "$IMAGES/dir/unsigned": [SS]}}, DU),
    ("dir-parent", {"dir": {"": [B], "$IMAGES/dir": [A]}}, DU),
    ("dir-grandparent", {"dir": {"": [B], "$IMAGES": [A]}}, DU),
    ("dir-most-specific-parent", {"dir": {"": [B], "$IMAGES": [R], "$IMAGES/dir": [A]}}, DU),
    ("dir-exact-beats-parent", {"dir": {"": [A], "$IMAGES/dir": [A], "$IMAGES/dir/unsigned": [R]}}, DU),
    ("dir-sibling-no-match", {"dir": {"": [B], "$IMAGES/dir/whitespace": [A]}}, DU),
    ("dir-sibling-no-match-no-default", {"dir": {"$IMAGES/dir/whitespace": [A]}}, DU),
    ("dir-prefix-not-path", {"dir": {"$IMAGES/dir/unsig": [A]}}, DU),
    ("dir-no-transport-default", {"dir": {"$IMAGES/dir/other": [A]}}, DU),
    ("dir-other-transport-only", {"oci": {"": [A]}, "docker": {"": [A]}}, DU),
    ("dir-empty-transport", {"dir": {}}, DU),
    ("dir-nonexistent-exact", {"dir": {"": [B], "$IMAGES/dir/nonexistent": [A]}}, "dir:$IMAGES/dir/nonexistent"),
    ("dir-nonexistent-parent", {"dir": {"": [B], "$IMAGES/dir": [A]}}, "dir:$IMAGES/dir/nonexistent"),
    ("dir-no-manifest-exact", {"dir": {"": [B], "$IMAGES/dir/no-manifest": [A, S]}}, "dir:$IMAGES/dir/no-manifest"),
    ("dir-whitespace-exact", {"dir": {"": [B], "$IMAGES/dir/whitespace": [A]}}, "dir:$IMAGES/dir/whitespace"),
    ("dir-sig-exact-signedby", {"dir": {"": [A], "$IMAGES/dir/fake-openpgp-signature": [S]}},
     "dir:$IMAGES/dir/fake-openpgp-signature"),
    ("dir-sig-parent-sigstore", {"dir": {"": [A], "$IMAGES/dir": [SS]}}, "dir:$IMAGES/dir/sigstore-bogus-signature"),
    ("dir-trailing-dot-path", {"dir": {"": [B], "$IMAGES/dir/unsigned": [A]}}, "dir:$IMAGES/dir/./unsigned"),
    ("dir-dotdot-path", {"dir": {"": [B], "$IMAGES/dir/unsigned": [A]}}, "dir:$IMAGES/oci/../dir/unsigned"),
    ("dir-trailing-slash-path", {"dir": {"": [B], "$IMAGES/dir/unsigned": [A]}}, "dir:$IMAGES/dir/unsigned/"),
    ("dir-trailing-slash-path-reject", {"dir": {"": [B], "$IMAGES/dir/unsigned": [R]}}, "dir:$IMAGES/dir/unsigned/"),
    ("dir-dotdot-path-reject", {"dir": {"": [B], "$IMAGES/dir/unsigned": [R]}}, "dir:$IMAGES/oci/../dir/unsigned"),
    ("oci-dotdot-path-reject", {"oci": {"": [B], "$IMAGES/oci/layout": [R]}}, "oci:$IMAGES/dir/../oci/layout:v2"),
    ("oci-transport-default", {"oci": {"": [A]}}, "oci:$IMAGES/oci/layout:v1"),
    ("oci-exact-v1", {"oci": {"": [B], "$IMAGES/oci/layout": [A]}}, "oci:$IMAGES/oci/layout:v1"),
    ("oci-exact-v2", {"oci": {"": [B], "$IMAGES/oci/layout": [A]}}, "oci:$IMAGES/oci/layout:v2"),
    ("oci-exact-reject-v2", {"oci": {"": [A], "$IMAGES/oci/layout": [R]}}, "oci:$IMAGES/oci/layout:v2"),
    ("oci-exact-signedby", {"oci": {"": [A], "$IMAGES/oci/layout": [S]}}, "oci:$IMAGES/oci/layout:v1"),
    ("oci-exact-sigstore", {"oci": {"": [A], "$IMAGES/oci/layout": [A, SS]}}, "oci:$IMAGES/oci/layout:v1"),
    ("oci-ref-scope-never-matches", {"oci": {"": [B], "$IMAGES/oci/layout:v1": [A]}}, "oci:$IMAGES/oci/layout:v1"),
    ("oci-ref-scope-never-matches-no-default", {"oci": {"$IMAGES/oci/layout:v1": [A]}}, "oci:$IMAGES/oci/layout:v1"),
    ("oci-parent", {"oci": {"": [B], "$IMAGES/oci": [A]}}, "oci:$IMAGES/oci/layout:v2"),
    ("oci-grandparent", {"oci": {"": [B], "$IMAGES": [A]}}, "oci:$IMAGES/oci/single"),
    ("oci-exact-beats-parent", {"oci": {"$IMAGES/oci": [A], "$IMAGES/oci/single": [R]}}, "oci:$IMAGES/oci/single"),
    ("oci-sibling-no-match", {"oci": {"": [B], "$IMAGES/oci/layout": [A]}}, "oci:$IMAGES/oci/single"),
    ("oci-dir-section-ignored", {"dir": {"": [A], "$IMAGES/oci/layout": [A]}}, "oci:$IMAGES/oci/layout:v1"),
    ("oci-single-exact", {"oci": {"": [B], "$IMAGES/oci/single": [A]}}, "oci:$IMAGES/oci/single"),
]:
    case("transport-" + cid, dpol([R], tr), img)

# ---------------------------------------------------------------------------------------------
# 3. --identity: IMAGE's manifest/signatures (dir:$IMAGES/dir/unsigned unless noted) under another identity.
DOCKER_ID = "docker://reg.example.com/ns/app:v1"
for cid, scopes, ident in [
    ("exact-tag", {"reg.example.com/ns/app:v1": [A]}, DOCKER_ID),
    ("exact-tag-other-tag", {"reg.example.com/ns/app:v2": [A]}, DOCKER_ID),
    ("repo", {"reg.example.com/ns/app": [A]}, DOCKER_ID),
    ("namespace", {"reg.example.com/ns": [A]}, DOCKER_ID),
    ("host", {"reg.example.com": [A]}, DOCKER_ID),
    ("wildcard-host", {"*.example.com": [A]}, DOCKER_ID),
    ("wildcard-tld", {"*.com": [A]}, DOCKER_ID),
    ("wildcard-most-specific", {"*.com": [R], "*.example.com": [A]}, DOCKER_ID),
    ("wildcard-after-host", {"*.example.com": [R], "reg.example.com": [A]}, DOCKER_ID),
    ("wildcard-not-self", {"*.reg.example.com": [A]}, DOCKER_ID),
    ("wildcard-with-path-never", {"*.example.com/ns": [A]}, DOCKER_ID),
    ("exact-beats-repo", {"reg.example.com/ns/app:v1": [R], "reg.example.com/ns/app": [A]}, DOCKER_ID),
    ("repo-beats-namespace", {"reg.example.com/ns/app": [B], "reg.example.com/ns": [A]}, DOCKER_ID),
    ("namespace-beats-host", {"reg.example.com/ns": [A], "reg.example.com": [R]}, DOCKER_ID),
    ("case-sensitive-scope", {"Reg.example.com/ns/app": [A]}, DOCKER_ID),
    ("uppercase-host-lower-scope", {"reg.example.com": [A]}, "docker://Reg.Example.com/ns/app:v1"),
    ("uppercase-host-same-scope", {"Reg.Example.com": [A]}, "docker://Reg.Example.com/ns/app:v1"),
    ("uppercase-host-wildcard", {"*.Example.com": [A]}, "docker://Reg.Example.com/ns/app:v1"),
    ("scope-signedby", {"reg.example.com/ns/app": [S]}, DOCKER_ID),
    ("scope-signedby-identity", {"reg.example.com/ns/app": [SI]}, DOCKER_ID),
    ("scope-sigstore", {"reg.example.com/ns": [SSI]}, DOCKER_ID),
    ("scope-accept-then-signedby", {"reg.example.com": [A, S]}, DOCKER_ID),
    ("scope-baselayer", {"reg.example.com/ns/app:v1": [B]}, DOCKER_ID),
    ("port-host", {"reg.example.com:5000": [A]}, "docker://reg.example.com:5000/ns/app:v1"),
    ("port-host-without-port", {"reg.example.com": [A]}, "docker://reg.example.com:5000/ns/app:v1"),
    ("port-wildcard", {"*.example.com": [A]}, "docker://reg.example.com:5000/ns/app:v1"),
    ("port-repo", {"reg.example.com:5000/ns/app": [A]}, "docker://reg.example.com:5000/ns/app:v1"),
    ("localhost", {"localhost/app": [A]}, "docker://localhost/app:v1"),
    ("localhost-port", {"localhost:5000": [A]}, "docker://localhost:5000/app:v1"),
    ("ip-wildcard", {"*.0.0.1": [A]}, "docker://10.0.0.1:5000/app:v1"),
    ("dockerhub-canonical", {"docker.io/library/busybox": [A]}, "docker://busybox"),
    ("dockerhub-latest", {"docker.io/library/busybox:latest": [A]}, "docker://busybox"),
    ("dockerhub-short-never", {"busybox": [A]}, "docker://busybox"),
    ("dockerhub-library-never", {"library/busybox": [A]}, "docker://busybox"),
    ("dockerhub-docker-io-short-never", {"docker.io/busybox": [A]}, "docker://busybox:latest"),
    ("dockerhub-namespace", {"docker.io/library": [A]}, "docker://library/busybox:1.36"),
    ("dockerhub-host", {"docker.io": [A]}, "docker://someuser/app:v1"),
    ("dockerhub-wildcard", {"*.io": [A]}, "docker://someuser/app:v1"),
    ("digest-repo", {"reg.example.com/ns/app": [A]}, "docker://reg.example.com/ns/app@" + D_UNSIGNED),
    ("digest-exact", {"reg.example.com/ns/app@" + D_UNSIGNED: [A]}, "docker://reg.example.com/ns/app@" + D_UNSIGNED),
    ("digest-no-tag-crossover", {"reg.example.com/ns/app:v1": [A]}, "docker://reg.example.com/ns/app@" + D_UNSIGNED),
    ("transport-default", {"": [A], "other.example.com": [R]}, DOCKER_ID),
    ("transport-default-reject", {"": [R], "other.example.com": [A]}, DOCKER_ID),
    ("no-match-global-default", {"other.example.com": [A]}, DOCKER_ID),
]:
    case("id-docker-" + cid, dpol([R], {"docker": scopes}), "dir:$IMAGES/dir/unsigned", ident)

# Digested identities: matching and non-matching digests, with and without signature requirements.
for iname, img, good in [("unsigned", "dir:$IMAGES/dir/unsigned", D_UNSIGNED),
                         ("whitespace", "dir:$IMAGES/dir/whitespace", D_WS),
                         ("no-manifest", "dir:$IMAGES/dir/no-manifest", None),
                         ("fake-openpgp", "dir:$IMAGES/dir/fake-openpgp-signature", D_UNSIGNED),
                         ("sigstore-bogus", "dir:$IMAGES/dir/sigstore-bogus-signature", D_UNSIGNED)]:
    digests = [("zero", ZERO_DIGEST), ("other", D_WS if good == D_UNSIGNED else D_UNSIGNED)]
    if good:
        digests.insert(0, ("match", good))
    for dname, dg in digests:
        for lname in ["a", "r", "s", "ss", "a-s", "a-ss", "b"]:
            case("id-digest-%s-%s-%s" % (iname, dname, lname), dpol(LISTS[lname]), img,
                 "docker://reg.example.com/ns/app@" + dg)
# The same digested identity via docker-daemon.
for lname in ["a", "s", "ss"]:
    case("id-digest-daemon-unsigned-other-%s" % lname, dpol(LISTS[lname]), "dir:$IMAGES/dir/unsigned",
         "docker-daemon:reg.example.com/ns/app@" + D_WS)

# Other transports named by --identity, each with the global default only and with scoped sections.
OTHER_IDS = {
    "docker-tag": DOCKER_ID,
    "docker-digest": "docker://reg.example.com/ns/app@" + D_UNSIGNED,
    "atomic": "atomic:reg.example.com/ns/stream:v1",
    "daemon-named": "docker-daemon:reg.example.com/ns/app:v1",
    "daemon-id": "docker-daemon:sha256:" + HEX_E,
    "storage": "containers-storage:[vfs@$SCRATCH/cs/root+$SCRATCH/cs/run]reg.example.com/ns/app:v1",
    "docker-archive-ref": "docker-archive:$IMAGES/missing.tar:reg.example.com/ns/app:v1",
    "docker-archive-bare": "docker-archive:$IMAGES/missing.tar",
    "dir": "dir:$IMAGES/dir/whitespace",
    "dir-missing": "dir:$IMAGES/dir/missing",
    "oci-tag": "oci:$IMAGES/oci/layout:v2",
    "oci-bare": "oci:$IMAGES/oci/layout",
    "oci-archive": "oci-archive:$IMAGES/missing.tar:v1",
    "sif": "sif:$IMAGES/missing.sif",
}
for iname, ident in OTHER_IDS.items():
    for lname in ["a", "r", "b", "s", "ss", "a-s", "r-a"]:
        case("id-%s-default-%s" % (iname, lname), dpol(LISTS[lname]), "dir:$IMAGES/dir/unsigned", ident)
    # The identity's own transport section with only "" (verdict B), and the global default [R].
    t = ident.split(":", 1)[0]
    case("id-%s-transport-default" % iname, dpol([R], {t: {"": [B]}}), "dir:$IMAGES/dir/unsigned", ident)
    # A section for a different transport must be ignored.
    other = "dir" if t != "dir" else "oci"
    case("id-%s-other-transport" % iname, dpol([R], {other: {"": [A]}}), "dir:$IMAGES/dir/unsigned", ident)
    # Same identity, no-manifest image.
    case("id-%s-no-manifest-a" % iname, dpol([A]), "dir:$IMAGES/dir/no-manifest", ident)
    case("id-%s-no-manifest-s" % iname, dpol([S]), "dir:$IMAGES/dir/no-manifest", ident)
    case("id-%s-fake-openpgp-s" % iname, dpol([S]), "dir:$IMAGES/dir/fake-openpgp-signature", ident)

CS = "[vfs@$SCRATCH/cs/root]"
for t, cid, scopes, ident in [
    ("atomic", "exact", {"reg.example.com/ns/stream:v1": [A]}, OTHER_IDS["atomic"]),
    ("atomic", "stream", {"reg.example.com/ns/stream": [A]}, OTHER_IDS["atomic"]),
    ("atomic", "namespace", {"reg.example.com/ns": [A]}, OTHER_IDS["atomic"]),
    ("atomic", "host", {"reg.example.com": [A]}, OTHER_IDS["atomic"]),
    ("atomic", "wildcard", {"*.example.com": [A]}, OTHER_IDS["atomic"]),
    ("atomic", "exact-reject", {"": [A], "reg.example.com/ns/stream:v1": [R]}, OTHER_IDS["atomic"]),
    ("atomic", "other-tag", {"reg.example.com/ns/stream:v2": [A]}, OTHER_IDS["atomic"]),
    ("atomic", "signedby", {"reg.example.com/ns": [S]}, OTHER_IDS["atomic"]),
    ("docker-daemon", "exact", {"reg.example.com/ns/app:v1": [A]}, OTHER_IDS["daemon-named"]),
    ("docker-daemon", "repo", {"reg.example.com/ns/app": [A]}, OTHER_IDS["daemon-named"]),
    ("docker-daemon", "wildcard", {"*.com": [A]}, OTHER_IDS["daemon-named"]),
    ("docker-daemon", "host-reject", {"reg.example.com": [R], "": [A]}, OTHER_IDS["daemon-named"]),
    ("docker-daemon", "dockerhub", {"docker.io/library/busybox:latest": [A]}, "docker-daemon:busybox:latest"),
    ("docker-daemon", "digest", {"reg.example.com/ns/app@" + D_UNSIGNED: [A]},
     "docker-daemon:reg.example.com/ns/app@" + D_UNSIGNED),
    ("docker-daemon", "id-ref-default", {"": [A], "reg.example.com": [R]}, OTHER_IDS["daemon-id"]),
    ("docker-daemon", "id-ref-no-default", {"reg.example.com": [A]}, OTHER_IDS["daemon-id"]),
    ("containers-storage", "exact", {CS + "reg.example.com/ns/app:v1": [A]}, OTHER_IDS["storage"]),
    ("containers-storage", "repo", {CS + "reg.example.com/ns/app": [A]}, OTHER_IDS["storage"]),
    ("containers-storage", "namespace", {CS + "reg.example.com/ns": [A]}, OTHER_IDS["storage"]),
    ("containers-storage", "host", {CS + "reg.example.com": [A]}, OTHER_IDS["storage"]),
    ("containers-storage", "store", {CS: [A]}, OTHER_IDS["storage"]),
    ("containers-storage", "graphroot", {"[$SCRATCH/cs/root]": [A]}, OTHER_IDS["storage"]),
    ("containers-storage", "runroot-never", {"[vfs@$SCRATCH/cs/root+$SCRATCH/cs/run]": [A]}, OTHER_IDS["storage"]),
    ("containers-storage", "exact-beats-store", {CS: [A], CS + "reg.example.com/ns/app:v1": [R]},
     OTHER_IDS["storage"]),
    ("containers-storage", "signedby", {CS + "reg.example.com/ns/app": [A, S]}, OTHER_IDS["storage"]),
    ("containers-storage", "dockerhub", {CS + "docker.io/library/busybox": [A]},
     "containers-storage:[vfs@$SCRATCH/cs/root+$SCRATCH/cs/run]busybox"),
    ("docker-archive", "only-default", {"": [A]}, OTHER_IDS["docker-archive-ref"]),
    ("docker-archive", "only-default-bare", {"": [A]}, OTHER_IDS["docker-archive-bare"]),
    ("dir", "exact", {"$IMAGES/dir/whitespace": [A]}, OTHER_IDS["dir"]),
    ("dir", "real-path-ignored", {"$IMAGES/dir/unsigned": [A]}, OTHER_IDS["dir"]),
    ("dir", "parent", {"$IMAGES/dir": [A]}, OTHER_IDS["dir"]),
    ("dir", "missing-exact", {"$IMAGES/dir/missing": [A]}, OTHER_IDS["dir-missing"]),
    ("oci", "exact", {"$IMAGES/oci/layout": [A]}, OTHER_IDS["oci-tag"]),
    ("oci", "ref-never", {"$IMAGES/oci/layout:v2": [A]}, OTHER_IDS["oci-tag"]),
    ("oci", "parent", {"$IMAGES/oci": [A]}, OTHER_IDS["oci-bare"]),
    ("oci-archive", "exact", {"$IMAGES/missing.tar": [A]}, OTHER_IDS["oci-archive"]),
    ("oci-archive", "parent", {"$IMAGES": [A]}, OTHER_IDS["oci-archive"]),
    ("sif", "exact", {"$IMAGES/missing.sif": [A]}, OTHER_IDS["sif"]),
]:
    case("id-scope-%s-%s" % (t, cid), dpol([R], {t: scopes}), "dir:$IMAGES/dir/unsigned", ident)

# A policy with sections for every transport at once.
BIG = dpol([R], {
    "docker": {"": [B], "reg.example.com/ns": [A], "*.example.com": [A, S], "docker.io/library/busybox": [SS]},
    "atomic": {"reg.example.com/ns/stream": [A]},
    "docker-daemon": {"": [A], "reg.example.com/ns/app:v1": [R]},
    "dir": {"$IMAGES/dir": [A], "$IMAGES/dir/no-manifest": [S]},
    "oci": {"$IMAGES/oci/layout": [A], "": [R]},
    "containers-storage": {CS + "reg.example.com": [A]},
    "docker-archive": {"": [B]},
})
for cid, img, ident in [
    ("docker-ns", "dir:$IMAGES/dir/unsigned", "docker://reg.example.com/ns/app:v1"),
    ("docker-wildcard", "dir:$IMAGES/dir/unsigned", "docker://other.example.com/x/y:v1"),
    ("docker-hub", "dir:$IMAGES/dir/unsigned", "docker://busybox"),
    ("docker-default", "dir:$IMAGES/dir/unsigned", "docker://quay.io/x/y:v1"),
    ("atomic", "dir:$IMAGES/dir/unsigned", OTHER_IDS["atomic"]),
    ("atomic-other", "dir:$IMAGES/dir/unsigned", "atomic:reg.example.com/other/stream:v1"),
    ("daemon-exact", "dir:$IMAGES/dir/unsigned", OTHER_IDS["daemon-named"]),
    ("daemon-id", "dir:$IMAGES/dir/unsigned", OTHER_IDS["daemon-id"]),
    ("dir-direct", "dir:$IMAGES/dir/unsigned", None),
    ("dir-no-manifest", "dir:$IMAGES/dir/no-manifest", None),
    ("oci-v1", "oci:$IMAGES/oci/layout:v1", None),
    ("oci-single", "oci:$IMAGES/oci/single", None),
    ("storage", "dir:$IMAGES/dir/unsigned", OTHER_IDS["storage"]),
    ("docker-archive", "dir:$IMAGES/dir/unsigned", OTHER_IDS["docker-archive-ref"]),
    ("sif-absent", "dir:$IMAGES/dir/unsigned", OTHER_IDS["sif"]),
]:
    case("multi-" + cid, BIG, img, ident)

# ---------------------------------------------------------------------------------------------
# 4. Invalid policies (stage "policy").
for cid, text in [
    ("empty-file", ""),
    ("not-json", "not json"),
    ("empty-object", "{}"),
    ("default-null", '{"default": null}'),
    ("default-empty", '{"default": []}'),
    ("unknown-type", '{"default": [{"type": "acceptAll"}]}'),
    ("unknown-top-key", '{"default": [{"type": "reject"}], "extra": 1}'),
    ("reject-extra-field", '{"default": [{"type": "reject", "x": 1}]}'),
    ("signedby-no-keytype", '{"default": [{"type": "signedBy", "keyPath": "/k"}]}'),
    ("signedby-bad-keytype", '{"default": [{"type": "signedBy", "keyType": "PGP", "keyPath": "/k"}]}'),
    ("baselayer-no-identity", '{"default": [{"type": "signedBaseLayer"}]}'),
    ("dir-relative-scope", '{"default": [{"type": "reject"}], "transports": {"dir": {"relative": [{"type": "insecureAcceptAnything"}]}}}'),
    ("oci-root-scope", '{"default": [{"type": "reject"}], "transports": {"oci": {"/": [{"type": "insecureAcceptAnything"}]}}}'),
    ("docker-archive-scope", '{"default": [{"type": "reject"}], "transports": {"docker-archive": {"/x.tar": [{"type": "insecureAcceptAnything"}]}}}'),
    ("atomic-deep-scope", '{"default": [{"type": "reject"}], "transports": {"atomic": {"a/b/c/d": [{"type": "insecureAcceptAnything"}]}}}'),
    ("storage-no-bracket", '{"default": [{"type": "reject"}], "transports": {"containers-storage": {"busybox": [{"type": "insecureAcceptAnything"}]}}}'),
    ("scope-empty-list", '{"default": [{"type": "reject"}], "transports": {"docker": {"": []}}}'),
    ("dir-scope-with-images", '{"default": [{"type": "reject"}], "transports": {"dir": {"$IMAGES/dir/": [{"type": "insecureAcceptAnything"}]}}}'),
]:
    for iname, img in [("dir", "dir:$IMAGES/dir/unsigned"), ("oci", "oci:$IMAGES/oci/layout:v1")]:
        case("policy-%s-%s" % (cid, iname), text, img)

# ---------------------------------------------------------------------------------------------
# 5. Images that cannot be parsed or opened (stage "image"), and identities that cannot be parsed.
for cid, img, ident in [
    ("oci-missing-name", "oci:$IMAGES/oci/layout:v3", None),
    ("oci-no-name-two-manifests", "oci:$IMAGES/oci/layout", None),
    ("oci-nonexistent-layout", "oci:$IMAGES/oci/nonexistent:v1", None),
    ("oci-nonexistent-layout-no-name", "oci:$IMAGES/oci/nonexistent", None),
    ("oci-dir-image-as-layout", "oci:$IMAGES/dir/unsigned:v1", None),
    ("oci-single-wrong-name", "oci:$IMAGES/oci/single:latest", None),
    ("oci-invalid-name", "oci:$IMAGES/oci/layout:BAD NAME", None),
    ("dir-missing-parent", "dir:$IMAGES/missing-parent/x", None),
    ("unknown-transport", "nosuch:$IMAGES/dir/unsigned", None),
    ("identity-docker-uppercase-path", "dir:$IMAGES/dir/unsigned", "docker://reg.example.com/NS/app:v1"),
    ("identity-docker-tag-and-digest", "dir:$IMAGES/dir/unsigned", "docker://reg.example.com/ns/app:v1@" + D_UNSIGNED),
    ("identity-daemon-no-tag", "dir:$IMAGES/dir/unsigned", "docker-daemon:reg.example.com/ns/app"),
    ("identity-atomic-no-namespace", "dir:$IMAGES/dir/unsigned", "atomic:reg.example.com/app:v1"),
    ("identity-unknown-transport", "dir:$IMAGES/dir/unsigned", "nosuch:x"),
    ("identity-dir-missing-parent", "dir:$IMAGES/dir/unsigned", "dir:$IMAGES/missing-parent/x"),
    ("identity-tarball-missing", "dir:$IMAGES/dir/unsigned", "tarball:$IMAGES/missing.tar"),
]:
    for lname in ["a", "r", "s"]:
        case("image-%s-%s" % (cid, lname), dpol(LISTS[lname]), img, ident)
# An invalid policy is reported before the image is looked at.
case("image-policy-first", "{}", "oci:$IMAGES/oci/nonexistent:v1")


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
    """Run every case with $IMAGES/$SCRATCH below `base`; return the normalised records."""
    images = os.path.join(base, "images")
    scratch = os.path.join(base, "scratch")
    pdir = os.path.join(base, "policies")
    for s in ("dir", "oci"):
        shutil.copytree(os.path.join(IMAGES_SRC, s), os.path.join(images, s), symlinks=True)
    os.makedirs(scratch)
    os.makedirs(pdir)

    def sub(s):
        return None if s is None else s.replace("$IMAGES", images).replace("$SCRATCH", scratch)

    def unsub(s):
        # scratch and images are siblings below base: neither is a prefix of the other.
        return s.replace(images, "$IMAGES").replace(scratch, "$SCRATCH")

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
    out = subprocess.run([oracle, "--batch", "--trace"], input="\n".join(lines) + "\n", capture_output=True,
                         text=True, cwd=base, check=True).stdout.splitlines()
    assert len(out) == len(CASES), (len(out), len(CASES))
    recs = []
    for c, pf, line in zip(CASES, pfiles, out):
        r = json.loads(line)
        assert r["policy"] == pf and r["image"] == sub(c["image"]), (c["id"], r)
        stage = r.get("stage", "")
        err = r.get("error", "")
        if stage == "policy":
            prefix = 'invalid policy in "%s": ' % pf
            assert err.startswith(prefix), (c["id"], err)
            err = err[len(prefix):]
        err = unsub(err)
        assert base not in err and "/tmp/" not in err, (c["id"], err)
        if stage in ("", "eval"):
            scope = trace_to_scope(r.get("scope", ""))
            if scope is not None:
                scope["scope"] = unsub(scope["scope"])
        else:
            assert "scope" not in r, (c["id"], r)
            scope = None
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
    ap.add_argument("--out", default=os.path.join(HERE, "eval-vectors.jsonl"))
    a = ap.parse_args()
    runs = []
    for n in range(2):
        base = os.path.realpath(tempfile.mkdtemp(prefix="cimage-eval-%d-" % n))
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
    stages = {}
    for r in runs[0]:
        stages[r["stage"] or "allowed"] = stages.get(r["stage"] or "allowed", 0) + 1
    print("wrote %d cases (%d allowed) to %s; by stage: %s" % (len(runs[0]), n_ok, a.out, stages))


if __name__ == "__main__":
    main()
