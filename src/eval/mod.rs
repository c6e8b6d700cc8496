//! Evaluation: a [`PolicyContext`] built once from a [`Policy`](crate::Policy) decides
//! on images the caller hands over through [`Image`](crate::image::Image), and explains
//! each decision in a [`Verdict`].
//!
//! ```
//! use containers_policy::eval::PolicyContext;
//! use containers_policy::image::MemoryImage;
//! use containers_policy::{ImageReference, Policy};
//!
//! let policy = Policy::from_str(r#"{"default": [{"type": "reject"}],
//!     "transports": {"docker": {"quay.io/org": [{"type": "insecureAcceptAnything"}]}}}"#)?;
//! let context = PolicyContext::new(&policy);
//! let image = MemoryImage::new(b"{}".to_vec(), None);
//!
//! let allowed = context.evaluate(&ImageReference::parse("docker://quay.io/org/app:v1")?, &image)?;
//! assert!(allowed.is_allowed());
//! let rejected = context.evaluate(&ImageReference::parse("docker://quay.io/other/app:v1")?, &image)?;
//! assert!(!rejected.is_allowed());
//! assert!(rejected.explain().contains("the policy rejects this image"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod checks;
mod context;
mod identity;
mod keys;
mod sigstore;
mod verdict;

pub use context::{
    EvalError, MAX_SIGNATURES, PolicyContext, PolicyContextBuilder, SignatureJudgement,
};
pub use identity::identity_matches;
pub use keys::{FsKeyLoader, KeyLoadError, KeyLoader, MAX_KEY_FILE_SIZE};
pub use sigstore::SigstoreTrust;
pub use verdict::{
    AcceptedSignature, PolicyRejection, RejectReason, RequirementOutcome, RequirementResult,
    Section, SignatureFailure, SignatureOutcome, Verdict,
};
