#!/usr/bin/env python3
"""Regenerate tests/oracle/parse-vectors.jsonl (and parse-dumps.jsonl) from the Go oracle.

Usage: python3 tests/oracle/gen_parse.py [--oracle /tmp/cimage-oracle/bin/cimage-eval]

Every vector is a complete policy.json (bytes).  Each one is written to a temp file and
`cimage-eval --policy FILE --dump` is run on it.  The oracle is not available in CI; the
recorded jsonl files are the test data.  Python 3 stdlib only.
"""
import argparse
import base64
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

R = '{"type":"reject"}'
A = '{"type":"insecureAcceptAnything"}'
HEX64 = "0123456789abcdef" * 4
HEXA = "a" * 64
UPHEX = HEX64.upper()
DIG = "sha256:" + HEX64

VECTORS = []  # (id, bytes, note)


_BY_TEXT = {}


def add(vid, policy, note):
    """Register a vector.  A policy text generated twice keeps the first id; the notes are merged."""
    if isinstance(policy, str):
        policy = policy.encode("utf-8")
    if policy in _BY_TEXT:
        i = _BY_TEXT[policy]
        old = VECTORS[i]
        VECTORS[i] = (old[0], old[1], old[2] + "; also: " + note)
        return
    _BY_TEXT[policy] = len(VECTORS)
    VECTORS.append(("parse-" + vid, policy, note))


def q(s):
    """JSON string literal (ASCII-safe)."""
    return json.dumps(s)


def top(default=R, transports=None):
    s = '{"default":[' + default + ']'
    if transports is not None:
        s += ',"transports":' + transports
    return s + '}'


def req(r):
    return top(default=r)


def sb(members):
    return '{"type":"signedBy",' + members + '}'


GPG_K = '"keyType":"GPGKeys","keyPath":"/k"'


def ident(i):
    """Policy with a signedBy GPGKeys /k requirement whose signedIdentity is i (raw JSON)."""
    return req(sb(GPG_K + ',"signedIdentity":' + i))


def scope(transport, scope_key, reqs=R):
    return top(transports='{' + q(transport) + ':{' + q(scope_key) + ':[' + reqs + ']}}')


def slug(s, n=40):
    out = []
    for ch in s:
        if ch.isalnum():
            out.append(ch if ch.isascii() else "u")
        else:
            out.append("-")
    r = "".join(out)
    while "--" in r:
        r = r.replace("--", "-")
    r = r.strip("-")
    return r[:n] or "empty"


# ---------------------------------------------------------------------------------------------
# §18 appendix vectors (the ones 5.23 knows; newer-feature rows get the "newer-" prefix)
S18 = [
    ("minimal-reject", '{"default":[{"type":"reject"}]}'),
    ("default-empty", '{"default":[]}'),
    ("default-null", '{"default":null}'),
    ("empty-object", '{}'),
    ("transports-null", '{"default":[{"type":"reject"}],"transports":null}'),
    ("transports-empty", '{"default":[{"type":"reject"}],"transports":{}}'),
    ("transport-docker-null", '{"default":[{"type":"reject"}],"transports":{"docker":null}}'),
    ("transport-docker-empty", '{"default":[{"type":"reject"}],"transports":{"docker":{}}}'),
    ("docker-anything-goes", '{"default":[{"type":"reject"}],"transports":{"docker":{"anything goes!!":[{"type":"reject"}]}}}'),
    ("dir-relative", '{"default":[{"type":"reject"}],"transports":{"dir":{"relative":[{"type":"reject"}]}}}'),
    ("dir-trailing-slash", '{"default":[{"type":"reject"}],"transports":{"dir":{"/a/b/":[{"type":"reject"}]}}}'),
    ("nosuch-transport", '{"default":[{"type":"reject"}],"transports":{"nosuch":{"whatever":[{"type":"reject"}]}}}'),
    ("empty-transport-name", '{"default":[{"type":"reject"}],"transports":{"":{"x":[{"type":"reject"}]}}}'),
    ("docker-archive-scope", '{"default":[{"type":"reject"}],"transports":{"docker-archive":{"/x":[{"type":"reject"}]}}}'),
    ("docker-archive-empty-scope", '{"default":[{"type":"reject"}],"transports":{"docker-archive":{"":[{"type":"reject"}]}}}'),
    ("atomic-digest-scope", '{"default":[{"type":"reject"}],"transports":{"atomic":{"registry.example.com/ns/stream@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef":[{"type":"reject"}]}}}'),
    ("storage-upper", '{"default":[{"type":"reject"}],"transports":{"containers-storage":{"[overlay@/var/lib/c+/run:opt]UPPER!!":[{"type":"reject"}]}}}'),
    ("scope-empty-list", '{"default":[{"type":"reject"}],"transports":{"docker":{"x":[]}}}'),
    ("scope-duplicate", '{"default":[{"type":"reject"}],"transports":{"docker":{"x":[{"type":"reject"}],"x":[{"type":"reject"}]}}}'),
    ("default-duplicate", '{"default":[{"type":"reject"}],"default":[{"type":"reject"}]}'),
    ("default-case", '{"default":[{"type":"reject"}],"Default":[{"type":"reject"}]}'),
    ("type-upper", '{"default":[{"TYPE":"reject"}]}'),
    ("type-duplicate", '{"default":[{"type":"reject","type":"reject"}]}'),
    ("req-null", '{"default":[null]}'),
    ("req-string", '{"default":["reject"]}'),
    ("reject-extra", '{"default":[{"type":"reject","x":1}]}'),
    ("signedby-no-keytype", '{"default":[{"type":"signedBy","keyPath":"/k"}]}'),
    ("signedby-no-key", '{"default":[{"type":"signedBy","keyType":"GPGKeys"}]}'),
    ("signedby-keypath", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k"}]}'),
    ("signedby-keytype-lower", '{"default":[{"type":"signedBy","keyType":"gpgkeys","keyPath":"/k"}]}'),
    ("signedby-keytype-null", '{"default":[{"type":"signedBy","keyType":null,"keyPath":"/k"}]}'),
    ("signedby-x509", '{"default":[{"type":"signedBy","keyType":"X509Certificates","keyPath":"/k"}]}'),
    ("signedby-keypath-empty", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":""}]}'),
    ("signedby-keypath-null", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":null}]}'),
    ("signedby-keypaths-empty", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPaths":[]}]}'),
    ("signedby-keypaths-null", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPaths":null}]}'),
    ("signedby-keydata-empty", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":""}]}'),
    ("signedby-keydata-null", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":null}]}'),
    ("signedby-keydata-abc", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"YWJj"}]}'),
    ("signedby-keydata-unpadded", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"YWJ"}]}'),
    ("signedby-keydata-newline", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"YW\\nJj"}]}'),
    ("signedby-keypath-empty-keydata", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"","keyData":"YWJj"}]}'),
    ("signedby-identity-null", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":null}]}'),
    ("signedby-identity-matchexact", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"matchExact"}}]}'),
    ("signedby-identity-matchexact-extra", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"matchExact","x":1}}]}'),
    ("exactref-no-tag", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"exactReference","dockerReference":"busybox"}}]}'),
    ("exactref-busybox-latest", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"exactReference","dockerReference":"busybox:latest"}}]}'),
    ("exactrepo-busybox-latest", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"exactRepository","dockerRepository":"busybox:latest"}}]}'),
    ("exactrepo-missing", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"exactRepository"}}]}'),
    ("remap-shortname", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"remapIdentity","prefix":"shortname","signedPrefix":"Example.COM"}}]}'),
    ("remap-wildcard", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"remapIdentity","prefix":"*.example.com","signedPrefix":"x.com"}}]}'),
    ("baselayer", '{"default":[{"type":"signedBaseLayer","baseLayerIdentity":{"type":"matchRepository"}}]}'),
    ("baselayer-missing", '{"default":[{"type":"signedBaseLayer"}]}'),
    ("sigstore-none", '{"default":[{"type":"sigstoreSigned"}]}'),
    ("sigstore-keypath", '{"default":[{"type":"sigstoreSigned","keyPath":"/k"}]}'),
    ("sigstore-keypath-empty", '{"default":[{"type":"sigstoreSigned","keyPath":""}]}'),
    ("sigstore-keypath-empty-keydata", '{"default":[{"type":"sigstoreSigned","keyPath":"","keyData":"YWJj"}]}'),
    ("sigstore-keypath-null-keydata", '{"default":[{"type":"sigstoreSigned","keyPath":null,"keyData":"YWJj"}]}'),
    ("sigstore-keydata-empty", '{"default":[{"type":"sigstoreSigned","keyData":""}]}'),
    ("newer-sigstore-keypaths-empty", '{"default":[{"type":"sigstoreSigned","keyPaths":[]}]}'),
    ("newer-sigstore-keypaths-null", '{"default":[{"type":"sigstoreSigned","keyPaths":null}]}'),
    ("newer-sigstore-keypaths-dup", '{"default":[{"type":"sigstoreSigned","keyPaths":["/a","/a"]}]}'),
    ("newer-sigstore-keydatas-emptystr", '{"default":[{"type":"sigstoreSigned","keyDatas":[""]}]}'),
    ("newer-sigstore-keydatas-null-elem", '{"default":[{"type":"sigstoreSigned","keyDatas":[null]}]}'),
    ("newer-sigstore-rekor-empty", '{"default":[{"type":"sigstoreSigned","keyPath":"/k","rekorPublicKeyPath":""}]}'),
    ("newer-sigstore-rekor-two", '{"default":[{"type":"sigstoreSigned","keyPath":"/k","rekorPublicKeyPath":"/r","rekorPublicKeyData":""}]}'),
    ("newer-sigstore-rekorpaths-empty", '{"default":[{"type":"sigstoreSigned","keyPath":"/k","rekorPublicKeyPaths":[]}]}'),
    ("newer-fulcio-no-rekor", '{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/c","oidcIssuer":"i","subjectEmail":"e"}}]}'),
    ("newer-fulcio-rekor", '{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/c","oidcIssuer":"i","subjectEmail":"e"},"rekorPublicKeyPath":"/r"}]}'),
    ("newer-fulcio-rekor-empty", '{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/c","oidcIssuer":"i","subjectEmail":"e"},"rekorPublicKeyPath":""}]}'),
    ("newer-fulcio-cadata-empty", '{"default":[{"type":"sigstoreSigned","fulcio":{"caData":"","oidcIssuer":"i","subjectEmail":"e"},"rekorPublicKeyPath":"/r"}]}'),
    ("newer-fulcio-capath-cadata", '{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/c","caData":"","oidcIssuer":"i","subjectEmail":"e"},"rekorPublicKeyPath":"/r"}]}'),
    ("newer-fulcio-no-issuer", '{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/c","oidcIssuer":"","subjectEmail":"e"},"rekorPublicKeyPath":"/r"}]}'),
    ("newer-fulcio-null", '{"default":[{"type":"sigstoreSigned","fulcio":null,"rekorPublicKeyPath":"/r"}]}'),
    ("newer-pki", '{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/c","subjectHostname":"h"}}]}'),
    ("newer-pki-rekor-empty", '{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/c","subjectHostname":"h"},"rekorPublicKeyPath":""}]}'),
    ("newer-pki-rekor", '{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/c","subjectHostname":"h"},"rekorPublicKeyPath":"/r"}]}'),
    ("newer-pki-no-subject", '{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/c"}}]}'),
    ("newer-pki-intermediates-data", '{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/c","caIntermediatesData":"","subjectEmail":"e"}}]}'),
    ("newer-pki-intermediates-both", '{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/c","caIntermediatesPath":"/i","caIntermediatesData":"","subjectEmail":"e"}}]}'),
    ("sigstore-keytype", '{"default":[{"type":"sigstoreSigned","keyType":"GPGKeys","keyPath":"/k"}]}'),
    ("trailing-object", '{"default":[{"type":"reject"}]} {}'),
]
for vid, pol in S18:
    if vid.startswith("newer-"):
        add(vid, pol, "spec §18 row; feature newer than c/image 5.23 (5.23 does not know the key)")
    else:
        add("s18-" + vid, pol, "spec §18 row")

