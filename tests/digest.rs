//! go-digest validation (policy-semantics.md §7.2). Expected values were checked
//! against go-digest 1.0.0 as linked into c/image 5.23.1 (the oracle; see
//! `tests/data/reference_oracle_gen/README.md`, whose vectors also cover these inputs).

use containers_policy::Digest;
use containers_policy::digest::DigestError;

fn hex(n: usize) -> String {
    "0123456789abcdef".chars().cycle().take(n).collect()
}

fn err(s: &str) -> DigestError {
    match Digest::parse(s) {
        Ok(d) => panic!("{s:?} should be rejected, got {d}"),
        Err(e) => e,
    }
}

#[test]
fn valid_digests() {
    for (algo, n) in [("sha256", 64), ("sha384", 96), ("sha512", 128)] {
        let s = format!("{algo}:{}", hex(n));
        let d: Digest = s.parse().unwrap();
        assert_eq!(d.algorithm(), algo);
        assert_eq!(d.encoded().len(), n);
        assert_eq!(d.to_string(), s);
        assert_eq!(AsRef::<str>::as_ref(&d), s);
    }
}

#[test]
fn invalid_format() {
    let cases = [
        String::new(),
        ":".into(),
        "sha256".into(),
        "sha256:".into(),
        format!(":{}", hex(64)),
        // Uppercase hex (right length).
        format!("sha256:{}", hex(64).to_uppercase()),
        format!("sha256:{}", "A".repeat(64)),
        // Non-hex (right length, also non-ASCII with the right byte length).
        format!("sha256:{}G", hex(63)),
        format!("sha256:{}\u{e9}", hex(62)),
        // Unknown algorithms that do not match go-digest's grammar.
        format!("SHA256:{}", hex(64)),
        format!("Sha256:{}", hex(64)),
        format!("sha256 :{}", hex(64)),
        "foo:bar:baz".into(),
        "a--b:x".into(),
    ];
    for s in &cases {
        assert_eq!(err(s), DigestError::InvalidFormat, "{s:?}");
        assert_eq!(err(s).to_string(), "invalid checksum digest format");
        assert_eq!(err(s).upstream_message(), "invalid checksum digest format");
    }
}

#[test]
fn invalid_length() {
    for (s, expected, found) in [
        (format!("sha256:{}", hex(63)), 64, 63),
        (format!("sha256:{}", hex(65)), 64, 65),
        (format!("sha512:{}", hex(64)), 128, 64),
        (format!("sha384:{}", hex(64)), 96, 64),
        // Length is checked before the character set.
        ("sha256:XYZ".to_owned(), 64, 3),
        (format!("sha256:{} ", hex(64)), 64, 65),
    ] {
        let e = err(&s);
        assert_eq!(
            e,
            DigestError::InvalidLength {
                algorithm: s.split(':').next().unwrap().to_owned(),
                expected,
                found
            }
        );
        assert!(e.to_string().starts_with("invalid checksum digest length"));
        assert_eq!(e.upstream_message(), "invalid checksum digest length");
    }
}

#[test]
fn unsupported_algorithm() {
    for (s, algo) in [
        (format!("md5:{}", hex(32)), "md5"),
        (format!("blake3:{}", hex(64)), "blake3"),
        ("sha3.256+b64:AbC_-=".to_owned(), "sha3.256+b64"),
        ("a+b:==".to_owned(), "a+b"),
        ("a_b:_-".to_owned(), "a_b"),
        ("a-b:x".to_owned(), "a-b"),
    ] {
        let e = err(&s);
        assert_eq!(
            e,
            DigestError::UnsupportedAlgorithm {
                algorithm: algo.to_owned()
            },
            "{s:?}"
        );
        assert!(e.to_string().starts_with("unsupported digest algorithm"));
    }
}

#[test]
fn sha256_of() {
    let d = Digest::sha256_of(b"hello world\n");
    assert_eq!(
        d.as_str(),
        "sha256:a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447"
    );
    assert_eq!(Digest::parse(d.as_str()), Ok(d.clone()));
    assert_eq!(d.algorithm(), "sha256");
}
