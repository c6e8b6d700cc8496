//! Writing a [`Policy`] back to policy.json.
//!
//! Members come in a fixed order (`type` first, then the fields in the order the
//! documentation lists them; transports and scopes sorted, as Go's `json.Marshal`
//! does for maps), so tools that edit policies produce stable diffs. Binary data is
//! written as standard padded base64. `signedIdentity` is always written, as c/image
//! does. Whatever we write parses back to an equal [`Policy`].

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};

use super::Policy;
use super::identity::SignedIdentity;
use super::requirement::{
    CertSource, Fulcio, GpgKeySource, Pki, RekorKeys, Requirement, SignedBy, SigstoreKeys,
    SigstoreSigned,
};
use crate::go_encoding::base64_encode as b64;

fn b64_list(data: &[Vec<u8>]) -> Vec<String> {
    data.iter().map(|d| b64(d)).collect()
}

impl Serialize for Policy {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Policy", 2)?;
        s.serialize_field("default", &self.default)?;
        s.serialize_field("transports", &self.transports)?;
        s.end()
    }
}

impl Serialize for Requirement {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", self.type_name())?;
        match self {
            Requirement::InsecureAcceptAnything | Requirement::Reject => {}
            Requirement::SignedBy(signed_by) => write_signed_by(&mut map, signed_by)?,
            Requirement::SigstoreSigned(sigstore) => write_sigstore(&mut map, sigstore)?,
            Requirement::SignedBaseLayer(base) => {
                map.serialize_entry("baseLayerIdentity", base.base_layer_identity())?;
            }
        }
        map.end()
    }
}

fn write_signed_by<M: SerializeMap>(map: &mut M, signed_by: &SignedBy) -> Result<(), M::Error> {
    map.serialize_entry("keyType", signed_by.key_type().as_str())?;
    match signed_by.keys() {
        GpgKeySource::Path(path) => map.serialize_entry("keyPath", path)?,
        GpgKeySource::Paths(paths) => map.serialize_entry("keyPaths", paths)?,
        GpgKeySource::Data(data) => map.serialize_entry("keyData", &b64(data))?,
    }
    map.serialize_entry("signedIdentity", signed_by.signed_identity())
}

fn write_sigstore<M: SerializeMap>(map: &mut M, sigstore: &SigstoreSigned) -> Result<(), M::Error> {
    match sigstore.keys() {
        SigstoreKeys::Path(path) => map.serialize_entry("keyPath", path)?,
        SigstoreKeys::Paths(paths) => map.serialize_entry("keyPaths", paths)?,
        SigstoreKeys::Data(data) => map.serialize_entry("keyData", &b64(data))?,
        SigstoreKeys::Datas(datas) => map.serialize_entry("keyDatas", &b64_list(datas))?,
        SigstoreKeys::Fulcio(fulcio) => map.serialize_entry("fulcio", fulcio)?,
        SigstoreKeys::Pki(pki) => map.serialize_entry("pki", pki)?,
    }
    match sigstore.rekor() {
        None => {}
        Some(RekorKeys::Path(path)) => map.serialize_entry("rekorPublicKeyPath", path)?,
        Some(RekorKeys::Paths(paths)) => map.serialize_entry("rekorPublicKeyPaths", paths)?,
        Some(RekorKeys::Data(data)) => map.serialize_entry("rekorPublicKeyData", &b64(data))?,
        Some(RekorKeys::Datas(datas)) => {
            map.serialize_entry("rekorPublicKeyDatas", &b64_list(datas))?;
        }
    }
    map.serialize_entry("signedIdentity", sigstore.signed_identity())
}

fn write_cert_source<M: SerializeMap>(
    map: &mut M,
    source: &CertSource,
    path_field: &'static str,
    data_field: &'static str,
) -> Result<(), M::Error> {
    match source {
        CertSource::Path(path) => map.serialize_entry(path_field, path),
        CertSource::Data(data) => map.serialize_entry(data_field, &b64(data)),
    }
}

impl Serialize for Fulcio {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        write_cert_source(&mut map, self.ca(), "caPath", "caData")?;
        map.serialize_entry("oidcIssuer", self.oidc_issuer())?;
        map.serialize_entry("subjectEmail", self.subject_email())?;
        map.end()
    }
}

impl Serialize for Pki {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        write_cert_source(&mut map, self.roots(), "caRootsPath", "caRootsData")?;
        if let Some(intermediates) = self.intermediates() {
            write_cert_source(
                &mut map,
                intermediates,
                "caIntermediatesPath",
                "caIntermediatesData",
            )?;
        }
        if let Some(email) = self.subject_email() {
            map.serialize_entry("subjectEmail", email)?;
        }
        if let Some(hostname) = self.subject_hostname() {
            map.serialize_entry("subjectHostname", hostname)?;
        }
        map.end()
    }
}

impl Serialize for SignedIdentity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", self.type_name())?;
        match self {
            SignedIdentity::MatchExact
            | SignedIdentity::MatchRepoDigestOrExact
            | SignedIdentity::MatchRepository => {}
            SignedIdentity::ExactReference(r) => {
                map.serialize_entry("dockerReference", r.docker_reference())?;
            }
            SignedIdentity::ExactRepository(r) => {
                map.serialize_entry("dockerRepository", r.docker_repository())?;
            }
            SignedIdentity::RemapIdentity(r) => {
                map.serialize_entry("prefix", r.prefix())?;
                map.serialize_entry("signedPrefix", r.signed_prefix())?;
            }
        }
        map.end()
    }
}