# ---------------------------------------------------------------------------------------------
# Top level
add("top-default-object", '{"default":{}}', "default is an object, not an array")
add("top-default-string", '{"default":"reject"}', "default is a string")
add("top-default-number", '{"default":1}', "default is a number")
add("top-default-true", '{"default":true}', "default is a bool")
add("top-only-transports", '{"transports":{}}', "default missing, transports present")
add("top-only-transports-null", '{"transports":null}', "default missing, transports null: transports error first")
add("top-transports-first", '{"transports":{},"default":[' + R + ']}', "transports before default")
add("top-transports-array", top(transports='[]'), "transports is an array")
add("top-transports-string", top(transports='"docker"'), "transports is a string")
add("top-transports-number", top(transports='1'), "transports is a number")
add("top-transports-true", top(transports='true'), "transports is a bool")
add("top-transports-array-of-object", top(transports='[{}]'), "transports is an array of objects")
for i, k in enumerate(["foo", "Default", "DEFAULT", "Transports", "TRANSPORTS", "default ", " default", "transport", "defaults", ""]):
    add("top-unknown-key-%d-%s" % (i, slug(k)), '{"default":[' + R + '],' + q(k) + ':1}', "unknown top-level key " + q(k))
add("top-unknown-key-before-default", '{"foo":1,"default":[' + R + ']}', "unknown key reported before default is seen")
add("top-unknown-key-no-default", '{"foo":1}', "unknown key vs missing default: unknown key wins")
add("top-default-case-only", '{"Default":[' + R + ']}', "only a case variant of default")
add("top-transports-case", '{"default":[' + R + '],"Transports":{}}', "Transports case variant")
add("top-transports-dup", '{"default":[' + R + '],"transports":{},"transports":{}}', "duplicate transports")
add("top-transports-dup-differ", '{"default":[' + R + '],"transports":{"docker":{}},"transports":{}}', "duplicate transports with different values")
add("top-default-dup-differ", '{"default":[' + R + '],"default":[' + A + ']}', "duplicate default with different values")
add("top-default-dup-invalid-second", '{"default":[' + R + '],"default":[]}', "duplicate default, second invalid: duplicate reported first")
add("top-default-dup-invalid-first", '{"default":[],"default":[' + R + ']}', "duplicate default, first invalid: first value error reported")
add("top-default-escaped", '{"d\\u0065fault":[' + R + ']}', "escaped key name equals default")
add("top-transports-escaped", '{"default":[' + R + '],"\\u0074ransports":{}}', "escaped key name equals transports")
add("top-default-escaped-dup", '{"default":[' + R + '],"d\\u0065fault":[' + R + ']}', "escaped key equals an earlier key: duplicate")
add("top-default-escaped-slash", '{"default":[' + R + '],"\\/":1}', "escaped slash key name")
# trailing data / syntax
base = '{"default":[' + R + ']}'
for vid, suffix, note in [
    ("trailing-x", "x", "trailing garbage letter"),
    ("trailing-bracket", "]", "trailing ]"),
    ("trailing-brace", "}", "trailing }"),
    ("trailing-object-nospace", "{}", "two objects back-to-back"),
    ("trailing-newline", "\n", "trailing newline is fine"),
    ("trailing-crlf", "\r\n", "trailing CRLF is fine"),
    ("trailing-spaces-tabs", " \t \n", "trailing whitespace is fine"),
    ("trailing-nul", "\x00", "trailing NUL byte"),
    ("trailing-null", " null", "trailing null literal"),
    ("trailing-comma", ",", "trailing comma after top object"),
    ("trailing-comment", " // c", "trailing line comment"),
    ("trailing-formfeed", "\x0c", "trailing form feed (not JSON whitespace)"),
    ("trailing-nbsp", "\u00a0", "trailing U+00A0 (not JSON whitespace)"),
]:
    add("top-" + vid, base + suffix, note)
add("top-leading-whitespace", " \n\t\r" + base, "leading whitespace")
add("top-bom", "\ufeff" + base, "UTF-8 BOM")
add("top-bom-utf16le", b"\xff\xfe" + base.encode("utf-16-le"), "UTF-16LE with BOM")
add("top-leading-comment", "// c\n" + base, "leading line comment")
add("top-block-comment", '{"default":[' + R + ']/* c */}', "block comment inside")
add("top-hash-comment", "# c\n" + base, "leading hash comment")
add("top-trailing-comma-object", '{"default":[' + R + '],}', "trailing comma in top object")
add("top-trailing-comma-array", '{"default":[' + R + ',]}', "trailing comma in requirement list")
add("top-trailing-comma-req", '{"default":[{"type":"reject",}]}', "trailing comma in requirement object")
add("top-trailing-comma-transports", top(transports='{"docker":{},}'), "trailing comma in transports")
add("top-single-quotes", "{'default':[{'type':'reject'}]}", "single-quoted strings")
add("top-unquoted-key", '{default:[' + R + ']}', "unquoted key")
add("top-empty-input", "", "empty file")
add("top-whitespace-only", " \n\t ", "whitespace-only file")
add("top-newline-only", "\n", "just a newline")
for vid, t in [("null", "null"), ("array", "[]"), ("array-of-policy", "[" + base + "]"), ("string", '"x"'),
               ("number", "1"), ("number-neg", "-0.5e3"), ("true", "true"), ("false", "false"), ("brace-open", "{"),
               ("truncated", '{"default":[' + R), ("truncated-string", '{"default":[{"type":"rej')]:
    add("top-nonobject-" + vid, t, "top-level value: " + t[:40])
