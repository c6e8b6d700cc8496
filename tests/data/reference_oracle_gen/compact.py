import json, sys
for line in sys.stdin:
    o = json.loads(line)
    c = {"in": o["in"]}
    if o.get("err"):
        c["err"] = o["err"]
    else:
        for k in ("domain","path","tag","digest"):
            if o.get(k): c[k] = o[k]
        assert o["name"] == (o["domain"]+"/"+o["path"] if o.get("domain") else o["path"])
        suf = (":"+o["tag"] if o.get("tag") else "") + ("@"+o["digest"] if o.get("digest") else "")
        assert o["string"] == o["name"]+suf
        assert o["fam_string"] == o["fam_name"]+suf
        if o["fam_name"] != o["name"]: c["fam"] = o["fam_name"]
        c["canonical"] = not o.get("canon_err")
        if o.get("canon_err"): assert o["canon_err"] == "repository name must be canonical", o
    d = o.get("digest_err", "")
    if d != "invalid checksum digest format":
        c["digest_err"] = d
    f = ("d" if o["is_domain"] else "") + ("n" if o["is_name"] else "") + ("r" if o["remap_ok"] else "")
    if f: c["re"] = f
    print(json.dumps(c, ensure_ascii=False, separators=(",",":")))
