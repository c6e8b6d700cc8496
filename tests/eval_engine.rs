//! The evaluation engine end to end (policy-semantics.md §10, §13), with an OpenPGP test
//! double so every check after the cryptography is reachable without real keys:
//!
//! * a keyring blob is lines `KEY <fingerprint>`;
//! * a signature blob is `SIG <fingerprint>\n<payload>`, "valid" when the fingerprint
//!   is in the keyring; `ANYSIG <fingerprint>\n<payload>` verifies whatever the key
//!   (to reach the signer check); anything else fails the cryptography.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::sync::Arc;

use containers_policy::digest::Digest;
use containers_policy::eval::{
    KeyLoadError, KeyLoader, PolicyContext, PolicyRejection, RejectReason, RequirementResult,
    SignatureFailure, Verdict,
};
use containers_policy::image::{Image, ImageError, MemoryImage, UntrustedManifest};
use containers_policy::openpgp::{OpenPgpBackend, OpenPgpError, TrustedKeys, VerifiedMessage};
use containers_policy::signature::{UntrustedSignature, UntrustedSigstoreSignature};
use containers_policy::{ImageReference, Policy};

#[derive(Debug)]
struct FakePgp;

#[derive(Debug)]
struct FakeKeys(Vec<String>);

impl OpenPgpBackend for FakePgp {
    fn import(&self, keyrings: &[&[u8]]) -> Result<Box<dyn TrustedKeys>, OpenPgpError> {
        let mut fingerprints = Vec::new();
        for keyring in keyrings {
            for line in String::from_utf8_lossy(keyring).lines() {
                if let Some(fpr) = line.strip_prefix("KEY ") {
                    fingerprints.push(fpr.to_owned());
                }
            }
        }
        Ok(Box::new(FakeKeys(fingerprints)))
    }
}

impl TrustedKeys for FakeKeys {
    fn fingerprints(&self) -> Vec<String> {
        self.0.clone()
    }

    fn verify(&self, untrusted_signature: &[u8]) -> Result<VerifiedMessage, OpenPgpError> {
        let text = String::from_utf8_lossy(untrusted_signature);
        let (head, payload) = text.split_once('\n').ok_or_else(|| OpenPgpError {
            reason: "not a signed message".into(),
        })?;
        let (kind, fpr) = head.split_once(' ').ok_or_else(|| OpenPgpError {
            reason: "not a signed message".into(),
        })?;
        let ok = match kind {
            "SIG" => self.0.iter().any(|k| k == fpr),
            "ANYSIG" => true,
            _ => {
                return Err(OpenPgpError {
                    reason: "not a signed message".into(),
                });
            }
        };
        if !ok {
            return Err(OpenPgpError {
                reason: format!("signature made by unknown key {fpr}"),
            });
        }
        Ok(VerifiedMessage {
            payload: payload.as_bytes().to_vec(),
            signer_fingerprint: fpr.to_owned(),
        })
    }
}

/// Keys from a map instead of files.
#[derive(Debug, Default)]
struct MapLoader(BTreeMap<String, Vec<u8>>);

impl KeyLoader for MapLoader {
    fn load(&self, path: &str) -> Result<Vec<u8>, KeyLoadError> {
        self.0.get(path).cloned().ok_or_else(|| KeyLoadError {
            path: path.into(),
            reason: "no such file".into(),
        })
    }
}

const MANIFEST: &[u8] = br#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{}}"#;

fn manifest_digest() -> Digest {
    Digest::sha256_of(MANIFEST)
}

fn payload(digest: &str, reference: &str) -> String {
    format!(
        r#"{{"critical":{{"type":"atomic container signature","image":{{"docker-manifest-digest":"{digest}"}},"identity":{{"docker-reference":"{reference}"}}}},"optional":{{}}}}"#
    )
}

fn sig(fpr: &str, payload: &str) -> UntrustedSignature {
    UntrustedSignature::SimpleSigning(format!("SIG {fpr}\n{payload}").into_bytes())
}

