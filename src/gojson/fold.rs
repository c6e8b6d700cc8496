//! Go's matching of JSON object keys to struct fields: an exact match, else a
//! case-insensitive one under Go's folding, whose rules changed in Go 1.21.
//!
//! Only keys that fold onto an ASCII field name matter here (every Go field name this
//! crate decodes into is ASCII). Both versions fold ASCII letters, `ſ` (U+017F, LONG S)
//! onto `S` and `K` (U+212A, KELVIN SIGN) onto `K`:
//!
//! * Go ≤ 1.20 (`foldFunc`: `equalFoldRight` and friends) folds nothing else onto
//!   ASCII. containers/image 5.23, the oracle of this crate, is built with Go 1.19.
//! * Go ≥ 1.21 (`foldName`: `unicode.ToUpper(unicode.ToLower(r))`) also folds `İ`
//!   (U+0130) and `ı` (U+0131, dotless i) onto `I`. Current containers/image is built
//!   with it.
//!
//! Each reader documents which version it follows.

/// Which Go release's key folding a reader reproduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GoFold {
    /// Go 1.19 (up to 1.20): ASCII letters, `ſ` and the Kelvin sign.
    Go119,
    /// Go 1.21 and later: also `İ` and `ı`.
    Go121,
}

/// Whether the JSON object key `key` selects the Go struct field whose JSON name is
/// `name` (ASCII), exactly or under `fold`'s case folding.
pub(crate) fn key_matches(key: &str, name: &str, fold: GoFold) -> bool {
    if key == name {
        return true;
    }
    let mut name_bytes = name.bytes();
    key.chars().all(|c| {
        name_bytes
            .next()
            .is_some_and(|n| fold_to_ascii(c, fold) == Some(n.to_ascii_uppercase()))
    }) && name_bytes.next().is_none()
}

/// Which field of `names` (a Go struct's JSON field names, in declaration order) the
/// key `key` selects: an exact match wins, else the first case-folded match (Go's
/// `byExactName`, then `byFoldedName`).
pub(crate) fn select_field(key: &str, names: &[&str], fold: GoFold) -> Option<usize> {
    names
        .iter()
        .position(|name| *name == key)
        .or_else(|| names.iter().position(|name| key_matches(key, name, fold)))
}

/// The upper-case ASCII letter or other ASCII byte that `c` folds to, if any.
fn fold_to_ascii(c: char, fold: GoFold) -> Option<u8> {
    match c {
        c if c.is_ascii() => u8::try_from(c.to_ascii_uppercase()).ok(),
        '\u{17F}' => Some(b'S'),
        '\u{212A}' => Some(b'K'),
        '\u{130}' | '\u{131}' if fold == GoFold::Go121 => Some(b'I'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::GoFold::{Go119, Go121};
    use super::*;

    #[test]
    fn ascii_and_the_two_common_unicode_folds() {
        for fold in [Go119, Go121] {
            assert!(key_matches("signatures", "signatures", fold));
            assert!(key_matches("SIGNATURES", "signatures", fold));
            assert!(key_matches("OS.Version", "os.version", fold));
            assert!(key_matches("\u{17F}ignatures", "signatures", fold));
            assert!(key_matches("jw\u{212A}", "jwk", fold));
            assert!(key_matches("\u{212A}", "k", fold));
            assert!(!key_matches("signature", "signatures", fold));
            assert!(!key_matches("signatures ", "signatures", fold));
            assert!(!key_matches("nam", "name", fold));
            assert!(!key_matches("n\u{e4}me", "name", fold));
            assert!(!key_matches("os_version", "os.version", fold));
        }
    }

    #[test]
    fn dotted_and_dotless_i_fold_from_go_1_21() {
        assert!(!key_matches("s\u{131}gnatures", "signatures", Go119));
        assert!(!key_matches("s\u{130}gnatures", "signatures", Go119));
        assert!(key_matches("s\u{131}gnatures", "signatures", Go121));
        assert!(key_matches("m\u{130}meType", "mimeType", Go121));
    }

    #[test]
    fn exact_match_wins_over_folded() {
        assert_eq!(select_field("Name", &["name", "Name"], Go121), Some(1));
        assert_eq!(select_field("NAME", &["name", "Name"], Go121), Some(0));
        assert_eq!(select_field("other", &["name"], Go121), None);
    }
}
