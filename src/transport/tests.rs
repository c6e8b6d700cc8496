//! Unit tests of the private helpers.

use super::path::clean_path;
use super::*;

#[test]
fn clean_path_matches_go() {
    // Cases from Go's path/filepath TestClean (Unix).
    let cases = [
        ("abc", "abc"),
        ("abc/def", "abc/def"),
        ("a/b/c", "a/b/c"),
        (".", "."),
        ("..", ".."),
        ("../..", "../.."),
        ("../../abc", "../../abc"),
        ("/abc", "/abc"),
        ("/", "/"),
        ("", "."),
        ("abc/", "abc"),
        ("abc/def/", "abc/def"),
        ("a/b/c/", "a/b/c"),
        ("./", "."),
        ("../", ".."),
        ("../../", "../.."),
        ("/abc/", "/abc"),
        ("abc//def//ghi", "abc/def/ghi"),
        ("//abc", "/abc"),
        ("///abc", "/abc"),
        ("//abc//", "/abc"),
        ("abc//", "abc"),
        ("abc/./def", "abc/def"),
        ("/./abc/def", "/abc/def"),
        ("abc/.", "abc"),
        ("abc/def/ghi/../jkl", "abc/def/jkl"),
        ("abc/def/../ghi/../jkl", "abc/jkl"),
        ("abc/def/..", "abc"),
        ("abc/def/../..", "."),
        ("/abc/def/../..", "/"),
        ("abc/def/../../..", ".."),
        ("/abc/def/../../..", "/"),
        ("abc/def/../../../ghi/jkl/../../../mno", "../../mno"),
        ("/../abc", "/abc"),
        ("abc/./../def", "def"),
        ("abc//./../def", "def"),
        ("abc/../../././../def", "../../def"),
    ];
    for (input, want) in cases {
        assert_eq!(clean_path(input), want, "{input:?}");
    }
}

#[test]
fn source_index_is_go_atoi() {
    let t = Transport::Oci;
    assert_eq!(parse_source_index(t, "0"), Ok(0));
    assert_eq!(parse_source_index(t, "007"), Ok(7));
    assert_eq!(parse_source_index(t, "+3"), Ok(3));
    assert_eq!(parse_source_index(t, "-0"), Ok(0));
    assert_eq!(
        parse_source_index(t, "-1"),
        Err(TransportError::NegativeSourceIndex {
            transport: t,
            index: -1
        })
    );
    for bad in [
        "",
        "+",
        "-",
        "1a",
        " 1",
        "0x1",
        "1_000",
        "9223372036854775808",
    ] {
        assert_eq!(
            parse_source_index(t, bad),
            Err(TransportError::InvalidSourceIndex {
                transport: t,
                index: bad.to_owned()
            }),
            "{bad:?}"
        );
    }
    assert_eq!(
        parse_source_index(t, "9223372036854775807"),
        Ok(9_223_372_036_854_775_807)
    );
}

#[test]
fn missing_special_component_is_refused() {
    use super::path::join_missing_component;
    for file in [".", ".."] {
        assert_eq!(
            join_missing_component(Transport::Dir, "/a/x", "/a", file),
            Err(TransportError::SpecialPathComponent {
                transport: Transport::Dir,
                path: "/a/x".into()
            })
        );
    }
    assert_eq!(
        join_missing_component(Transport::Dir, "/a/x", "/a", "x"),
        Ok("/a/x".into())
    );
    assert_eq!(
        join_missing_component(Transport::Dir, "", "/cwd", ""),
        Ok("/cwd".into())
    );
    assert_eq!(
        join_missing_component(Transport::Dir, "/x", "/", "x"),
        Ok("/x".into())
    );
}
