#!/usr/bin/env python3
"""Recipe for the small hand-made test images in tests/data/images/.

Usage: python3 tests/data/images/make-images.py [--out DIR] [--check]

Writes (below DIR, default: the directory holding this script):

  dir/unsigned           c/image `dir:` layout: Docker schema-2 manifest.json, blobs named by hex, `version`
  dir/oci-manifest       `dir:` layout holding an OCI image manifest
  dir/whitespace         `dir:` layout whose schema-2 manifest.json has unusual whitespace (tabs, CRLF,
                         spaces before colons, trailing blank lines): its digest is of these exact bytes
  dir/no-manifest        only the `version` file: no manifest, no signatures
  dir/garbage-signature  dir/unsigned's files plus `signature-1` = plain text (c/image classifies a blob
                         whose first byte is not 0x00 as a legacy simple-signing signature)
  dir/unknown-sig-format dir/unsigned's files plus `signature-1` = 0x00 + "x-unknown-format\\n"
                         (an unrecognised signature format: fetching signatures fails)
  oci/layout             OCI image layout; index.json lists two manifests, annotated
                         org.opencontainers.image.ref.name = "v1" and "v2"
  oci/single             OCI image layout with one manifest and no ref.name annotation

Everything is deterministic (fixed tar headers, hand-written gzip with one stored deflate block, no
timestamps), so a rerun gives byte-identical files.  `--check` regenerates into a temp dir and compares
with DIR instead of writing.  Python 3 stdlib only.

The formats follow c/image 5.23.1: `dir:` stores the manifest as `manifest.json`, every blob as a file
named by the digest's hex part, signatures as `signature-N`, and a `version` file containing
"Directory Transport Version: 1.1\\n" (directory/directory_dest.go; checked against
`skopeo copy oci:… dir:…` from skopeo 1.9.3).  OCI layouts have `oci-layout`, `index.json` and
`blobs/sha256/<hex>`.
"""
import argparse
import filecmp
import hashlib
import json
import os
import shutil
import struct
import sys
import tarfile
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))

DIR_VERSION = b"Directory Transport Version: 1.1\n"
OCI_LAYOUT = b'{"imageLayoutVersion":"1.0.0"}'

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER_GZ = "application/vnd.docker.image.rootfs.diff.tar.gzip"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"
OCI_LAYER_GZ = "application/vnd.oci.image.layer.v1.tar+gzip"


def sha256(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def tar_one(name, content):
    """A minimal ustar archive with one regular file (no 10 KiB record padding)."""
    ti = tarfile.TarInfo(name)
    ti.size = len(content)
    ti.mode = 0o644
    ti.mtime = 0
    ti.uid = ti.gid = 0
    ti.uname = ti.gname = "root"
    ti.type = tarfile.REGTYPE
    hdr = ti.tobuf(format=tarfile.USTAR_FORMAT, encoding="utf-8", errors="strict")
    pad = (-len(content)) % 512
    return hdr + content + b"\0" * pad + b"\0" * 1024


def gzip_stored(data):
    """gzip (RFC 1952) with a single stored (uncompressed) deflate block: independent of zlib's
    compressor, so the bytes (and digests) never change.  mtime 0, no file name, OS=255."""
    assert len(data) <= 0xFFFF
    header = b"\x1f\x8b\x08\x00" + b"\0\0\0\0" + b"\x00\xff"
    block = b"\x01" + struct.pack("<HH", len(data), 0xFFFF ^ len(data)) + data
    trailer = struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)
    return header + block + trailer