# numbers inside unknown keys (outer json syntax check vs unknown key)
for vid, n in [("big", "1e400"), ("neg", "-1"), ("frac", "1.5"), ("leading-zero", "01"), ("plus", "+1"),
               ("hex", "0x10"), ("nan", "NaN"), ("inf", "Infinity"), ("dot", "1."), ("exp", "1e")]:
    add("top-number-" + vid, '{"default":[' + R + '],"x":' + n + '}', "number literal " + n + " in an unknown key")
add("top-default-number-big", '{"default":1e400}', "huge number as default")
# deep nesting inside an unknown key
for d in [10, 100, 1000, 9999, 10000, 10001, 20000]:
    add("top-deep-array-%d" % d, '{"default":[' + R + '],"x":' + "[" * d + "]" * d + '}',
        "unknown key holding arrays nested %d deep (total depth %d)" % (d, d + 1))
for d in [10, 1000, 9999, 10000, 10001]:
    add("top-deep-object-%d" % d, '{"default":[' + R + '],"x":' + '{"a":' * d + "1" + "}" * d + '}',
        "unknown key holding objects nested %d deep (total depth %d)" % (d, d + 1))
add("top-deep-known-keypath", req(sb('"keyType":"GPGKeys","keyPath":' + "[" * 50 + "]" * 50)),
    "keyPath holding nested arrays")
add("top-deep-unknown-first", '{"x":' + "[" * 100 + "]" * 100 + ',"default":[' + R + ']}', "deep unknown key before default")
add("top-deep-unbalanced", '{"default":[' + R + '],"x":' + "[" * 10 + "]" * 9 + '}', "unbalanced nesting")

# ---------------------------------------------------------------------------------------------
# Invalid UTF-8, surrogates, escapes
BAD = [
    ("ff", b"\xff"), ("fe", b"\xfe"), ("c0af-overlong", b"\xc0\xaf"), ("e0-overlong", b"\xe0\x80\xaf"),
    ("ed-surrogate", b"\xed\xa0\x80"), ("lone-cont", b"\x80"), ("truncated-2", b"\xc3"),
    ("truncated-3", b"\xe2\x82"), ("f5", b"\xf5\x80\x80\x80"), ("above-10ffff", b"\xf4\x90\x80\x80"),
]
for vid, bad in BAD:
    add("utf8-keypath-" + vid,
        b'{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k' + bad + b'"}]}',
        "invalid UTF-8 inside keyPath string (file written in binary)")
for vid, bad in BAD[:3]:
    add("utf8-type-" + vid, b'{"default":[{"type":"reject' + bad + b'"}]}', "invalid UTF-8 inside type value")
    add("utf8-key-" + vid, b'{"default":[{"type":"reject"}],"x' + bad + b'":1}', "invalid UTF-8 inside unknown key name")
    add("utf8-docker-scope-" + vid, b'{"default":[{"type":"reject"}],"transports":{"docker":{"a' + bad + b'":[{"type":"reject"}]}}}',
        "invalid UTF-8 inside docker scope key")
    add("utf8-dir-scope-" + vid, b'{"default":[{"type":"reject"}],"transports":{"dir":{"/a' + bad + b'":[{"type":"reject"}]}}}',
        "invalid UTF-8 inside dir scope key")
    add("utf8-transport-" + vid, b'{"default":[{"type":"reject"}],"transports":{"d' + bad + b'":{"x":[{"type":"reject"}]}}}',
        "invalid UTF-8 inside transport name")
    add("utf8-outside-string-" + vid, b'{"default":[{"type":"reject"}]' + bad + b'}', "invalid UTF-8 outside strings")
add("utf8-keydata", b'{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"YWJj\xff"}]}', "invalid UTF-8 inside keyData")
add("utf8-dockerref", b'{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"exactReference","dockerReference":"busybox:lat\xffest"}}]}',
    "invalid UTF-8 inside dockerReference")
add("utf8-keytype", b'{"default":[{"type":"signedBy","keyType":"GPGKeys\xff","keyPath":"/k"}]}', "invalid UTF-8 inside keyType")
add("utf8-valid-multibyte-keypath", req(sb('"keyType":"GPGKeys","keyPath":"/k\u00e9\u4e2d\U0001F600"')), "valid non-ASCII UTF-8 in keyPath")
add("utf8-valid-multibyte-key", '{"default":[' + R + '],"d\u00e9fault":1}', "valid non-ASCII key name")
SURR = [("d800", "\\ud800"), ("dc00", "\\udc00"), ("dfff", "\\udfff"), ("pair", "\\ud83d\\ude00"),
        ("reversed-pair", "\\ude00\\ud83d"), ("d800-x", "\\ud800x"), ("d800-d800", "\\ud800\\ud800"),
        ("d800-escaped-a", "\\ud800\\u0041"), ("upper-hex", "\\uD800"), ("nul", "\\u0000"), ("bad-escape", "\\x41"),
        ("short-escape", "\\u12"), ("escaped-tab", "\\t"), ("raw-tab", "\t"), ("raw-newline", "\n"), ("raw-del", "\x7f"),
        ("raw-ctrl-01", "\x01")]
for vid, esc in SURR:
    add("esc-keypath-" + vid, req(sb('"keyType":"GPGKeys","keyPath":"/k' + esc + '"')), "escape/raw char in keyPath: " + repr(esc))
for vid, esc in SURR[:4]:
    add("esc-type-" + vid, req('{"type":"reject' + esc + '"}'), "escape in type value: " + esc)
    add("esc-keyname-" + vid, '{"default":[' + R + '],"x' + esc + '":1}', "escape in unknown key name: " + esc)
    add("esc-docker-scope-" + vid, scope("docker", "", R).replace('""', '"a' + esc + '"'), "escape in docker scope: " + esc)
    add("esc-dockerref-" + vid, ident('{"type":"exactReference","dockerReference":"busybox:' + esc + '"}'),
        "escape in dockerReference tag: " + esc)
add("esc-keyname-keypath", req(sb('"keyType":"GPGKeys","key\\u0050ath":"/k"')), "escaped key name key\\u0050ath")
add("esc-keyname-keytype", req(sb('"key\\u0054ype":"GPGKeys","keyPath":"/k"')), "escaped key name keyType")
add("esc-keyname-type", req('{"\\u0074ype":"reject"}'), "escaped key name type")
add("esc-keyname-type-dup", req('{"type":"reject","\\u0074ype":"reject"}'), "escaped type duplicates type")
add("esc-keyname-keypath-dup", req(sb('"keyType":"GPGKeys","keyPath":"/k","key\\u0050ath":"/k"')), "escaped keyPath duplicates keyPath")
add("esc-value-keytype", req(sb('"keyType":"\\u0047PGKeys","keyPath":"/k"')), "escaped keyType value")
add("esc-value-type", req('{"type":"\\u0072eject"}'), "escaped type value")
add("esc-value-type-signedby", req('{"type":"signed\\u0042y","keyType":"GPGKeys","keyPath":"/k"}'), "escaped type value signedBy")
add("esc-keyname-signedidentity", req(sb(GPG_K + ',"signed\\u0049dentity":{"type":"matchExact"}')), "escaped signedIdentity key name")
add("esc-keyname-dockerreference", ident('{"type":"exactReference","docker\\u0052eference":"busybox:latest"}'), "escaped dockerReference key")
add("esc-dir-scope-slash", top(transports='{"dir":{"\\/a\\/b":[' + R + ']}}'), "dir scope written with escaped slashes")
add("esc-transport-name", top(transports='{"\\u0064ir":{"relative":[' + R + ']}}'), "escaped transport name dir: scope still validated")
add("esc-keydata-newline", req(sb('"keyType":"GPGKeys","keyData":"Y\\u000aWJj"')), "keyData with \\u000a escape")
add("unicode-kelvin-keytype", req(sb('"\u212aeyType":"GPGKeys","keyPath":"/k"')), "Kelvin sign K in key name (Go case folding)")
add("unicode-long-s-type", req('{"type":"reject","\u017fignedIdentity":1}'), "long s in key name")

# ---------------------------------------------------------------------------------------------
# Requirement lists
LISTS = [
    ("object", "{}"), ("string", '"reject"'), ("number", "1"), ("true", "true"), ("array-number", "[1]"),
    ("array-array", "[[]]"), ("array-empty-object", "[{}]"), ("array-null-null", "[null,null]"),
    ("reject-null", "[" + R + ",null]"), ("null-reject", "[null," + R + "]"), ("reject-reject", "[" + R + "," + R + "]"),
    ("accept-reject", "[" + A + "," + R + "]"), ("reject-string", "[" + R + ',"x"]'), ("reject-empty-object", "[" + R + ",{}]"),
    ("array-bool", "[true]"), ("array-nested", "[[" + R + "]]"),
]
for vid, l in LISTS:
    add("list-default-" + vid, '{"default":' + l + '}', "default requirement list " + l[:40])
