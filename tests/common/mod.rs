//! Helpers shared by the integration tests.
#![allow(dead_code)]

use containers_policy::policy::{JsonType, PolicyErrorKind};

/// A short name for an error kind, so tables can say which error they expect.
pub fn kind_name(kind: &PolicyErrorKind) -> String {
    match kind {
        PolicyErrorKind::Syntax { .. } => "Syntax".into(),
        PolicyErrorKind::TooLarge { .. } => "TooLarge".into(),
        PolicyErrorKind::WrongType { found, .. } => format!(
            "WrongType({})",
            match found {
                JsonType::Null => "Null",
                JsonType::Bool => "Bool",
                JsonType::Number => "Number",
                JsonType::String => "String",
                JsonType::Array => "Array",
                JsonType::Object => "Object",
            }
        ),
        PolicyErrorKind::DuplicateKey { .. } => "DuplicateKey".into(),
        PolicyErrorKind::UnknownKey { .. } => "UnknownKey".into(),
        PolicyErrorKind::MissingKey { key: "keyType", .. } => "MissingKey(keyType)".into(),
        PolicyErrorKind::MissingKey { .. } => "MissingKey".into(),
        PolicyErrorKind::MissingDefault => "MissingDefault".into(),
        PolicyErrorKind::EmptyRequirements => "EmptyRequirements".into(),
        PolicyErrorKind::UnknownRequirementType { .. } => "UnknownRequirementType".into(),
        PolicyErrorKind::UnknownIdentityType { .. } => "UnknownIdentityType".into(),
        PolicyErrorKind::InvalidScope { .. } => "InvalidScope".into(),
        PolicyErrorKind::InvalidKeyType { .. } => "InvalidKeyType".into(),
        PolicyErrorKind::InvalidBase64 { .. } => "InvalidBase64".into(),
        PolicyErrorKind::SignedByKeySources { .. } => "SignedByKeySources".into(),
        PolicyErrorKind::EmptyKeySource { .. } => "EmptyKeySource".into(),
        PolicyErrorKind::EmptyList { .. } => "EmptyList".into(),
        PolicyErrorKind::SigstoreKeySources { .. } => "SigstoreKeySources".into(),
        PolicyErrorKind::RekorKeySources { .. } => "RekorKeySources".into(),
        PolicyErrorKind::FulcioWithoutRekor => "FulcioWithoutRekor".into(),
        PolicyErrorKind::RekorWithPki { .. } => "RekorWithPki".into(),
        PolicyErrorKind::ConflictingSources { .. } => "ConflictingSources".into(),
        PolicyErrorKind::MissingSource { .. } => "MissingSource".into(),
        PolicyErrorKind::MissingValue { .. } => "MissingValue".into(),
        PolicyErrorKind::PkiWithoutSubject => "PkiWithoutSubject".into(),
        PolicyErrorKind::InvalidReference { .. } => "InvalidReference".into(),
        PolicyErrorKind::ReferenceWithoutTagOrDigest { .. } => "ReferenceWithoutTagOrDigest".into(),
        PolicyErrorKind::InvalidRemapPrefix { .. } => "InvalidRemapPrefix".into(),
        other => format!("{other:?}"),
    }
}
