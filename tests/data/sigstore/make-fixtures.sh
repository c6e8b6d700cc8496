#!/bin/sh
# Regenerates the RSA fixtures of tests/sigstore_keys.rs with OpenSSL 3 (the EC and
# Ed25519 keys of those tests are derived from fixed bytes in the tests themselves).
# The private keys are not kept.
set -eu
cd "$(dirname "$0")"
printf 'payload signed by the RSA fixtures\n' > rsa-payload
for bits in 1024 2048; do
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$bits -out rsa$bits.key 2>/dev/null
    openssl pkey -in rsa$bits.key -pubout -out rsa$bits.pub
    openssl dgst -sha256 -sign rsa$bits.key -out rsa$bits.sig rsa-payload
    rm rsa$bits.key
done
# The 2048-bit key again, as a PKCS#1 "RSA PUBLIC KEY".
openssl rsa -pubin -in rsa2048.pub -RSAPublicKey_out -out rsa2048.pkcs1.pub 2>/dev/null
# A DSA key and an X25519 key (parsable by Go, unsupported here).
openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:1024 -out dsa.param 2>/dev/null
openssl genpkey -paramfile dsa.param -out dsa.key 2>/dev/null
openssl pkey -in dsa.key -pubout -out dsa.pub
openssl genpkey -algorithm X25519 | openssl pkey -pubout -out x25519.pub
# A P-521 key (accepted by Go, unsupported here).
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 | openssl pkey -pubout -out p521.pub
# A P-256 key written with a compressed point (rejected by Go's x509 too).
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p256.key
openssl pkey -in p256.key -pubout -out p256.pub
openssl ec -in p256.key -pubout -conv_form compressed -out p256-compressed.pub 2>/dev/null
rm -f dsa.param dsa.key p256.key