for vid, l in [("empty", "[]"), ("null", "null"), ("object", "{}"), ("string", '"x"'), ("array-null", "[null]"),
               ("array-number", "[1]"), ("array-empty-object", "[{}]")]:
    add("list-scope-" + vid, top(transports='{"docker":{"x":' + l + '}}'), "scope requirement list " + l)
TYPES = [
    ("null", '{"type":null}'), ("empty", '{"type":""}'), ("number", '{"type":1}'), ("bool", '{"type":true}'),
    ("array", '{"type":[]}'), ("object", '{"type":{}}'), ("Reject", '{"type":"Reject"}'), ("REJECT", '{"type":"REJECT"}'),
    ("reject-space", '{"type":"reject "}'), ("unknown", '{"type":"unknown"}'), ("missing-extra-key", '{"x":1}'),
    ("insecureacceptanything-lower", '{"type":"insecureacceptanything"}'), ("signedby-lower", '{"type":"signedby"}'),
    ("TYPE", '{"TYPE":"reject"}'), ("Type", '{"Type":"reject"}'), ("TYPE-and-type", '{"TYPE":"reject","type":"reject"}'),
    ("type-and-TYPE-other", '{"type":"reject","TYPE":"x"}'), ("type-and-Type-signedby", '{"type":"reject","Type":"signedBy"}'),
    ("type-then-TYPE-same", '{"type":"reject","TYPE":"reject"}'),
    ("dup-reject-accept", '{"type":"reject","type":"insecureAcceptAnything"}'),
    ("dup-accept-reject", '{"type":"insecureAcceptAnything","type":"reject"}'),
    ("dup-reject-unknown", '{"type":"reject","type":"nosuch"}'), ("dup-unknown-reject", '{"type":"nosuch","type":"reject"}'),
    ("dup-signedby-reject", '{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","type":"reject"}'),
    ("dup-reject-signedby", '{"type":"reject","keyType":"GPGKeys","keyPath":"/k","type":"signedBy"}'),
    ("dup-null-reject", '{"type":null,"type":"reject"}'), ("dup-reject-null", '{"type":"reject","type":null}'),
    ("dup-number-reject", '{"type":1,"type":"reject"}'),
    ("extra-before-type", '{"x":1,"type":"reject"}'), ("accept-extra", '{"type":"insecureAcceptAnything","x":1}'),
    ("accept-keypath", '{"type":"insecureAcceptAnything","keyPath":"/k"}'), ("reject-signedidentity", '{"type":"reject","signedIdentity":{"type":"matchExact"}}'),
    ("reject-extra-null", '{"type":"reject","x":null}'), ("accept-ok", A), ("signedby-type-last", '{"keyType":"GPGKeys","keyPath":"/k","type":"signedBy"}'),
    ("signedby-type-middle", '{"keyType":"GPGKeys","type":"signedBy","keyPath":"/k"}'),
    ("reject-type-last-after-unknown", '{"x":1,"type":"nosuch"}'),
    ("baselayer-type-last", '{"baseLayerIdentity":{"type":"matchExact"},"type":"signedBaseLayer"}'),
    ("sigstore-type-last", '{"keyPath":"/k","type":"sigstoreSigned"}'),
    ("type-escaped-upper", '{"\\u0054YPE":"reject"}'),
]
for vid, r in TYPES:
    add("req-type-" + slug(vid, 50), req(r), "requirement " + r[:60])

# ---------------------------------------------------------------------------------------------
# signedBy
for i, kt in enumerate(["GPGKeys", "signedByGPGKeys", "X509Certificates", "signedByX509CAs", "gpgkeys", "GPGKEYS", "GPGKeys ",
           " GPGKeys", "signedbygpgkeys", "x509certificates", "", "unknown"]):
    add("signedby-keytype-%02d-%s" % (i, slug(kt)),
        req(sb('"keyType":' + q(kt) + ',"keyPath":"/k"')), "signedBy keyType " + q(kt))
for vid, v in [("null", "null"), ("number", "1"), ("true", "true"), ("array", '["GPGKeys"]'), ("object", "{}")]:
    add("signedby-keytype-" + vid, req(sb('"keyType":' + v + ',"keyPath":"/k"')), "signedBy keyType " + v)
add("signedby-keytype-missing-keydata", req(sb('"keyData":"YWJj"')), "keyType missing, keyData source")
add("signedby-keytype-missing-none", req('{"type":"signedBy"}'), "keyType missing and no key source")
add("signedby-keytype-missing-two", req(sb('"keyPath":"/k","keyData":"YWJj"')), "keyType missing and two sources")
add("signedby-keytype-bad-no-source", req(sb('"keyType":"nope"')), "bad keyType and no source: keyType error first")
add("signedby-keytype-dup", req(sb('"keyType":"GPGKeys","keyType":"GPGKeys","keyPath":"/k"')), "duplicate keyType")
add("signedby-keytype-case-key", req(sb('"KeyType":"GPGKeys","keyPath":"/k"')), "KeyType key case variant")
add("signedby-keypath-case-key", req(sb('"keyType":"GPGKeys","keypath":"/k"')), "keypath key case variant")
add("signedby-keypath-upper-key", req(sb('"keyType":"GPGKeys","KEYPATH":"/k"')), "KEYPATH key case variant")
add("signedby-keydata-case-key", req(sb('"keyType":"GPGKeys","KeyData":"YWJj"')), "KeyData key case variant")
add("signedby-signedidentity-case-key", req(sb(GPG_K + ',"signedidentity":{"type":"matchExact"}')), "signedidentity case variant")
add("signedby-extra-key", req(sb(GPG_K + ',"x":1')), "signedBy unknown key")
add("signedby-extra-key-first", req('{"x":1,"type":"signedBy","keyType":"GPGKeys","keyPath":"/k"}'), "signedBy unknown key first")
add("signedby-baselayeridentity", req(sb(GPG_K + ',"baseLayerIdentity":{"type":"matchExact"}')), "signedBy with baseLayerIdentity")
add("signedby-keypath-dup", req(sb('"keyType":"GPGKeys","keyPath":"/k","keyPath":"/k2"')), "duplicate keyPath")
add("signedby-keydata-dup", req(sb('"keyType":"GPGKeys","keyData":"YWJj","keyData":"YWJj"')), "duplicate keyData")
add("signedby-keypaths-dup", req(sb('"keyType":"GPGKeys","keyPaths":["/k"],"keyPaths":["/k"]')), "duplicate keyPaths")
add("signedby-signedidentity-dup", req(sb(GPG_K + ',"signedIdentity":{"type":"matchExact"},"signedIdentity":{"type":"matchExact"}')), "duplicate signedIdentity")
add("signedby-keypath-relative", req(sb('"keyType":"GPGKeys","keyPath":"k"')), "relative keyPath")
add("signedby-keypath-tilde", req(sb('"keyType":"GPGKeys","keyPath":"~/k"')), "keyPath with ~")
add("signedby-keypath-nul", req(sb('"keyType":"GPGKeys","keyPath":"\\u0000"')), "keyPath NUL char")
add("signedby-keypath-long", req(sb('"keyType":"GPGKeys","keyPath":"/' + "k" * 5000 + '"')), "keyPath 5001 chars")
add("signedby-keypath-space", req(sb('"keyType":"GPGKeys","keyPath":" "')), "keyPath single space")
add("signedby-keypaths-dup-entries", req(sb('"keyType":"GPGKeys","keyPaths":["/a","/a"]')), "keyPaths repeated entries")
add("signedby-keypaths-emptystr", req(sb('"keyType":"GPGKeys","keyPaths":[""]')), "keyPaths [\"\"]")
add("signedby-keypaths-nested", req(sb('"keyType":"GPGKeys","keyPaths":[["/a"]]')), "keyPaths nested array")
add("signedby-keypaths-object", req(sb('"keyType":"GPGKeys","keyPaths":{}')), "keyPaths object")
add("signedby-keypaths-string", req(sb('"keyType":"GPGKeys","keyPaths":"/a"')), "keyPaths string")
add("signedby-keypaths-number-elem", req(sb('"keyType":"GPGKeys","keyPaths":[1]')), "keyPaths [1]")
add("signedby-keypath-array", req(sb('"keyType":"GPGKeys","keyPath":["/a"]')), "keyPath array")
add("signedby-keypath-object", req(sb('"keyType":"GPGKeys","keyPath":{}')), "keyPath object")
add("signedby-keypath-bool", req(sb('"keyType":"GPGKeys","keyPath":true')), "keyPath bool")
add("signedby-keydata-object", req(sb('"keyType":"GPGKeys","keyData":{}')), "keyData object")
add("signedby-keydata-bool", req(sb('"keyType":"GPGKeys","keyData":false')), "keyData bool")
add("signedby-keydata-array-bytes", req(sb('"keyType":"GPGKeys","keyData":[97,98]')), "keyData as array of numbers")
add("signedby-type-error-then-unknown", req(sb('"keyType":"GPGKeys","keyPath":1,"x":1')), "type error reported before later unknown key")
add("signedby-unknown-then-type-error", req(sb('"keyType":"GPGKeys","x":1,"keyPath":1')), "unknown key reported before later type error")
add("signedby-keytype-bad-then-unknown", req(sb('"keyType":"x","y":1,"keyPath":"/k"')), "bad keyType before unknown key")
add("signedby-identity-bad-and-two-sources", req(sb('"keyType":"GPGKeys","keyPath":"/k","keyData":"YWJj","signedIdentity":null')),
    "bad signedIdentity and two key sources: identity checked first")
