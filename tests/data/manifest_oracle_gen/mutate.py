#!/usr/bin/env python3
"""Mutants of the committed oracle inputs, one hex-encoded manifest per line, for
larger differential runs (see README.md). Usage: mutate.py COUNT SEED < manifest_oracle.jsonl"""
import base64
import json
import random
import re
import sys

count, seed = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
bases = []
for line in sys.stdin:
    case = json.loads(line)
    bases.append(case["in"].encode() if "in" in case else bytes.fromhex(case["in_hex"]))

ALPHABET = [c.encode() for c in '"{}[],:0123456789e-. \\nA=_/'] + ["\u017f".encode(), b"\xff", b"\r", b"\n"]


def b64d(s):
    s = s.replace("\n", "").replace(" ", "")
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def b64e(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def mutate_bytes(b):
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(b) + 1)
        op = rng.randrange(3)
        if op == 0 and len(b) > 0:
            b = b[:i] + b[i + 1:]
        elif op == 1:
            b = b[:i] + rng.choice(ALPHABET) + b[i:]
        elif len(b) > 0:
            b = b[:i] + rng.choice(ALPHABET) + b[i + 1:]
    return b


def mutate_protected(m):
    text = m.decode("utf-8", "replace")
    found = list(re.finditer(r'"protected": ?"([A-Za-z0-9_\-]+)"', text))
    if not found:
        return mutate_bytes(m)
    match = rng.choice(found)
    try:
        inner = b64d(match.group(1))
    except Exception:
        return mutate_bytes(m)
    if rng.random() < 0.5:
        n = re.search(rb'"formatLength":(-?\d+)', inner)
        if n:
            value = int(n.group(1)) + rng.choice([-2, -1, 0, 1, 2, 10**19, -(10**19)])
            inner = inner[: n.start(1)] + str(value).encode() + inner[n.end(1):]
        else:
            inner = mutate_bytes(inner)
    else:
        inner = mutate_bytes(inner)
    return (text[: match.start(1)] + b64e(inner) + text[match.end(1):]).encode()


for _ in range(count):
    base = rng.choice(bases)
    out = mutate_protected(base) if rng.random() < 0.5 else mutate_bytes(base)
    print(out.hex())