fn context(policy: &str) -> PolicyContext {
    let loader = MapLoader(
        [
            ("/keys/a".to_owned(), b"KEY AAAA\n".to_vec()),
            ("/keys/b".to_owned(), b"KEY BBBB\n".to_vec()),
            ("/keys/empty".to_owned(), b"garbage".to_vec()),
        ]
        .into(),
    );
    let policy = Policy::from_str(policy).unwrap();
    PolicyContext::builder(&policy)
        .key_loader(Arc::new(loader))
        .openpgp(Arc::new(FakePgp))
        .build()
}

fn eval(ctx: &PolicyContext, reference: &str, image: &dyn Image) -> Verdict {
    ctx.evaluate(&ImageReference::parse(reference).unwrap(), image)
        .unwrap()
}

fn only_failure(verdict: &Verdict) -> SignatureFailure {
    match &verdict.rejecting_requirement().unwrap().result {
        RequirementResult::Rejected {
            reason: RejectReason::NoSignatureAccepted { signatures },
        } => {
            assert_eq!(signatures.len(), 1, "{verdict}");
            signatures[0].failure.clone()
        }
        other => panic!("unexpected result {other:?}\n{verdict}"),
    }
}

fn signed_by(key: &str, identity: &str) -> String {
    format!(
        r#"{{"default":[{{"type":"signedBy","keyType":"GPGKeys","keyPath":"{key}","signedIdentity":{identity}}}]}}"#
    )
}

const REPO_DIGEST_OR_EXACT: &str = r#"{"type":"matchRepoDigestOrExact"}"#;