add("signedby-identity-bad-and-no-source", req(sb('"keyType":"GPGKeys","signedIdentity":{"type":"x"}')),
    "bad signedIdentity and no key source")
add("signedby-no-keytype-bad-identity", req(sb('"keyPath":"/k","signedIdentity":{"type":"x"}')), "missing keyType and bad identity")
add("signedby-no-keytype-keypath-empty", req(sb('"keyPath":""')), "missing keyType and empty keyPath")
add("signedby-keytype-x509-keydata", req(sb('"keyType":"signedByX509CAs","keyData":"YWJj"')), "signedByX509CAs keyData")

# key-source combinations
KP = [("null", "null"), ("empty", '""'), ("earr", "[]"), ("arrnull", "[null]"), ("arranull", '["a",null]'),
      ("valid", '"/k"'), ("num", "1")]
KPS = [("null", "null"), ("empty", '""'), ("earr", "[]"), ("arrnull", "[null]"), ("arranull", '["a",null]'),
       ("valid", '["/k"]'), ("num", "1")]
KD = [("null", "null"), ("empty", '""'), ("earr", "[]"), ("arrnull", "[null]"), ("arranull", '["a",null]'),
      ("valid", '"YWJj"'), ("num", "1")]
FIELDS = [("keyPath", KP), ("keyPaths", KPS), ("keyData", KD)]
for fname, vals in FIELDS:
    for vid, v in vals:
        add("signedby-src-%s-%s" % (fname.lower(), vid), req(sb('"keyType":"GPGKeys","' + fname + '":' + v)),
            "signedBy key source %s=%s alone" % (fname, v))
for i in range(3):
    for j in range(i + 1, 3):
        f1, v1s = FIELDS[i]
        f2, v2s = FIELDS[j]
        for a, av in v1s:
            for b, bv in v2s:
                add("signedby-src-%s-%s-%s-%s" % (f1.lower(), a, f2.lower(), b),
                    req(sb('"keyType":"GPGKeys","%s":%s,"%s":%s' % (f1, av, f2, bv))),
                    "signedBy key sources %s=%s, %s=%s" % (f1, av, f2, bv))
TRI = {"keyPath": [("null", "null"), ("empty", '""'), ("valid", '"/k"')],
       "keyPaths": [("null", "null"), ("earr", "[]"), ("valid", '["/k"]')],
       "keyData": [("null", "null"), ("empty", '""'), ("valid", '"YWJj"')]}
for a, av in TRI["keyPath"]:
    for b, bv in TRI["keyPaths"]:
        for c, cv in TRI["keyData"]:
            add("signedby-src-all-%s-%s-%s" % (a, b, c),
                req(sb('"keyType":"GPGKeys","keyPath":%s,"keyPaths":%s,"keyData":%s' % (av, bv, cv))),
                "signedBy all three key sources keyPath=%s keyPaths=%s keyData=%s" % (av, bv, cv))
# key-source order relative to keyType (presence check vs keyType validity)
add("signedby-src-keydata-before-keytype", req('{"type":"signedBy","keyData":"YWJj","keyType":"GPGKeys"}'), "keyData before keyType")
add("signedby-src-two-no-keytype-first", req('{"type":"signedBy","keyPath":"/k","keyPaths":["/k"]}'), "two sources, keyType missing")

# base64 edge cases (keyData in signedBy)
B64 = [
    ("valid-padded1", "YWI="), ("valid-padded2", "YQ=="), ("unpadded-2", "YQ"), ("unpadded-3", "YWI"), ("overpadded", "YQ==="),
    ("padding-in-middle", "YQ==YWJj"), ("urlsafe-dash", "-_-_"), ("urlsafe-mixed", "YW-j"), ("std-plus-slash", "+/+/"),
    ("lf", "YW\\nJj"), ("cr", "YW\\rJj"), ("crlf", "YW\\r\\nJj"), ("lf-lead-trail", "\\nYWJj\\n"), ("lf-only", "\\n"),
    ("space-middle", "YW Jj"), ("space-lead", " YWJj"), ("space-trail", "YWJj "), ("tab", "YW\\tJj"),
    ("eq-only", "="), ("eq-two", "=="), ("eq-four", "===="), ("trailing-eq4", "YWJj===="), ("one-char", "Y"),
    ("five-chars", "YWJjZ"), ("nonascii", "YWJj\u00e9"), ("escaped-u", "\\u0059WJj"), ("star", "YW*j"),
    ("dot", "YW.j"), ("lf-in-padding", "YQ=\\n="), ("cr-after-padding", "YQ==\\r"), ("data-after-padding", "YQ==YQ=="),
    ("nonzero-trailing-bits", "YR=="), ("long-valid", base64.b64encode(bytes(range(256)) * 4).decode()),
    ("long-valid-lf76", "\\n".join([base64.b64encode(bytes(range(256)) * 2).decode()[i:i + 76]
                                    for i in range(0, len(base64.b64encode(bytes(range(256)) * 2)), 76)])),
]
for vid, v in B64:
    add("b64-signedby-" + vid, req(sb('"keyType":"GPGKeys","keyData":"' + v + '"')), "signedBy keyData base64 " + repr(v[:30]))
for vid, v in B64[:16]:
    add("b64-sigstore-" + vid, req('{"type":"sigstoreSigned","keyData":"' + v + '"}'), "sigstoreSigned keyData base64 " + repr(v[:30]))

# ---------------------------------------------------------------------------------------------
# signedBaseLayer
add("baselayer-each-matchexact", req('{"type":"signedBaseLayer","baseLayerIdentity":{"type":"matchExact"}}'), "signedBaseLayer matchExact")
add("baselayer-exactref", req('{"type":"signedBaseLayer","baseLayerIdentity":{"type":"exactReference","dockerReference":"busybox:latest"}}'), "baseLayer exactReference")
add("baselayer-exactref-bad", req('{"type":"signedBaseLayer","baseLayerIdentity":{"type":"exactReference","dockerReference":"busybox"}}'), "baseLayer exactReference no tag")
add("baselayer-remap", req('{"type":"signedBaseLayer","baseLayerIdentity":{"type":"remapIdentity","prefix":"a.com","signedPrefix":"b.com"}}'), "baseLayer remapIdentity")
add("baselayer-null", req('{"type":"signedBaseLayer","baseLayerIdentity":null}'), "baseLayerIdentity null")
add("baselayer-empty-object", req('{"type":"signedBaseLayer","baseLayerIdentity":{}}'), "baseLayerIdentity {}")
add("baselayer-string", req('{"type":"signedBaseLayer","baseLayerIdentity":"matchExact"}'), "baseLayerIdentity string")
add("baselayer-array", req('{"type":"signedBaseLayer","baseLayerIdentity":[]}'), "baseLayerIdentity array")
add("baselayer-extra", req('{"type":"signedBaseLayer","baseLayerIdentity":{"type":"matchExact"},"x":1}'), "signedBaseLayer extra key")
add("baselayer-signedidentity", req('{"type":"signedBaseLayer","signedIdentity":{"type":"matchExact"}}'), "signedBaseLayer with signedIdentity instead")
add("baselayer-both", req('{"type":"signedBaseLayer","baseLayerIdentity":{"type":"matchExact"},"signedIdentity":{"type":"matchExact"}}'), "signedBaseLayer with both identities")
add("baselayer-dup", req('{"type":"signedBaseLayer","baseLayerIdentity":{"type":"matchExact"},"baseLayerIdentity":{"type":"matchExact"}}'), "duplicate baseLayerIdentity")
add("baselayer-identity-first", req('{"baseLayerIdentity":{"type":"matchExact"},"type":"signedBaseLayer"}'), "baseLayerIdentity before type")
add("baselayer-identity-unknown-type", req('{"type":"signedBaseLayer","baseLayerIdentity":{"type":"nosuch"}}'), "baseLayer unknown identity type")
add("baselayer-identity-extra", req('{"type":"signedBaseLayer","baseLayerIdentity":{"type":"matchRepository","x":1}}'), "baseLayer identity extra key")
add("baselayer-keypath", req('{"type":"signedBaseLayer","baseLayerIdentity":{"type":"matchExact"},"keyPath":"/k"}'), "signedBaseLayer with keyPath")
add("baselayer-lowercase", req('{"type":"signedbaselayer","baseLayerIdentity":{"type":"matchExact"}}'), "signedbaselayer lowercase type")

