//! c/image's `manifest.GuessMIMEType`: which kind of manifest some bytes are, decided
//! the way Go decodes them (the answer changes which digest and signature rules apply).

use super::oci::GoDescriptor;
use crate::gojson::decode::{self as gojson, GoAny, GoInt, GoSlice, go_struct};

/// Media types (`manifest` package constants).
pub(crate) mod mime {
    pub(crate) const DOCKER_V2S1: &str = "application/vnd.docker.distribution.manifest.v1+json";
    pub(crate) const DOCKER_V2S1_SIGNED: &str =
        "application/vnd.docker.distribution.manifest.v1+prettyjws";
    pub(crate) const DOCKER_V2S2: &str = "application/vnd.docker.distribution.manifest.v2+json";
    pub(crate) const DOCKER_V2S2_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
    pub(crate) const DOCKER_V2_LIST: &str =
        "application/vnd.docker.distribution.manifest.list.v2+json";
    pub(crate) const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
    pub(crate) const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
    pub(crate) const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
}

go_struct!(
    /// GuessMIMEType's first view of a manifest.
    GuessMeta {
        "mediaType" => media_type: String,
        "schemaVersion" => schema_version: GoInt,
        "signatures" => signatures: GoAny,
    }
);

go_struct!(
    /// GuessMIMEType's `config.mediaType`.
    GuessConfig {
        "mediaType" => media_type: String,
    }
);

go_struct!(
    /// GuessMIMEType's second view of a manifest.
    GuessOciManifest {
        "config" => config: GuessConfig,
    }
);

go_struct!(
    /// GuessMIMEType's third view of a manifest.
    GuessOciIndex {
        "manifests" => manifests: GoSlice<GoDescriptor>,
    }
);

/// c/image's `manifest.GuessMIMEType`: the manifest's MIME type if recognised, else
/// `""`.
pub(crate) fn guess_mime_type(untrusted_manifest: &[u8]) -> String {
    use gojson::Trailing::Reject;
    let Ok(meta) = gojson::decode::<GuessMeta>(untrusted_manifest, Reject) else {
        return String::new();
    };
    match meta.media_type.as_str() {
        mime::DOCKER_V2S2 | mime::DOCKER_V2_LIST | mime::OCI_MANIFEST | mime::OCI_INDEX => {
            return meta.media_type;
        }
        _ => {}
    }
    match meta.schema_version.0 {
        1 if meta.signatures.0 => mime::DOCKER_V2S1_SIGNED.to_owned(),
        1 => mime::DOCKER_V2S1.to_owned(),
        2 => {
            let Ok(manifest) = gojson::decode::<GuessOciManifest>(untrusted_manifest, Reject)
            else {
                return String::new();
            };
            let config = manifest.config.media_type;
            match config.as_str() {
                mime::OCI_CONFIG => return mime::OCI_MANIFEST.to_owned(),
                mime::DOCKER_V2S2_CONFIG => return mime::DOCKER_V2S2.to_owned(),
                _ => {}
            }
            let Ok(index) = gojson::decode::<GuessOciIndex>(untrusted_manifest, Reject) else {
                return String::new();
            };
            if index.manifests.as_slice().is_empty() {
                mime::OCI_MANIFEST.to_owned()
            } else if config.is_empty() {
                mime::OCI_INDEX.to_owned()
            } else {
                // c/image: "FIXME: this is mixing media types of manifests and configs."
                config
            }
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guess_mime_type_follows_c_image() {
        let cases: &[(&str, &str)] = &[
            (
                r#"{"mediaType":"application/vnd.oci.image.manifest.v1+json"}"#,
                mime::OCI_MANIFEST,
            ),
            (
                r#"{"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}"#,
                mime::DOCKER_V2S2,
            ),
            (r#"{"mediaType":"x","schemaVersion":1}"#, mime::DOCKER_V2S1),
            (
                r#"{"schemaVersion":1,"signatures":[]}"#,
                mime::DOCKER_V2S1_SIGNED,
            ),
            (
                r#"{"schemaVersion":1,"signatures":null}"#,
                mime::DOCKER_V2S1,
            ),
            (
                r#"{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json"}}"#,
                mime::OCI_MANIFEST,
            ),
            (
                r#"{"schemaVersion":2,"config":{"mediaType":"application/vnd.docker.container.image.v1+json"}}"#,
                mime::DOCKER_V2S2,
            ),
            (r#"{"schemaVersion":2,"manifests":[{}]}"#, mime::OCI_INDEX),
            (
                r#"{"schemaVersion":2,"config":{"mediaType":"c"},"manifests":[{}]}"#,
                "c",
            ),
            (
                r#"{"schemaVersion":2,"config":{"mediaType":"c"}}"#,
                mime::OCI_MANIFEST,
            ),
            (r#"{"schemaVersion":2,"config":[]}"#, ""),
            (r#"{"schemaVersion":2,"manifests":{}}"#, ""),
            (r#"{"schemaVersion":3}"#, ""),
            (r#"{"schemaVersion":"2"}"#, ""),
            (
                r#"{"mediaType":"application/vnd.oci.image.manifest.v1+json"} x"#,
                "",
            ),
            ("not json", ""),
            // Go: `signatures` is an `any`, whose numbers must fit a float64.
            (r#"{"schemaVersion":1,"signatures":[1e400]}"#, ""),
            // Current c/image (Go ≥ 1.21) folds the dotless i.
            (
                r#"{"medıaType":"application/vnd.oci.image.index.v1+json"}"#,
                mime::OCI_INDEX,
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(guess_mime_type(input.as_bytes()), *expected, "{input}");
        }
    }
}
