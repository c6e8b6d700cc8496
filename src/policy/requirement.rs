//! Policy requirements: `insecureAcceptAnything`, `reject`, `signedBy`,
//! `sigstoreSigned` and c/image's unimplemented `signedBaseLayer`
//! (policy-semantics.md §5).
//!
//! The types make invalid combinations unrepresentable where they can (one key source
//! per requirement, Fulcio only with Rekor, PKI never with Rekor); constructors check
//! the rest, so a value of these types always serialises to a policy that parses.

use super::error::{JsonPath, PolicyError, PolicyErrorKind};
use super::identity::SignedIdentity;

/// The requirement types, in the order the documentation lists them.
pub const REQUIREMENT_TYPES: &[&str] = &[
    "insecureAcceptAnything",
    "reject",
    "signedBy",
    "sigstoreSigned",
    "signedBaseLayer",
];

/// One requirement of a policy section. All requirements of a section must accept an
/// image.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Requirement {
    /// Accept any image, signed or not.
    InsecureAcceptAnything,
    /// Reject every image.
    Reject,
    /// Require a simple-signing (OpenPGP) signature.
    SignedBy(SignedBy),
    /// Require a sigstore (cosign) signature.
    SigstoreSigned(SigstoreSigned),
    /// c/image parses this undocumented type and then rejects every image with
    /// "signedBaseLayer not implemented yet!"; so do we.
    SignedBaseLayer(SignedBaseLayer),
}

impl Requirement {
    /// The `type` string of this requirement in policy.json.
    pub fn type_name(&self) -> &'static str {
        match self {
            Requirement::InsecureAcceptAnything => "insecureAcceptAnything",
            Requirement::Reject => "reject",
            Requirement::SignedBy(_) => "signedBy",
            Requirement::SigstoreSigned(_) => "sigstoreSigned",
            Requirement::SignedBaseLayer(_) => "signedBaseLayer",
        }
    }

    /// True for the requirements that check signatures (`signedBy`, `sigstoreSigned`).
    pub fn verifies_signatures(&self) -> bool {
        matches!(
            self,
            Requirement::SignedBy(_) | Requirement::SigstoreSigned(_)
        )
    }
}

impl From<SignedBy> for Requirement {
    fn from(value: SignedBy) -> Self {
        Requirement::SignedBy(value)
    }
}

impl From<SigstoreSigned> for Requirement {
    fn from(value: SigstoreSigned) -> Self {
        Requirement::SigstoreSigned(value)
    }
}

/// `signedBy.keyType`. Only [`KeyType::GpgKeys`] is implemented by c/image; the other
/// values parse and then reject every signature, and so they do here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// `GPGKeys`
    GpgKeys,
    /// `signedByGPGKeys`
    SignedByGpgKeys,
    /// `X509Certificates`
    X509Certificates,
    /// `signedByX509CAs`
    SignedByX509Cas,
}

impl KeyType {
    /// The policy.json spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::GpgKeys => "GPGKeys",
            KeyType::SignedByGpgKeys => "signedByGPGKeys",
            KeyType::X509Certificates => "X509Certificates",
            KeyType::SignedByX509Cas => "signedByX509CAs",
        }
    }

    /// Parses the policy.json spelling (case-sensitive, as c/image).
    pub fn from_name(name: &str) -> Option<KeyType> {
        [
            KeyType::GpgKeys,
            KeyType::SignedByGpgKeys,
            KeyType::X509Certificates,
            KeyType::SignedByX509Cas,
        ]
        .into_iter()
        .find(|t| t.as_str() == name)
    }
}

/// Where a `signedBy` requirement's OpenPGP keyrings come from.
///
/// Quirk kept from c/image: an empty `keyPaths` list and an empty `keyData` are valid
/// policy and reject every signature at evaluation ("No public keys imported").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GpgKeySource {
    /// `keyPath`: one keyring file (must not be empty).
    Path(String),
    /// `keyPaths`: several keyring files.
    Paths(Vec<String>),
    /// `keyData`: keyring bytes (base64 in policy.json).
    Data(Vec<u8>),
}

/// A `signedBy` requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedBy {
    key_type: KeyType,
    keys: GpgKeySource,
    signed_identity: SignedIdentity,
}

impl SignedBy {
    /// A `signedBy` requirement; fails when `keys` is an empty `keyPath`.
    pub fn new(
        key_type: KeyType,
        keys: GpgKeySource,
        signed_identity: SignedIdentity,
    ) -> Result<Self, PolicyError> {
        if matches!(&keys, GpgKeySource::Path(p) if p.is_empty()) {
            return Err(PolicyError::new(
                PolicyErrorKind::EmptyKeySource {
                    field: "keyPath",
                    what: "empty",
                },
                JsonPath::root(),
            ));
        }
        Ok(Self {
            key_type,
            keys,
            signed_identity,
        })
    }

    /// The key type.
    pub fn key_type(&self) -> KeyType {
        self.key_type
    }

    /// Where the keys come from.
    pub fn keys(&self) -> &GpgKeySource {
        &self.keys
    }

    /// The identity rule.
    pub fn signed_identity(&self) -> &SignedIdentity {
        &self.signed_identity
    }
}