# ---------------------------------------------------------------------------------------------
# sigstoreSigned (5.23 knows keyPath, keyData, signedIdentity)
SS = [
    ("keypath-null", '"keyPath":null'), ("keypath-number", '"keyPath":1'), ("keypath-array", '"keyPath":["/k"]'),
    ("keydata-valid", '"keyData":"YWJj"'), ("keydata-null", '"keyData":null'), ("keydata-number", '"keyData":1'),
    ("keydata-unpadded", '"keyData":"YWJ"'), ("keypath-keydata-valid", '"keyPath":"/k","keyData":"YWJj"'),
    ("keydata-keypath-valid", '"keyData":"YWJj","keyPath":"/k"'), ("keypath-valid-keydata-empty", '"keyPath":"/k","keyData":""'),
    ("keypath-valid-keydata-null", '"keyPath":"/k","keyData":null'), ("keypath-empty-keydata-empty", '"keyPath":"","keyData":""'),
    ("keypath-null-keydata-null", '"keyPath":null,"keyData":null'), ("keypath-empty-keydata-null", '"keyPath":"","keyData":null'),
    ("keypath-null-keydata-empty", '"keyPath":null,"keyData":""'), ("keypath-dup", '"keyPath":"/k","keyPath":"/k"'),
    ("keydata-dup", '"keyData":"YWJj","keyData":"YWJj"'),
    ("identity-matchrepository", '"keyPath":"/k","signedIdentity":{"type":"matchRepository"}'),
    ("identity-matchexact", '"keyPath":"/k","signedIdentity":{"type":"matchExact"}'),
    ("identity-exactref", '"keyPath":"/k","signedIdentity":{"type":"exactReference","dockerReference":"example.com/a:b"}'),
    ("identity-exactref-bad", '"keyPath":"/k","signedIdentity":{"type":"exactReference","dockerReference":"example.com/a"}'),
    ("identity-exactrepo", '"keyPath":"/k","signedIdentity":{"type":"exactRepository","dockerRepository":"example.com/a"}'),
    ("identity-remap", '"keyPath":"/k","signedIdentity":{"type":"remapIdentity","prefix":"a.com","signedPrefix":"b.com/x"}'),
    ("identity-null", '"keyPath":"/k","signedIdentity":null'), ("identity-empty-object", '"keyPath":"/k","signedIdentity":{}'),
    ("identity-string", '"keyPath":"/k","signedIdentity":"matchExact"'), ("identity-number", '"keyPath":"/k","signedIdentity":1'),
    ("identity-null-no-key", '"signedIdentity":null'), ("identity-valid-no-key", '"signedIdentity":{"type":"matchExact"}'),
    ("identity-null-two-keys", '"keyPath":"/k","keyData":"YWJj","signedIdentity":null'),
    ("identity-dup", '"keyPath":"/k","signedIdentity":{"type":"matchExact"},"signedIdentity":{"type":"matchExact"}'),
    ("extra-key", '"keyPath":"/k","x":1'), ("keypaths-newer", '"keyPaths":["/k"]'), ("keydatas-newer", '"keyDatas":["YWJj"]'),
    ("rekor-newer", '"keyPath":"/k","rekorPublicKeyPath":"/r"'), ("rekordata-newer", '"keyPath":"/k","rekorPublicKeyData":"YWJj"'),
    ("fulcio-newer", '"fulcio":{"caPath":"/c","oidcIssuer":"i","subjectEmail":"e"},"rekorPublicKeyPath":"/r"'),
    ("pki-newer", '"pki":{"caRootsPath":"/c","subjectEmail":"e"}'), ("keypath-case", '"KeyPath":"/k"'),
    ("keytype-x509", '"keyType":"X509Certificates","keyPath":"/k"'), ("keypath-relative", '"keyPath":"k"'),
    ("keypath-valid-then-extra", '"keyPath":"/k","keyPaths":[]'), ("keydata-lf", '"keyData":"YW\\nJj"'),
]
for vid, m in SS:
    add("sigstore-" + vid, req('{"type":"sigstoreSigned",' + m + '}'), "sigstoreSigned " + m[:70])
add("sigstore-type-only-case", req('{"type":"SigstoreSigned","keyPath":"/k"}'), "SigstoreSigned case variant")
add("sigstore-cosignsigned", req('{"type":"cosignSigned","keyPath":"/k"}'), "pre-release name cosignSigned")

# ---------------------------------------------------------------------------------------------
# signedIdentity objects
ID_SIMPLE = ["matchExact", "matchRepoDigestOrExact", "matchRepository"]
for t in ID_SIMPLE:
    s = slug(t)
    add("id-%s-valid" % s, ident('{"type":"%s"}' % t), t + " valid")
    add("id-%s-extra" % s, ident('{"type":"%s","x":1}' % t), t + " extra key")
    add("id-%s-dockerreference" % s, ident('{"type":"%s","dockerReference":"busybox:latest"}' % t), t + " with dockerReference")
    add("id-%s-dup-type" % s, ident('{"type":"%s","type":"%s"}' % (t, t)), t + " duplicate type")
    add("id-%s-lowercase" % s, ident('{"type":"%s"}' % t.lower()), t + " lowercase type value")
    add("id-%s-TYPE" % s.replace("-", ""), ident('{"TYPE":"%s"}' % t), t + " TYPE key")
    add("id-%s-extra-first" % s, ident('{"x":null,"type":"%s"}' % t), t + " extra key first")
add("id-dup-type-differ-exact-repo", ident('{"type":"matchExact","type":"matchRepository"}'), "identity duplicate type different values")
add("id-dup-type-differ-repo-exact", ident('{"type":"matchRepository","type":"matchExact"}'), "identity duplicate type different values, reversed")
add("id-type-and-Type", ident('{"type":"matchExact","Type":"nosuch"}'), "identity type + Type: lenient pass takes last")
add("id-Type-then-type", ident('{"Type":"nosuch","type":"matchExact"}'), "identity Type then type")
add("id-type-and-Type-exactref", ident('{"type":"matchExact","Type":"exactReference","dockerReference":"a:b"}'), "lenient dispatch to exactReference, strict sees Type")
for vid, v in [("null", "null"), ("empty-object", "{}"), ("array", "[]"), ("array-obj", '[{"type":"matchExact"}]'),
               ("string", '"matchExact"'), ("number", "1"), ("bool", "true"), ("type-null", '{"type":null}'),
               ("type-empty", '{"type":""}'), ("type-number", '{"type":1}'), ("type-unknown", '{"type":"nosuch"}'),
               ("type-reject", '{"type":"reject"}'), ("type-object", '{"type":{}}')]:
    add("id-" + vid, ident(v), "signedIdentity " + v)
# exactReference / exactRepository field handling
for t, f in [("exactReference", "dockerReference"), ("exactRepository", "dockerRepository")]:
    s = slug(t)
    add("id-%s-missing" % s, ident('{"type":"%s"}' % t), t + " field missing")
    add("id-%s-null" % s, ident('{"type":"%s","%s":null}' % (t, f)), t + " field null")
    add("id-%s-number" % s, ident('{"type":"%s","%s":1}' % (t, f)), t + " field number")
    add("id-%s-array" % s, ident('{"type":"%s","%s":["busybox:latest"]}' % (t, f)), t + " field array")
    add("id-%s-extra" % s, ident('{"type":"%s","%s":"busybox:latest","x":1}' % (t, f)), t + " extra key")
    add("id-%s-wrong-field" % s, ident('{"type":"%s","%s":"busybox:latest"}' % (t, "dockerRepository" if f == "dockerReference" else "dockerReference")), t + " with the other type's field")
    add("id-%s-both-fields" % s, ident('{"type":"%s","dockerReference":"busybox:latest","dockerRepository":"busybox"}' % t), t + " with both fields")
    add("id-%s-dup-field" % s, ident('{"type":"%s","%s":"busybox:latest","%s":"busybox:latest"}' % (t, f, f)), t + " duplicate field")
    add("id-%s-field-first" % s, ident('{"%s":"busybox:latest","type":"%s"}' % (f, t)), t + " field before type")
    add("id-%s-field-case" % s, ident('{"type":"%s","%s":"busybox:latest"}' % (t, f.lower())), t + " field lowercase key")
    add("id-%s-missing-unknown-type-dup" % s, ident('{"type":"%s","type":"%s"}' % (t, t)), t + " dup type, field missing")

