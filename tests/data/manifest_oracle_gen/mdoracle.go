// mdoracle records what containers/image's manifest.Digest returns for generated
// manifests (see README.md). `mdoracle gen` prints the cases, one hex-encoded manifest
// per line; `mdoracle` reads such lines and prints one JSON verdict per line.
package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/containers/image/v5/manifest"
	"github.com/docker/libtrust"
)

func b64(s string) string { return strings.TrimRight(base64.URLEncoding.EncodeToString([]byte(s)), "=") }
func b64b(b []byte) string { return strings.TrimRight(base64.URLEncoding.EncodeToString(b), "=") }

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func jwkOf(k libtrust.PublicKey) string {
	b, err := k.MarshalJSON()
	must(err)
	return string(b)
}

// jwkMap returns the JWK of k as an ordered list of members, for editing.
func jwkFields(k libtrust.PublicKey) map[string]string {
	var m map[string]string
	must(json.Unmarshal([]byte(jwkOf(k)), &m))
	return m
}

func obj(pairs ...string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i+1 < len(pairs); i += 2 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"` + pairs[i] + `":` + pairs[i+1])
	}
	b.WriteString("}")
	return b.String()
}

func q(s string) string { return `"` + s + `"` }

func keyID(pub interface{}) string {
	k, err := libtrust.FromCryptoPublicKey(pub)
	must(err)
	return k.KeyID()
}

func gen() {
	var cases []string
	add := func(s ...string) { cases = append(cases, s...) }

	ec256, err := libtrust.GenerateECP256PrivateKey()
	must(err)
	ec384, err := libtrust.GenerateECP384PrivateKey()
	must(err)
	ec521, err := libtrust.GenerateECP521PrivateKey()
	must(err)
	rsa2048, err := libtrust.GenerateRSA2048PrivateKey()
	must(err)

	// Real libtrust signatures.
	pretty := "{\n   \"schemaVersion\": 1,\n   \"name\": \"oracle/m\",\n   \"tag\": \"latest\",\n   \"architecture\": \"amd64\",\n   \"fsLayers\": [\n      {\n         \"blobSum\": \"sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef\"\n      }\n   ],\n   \"history\": [\n      {\n         \"v1Compatibility\": \"{\\\"id\\\":\\\"f1b5\\\"}\"\n      }\n   ]\n}"
	compact := `{"schemaVersion":1,"name":"oracle/c","tag":"v1","fsLayers":[],"history":[]}`
	sign := func(m string, keys ...libtrust.PrivateKey) string {
		js, err := libtrust.NewJSONSignature([]byte(m))
		must(err)
		for _, k := range keys {
			must(js.Sign(k))
		}
		out, err := js.PrettySignature("signatures")
		must(err)
		return string(out)
	}
	add(pretty, compact)
	add(sign(pretty, ec256), sign(pretty, ec384), sign(pretty, ec521), sign(pretty, rsa2048))
	add(sign(pretty, ec256, ec384), sign(pretty, ec256, ec384, ec521, rsa2048), sign(compact, ec256), sign(compact, rsa2048, ec521))

	// Hand-made pretty signatures over a fixed head.
	head := "{\n   \"schemaVersion\": 1,\n   \"name\": \"oracle/h\",\n   \"fsLayers\": []"
	mk := func(sigs string) string { return head + ",\n   \"signatures\": " + sigs + "\n}" }
	mkWith := func(h, sigs string) string { return h + ",\n   \"signatures\": " + sigs + "\n}" }
	tail := "\n}"
	protObj := func(length string, tail string) string {
		return b64(obj("formatLength", length, "formatTail", tail, "time", q("2016-04-18T20:54:42Z")))
	}
	std := protObj(fmt.Sprint(len(head)), q(b64(tail)))
	hdr := func(jwk string) string { return obj("jwk", jwk, "alg", q("ES256")) }
	ecJWK := jwkOf(ec256.PublicKey())
	sig := func(header, protected string) string {
		return obj("header", header, "signature", q("AAAA"), "protected", protected)
	}
	ok := sig(hdr(ecJWK), q(std))
	add(mk("["+ok+"]"), mk("["+ok+","+ok+"]"), mk("[]"), mk("null"))

	// The signature list.
	for _, s := range []string{"1", `"x"`, "{}", "true", "[null]", "[1]", "[[]]", "[{}]", `["a"]`, "[" + ok + ",1]", "[1e999]", "[" + ok + `,{"x":1e999}]`} {
		add(mk(s))
	}
	// Signature entries.
	for _, s := range []string{
		obj("protected", q(std)),
		obj("header", "null", "protected", q(std)),
		obj("header", "5", "protected", q(std)),
		obj("header", `"h"`, "protected", q(std)),
		obj("header", "[]", "protected", q(std)),
		obj("header", "{}", "protected", q(std)),
		obj("header", obj("alg", "5"), "protected", q(std)),
		obj("header", obj("alg", "null"), "protected", q(std)),
		obj("header", obj("x5c", q("a")), "protected", q(std)),
		obj("header", obj("x5c", "[1]"), "protected", q(std)),
		obj("header", obj("x5c", "[null]"), "protected", q(std)),
		obj("header", obj("x5c", `["a","b"]`), "protected", q(std)),
		obj("header", obj("x5c", "null"), "protected", q(std)),
		obj("header", obj("other", "1e999"), "protected", q(std)),
		obj("signature", "5", "protected", q(std)),
		obj("signature", "null", "protected", q(std)),
		obj("protected", "5"),
		obj("protected", "null"),
		obj("protected", q(std), "protected", "null"),
		obj("protected", "null", "protected", q(std)),
		obj("protected", q(std), "protected", q("@@")),
		obj("Protected", q(std)),
		obj("PROTECTED", q(std), "HEADER", hdr(ecJWK)),
		obj("protected", q(std), "header", hdr(ecJWK), "header", obj("alg", q("x"))),
		obj("protected", q(std), "header", obj("jwk", "null")),
		obj("protected", q(std), "header", obj("JWK", `"k"`)),
		obj("protected", q(std), "header", obj("jw\u212a", `"k"`)),
		obj("protected", q(std), "header", obj("jwk", "{}"), "header", obj("alg", q("x"))),
		obj("protected", q(std), "unknown", "1e999"),
		obj("\u017fignature", "5", "protected", q(std)),
		obj("s\u0131gnature", "5", "protected", q(std)),
		obj("s\u0130gnature", "5", "protected", q(std)),
	} {
		add(mk("[" + s + "]"))
	}

	// Protected headers.
	L := fmt.Sprint(len(head))
	T := q(b64(tail))
	prots := []string{
		"", "@@@@", "a", "e30", "e30=", "e3\n0", "e 30", "e30\r", "e3\r0", "bnVsbA", b64("5"), b64("[]"), b64(`"x"`), b64("{"), b64(" "),
		b64(obj("formatTail", T)),
		b64(obj("formatLength", L)),
		b64(obj("formatLength", q(L), "formatTail", T)),
		b64(obj("formatLength", "null", "formatTail", T)),
		b64(obj("formatLength", L, "formatTail", "5")),
		b64(obj("formatLength", L, "formatTail", "null")),
		b64(obj("formatLength", L, "formatTail", q("@"))),
		b64(obj("formatLength", L, "formatTail", q("a"))),
		b64(obj("formatLength", L, "formatTail", q(""))),
		b64(obj("formatLength", L, "formatTail", q(b64(tail)+"=="))),
		b64(obj("formatLength", L, "formatTail", q("Cn\n0"))),
		b64(obj("formatLength", L, "formatTail", T, "time", "1e999")),
		b64(obj("formatLength", L, "formatTail", T, "time", "[1e999]")),
		b64(obj("formatLength", L, "formatTail", T, "time", "1e308")),
		b64(obj("FormatLength", L, "formatTail", T)),
		b64(obj("formatLength", "1", "formatLength", L, "formatTail", T)),
		b64(obj("formatLength", L, "formatLength", "1", "formatTail", T)),
		b64(obj("formatLength", L+".7", "formatTail", T)),
		b64(obj("formatLength", L+"e0", "formatTail", T)),
		b64(obj("formatLength", "-1", "formatTail", T)),
		b64(obj("formatLength", "-0.5", "formatTail", T)),
		b64(obj("formatLength", "0.5", "formatTail", T)),
		b64(obj("formatLength", "0", "formatTail", T)),
		b64(obj("formatLength", "0", "formatTail", q(""))),
		b64(obj("formatLength", "1e300", "formatTail", T)),
		b64(obj("formatLength", "-1e300", "formatTail", T)),
		b64(obj("formatLength", "1e19", "formatTail", T)),
		b64(obj("formatLength", "9223372036854775807", "formatTail", T)),
		b64(obj("formatLength", "1e999", "formatTail", T)),
		b64(obj("formatLength", fmt.Sprint(len(mk("[]"))), "formatTail", T)),
		b64(obj("formatLength", "1", "formatTail", T)),
	}
	for _, p := range prots {
		add(mk("[" + sig(hdr(ecJWK), q(p)) + "]"))
	}
	// formatLength equal to, and one beyond, the whole manifest.
	for _, delta := range []int{0, 1} {
		for n := 0; n < 3; n++ {
			probe := mk("[" + sig(hdr(ecJWK), q(protObj(fmt.Sprint(1000+n*1000), T))) + "]")
			exact := len(probe) + delta
			add(mk("[" + sig(hdr(ecJWK), q(protObj(fmt.Sprint(exact), T))) + "]"))
		}
	}
	// Several signatures: agreement rules.
	p0 := protObj("0", T)
	pL1 := protObj(fmt.Sprint(len(head)-1), T)
	pNoTail := protObj(L, q(""))
	pOtherTail := protObj(L, q(b64("\n }")))
	for _, pair := range [][2]string{{std, std}, {std, pL1}, {p0, std}, {std, p0}, {pNoTail, std}, {std, pNoTail}, {std, pOtherTail}, {p0, p0}, {std, "@@"}} {
		add(mk("[" + sig(hdr(ecJWK), q(pair[0])) + "," + sig(hdr(ecJWK), q(pair[1])) + "]"))
	}
	add(mk("[" + sig(hdr(`"bad"`), q(std)) + "," + sig(hdr(ecJWK), q(pL1)) + "]"))
	add(mk("[" + sig(hdr(ecJWK), q(pL1)) + "," + sig(hdr(`"bad"`), q(std)) + "]"))

	// JWKs.
	withJWK := func(jwk string) { add(mk("[" + sig(hdr(jwk), q(std)) + "]")) }
	for _, k := range []libtrust.PrivateKey{ec256, ec384, ec521, rsa2048} {
		withJWK(jwkOf(k.PublicKey()))
		f := jwkFields(k.PublicKey())
		var members []string
		for name, v := range f {
			if name != "kid" {
				members = append(members, name, q(v))
			}
		}
		withJWK(obj(members...))
		withJWK(obj(append(members, "kid", q("ABCD"))...))
		withJWK(obj(append(members, "kid", "5")...))
		withJWK(obj(append(members, "kid", "null")...))
		withJWK(obj(append(members, "kid", q(""))...))
		withJWK(obj(append(members, "extra", "1e999")...))
		withJWK(obj(append(members, "extra", `[1,{"a":null}]`)...))
	}
	for _, s := range []string{"null", `"x"`, "[]", "5", "true", "{}", obj("kty", "5"), obj("kty", q("oct")), obj("kty", "null"), obj("KTY", q("EC")), obj("kty", q("EC")), obj("kty", q("RSA")), obj("kty", q("ec"))} {
		withJWK(s)
	}
	ecf := jwkFields(ec256.PublicKey())
	x, y := ecf["x"], ecf["y"]
	yb, _ := base64.RawURLEncoding.DecodeString(y)
	flip := func(b []byte) []byte { c := append([]byte{}, b...); c[len(c)-1] ^= 1; return c }
	offY := b64b(flip(yb))
	pub := ec256.PublicKey().CryptoPublicKey().(*ecdsa.PublicKey)
	realKID := keyID(pub)
	for _, m := range [][]string{
		{"kty", q("EC"), "x", q(x), "y", q(y)},
		{"kty", q("EC"), "crv", q("P-224"), "x", q(x), "y", q(y)},
		{"kty", q("EC"), "crv", "5", "x", q(x), "y", q(y)},
		{"kty", q("EC"), "crv", q("P-256"), "y", q(y)},
		{"kty", q("EC"), "crv", q("P-256"), "x", q(x)},
		{"kty", q("EC"), "crv", q("P-256"), "x", q(x[1:]), "y", q(y)},
		{"kty", q("EC"), "crv", q("P-256"), "x", q(x + "AA"), "y", q(y)},
		{"kty", q("EC"), "crv", q("P-256"), "x", q("@" + x[1:]), "y", q(y)},
		{"kty", q("EC"), "crv", q("P-256"), "x", q(x), "y", q(b64b(yb[:31]))},
		{"kty", q("EC"), "crv", q("P-384"), "x", q(x), "y", q(y)},
		{"kty", q("EC"), "crv", q("P-256"), "x", q(x), "y", q(offY)},
		{"kty", q("EC"), "crv", q("P-256"), "x", q(x), "y", q(offY), "kid", q("")},
		{"kty", q("EC"), "crv", q("P-256"), "x", q(x), "y", q(offY), "kid", q(realKID)},
		{"kty", q("EC"), "crv", q("P-256"), "x", q(x), "y", q(y), "kid", q(realKID)},
		{"kty", q("EC"), "crv", q("P-256"), "x", q(x), "y", q(y), "kid", q("")},
		{"kty", q("EC"), "crv", q("P-256"), "x", q(b64b(make([]byte, 32))), "y", q(b64b(make([]byte, 32))), "kid", q("")},
		{"kty", q("EC"), "crv", q("P-256"), "x", q(x), "y", q(y), "kid", q(strings.ToLower(realKID))},
		{"kty", q("EC"), "crv", q("P-256"), "x", q(x[:10] + "\n" + x[10:]), "y", q(y), "kid", q(realKID)},
		{"kty", q("EC"), "kty", q("RSA"), "crv", q("P-256"), "x", q(x), "y", q(y)},
		{"kty", q("RSA"), "kty", q("EC"), "crv", q("P-256"), "x", q(x), "y", q(y)},
		{"kty", q("EC"), "crv", q("P-256"), "x", q(x), "y", q(y), "kid", "1e999"},
		{"kty", q("EC"), "crv", q("P-256"), "x", q(x), "y", q(y), "x", "null"},
		{"kty", q("EC"), "crv", q("P-256"), "x", q(x), "y", q(y), "Kid", q("zz")},
	} {
		withJWK(obj(m...))
	}
	// On-curve points with leading zero bytes, and the P-384/P-521 generators.
	for _, k := range []libtrust.PrivateKey{ec384, ec521} {
		f := jwkFields(k.PublicKey())
		cp := k.PublicKey().CryptoPublicKey().(*ecdsa.PublicKey)
		g := &ecdsa.PublicKey{Curve: cp.Curve, X: cp.Curve.Params().Gx, Y: cp.Curve.Params().Gy}
		size := (cp.Curve.Params().BitSize + 7) / 8
		pad := func(n *big.Int) string { b := n.Bytes(); return b64b(append(make([]byte, size-len(b)), b...)) }
		withJWK(obj("kty", q("EC"), "crv", q(f["crv"]), "x", q(pad(g.X)), "y", q(pad(g.Y)), "kid", q(keyID(g))))
		withJWK(obj("kty", q("EC"), "crv", q(f["crv"]), "x", q(pad(g.X)), "y", q(pad(new(big.Int).Add(g.Y, big.NewInt(1)))), "kid", q("")))
		withJWK(obj("kty", q("EC"), "crv", q(f["crv"]), "x", q(pad(cp.Curve.Params().P)), "y", q(pad(g.Y)), "kid", q("")))
	}
	rsaPub := rsa2048.PublicKey().CryptoPublicKey().(*rsa.PublicKey)
	n := b64b(rsaPub.N.Bytes())
	rsaCase := func(nb, eb []byte, kid bool) {
		m := []string{"kty", q("RSA"), "n", q(b64b(nb)), "e", q(b64b(eb))}
		if kid {
			e := 0
			for _, b := range append(make([]byte, 4-len(eb)), eb...) {
				e = e<<8 | int(b)
			}
			m = append(m, "kid", q(keyID(&rsa.PublicKey{N: new(big.Int).SetBytes(nb), E: e})))
		}
		withJWK(obj(m...))
	}
	nb := rsaPub.N.Bytes()
	for _, e := range [][]byte{{1, 0, 1}, {3}, {}, {0}, {0, 0, 0, 0}, {0x80, 0, 0, 1}, {0, 1, 0, 1}, {1, 2, 3, 4}} {
		rsaCase(nb, e, false)
		rsaCase(nb, e, true)
	}
	rsaCase([]byte{}, []byte{1, 0, 1}, true)
	rsaCase([]byte{0, 0, 5}, []byte{3}, true)
	rsaCase([]byte{0x80}, []byte{3}, true)
	rsaCase(append([]byte{0}, nb...), []byte{1, 0, 1}, true)
	withJWK(obj("kty", q("RSA"), "n", q(n), "e", q(b64b([]byte{1, 0, 0, 0, 1}))))
	withJWK(obj("kty", q("RSA"), "n", q(n), "e", q(b64b([]byte{1, 0, 0, 0, 1})), "kid", q("")))
	withJWK(obj("kty", q("RSA"), "e", q("AQAB")))
	withJWK(obj("kty", q("RSA"), "n", q(n)))
	withJWK(obj("kty", q("RSA"), "n", q("@"), "e", q("AQAB")))
	withJWK(obj("kty", q("RSA"), "n", q(n), "e", q("A")))
	withJWK(obj("kty", q("RSA"), "n", "5", "e", q("AQAB")))

	// Detection.
	for _, h := range []string{
		`{"schemaVersion": 1`,
		`{"schemaVersion": 1.0`,
		`{"schemaVersion": 1e0`,
		`{"schemaVersion": "1"`,
		`{"schemaVersion": true`,
		`{"schemaVersion": null`,
		`{"schemaVersion": -1`,
		`{"schemaVersion": 2`,
		`{"schemaVersion": 99999999999999999999`,
		`{"SchemaVersion": 1`,
		`{"schemaversion": 1`,
		"{\"\u017fchemaVersion\": 1",
		`{"schemaVersion": 1, "mediaType": 5`,
		`{"schemaVersion": 1, "mediaType": null`,
		`{"schemaVersion": 1, "mediaType": "application/vnd.docker.distribution.manifest.v2+json"`,
		`{"schemaVersion": 1, "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json"`,
		`{"schemaVersion": 1, "mediaType": "application/vnd.oci.image.manifest.v1+json"`,
		`{"schemaVersion": 1, "mediaType": "application/vnd.oci.image.index.v1+json"`,
		`{"schemaVersion": 1, "mediaType": "application/vnd.docker.distribution.manifest.v1+prettyjws"`,
		`{"schemaVersion": 1, "mediaType": "application/vnd.oci.image.manifest.v1+json", "mediaType": "x"`,
		`{"schemaVersion": 1, "MEDIATYPE": "application/vnd.oci.image.manifest.v1+json"`,
		`{"schemaVersion": 1, "mediaType": "application/vnd.oci.image.manifest.v1+json\ud800"`,
		`{"schemaVersion": 1, "schemaVersion": 2`,
		`{"schemaVersion": 2, "schemaVersion": 1`,
		`{"schemaVersion": 1, "schemaVersion": null`,
		`{"schemaVersion": 1, "other": 1e999`,
		"{\"schemaVersion\": 1, \"name\": \"\xff\xfe\"",
		`{"schemaVersion": 1, "deep": ` + strings.Repeat("[", 200) + strings.Repeat("]", 200),
	} {
		lh := fmt.Sprint(len(h))
		p := protObj(lh, T)
		add(mkWith(h, "["+sig(hdr(ecJWK), q(p))+"]"))
		add(mkWith(h, "1"))
	}
	for _, s := range []string{
		"", "{}", "null", "[]", "1", `"x"`, "hello", "{", "\xef\xbb\xbf{}",
		`{"schemaVersion":1}`,
		`{"schemaVersion":1,"signatures":null}`,
		`{"schemaVersion":1,"signatures":1} `,
		`{"schemaVersion":1,"signatures":1} x`,
		`{"schemaVersion":1,"signatures":1}{}`,
		`[{"schemaVersion":1,"signatures":1}]`,
		`{"schemaVersion":1,"Signatures":1}`,
		`{"schemaVersion":1,"SIGNATURES":[]}`,
		"{\"schemaVersion\":1,\"\u017fignatures\":[]}",
		"{\"schemaVersion\":1,\"s\u0131gnatures\":[]}",
		"{\"schemaVersion\":1,\"s\u0130gnatures\":[]}",
		`{"schemaVersion":1,"signatures":[],"Signatures":null}`,
		`{"schemaVersion":1,"signatures":null,"Signatures":[]}`,
		`{"schemaVersion":1,"signatures":null,"Signatures":1}`,
		`{"schemaVersion":1,"signatures":1,"signatures":[]}`,
		`{"schemaVersion":1,"signatures":[],"signatures":1}`,
		`{"schemaVersion":1,"signatures":[1e999]}`,
		`{"schemaVersion":1,"signatures":{"a":1e999}}`,
		`{"schemaVersion":1,"signatures":[1e308]}`,
		`{"schemaVersion":1,"signatures":"\ud800"}`,
		"{\"schemaVersion\":1,\"signatures\":\"\x01\"}",
		`{"schemaVersion":01,"signatures":1}`,
		`{"schemaVersion":1,"signatures":[],}`,
	} {
		add(s)
	}
	for _, c := range cases {
		fmt.Println(hex.EncodeToString([]byte(c)))
	}
}

func one(b []byte) (out map[string]string) {
	out = map[string]string{}
	if utf8.Valid(b) {
		out["in"] = string(b)
	} else {
		out["in_hex"] = hex.EncodeToString(b)
	}
	defer func() {
		if r := recover(); r != nil {
			out["panic"] = fmt.Sprint(r)
		}
	}()
	d, err := manifest.Digest(b)
	if err != nil {
		out["err"] = err.Error()
	} else {
		out["digest"] = d.String()
	}
	return out
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "gen" {
		gen()
		return
	}
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 64<<20), 64<<20)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for sc.Scan() {
		b, err := hex.DecodeString(sc.Text())
		must(err)
		line, err := json.Marshal(one(b))
		must(err)
		w.Write(line)
		w.WriteString("\n")
	}
}