/// Where a `sigstoreSigned` requirement's trust comes from: public keys, Fulcio
/// certificates or a private PKI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SigstoreKeys {
    /// `keyPath`: one PEM public-key file.
    Path(String),
    /// `keyPaths`: several files (at least one).
    Paths(Vec<String>),
    /// `keyData`: PEM bytes (base64 in policy.json). Empty data is valid policy and
    /// fails at evaluation, as in c/image.
    Data(Vec<u8>),
    /// `keyDatas`: several PEM blobs (at least one).
    Datas(Vec<Vec<u8>>),
    /// `fulcio`: keyless signing certificates (requires Rekor).
    Fulcio(Fulcio),
    /// `pki`: certificates from a private CA (Rekor not allowed).
    Pki(Pki),
}

impl SigstoreKeys {
    /// The policy.json member name of this source.
    pub fn field_name(&self) -> &'static str {
        match self {
            SigstoreKeys::Path(_) => "keyPath",
            SigstoreKeys::Paths(_) => "keyPaths",
            SigstoreKeys::Data(_) => "keyData",
            SigstoreKeys::Datas(_) => "keyDatas",
            SigstoreKeys::Fulcio(_) => "fulcio",
            SigstoreKeys::Pki(_) => "pki",
        }
    }
}

/// Where the trusted Rekor public keys come from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RekorKeys {
    /// `rekorPublicKeyPath`
    Path(String),
    /// `rekorPublicKeyPaths` (at least one)
    Paths(Vec<String>),
    /// `rekorPublicKeyData`
    Data(Vec<u8>),
    /// `rekorPublicKeyDatas` (at least one)
    Datas(Vec<Vec<u8>>),
}

impl RekorKeys {
    /// The policy.json member name of this source.
    pub fn field_name(&self) -> &'static str {
        match self {
            RekorKeys::Path(_) => "rekorPublicKeyPath",
            RekorKeys::Paths(_) => "rekorPublicKeyPaths",
            RekorKeys::Data(_) => "rekorPublicKeyData",
            RekorKeys::Datas(_) => "rekorPublicKeyDatas",
        }
    }
}

/// A `sigstoreSigned` requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigstoreSigned {
    keys: SigstoreKeys,
    rekor: Option<RekorKeys>,
    signed_identity: SignedIdentity,
}

impl SigstoreSigned {
    /// A `sigstoreSigned` requirement, checked as c/image's `NewPRSigstoreSigned`:
    /// no empty paths or lists, Fulcio only with Rekor, PKI never with Rekor.
    pub fn new(
        keys: SigstoreKeys,
        rekor: Option<RekorKeys>,
        signed_identity: SignedIdentity,
    ) -> Result<Self, PolicyError> {
        Self::validate(&keys, rekor.as_ref())
            .map_err(|kind| PolicyError::new(kind, JsonPath::root()))?;
        Ok(Self {
            keys,
            rekor,
            signed_identity,
        })
    }

    pub(crate) fn validate(
        keys: &SigstoreKeys,
        rekor: Option<&RekorKeys>,
    ) -> Result<(), PolicyErrorKind> {
        match keys {
            SigstoreKeys::Path(p) if p.is_empty() => {
                return Err(PolicyErrorKind::EmptyKeySource {
                    field: "keyPath",
                    what: "empty",
                });
            }
            SigstoreKeys::Paths(p) if p.is_empty() => {
                return Err(PolicyErrorKind::EmptyList { field: "keyPaths" });
            }
            SigstoreKeys::Datas(d) if d.is_empty() => {
                return Err(PolicyErrorKind::EmptyList { field: "keyDatas" });
            }
            _ => {}
        }
        match rekor {
            Some(RekorKeys::Path(p)) if p.is_empty() => {
                return Err(PolicyErrorKind::EmptyKeySource {
                    field: "rekorPublicKeyPath",
                    what: "empty",
                });
            }
            Some(RekorKeys::Paths(p)) if p.is_empty() => {
                return Err(PolicyErrorKind::EmptyList {
                    field: "rekorPublicKeyPaths",
                });
            }
            Some(RekorKeys::Datas(d)) if d.is_empty() => {
                return Err(PolicyErrorKind::EmptyList {
                    field: "rekorPublicKeyDatas",
                });
            }
            _ => {}
        }
        match (keys, rekor) {
            (SigstoreKeys::Fulcio(_), None) => Err(PolicyErrorKind::FulcioWithoutRekor),
            (SigstoreKeys::Pki(_), Some(rekor)) => Err(PolicyErrorKind::RekorWithPki {
                found: vec![rekor.field_name()],
            }),
            _ => Ok(()),
        }
    }

    pub(crate) fn new_unchecked(
        keys: SigstoreKeys,
        rekor: Option<RekorKeys>,
        signed_identity: SignedIdentity,
    ) -> Self {
        Self {
            keys,
            rekor,
            signed_identity,
        }
    }

    /// The trust source.
    pub fn keys(&self) -> &SigstoreKeys {
        &self.keys
    }