REFS = [
    "busybox", "busybox:latest", "library/busybox", "library/busybox:latest", "docker.io/busybox:latest",
    "index.docker.io/busybox:latest", "index.docker.io/library/busybox", "ns/repo:t", "notlocalhost/repo:t",
    "localhost/foo:t", "LOCALHOST/foo:t", "localhost:5000/foo:t", "192.168.1.1:5000/x:t", "[::1]:5000/x:t",
    "Foo.com/repo:t", "FOO.COM/Repo:t", "example.com/UPPER:t", "Busybox:latest", "example.com/foo:TAG", "docker.io",
    "example.com", "example.com:5000", "docker.io/library", "foo_bar.com/repo:t", "foo_bar.com/repo",
    "sha256:" + HEX64, HEX64, HEX64 + ":t", "docker.io/" + HEX64 + ":t", HEX64[:63],
    "busybox@" + DIG, "busybox:latest@" + DIG, "busybox@sha256:" + UPHEX, "busybox@sha512:" + HEX64,
    "busybox@md5:" + HEX64[:32], "busybox@sha256:" + HEX64[:63], "busybox@sha384:" + HEX64 + HEX64[:32],
    "busybox@sha512:" + HEX64 + HEX64, "busybox@" + DIG + ":t",
    "busybox:" + "t" * 128, "busybox:" + "t" * 129, "busybox:.t", "busybox:-t", "busybox:_t", "busybox:T.-_9",
    "a" * 237 + ":t", "a" * 238 + ":t", "ex.com/" + "a" * 248 + ":t", "ex.com/" + "a" * 249 + ":t",
    "", "foo/", "/foo", "foo//bar:t", "-foo.com/bar:t", "foo-.com/bar:t", "ex.com:/bar:t", "ex.com:abc/bar:t",
    "busybox:latest:foo", "a___b:t", "a..b:t", "a-_b:t", "_a:t", "a--b:t", "a__b:t", "a_b:t", "a.b:t",
    "a-b:t", "a------b:t", "example.com/ns/repo.with.dots-dashes_underscores:t", " busybox:latest", "busybox:latest ",
    "busybox:", "busybox@", "@" + DIG, ":latest", "example.com:5000/a/b/c/d/e:t", "ex-ample.com/a:t",
    "xn--bcher-kva.example/a:t", "b\u00fccher.example/a:t", "localhost:5000", "localhost", "example.com/a/b@" + DIG,
]
assert len(set(REFS)) == len(REFS)
for i, r in enumerate(REFS):
    sid = "%02d-%s" % (i, slug(r, 30))
    add("exactref-" + sid, ident('{"type":"exactReference","dockerReference":' + q(r) + '}'), "exactReference dockerReference " + q(r)[:80])
    add("exactrepo-" + sid, ident('{"type":"exactRepository","dockerRepository":' + q(r) + '}'), "exactRepository dockerRepository " + q(r)[:80])

# remapIdentity
PREFIX_OK = ["localhost", "example.com", "Example.COM", "example.com:80", "1.2.3.4", "foo-bar", "a", "shortname",
             "ns/shortname", "Ns/shortname", "docker.io/library", "example.com:5000/a/b",
             "example.com/ns1/ns2/ns3/repo.with.dots-dashes_underscores"]
PREFIX_BAD = ["", "repo_with_underscores", "foo_bar", "-foo", "example.com/", "example.com:", "example..com",
              "*.example.com", "example.com/UPPER", "example.com/repo:tag", "example.com/repo@" + DIG, "ex_ample.com/foo"]
PREFIX_EXTRA = ["docker.io", "index.docker.io", "localhost:5000/ns", "1.2.3.4:5/x", "a/b/c", "EXAMPLE.com/foo",
                "example.com/Foo", "example.com:5000", "a.b.c.d.e", "example.com/a__b", "example.com/a___b",
                "example.com//a", "/example.com", "example.com/a/", "b\u00fccher.example", "example.com:port",
                "[::1]", "[::1]:5000/a", " example.com", "example.com ", "a" * 300, "example.com/" + "a" * 300,
                "-", "example-.com", "example.com/-a", "foo--bar", "Foo/bar", "UPPER"]
for lst, kind in [(PREFIX_OK, "spec-accepted"), (PREFIX_BAD, "spec-rejected"), (PREFIX_EXTRA, "extra")]:
    for i, p in enumerate(lst):
        sid = "%s-%02d-%s" % (kind, i, slug(p, 30))
        add("remap-prefix-" + sid, ident('{"type":"remapIdentity","prefix":' + q(p) + ',"signedPrefix":"example.net"}'),
            "remapIdentity prefix " + q(p)[:60] + " (" + kind + " per spec §6.1)")
        add("remap-signedprefix-" + sid, ident('{"type":"remapIdentity","prefix":"example.net","signedPrefix":' + q(p) + '}'),
            "remapIdentity signedPrefix " + q(p)[:60] + " (" + kind + " per spec §6.1)")
add("remap-both-bad", ident('{"type":"remapIdentity","prefix":"a_b","signedPrefix":"c_d"}'), "both prefixes invalid: prefix reported")
REMAP_FIELDS = [
    ("missing-prefix", '{"type":"remapIdentity","signedPrefix":"a.com"}'),
    ("missing-signedprefix", '{"type":"remapIdentity","prefix":"a.com"}'),
    ("missing-both", '{"type":"remapIdentity"}'),
    ("prefix-null", '{"type":"remapIdentity","prefix":null,"signedPrefix":"a.com"}'),
    ("signedprefix-null", '{"type":"remapIdentity","prefix":"a.com","signedPrefix":null}'),
    ("prefix-number", '{"type":"remapIdentity","prefix":1,"signedPrefix":"a.com"}'),
    ("signedprefix-number", '{"type":"remapIdentity","prefix":"a.com","signedPrefix":1}'),
    ("prefix-array", '{"type":"remapIdentity","prefix":["a.com"],"signedPrefix":"a.com"}'),
    ("extra", '{"type":"remapIdentity","prefix":"a.com","signedPrefix":"b.com","x":1}'),
    ("dup-prefix", '{"type":"remapIdentity","prefix":"a.com","prefix":"a.com","signedPrefix":"b.com"}'),
    ("fields-first", '{"prefix":"a.com","signedPrefix":"b.com","type":"remapIdentity"}'),
    ("case-key", '{"type":"remapIdentity","Prefix":"a.com","signedPrefix":"b.com"}'),
    ("signedprefix-lower-key", '{"type":"remapIdentity","prefix":"a.com","signedprefix":"b.com"}'),
    ("type-lower", '{"type":"remapidentity","prefix":"a.com","signedPrefix":"b.com"}'),
    ("same", '{"type":"remapIdentity","prefix":"a.com","signedPrefix":"a.com"}'),
    ("dockerreference", '{"type":"remapIdentity","prefix":"a.com","signedPrefix":"b.com","dockerReference":"a:b"}'),
]
for vid, v in REMAP_FIELDS:
    add("remap-" + vid, ident(v), "remapIdentity " + v[26:80])

# ---------------------------------------------------------------------------------------------
# Transports and scopes
for vid, v in [("null", "null"), ("array", "[]"), ("string", '"x"'), ("number", "1"), ("array-obj", "[{}]"), ("true", "true")]:
    add("transport-docker-value-" + vid, top(transports='{"docker":' + v + '}'), "docker transport value " + v)
    add("transport-nosuch-value-" + vid, top(transports='{"nosuch":' + v + '}'), "unknown transport value " + v)
add("transport-dup", top(transports='{"docker":{},"docker":{}}'), "duplicate transport name")
add("transport-dup-differ", top(transports='{"docker":{"a":[' + R + ']},"docker":{}}'), "duplicate transport name, differing values")
add("transport-dup-nosuch", top(transports='{"nosuch":{},"nosuch":{}}'), "duplicate unknown transport")
add("transport-dup-empty-name", top(transports='{"":{},"":{}}'), "duplicate empty transport name")
add("transport-many", top(transports='{' + ",".join('%s:{"":[%s]}' % (q(t), A) for t in
    ["docker", "atomic", "docker-daemon", "docker-archive", "dir", "oci", "oci-archive", "sif", "tarball",
     "containers-storage", "ostree", "nosuch", ""]) + '}'), "every transport with a \"\" scope")