#[test]
fn requirements_are_anded_and_the_first_rejection_stops_evaluation() {
    let ctx = context(
        r#"{"default":[{"type":"insecureAcceptAnything"},{"type":"reject"},{"type":"signedBaseLayer","baseLayerIdentity":{"type":"matchRepository"}}]}"#,
    );
    let image = MemoryImage::new(MANIFEST, None);
    let verdict = eval(&ctx, "docker://busybox:latest", &image);
    assert!(!verdict.is_allowed());
    assert_eq!(
        verdict.requirements().len(),
        2,
        "the third requirement is never evaluated"
    );
    assert_eq!(
        verdict.requirements()[1].result,
        RequirementResult::Rejected {
            reason: RejectReason::RejectedByPolicy
        }
    );
    assert!(
        verdict.reason().contains("requirement 1 (reject) rejects"),
        "{}",
        verdict.reason()
    );

    let ctx = context(
        r#"{"default":[{"type":"insecureAcceptAnything"},{"type":"signedBaseLayer","baseLayerIdentity":{"type":"matchRepository"}}]}"#,
    );
    let verdict = eval(&ctx, "docker://busybox:latest", &image);
    assert!(!verdict.is_allowed());
    assert!(
        verdict
            .explain()
            .contains("signedBaseLayer is not implemented"),
        "{verdict}"
    );

    let ctx = context(r#"{"default":[{"type":"insecureAcceptAnything"}]}"#);
    assert!(eval(&ctx, "docker://busybox:latest", &image).is_allowed());
}

#[test]
fn insecure_accept_anything_does_not_read_the_image() {
    let ctx = context(r#"{"default":[{"type":"insecureAcceptAnything"}]}"#);
    let verdict = eval(
        &ctx,
        "docker://busybox:latest",
        &MemoryImage::without_manifest(),
    );
    assert!(verdict.is_allowed());
    assert_eq!(verdict.reason(), "");
}

#[test]
fn the_verdict_names_the_section_used() {
    let ctx = context(
        r#"{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io/org":[{"type":"insecureAcceptAnything"}],"":[{"type":"reject"}]}}}"#,
    );
    let image = MemoryImage::new(MANIFEST, None);
    let verdict = eval(&ctx, "docker://quay.io/org/app:v1", &image);
    assert!(verdict.is_allowed());
    let section = verdict.section().unwrap();
    assert_eq!(
        (section.transport.as_str(), section.scope.as_str()),
        ("docker", "quay.io/org")
    );
    assert!(
        verdict.explain().contains(r#"scope "quay.io/org""#),
        "{verdict}"
    );
    let verdict = eval(&ctx, "docker://other.io/app:v1", &image);
    assert_eq!(verdict.section().unwrap().scope, "");
    let verdict = eval(&ctx, "docker-daemon:busybox:latest", &image);
    assert_eq!(verdict.section(), None);
    assert!(
        verdict.explain().contains("the global default"),
        "{verdict}"
    );
    // JSON for programs.
    let json = serde_json::to_value(&verdict).unwrap();
    assert_eq!(json["allowed"], false);
    assert_eq!(
        json["requirements"][0]["result"]["reason"]["kind"],
        "rejectedByPolicy"
    );
}

#[test]
fn signature_requirements_need_a_signature_of_their_family() {
    let ctx = context(&signed_by("/keys/a", REPO_DIGEST_OR_EXACT));
    let image = MemoryImage::new(MANIFEST, None);
    let verdict = eval(&ctx, "docker://busybox:latest", &image);
    assert!(matches!(
        verdict.rejecting_requirement().unwrap().result,
        RequirementResult::Rejected {
            reason: RejectReason::NoSignature { .. }
        }
    ));
    assert!(
        verdict
            .reason()
            .contains("a signature was required, but no signature exists")
    );

    // sigstoreSigned skips simple signatures and non-signature attachments, and says so.
    let ctx = context(r#"{"default":[{"type":"sigstoreSigned","keyPath":"/keys/a"}]}"#);
    let image = MemoryImage::new(MANIFEST, None).with_signatures([
        sig("AAAA", "x"),
        UntrustedSignature::Sigstore(UntrustedSigstoreSignature {
            mime_type: "text/plain".into(),
            payload: b"x".to_vec(),
            annotations: BTreeMap::new(),
        }),
    ]);
    let verdict = eval(&ctx, "docker://busybox:latest", &image);
    match &verdict.rejecting_requirement().unwrap().result {
        RequirementResult::Rejected {
            reason:
                RejectReason::NoSignature {
                    other_format,
                    non_signature_attachments,
                },
        } => {
            assert_eq!((*other_format, *non_signature_attachments), (1, 1));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        verdict
            .reason()
            .contains("1 signature of the other format, 1 non-signature attachment"),
        "{}",
        verdict.reason()
    );
}

#[test]
fn sigstore_trust_material_that_does_not_parse_rejects_each_signature() {
    let ctx = context(r#"{"default":[{"type":"sigstoreSigned","keyPath":"/keys/a"}]}"#);
    let image = MemoryImage::new(MANIFEST, None).with_signatures([UntrustedSignature::Sigstore(
        UntrustedSigstoreSignature {
            mime_type: "application/vnd.dev.cosign.simplesigning.v1+json".into(),
            payload: b"{}".to_vec(),
            annotations: BTreeMap::new(),
        },
    )]);
    let verdict = eval(&ctx, "docker://busybox:latest", &image);
    assert!(!verdict.is_allowed());
    // /keys/a holds a test-double OpenPGP keyring, not a PEM public key.
    let failure = only_failure(&verdict);
    assert!(
        matches!(&failure, SignatureFailure::KeysUnavailable { reason } if reason.starts_with("parsing public key 1")),
        "{failure:?}"
    );
}

#[test]
fn unreadable_signatures_reject_signature_requirements_only() {
    #[derive(Debug)]
    struct Broken;
    impl Image for Broken {
        fn manifest(&self) -> Result<UntrustedManifest<'_>, ImageError> {
            Ok(UntrustedManifest {
                bytes: MANIFEST,
                mime_type: None,
            })
        }
        fn signatures(&self) -> Result<std::borrow::Cow<'_, [UntrustedSignature]>, ImageError> {
            Err(ImageError::Other("signature store offline".into()))
        }
    }
    let ctx = context(&signed_by("/keys/a", REPO_DIGEST_OR_EXACT));
    let verdict = eval(&ctx, "docker://busybox:latest", &Broken);
    assert!(
        verdict.reason().contains("signature store offline"),
        "{}",
        verdict.reason()
    );
    let ctx = context(r#"{"default":[{"type":"insecureAcceptAnything"}]}"#);
    assert!(eval(&ctx, "docker://busybox:latest", &Broken).is_allowed());
}

#[test]
fn key_problems_are_per_requirement_rejections() {
    let image = MemoryImage::new(MANIFEST, None).with_signatures([sig(
        "AAAA",
        &payload(manifest_digest().as_str(), "busybox:latest"),
    )]);
    // A missing key file fails only the requirement that names it.
    let ctx = context(&signed_by("/keys/missing", REPO_DIGEST_OR_EXACT));
    let failure = only_failure(&eval(&ctx, "docker://busybox:latest", &image));
    assert!(
        matches!(&failure, SignatureFailure::KeysUnavailable { reason } if reason.contains("/keys/missing")),
        "{failure:?}"
    );
    // Key material without keys: "No public keys imported".
    let ctx = context(&signed_by("/keys/empty", REPO_DIGEST_OR_EXACT));
    assert_eq!(
        only_failure(&eval(&ctx, "docker://busybox:latest", &image)),
        SignatureFailure::NoKeys
    );
    let ctx = context(r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPaths":[]}]}"#);
    assert_eq!(
        only_failure(&eval(&ctx, "docker://busybox:latest", &image)),
        SignatureFailure::NoKeys
    );
    // Key types other than GPGKeys parse and reject every signature.
    let ctx = context(
        r#"{"default":[{"type":"signedBy","keyType":"X509Certificates","keyPath":"/keys/a"}]}"#,
    );
    assert_eq!(
        only_failure(&eval(&ctx, "docker://busybox:latest", &image)),
        SignatureFailure::UnimplementedKeyType {
            key_type: "X509Certificates"
        }
    );
    // A missing key file with zero signatures: "no signature exists", not the file error.
    let ctx = context(&signed_by("/keys/missing", REPO_DIGEST_OR_EXACT));
    let verdict = eval(
        &ctx,
        "docker://busybox:latest",
        &MemoryImage::new(MANIFEST, None),
    );
    assert!(
        verdict.reason().contains("no signature exists"),
        "{}",
        verdict.reason()
    );
}

#[test]
fn without_an_openpgp_backend_signed_by_fails_closed() {
    let policy = Policy::from_str(
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"S0VZIEFBQUEK"}]}"#,
    )
    .unwrap();
    let ctx = PolicyContext::builder(&policy).without_openpgp().build();
    let image = MemoryImage::new(MANIFEST, None).with_signatures([sig("AAAA", "x")]);
    let verdict = eval(&ctx, "docker://busybox:latest", &image);
    assert_eq!(
        only_failure(&verdict),
        SignatureFailure::VerifierUnavailable { family: "OpenPGP" }
    );
    assert!(
        verdict.reason().contains("fail closed"),
        "{}",
        verdict.reason()
    );
}

#[test]
fn cryptography_and_signer_failures() {
    let ctx = context(&signed_by("/keys/a", REPO_DIGEST_OR_EXACT));
    let p = payload(manifest_digest().as_str(), "busybox:latest");
    let image = MemoryImage::new(MANIFEST, None).with_signatures([sig("BBBB", &p)]);
    let failure = only_failure(&eval(&ctx, "docker://busybox:latest", &image));
    assert!(
        matches!(&failure, SignatureFailure::Cryptography { reason, trusted } if reason.contains("unknown key BBBB") && trusted == &["AAAA"]),
        "{failure:?}"
    );
    let image =
        MemoryImage::new(MANIFEST, None).with_signatures([UntrustedSignature::SimpleSigning(
            format!("ANYSIG CCCC\n{p}").into_bytes(),
        )]);
    let failure = only_failure(&eval(&ctx, "docker://busybox:latest", &image));
    assert_eq!(
        failure,
        SignatureFailure::UntrustedSigner {
            signer: "CCCC".into(),
            trusted: vec!["AAAA".into()]
        }
    );
    assert!(failure.to_string().contains("CCCC") && failure.to_string().contains("AAAA"));
}

#[test]
fn require_signature_verification_rejects_sections_without_signature_requirements() {
    let policy = Policy::from_str(r#"{"default":[{"type":"insecureAcceptAnything"}]}"#).unwrap();
    let ctx = PolicyContext::builder(&policy)
        .require_signature_verification(true)
        .build();
    let verdict = eval(
        &ctx,
        "docker://busybox:latest",
        &MemoryImage::new(MANIFEST, None),
    );
    assert!(!verdict.is_allowed());
    assert_eq!(
        verdict.policy_rejection(),
        Some(&PolicyRejection::NoSignatureVerification)
    );
    assert!(
        verdict
            .reason()
            .contains("signature verification is required")
    );
}

#[test]
fn one_context_serves_many_threads() {
    let ctx = Arc::new(context(
        r#"{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io":[{"type":"insecureAcceptAnything"}]}}}"#,
    ));
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let ctx = Arc::clone(&ctx);
            std::thread::spawn(move || {
                let image = MemoryImage::new(MANIFEST, None);
                let reference = if i % 2 == 0 {
                    "docker://quay.io/a:1"
                } else {
                    "docker://other.io/a:1"
                };
                ctx.evaluate(&ImageReference::parse(reference).unwrap(), &image)
                    .unwrap()
                    .is_allowed()
            })
        })
        .collect();
    let results: Vec<bool> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(results, [true, false, true, false]);
}

fn accepted_signature(verdict: &Verdict) -> containers_policy::eval::AcceptedSignature {
    match &verdict.requirements().last().unwrap().result {
        RequirementResult::Accepted {
            signature: Some(s), ..
        } => s.clone(),
        other => panic!("not accepted by a signature: {other:?}\n{verdict}"),
    }
}

#[test]
fn a_valid_signature_is_accepted_and_reported() {
    let ctx = context(&signed_by("/keys/a", REPO_DIGEST_OR_EXACT));
    let p = payload(manifest_digest().as_str(), "busybox:latest");
    let image = MemoryImage::new(MANIFEST, None).with_signatures([sig("AAAA", &p)]);
    let verdict = eval(&ctx, "docker://busybox:latest", &image);
    assert!(verdict.is_allowed(), "{verdict}");
    let accepted = accepted_signature(&verdict);
    assert_eq!((accepted.index, accepted.signer.as_str()), (1, "AAAA"));
    assert_eq!(accepted.docker_manifest_digest, manifest_digest());
    assert_eq!(accepted.docker_reference, "busybox:latest");
    assert!(
        verdict
            .explain()
            .contains("signature 1 by AAAA for busybox:latest"),
        "{verdict}"
    );
}

#[test]
fn checks_run_in_order_payload_then_digest_then_identity() {
    let ctx = context(&signed_by("/keys/a", r#"{"type":"matchExact"}"#));
    let run = |payload_text: &str, image: MemoryImage| {
        let image = image.with_signatures([sig("AAAA", payload_text)]);
        only_failure(&eval(&ctx, "docker://busybox:latest", &image))
    };
    let good_digest = manifest_digest();
    // Payload: not JSON, wrong type, `optional: null`.
    assert!(matches!(
        run("This is not JSON", MemoryImage::new(MANIFEST, None)),
        SignatureFailure::InvalidPayload { .. }
    ));
    let null_optional = payload(good_digest.as_str(), "busybox:latest")
        .replace(r#""optional":{}"#, r#""optional":null"#);
    assert!(matches!(
        run(&null_optional, MemoryImage::new(MANIFEST, None)),
        SignatureFailure::InvalidPayload { .. }
    ));
    // A wrong identity AND a wrong digest: the digest is reported (it is checked first).
    let other = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let failure = run(
        &payload(other, "other:latest"),
        MemoryImage::new(MANIFEST, None),
    );
    assert_eq!(
        failure,
        SignatureFailure::DigestMismatch {
            signed: Digest::parse(other).unwrap(),
            manifest: Some(good_digest.clone())
        }
    );
    assert!(failure.to_string().contains(good_digest.as_str()));
    // The manifest is read only after the signature verifies; a missing one fails then.
    let failure = run(
        &payload(good_digest.as_str(), "busybox:latest"),
        MemoryImage::without_manifest(),
    );
    assert!(
        matches!(failure, SignatureFailure::ManifestUnavailable { .. }),
        "{failure:?}"
    );
    // Right digest, wrong identity.
    let failure = run(
        &payload(good_digest.as_str(), "busybox:other"),
        MemoryImage::new(MANIFEST, None),
    );
    assert_eq!(
        failure,
        SignatureFailure::IdentityMismatch {
            signed: "busybox:other".into(),
            image: Some("docker.io/library/busybox:latest".into()),
            rule: "matchExact"
        }
    );
    // sha512 digests never match, even when correct (SHA-256 only, §13).
    let sha512 = format!("sha512:{}", "0".repeat(128));
    assert!(matches!(
        run(
            &payload(&sha512, "busybox:latest"),
            MemoryImage::new(MANIFEST, None)
        ),
        SignatureFailure::DigestMismatch { .. }
    ));
}

#[test]
fn digest_references_must_match_the_manifest() {
    let ctx = context(&signed_by("/keys/a", REPO_DIGEST_OR_EXACT));
    let good = manifest_digest();
    let image = || {
        MemoryImage::new(MANIFEST, None)
            .with_signatures([sig("AAAA", &payload(good.as_str(), "busybox:anytag"))])
    };
    // Digest-only reference with the right digest: matchRepoDigestOrExact accepts any tag.
    assert!(eval(&ctx, &format!("docker://busybox@{good}"), &image()).is_allowed());
    // With a different digest the manifest itself is refused (policy-semantics §13).
    let wrong = format!("docker://busybox@sha256:{}", "b".repeat(64));
    let failure = only_failure(&eval(&ctx, &wrong, &image()));
    assert!(
        matches!(&failure, SignatureFailure::ManifestUnavailable { reason } if reason.contains("does not match")),
        "{failure:?}"
    );
    // ... but insecureAcceptAnything never reads the manifest.
    let open = context(r#"{"default":[{"type":"insecureAcceptAnything"}]}"#);
    assert!(eval(&open, &wrong, &image()).is_allowed());
    // An instance digest (manifest-list instance) is checked the same way.
    let instance =
        image().with_instance_digest(Digest::parse(&format!("sha256:{}", "c".repeat(64))).unwrap());
    assert!(matches!(
        only_failure(&eval(&ctx, "docker://busybox:anytag", &instance)),
        SignatureFailure::ManifestUnavailable { .. }
    ));
}

#[test]
fn one_good_signature_among_bad_ones_is_enough_in_any_order() {
    let ctx = context(&signed_by("/keys/a", REPO_DIGEST_OR_EXACT));
    let good = sig(
        "AAAA",
        &payload(manifest_digest().as_str(), "busybox:latest"),
    );
    let bad = sig(
        "BBBB",
        &payload(manifest_digest().as_str(), "busybox:latest"),
    );
    for signatures in [
        vec![good.clone(), bad.clone()],
        vec![bad.clone(), good.clone()],
        vec![bad.clone(), bad.clone(), good.clone()],
    ] {
        let good_at = signatures.iter().position(|s| *s == good).unwrap() + 1;
        let verdict = eval(
            &ctx,
            "docker://busybox:latest",
            &MemoryImage::new(MANIFEST, None).with_signatures(signatures),
        );
        assert!(verdict.is_allowed(), "{verdict}");
        assert_eq!(accepted_signature(&verdict).index, good_at);
    }
    let verdict = eval(
        &ctx,
        "docker://busybox:latest",
        &MemoryImage::new(MANIFEST, None).with_signatures([bad.clone(), good.clone()]),
    );
    match &verdict.requirements()[0].result {
        RequirementResult::Accepted {
            signature: Some(s),
            rejected_before,
        } => {
            assert_eq!(s.index, 2);
            assert_eq!(rejected_before.len(), 1);
            assert_eq!(rejected_before[0].index, 1);
        }
        other => panic!("{other:?}"),
    }
    // Two bad signatures: both reasons are listed.
    let verdict = eval(
        &ctx,
        "docker://busybox:latest",
        &MemoryImage::new(MANIFEST, None).with_signatures([bad.clone(), bad]),
    );
    assert!(
        verdict
            .reason()
            .contains("none of the 2 signatures was accepted"),
        "{}",
        verdict.reason()
    );
    assert!(
        verdict.reason().contains("signature 2:"),
        "{}",
        verdict.reason()
    );
}

#[test]
fn accepted_signatures_follow_get_signatures_with_accepted_author() {
    let good = sig(
        "AAAA",
        &payload(manifest_digest().as_str(), "busybox:latest"),
    );
    let bad = sig(
        "BBBB",
        &payload(manifest_digest().as_str(), "busybox:latest"),
    );
    let image = MemoryImage::new(MANIFEST, None).with_signatures([bad, good]);
    let reference = ImageReference::parse("docker://busybox:latest").unwrap();
    let accepted = |policy: &str| {
        context(policy)
            .accepted_signatures(&reference, &image)
            .unwrap()
            .unwrap()
    };
    let list = accepted(&signed_by("/keys/a", REPO_DIGEST_OR_EXACT));
    assert_eq!(list.iter().map(|s| s.index).collect::<Vec<_>>(), [2]);
    // insecureAcceptAnything is "unknown": alone it accepts nothing, next to signedBy it
    // does not block.
    assert!(accepted(r#"{"default":[{"type":"insecureAcceptAnything"}]}"#).is_empty());
    let both = r#"{"default":[{"type":"insecureAcceptAnything"},{"type":"signedBy","keyType":"GPGKeys","keyPath":"/keys/a"}]}"#;
    assert_eq!(accepted(both).len(), 1);
    // reject and sigstoreSigned reject every signature here.
    let with_reject = r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/keys/a"},{"type":"reject"}]}"#;
    assert!(accepted(with_reject).is_empty());
    let with_sigstore = r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/keys/a"},{"type":"sigstoreSigned","keyPath":"/keys/a"}]}"#;
    assert!(accepted(with_sigstore).is_empty());
}

#[test]
fn judge_signatures_says_accepted_rejected_or_unknown_per_signature() {
    use containers_policy::eval::SignatureJudgement;
    let good = sig(
        "AAAA",
        &payload(manifest_digest().as_str(), "busybox:latest"),
    );
    let bad = sig(
        "BBBB",
        &payload(manifest_digest().as_str(), "busybox:latest"),
    );
    let sigstore = UntrustedSignature::Sigstore(UntrustedSigstoreSignature {
        mime_type: "application/vnd.dev.cosign.simplesigning.v1+json".into(),
        payload: b"{}".to_vec(),
        annotations: BTreeMap::new(),
    });
    let image = MemoryImage::new(MANIFEST, None).with_signatures([good, sigstore, bad]);
    let reference = ImageReference::parse("docker://busybox:latest").unwrap();
    let judgements = context(&signed_by("/keys/a", REPO_DIGEST_OR_EXACT))
        .judge_signatures(&reference, &image)
        .unwrap()
        .unwrap();
    assert_eq!(
        judgements.len(),
        2,
        "sigstore signatures are not judged: {judgements:?}"
    );
    assert!(matches!(&judgements[0], SignatureJudgement::Accepted(s) if s.index == 1));
    match &judgements[1] {
        SignatureJudgement::Rejected {
            index: 3,
            requirement_type: "signedBy",
            failure: Some(SignatureFailure::Cryptography { .. }),
        } => {}
        other => panic!("{other:?}"),
    }
    let judgements = context(r#"{"default":[{"type":"insecureAcceptAnything"}]}"#)
        .judge_signatures(&reference, &image)
        .unwrap()
        .unwrap();
    assert_eq!(
        judgements,
        [
            SignatureJudgement::Unknown { index: 1 },
            SignatureJudgement::Unknown { index: 3 }
        ]
    );
    let judgements = context(r#"{"default":[{"type":"reject"}]}"#)
        .judge_signatures(&reference, &image)
        .unwrap()
        .unwrap();
    assert!(matches!(
        &judgements[0],
        SignatureJudgement::Rejected {
            requirement_type: "reject",
            failure: None,
            ..
        }
    ));
}