    /// The Rekor keys, if Rekor is required.
    pub fn rekor(&self) -> Option<&RekorKeys> {
        self.rekor.as_ref()
    }

    /// The identity rule.
    pub fn signed_identity(&self) -> &SignedIdentity {
        &self.signed_identity
    }
}

/// A certificate source: a file or inline PEM bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CertSource {
    /// A PEM file (must not be empty).
    Path(String),
    /// PEM bytes (base64 in policy.json).
    Data(Vec<u8>),
}

/// The `fulcio` trust source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fulcio {
    ca: CertSource,
    oidc_issuer: String,
    subject_email: String,
}

impl Fulcio {
    /// A Fulcio trust source; the CA path, issuer and email must not be empty.
    pub fn new(
        ca: CertSource,
        oidc_issuer: impl Into<String>,
        subject_email: impl Into<String>,
    ) -> Result<Self, PolicyError> {
        let fulcio = Self {
            ca,
            oidc_issuer: oidc_issuer.into(),
            subject_email: subject_email.into(),
        };
        fulcio
            .validate()
            .map_err(|kind| PolicyError::new(kind, JsonPath::root()))?;
        Ok(fulcio)
    }

    fn validate(&self) -> Result<(), PolicyErrorKind> {
        if matches!(&self.ca, CertSource::Path(p) if p.is_empty()) {
            return Err(PolicyErrorKind::MissingSource {
                path_field: "caPath",
                data_field: "caData",
            });
        }
        if self.oidc_issuer.is_empty() {
            return Err(PolicyErrorKind::MissingValue {
                field: "oidcIssuer",
            });
        }
        if self.subject_email.is_empty() {
            return Err(PolicyErrorKind::MissingValue {
                field: "subjectEmail",
            });
        }
        Ok(())
    }

    pub(crate) fn new_unchecked(
        ca: CertSource,
        oidc_issuer: String,
        subject_email: String,
    ) -> Self {
        Self {
            ca,
            oidc_issuer,
            subject_email,
        }
    }

    /// The Fulcio CA certificates.
    pub fn ca(&self) -> &CertSource {
        &self.ca
    }

    /// The OIDC issuer the certificate must name.
    pub fn oidc_issuer(&self) -> &str {
        &self.oidc_issuer
    }

    /// The e-mail address the certificate must name.
    pub fn subject_email(&self) -> &str {
        &self.subject_email
    }
}

/// The `pki` trust source (bring your own PKI).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pki {
    roots: CertSource,
    intermediates: Option<CertSource>,
    subject_email: Option<String>,
    subject_hostname: Option<String>,
}

impl Pki {
    /// A PKI trust source. Empty subject strings count as absent; at least one subject
    /// must remain.
    pub fn new(
        roots: CertSource,
        intermediates: Option<CertSource>,
        subject_email: Option<String>,
        subject_hostname: Option<String>,
    ) -> Result<Self, PolicyError> {
        let pki = Self::new_unchecked(roots, intermediates, subject_email, subject_hostname);
        pki.validate()
            .map_err(|kind| PolicyError::new(kind, JsonPath::root()))?;
        Ok(pki)
    }

    fn validate(&self) -> Result<(), PolicyErrorKind> {
        if matches!(&self.roots, CertSource::Path(p) if p.is_empty()) {
            return Err(PolicyErrorKind::MissingSource {
                path_field: "caRootsPath",
                data_field: "caRootsData",
            });
        }
        if self.subject_email.is_none() && self.subject_hostname.is_none() {
            return Err(PolicyErrorKind::PkiWithoutSubject);
        }
        Ok(())
    }

    pub(crate) fn new_unchecked(
        roots: CertSource,
        intermediates: Option<CertSource>,
        subject_email: Option<String>,
        subject_hostname: Option<String>,
    ) -> Self {
        let non_empty = |s: Option<String>| s.filter(|s| !s.is_empty());
        let intermediates =
            intermediates.filter(|i| !matches!(i, CertSource::Path(p) if p.is_empty()));
        Self {
            roots,
            intermediates,
            subject_email: non_empty(subject_email),
            subject_hostname: non_empty(subject_hostname),
        }
    }

    /// The trusted root certificates.
    pub fn roots(&self) -> &CertSource {
        &self.roots
    }

    /// Extra trusted intermediate certificates.
    pub fn intermediates(&self) -> Option<&CertSource> {
        self.intermediates.as_ref()
    }

    /// The e-mail address the certificate must name, if required.
    pub fn subject_email(&self) -> Option<&str> {
        self.subject_email.as_deref()
    }

    /// The host name the certificate must be valid for, if required.
    pub fn subject_hostname(&self) -> Option<&str> {
        self.subject_hostname.as_deref()
    }
}

/// The `signedBaseLayer` requirement (never implemented by c/image).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedBaseLayer {
    base_layer_identity: SignedIdentity,
}

impl SignedBaseLayer {
    /// A `signedBaseLayer` requirement.
    pub fn new(base_layer_identity: SignedIdentity) -> Self {
        Self {
            base_layer_identity,
        }
    }

    /// The identity the base layer would have to match.
    pub fn base_layer_identity(&self) -> &SignedIdentity {
        &self.base_layer_identity
    }
}