for t in ["Docker", "DIR", "Dir", "OCI", "docker ", "docker-Archive", "containers_storage", "oci_archive", "tarballs", "docker:"]:
    add("transport-unregistered-" + slug(t) + ("-space" if t.endswith(" ") else "") + ("-colon" if t.endswith(":") else ""),
        scope(t, "relative/!!"), "unregistered transport name " + q(t) + ": scope not validated")
add("transport-empty-name-empty-scope", scope("", ""), "empty transport name with \"\" scope")
add("transport-empty-name-dir-like", scope("", "relative"), "empty transport name, relative scope")
for vid, v in [("null", "null"), ("empty", "[]"), ("object", "{}"), ("string", '"x"')]:
    add("scope-empty-key-value-" + vid, top(transports='{"dir":{"":' + v + '}}'), "dir \"\" scope with value " + v)
add("scope-dup-empty", top(transports='{"docker":{"":[' + R + '],"":[' + R + ']}}'), "duplicate \"\" scope")
add("scope-dup-escaped", top(transports='{"docker":{"a":[' + R + '],"\\u0061":[' + R + ']}}'), "scope duplicate through escape")
add("scope-dir-invalid-and-dup", top(transports='{"dir":{"rel":[' + R + '],"rel":[' + R + ']}}'), "invalid scope that is also duplicated")
add("scope-dir-valid-then-invalid", top(transports='{"dir":{"/a":[' + R + '],"rel":[' + R + ']}}'), "valid then invalid dir scope")
add("scope-dir-invalid-bad-list", top(transports='{"dir":{"rel":[]}}'), "invalid dir scope with empty list: which error first")
add("scope-dir-valid-bad-list", top(transports='{"dir":{"/a":[]}}'), "valid dir scope with empty list")

SCOPES = {
    "docker": ["", "anything goes!!", "*", "busybox", "library/busybox", "docker.io/busybox", "docker.io/library/busybox:latest",
               "example.com/ns/repo@" + DIG, "*.example.com", "**", "/abs", "UPPER", " ", "a:b:c@d", "\u00e9"],
    "atomic": ["", "host", "host/ns", "host/ns/stream", "host/ns/stream:tag", "*.example.com", "host:5000/ns",
               "host/ns/stream@" + DIG, "host/ns/stream/extra", "host/ns/stream:t1:t2", "host/ns:tag", "host//",
               "/ns", "a/b/c:d/e", "UPPER!!", "host/ns/stream:", "host/:x", "host/ns/:tag", "h o s t", "host/ns/stream:t/x",
               "host:5000/ns/stream:tag"],
    "docker-daemon": ["", "sha256:" + HEX64, HEX64, "busybox", "busybox:latest", "sha256:abc", "sha512:" + HEX64 * 2,
                      "sha256:" + UPHEX, "md5:" + HEX64[:32], "sha384:" + HEX64 + HEX64[:32], "sha256:" + HEX64 + "0",
                      "docker.io/library/busybox@sha256:" + HEX64, "SHA256:" + HEX64, "sha256:", ":" + HEX64, "*.example.com"],
    "docker-archive": ["", "/x", "x", "*", "/x:ref", "/"],
    "tarball": ["", "/x", "x", "*", "/"],
    "ostree": ["", "/x", "relative", "anything!!", "/a/"],
    "nosuch": ["", "/a/../b", "anything!!"],
}
PATH_SCOPES = ["", "/a", "/a/b", "a", "./a", "/", "/a/", "//a", "/a//b", "/./a", "/a/./b", "/a/../b", "/..", "/.",
               "~/a", "/a b", "/a:b", "/a@b", "//", "/a/b/c/d/e/f", "/a/.", "/a/..", "/..a", "/.a", "/a\\b", "\\a",
               "C:\\a", "/a\u00e9", "/tmp/x.tar", "/a/b:ref"]
for t in ["dir", "oci", "oci-archive", "sif"]:
    SCOPES[t] = PATH_SCOPES
ID = "e" * 64
SR = "[vfs@/var/lib/s]"
SCOPES["containers-storage"] = [
    "", "[/var/lib/s]", SR, "[overlay@/var/lib/containers/storage+/run/containers/storage:overlay.mountopt=nodev]",
    SR + "@" + ID, SR + "docker.io", SR + "docker.io/library", SR + "busybox", SR + "busybox:notlatest",
    SR + "busybox:notlatest@" + ID, SR + "busybox@" + DIG, SR + "busybox@" + DIG + "@" + ID,
    SR + "busybox:notlatest@" + DIG, SR + "busybox:notlatest@" + DIG + "@" + ID,
    "busybox", "[unterminated", "[]", "[relative/path]", "[drv@relative/path]", SR + "@", SR + "@sha256:ab", SR + "@ab",
    SR + "busybox@", SR + "@@" + ID, SR + "@ab@" + ID, SR + "@sha256:ab@" + ID, SR + "@" + DIG + "@", SR + "@" + DIG + "@ab",
    "[@/x]", "[drv@]", "[@]", "]", "[/a]]", "[/a][/b]", SR + "UPPER!!", SR + "@" + ID + "@" + DIG,
    SR + "busybox@" + DIG + "@" + ID + "@x", SR + "@" + ID.upper(), SR + "@" + ID[:63], SR + "busybox@" + ID,
    SR + "busybox@" + DIG.upper(), "[vfs@/a+/b]", "[vfs@/a:opt]", "[/a+/b]", "[a@b@/c]", "[a@/b@c]", "[ @/a]", "[/]",
]
for t, scopes in SCOPES.items():
    seen = set()
    for i, s in enumerate(scopes):
        assert s not in seen, (t, s)
        seen.add(s)
        add("scope-%s-%02d-%s" % (slug(t), i, slug(s, 30)), scope(t, s), "%s scope %s" % (t, q(s)[:90]))


# ---------------------------------------------------------------------------------------------

def run_one(oracle, tmpdir, vid, data):
    path = os.path.join(tmpdir, vid + ".json")
    with open(path, "wb") as f:
        f.write(data)
    p = subprocess.run([oracle, "--policy", path, "--dump"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if p.returncode != 0:
        raise RuntimeError("oracle failed for %s: rc=%d %s" % (vid, p.returncode, p.stderr.decode(errors="replace")))
    out = p.stdout.decode("utf-8")
    lines = [l for l in out.splitlines() if l.strip()]
    if len(lines) != 1:
        raise RuntimeError("unexpected oracle output for %s: %r" % (vid, out))
    obj = json.loads(lines[0])
    if obj.get("stage") == "policy":
        err = obj["error"]
        prefix = "invalid policy in %s: " % json.dumps(path)
        if not err.startswith(prefix):
            raise RuntimeError("unexpected error wrapper for %s: %r" % (vid, err))
        return False, err[len(prefix):], None
    if "default" not in obj:
        raise RuntimeError("unexpected dump for %s: %r" % (vid, out))
    return True, None, lines[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--oracle", default=os.environ.get("CIMAGE_EVAL", "/tmp/cimage-oracle/bin/cimage-eval"))
    ap.add_argument("--out", default=HERE)
    ap.add_argument("-j", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()

    ids = [v[0] for v in VECTORS]
    dup_ids = {i for i in ids if ids.count(i) > 1}
    assert not dup_ids, dup_ids
    texts, dups = {}, []
    for vid, data, _ in VECTORS:
        if data in texts:
            dups.append((texts[data], vid))
        texts[data] = vid
    if dups:
        sys.exit("duplicate policy texts:\n" + "\n".join("  %s == %s" % d for d in dups))

    with tempfile.TemporaryDirectory(prefix="cimage-parse-") as tmpdir:
        with concurrent.futures.ThreadPoolExecutor(args.j) as ex:
            futs = {vid: ex.submit(run_one, args.oracle, tmpdir, vid, data) for vid, data, _ in VECTORS}
            results = {vid: f.result() for vid, f in futs.items()}

    recs, dumps = [], []
    for vid, data, note in sorted(VECTORS, key=lambda v: v[0]):
        accepted, err, dump = results[vid]
        rec = {"id": vid}
        try:
            rec["policy"] = data.decode("utf-8")
        except UnicodeDecodeError:
            rec["policy"] = data.decode("utf-8", errors="replace")
            rec["policy_base64"] = base64.b64encode(data).decode("ascii")
        rec.update({"accepted": accepted, "error": err, "note": note})
        recs.append(rec)
        if accepted:
            dumps.append({"id": vid, "dump": dump})
    with open(os.path.join(args.out, "parse-vectors.jsonl"), "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n")
    with open(os.path.join(args.out, "parse-dumps.jsonl"), "w", encoding="utf-8") as f:
        for r in dumps:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    n_acc = sum(1 for r in recs if r["accepted"])
    print("parse vectors: %d (%d accepted, %d rejected)" % (len(recs), n_acc, len(recs) - n_acc))


if __name__ == "__main__":
    main()