def config_blob(diff_ids, created_by):
    cfg = {
        "architecture": "amd64",
        "os": "linux",
        "config": {"Cmd": ["/hello.txt"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created_by": created_by}],
    }
    return json.dumps(cfg, separators=(",", ":"), sort_keys=True).encode()


def desc(media_type, blob, annotations=None):
    d = {"mediaType": media_type, "digest": sha256(blob), "size": len(blob)}
    if annotations:
        d["annotations"] = annotations
    return d


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def build(out):
    # Layers and configs.
    tar1 = tar_one("hello.txt", b"hello from containers-policy test image 1\n")
    layer1 = gzip_stored(tar1)  # gzip layer (docker + OCI v1)
    tar2 = tar_one("etc/motd", b"containers-policy test image 2\n")
    layer2 = tar2  # plain tar layer (OCI v2)
    tar3 = tar_one("single.txt", b"containers-policy single-manifest image\n")
    layer3 = gzip_stored(tar3)

    cfg1 = config_blob([sha256(tar1)], "make-images.py layer 1")
    cfg2 = config_blob([sha256(tar1), sha256(tar2)], "make-images.py layers 1+2")
    cfg3 = config_blob([sha256(tar3)], "make-images.py single")

    # ---- dir: images ----
    docker_manifest = {
        "schemaVersion": 2,
        "mediaType": DOCKER_MANIFEST,
        "config": desc(DOCKER_CONFIG, cfg1),
        "layers": [desc(DOCKER_LAYER_GZ, layer1)],
    }
    docker_manifest_bytes = json.dumps(docker_manifest, indent=3).encode()

    def dir_image(name, manifest_bytes, blobs, extra=None):
        d = os.path.join(out, "dir", name)
        write(os.path.join(d, "manifest.json"), manifest_bytes)
        for b in blobs:
            write(os.path.join(d, hashlib.sha256(b).hexdigest()), b)
        write(os.path.join(d, "version"), DIR_VERSION)
        for fn, data in (extra or {}).items():
            write(os.path.join(d, fn), data)

    dir_image("unsigned", docker_manifest_bytes, [cfg1, layer1])

    oci_manifest1 = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": desc(OCI_CONFIG, cfg1),
        "layers": [desc(OCI_LAYER_GZ, layer1)],
    }
    oci_manifest1_bytes = json.dumps(oci_manifest1, separators=(",", ":")).encode()
    dir_image("oci-manifest", oci_manifest1_bytes, [cfg1, layer1])

    c, l = docker_manifest["config"], docker_manifest["layers"][0]
    ws = (
        '{\r\n'
        '\t"schemaVersion" :\t2 ,\r\n'
        '\t"mediaType"  : "%s",\r\n'
        '\t"config": {"mediaType":"%s",   "size" : %d,\t"digest":"%s"},\r\n'
        '\t"layers": [\r\n'
        '\t\t{ "mediaType": "%s" ,\n'
        '\t\t  "size":%d , "digest" : "%s" }\t \r\n'
        '\t]\r\n'
        '}  \n\n\t\n'
    ) % (DOCKER_MANIFEST, c["mediaType"], c["size"], c["digest"], l["mediaType"], l["size"], l["digest"])
    assert json.loads(ws) == docker_manifest
    dir_image("whitespace", ws.encode(), [cfg1, layer1])

    write(os.path.join(out, "dir", "no-manifest", "version"), DIR_VERSION)

    dir_image("garbage-signature", docker_manifest_bytes, [cfg1, layer1],
              {"signature-1": b"this is not an OpenPGP signature\n"})
    dir_image("unknown-sig-format", docker_manifest_bytes, [cfg1, layer1],
              {"signature-1": b"\x00x-unknown-format\n"})

    # Signatures that c/image fetches and classifies fine, but that can never verify.
    fake_pgp = b"\xa3" + b"not really an OpenPGP compressed data packet\n"
    sigstore_attach = b"\x00sigstore-json\n" + json.dumps(
        {"mimeType": "application/vnd.example.not-a-signature", "payload": "aGVsbG8=", "annotations": {}},
        separators=(",", ":"), sort_keys=True).encode()
    sigstore_bogus = b"\x00sigstore-json\n" + json.dumps(
        {"mimeType": "application/vnd.dev.cosign.simplesigning.v1+json", "payload": "e30=",
         "annotations": {"dev.cosignproject.cosign/signature": "bm90IGEgc2lnbmF0dXJl"}},
        separators=(",", ":"), sort_keys=True).encode()
    dir_image("fake-openpgp-signature", docker_manifest_bytes, [cfg1, layer1], {"signature-1": fake_pgp})
    dir_image("two-fake-openpgp-signatures", docker_manifest_bytes, [cfg1, layer1],
              {"signature-1": fake_pgp, "signature-2": b"\x00simple-signing\n" + fake_pgp[1:]})
    dir_image("sigstore-attachment", docker_manifest_bytes, [cfg1, layer1], {"signature-1": sigstore_attach})
    dir_image("sigstore-bogus-signature", docker_manifest_bytes, [cfg1, layer1], {"signature-1": sigstore_bogus})
    dir_image("mixed-signatures", docker_manifest_bytes, [cfg1, layer1],
              {"signature-1": fake_pgp, "signature-2": sigstore_attach, "signature-3": sigstore_bogus})

    # ---- oci: layouts ----
    def oci_layout(name, manifests):
        d = os.path.join(out, "oci", name)
        write(os.path.join(d, "oci-layout"), OCI_LAYOUT)
        index = {"schemaVersion": 2, "manifests": []}
        for mbytes, blobs, ann in manifests:
            for b in [mbytes] + blobs:
                write(os.path.join(d, "blobs", "sha256", hashlib.sha256(b).hexdigest()), b)
            index["manifests"].append(desc(OCI_MANIFEST, mbytes, ann))
        write(os.path.join(d, "index.json"), json.dumps(index, separators=(",", ":")).encode())

    oci_manifest2 = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": desc(OCI_CONFIG, cfg2),
        "layers": [desc(OCI_LAYER_GZ, layer1), desc(OCI_LAYER, layer2)],
    }
    oci_manifest2_bytes = json.dumps(oci_manifest2, separators=(",", ":")).encode()
    oci_layout("layout", [
        (oci_manifest1_bytes, [cfg1, layer1], {"org.opencontainers.image.ref.name": "v1"}),
        (oci_manifest2_bytes, [cfg2, layer1, layer2], {"org.opencontainers.image.ref.name": "v2"}),
    ])

    oci_manifest3 = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": desc(OCI_CONFIG, cfg3),
        "layers": [desc(OCI_LAYER_GZ, layer3)],
    }
    oci_manifest3_bytes = json.dumps(oci_manifest3, separators=(",", ":")).encode()
    oci_layout("single", [(oci_manifest3_bytes, [cfg3, layer3], None)])

    # Manifest digests, for reference (tests compute them from the files).
    digests = {
        "dir/unsigned": sha256(docker_manifest_bytes),
        "dir/oci-manifest": sha256(oci_manifest1_bytes),
        "dir/whitespace": sha256(ws.encode()),
        "oci/layout:v1": sha256(oci_manifest1_bytes),
        "oci/layout:v2": sha256(oci_manifest2_bytes),
        "oci/single": sha256(oci_manifest3_bytes),
    }
    write(os.path.join(out, "DIGESTS"),
          "".join("%s %s\n" % (v, k) for k, v in sorted(digests.items())).encode())


def tree(d):
    res = []
    for root, dirs, files in os.walk(d):
        dirs.sort()
        for f in sorted(files):
            res.append(os.path.relpath(os.path.join(root, f), d))
    return res


SUBDIRS = ("dir", "oci")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=HERE)
    ap.add_argument("--check", action="store_true", help="compare a fresh build with --out, write nothing")
    a = ap.parse_args()
    if a.check:
        with tempfile.TemporaryDirectory() as tmp:
            build(tmp)
            want = [p for p in tree(tmp)]
            have = [p for p in tree(a.out) if p.split(os.sep)[0] in SUBDIRS or p == "DIGESTS"]
            bad = sorted(set(want) ^ set(have))
            bad += [p for p in want if p in have and not filecmp.cmp(os.path.join(tmp, p), os.path.join(a.out, p), shallow=False)]
            if bad:
                print("differs:", *bad, sep="\n  ")
                sys.exit(1)
            print("ok: %d files identical" % len(want))
        return
    for s in SUBDIRS:
        shutil.rmtree(os.path.join(a.out, s), ignore_errors=True)
    build(a.out)
    print("wrote %d files below %s" % (len(tree(a.out)), a.out))


if __name__ == "__main__":
    main()
