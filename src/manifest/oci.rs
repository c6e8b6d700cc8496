//! The OCI image-spec types as Go's `encoding/json` decodes them (c/image's
//! `imgspecv1` structs), for the readers whose verdicts depend on Go's decoding:
//! `index.json`, sigstore attachment manifests and MIME-type guessing.

use std::collections::BTreeMap;

use crate::gojson::decode::{GoAny, GoBytes, GoInt, GoSlice, go_struct};

go_struct!(
    /// image-spec `Platform`.
    GoPlatform {
        "architecture" => architecture: String,
        "os" => os: String,
        "os.version" => os_version: String,
        "os.features" => os_features: GoSlice<String>,
        "variant" => variant: String,
    }
);

go_struct!(
    /// image-spec `Descriptor`.
    GoDescriptor {
        "mediaType" => media_type: String,
        "digest" => digest: String,
        "size" => size: GoInt,
        "urls" => urls: GoSlice<String>,
        "annotations" => annotations: BTreeMap<String, String>,
        "data" => data: GoBytes,
        "platform" => platform: Option<Box<GoPlatform>>,
        "artifactType" => artifact_type: String,
    }
);

go_struct!(
    /// image-spec `Index` (`index.json`).
    GoIndex {
        "schemaVersion" => schema_version: GoInt,
        "mediaType" => media_type: String,
        "artifactType" => artifact_type: String,
        "manifests" => manifests: GoSlice<GoDescriptor>,
        "subject" => subject: Option<Box<GoDescriptor>>,
        "annotations" => annotations: BTreeMap<String, String>,
    }
);

go_struct!(
    /// image-spec `Manifest` (c/image `manifest.OCI1`).
    GoManifest {
        "schemaVersion" => schema_version: GoInt,
        "mediaType" => media_type: String,
        "artifactType" => artifact_type: String,
        "config" => config: GoDescriptor,
        "layers" => layers: GoSlice<GoDescriptor>,
        "subject" => subject: Option<Box<GoDescriptor>>,
        "annotations" => annotations: BTreeMap<String, String>,
    }
);

go_struct!(
    /// `validateUnambiguousManifestFormat`'s view of a manifest.
    GoDetectedFields {
        "config" => config: GoAny,
        "fsLayers" => fs_layers: GoAny,
        "history" => history: GoAny,
        "layers" => layers: GoAny,
        "manifests" => manifests: GoAny,
    }
);
