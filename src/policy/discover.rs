//! Finding the system's policy file, as containers/image's `DefaultPolicy`
//! (policy-semantics.md §1.3, image/v5.40 and later).

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use super::Policy;
use super::error::PolicyError;

/// Why a policy could not be loaded from a file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    #[error("reading policy {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a valid policy.
    #[error("invalid policy in {}: {source}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        source: PolicyError,
    },
    /// No candidate file exists.
    #[error("no policy.json file found; searched paths: {}", SearchList(searched))]
    NotFound {
        /// Every path that was tried, in order.
        searched: Vec<PathBuf>,
    },
}

struct SearchList<'a>(&'a [PathBuf]);

impl fmt::Display for SearchList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let quoted: Vec<String> = self
            .0
            .iter()
            .map(|p| format!("{:?}", p.display().to_string()))
            .collect();
        write!(f, "[{}]", quoted.join(" "))
    }
}

/// The inputs of the policy-file search. [`DiscoveryOptions::from_env`] takes them from
/// the process environment; tests and embedders can set them directly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DiscoveryOptions {
    /// An explicit policy path (c/image's `SystemContext.SignaturePolicyPath`): when set,
    /// it is the only file read.
    pub policy_path: Option<PathBuf>,
    /// A root prefixed to the system paths (`SystemContext.RootForImplicitAbsolutePaths`).
    pub root: Option<PathBuf>,
    /// The value of `CONTAINERS_POLICY_JSON`.
    pub containers_policy_json: Option<OsString>,
    /// The value of `XDG_CONFIG_HOME` (set, even to the empty string, means "use it").
    pub xdg_config_home: Option<OsString>,
    /// The user's home directory.
    pub home: Option<PathBuf>,
}

#[cfg(target_os = "freebsd")]
const SYSTEM_PATHS: [&str; 2] = [
    "/usr/local/etc/containers/policy.json",
    "/usr/local/share/containers/policy.json",
];
#[cfg(not(target_os = "freebsd"))]
const SYSTEM_PATHS: [&str; 2] = [
    "/etc/containers/policy.json",
    "/usr/share/containers/policy.json",
];

impl DiscoveryOptions {
    /// Options from the process environment: `CONTAINERS_POLICY_JSON`,
    /// `XDG_CONFIG_HOME` and `HOME`.
    pub fn from_env() -> Self {
        Self {
            policy_path: None,
            root: None,
            containers_policy_json: std::env::var_os("CONTAINERS_POLICY_JSON"),
            xdg_config_home: std::env::var_os("XDG_CONFIG_HOME"),
            home: std::env::var_os("HOME").map(PathBuf::from),
        }
    }

    /// The files to try, in order, and whether the first one must exist.
    pub fn candidates(&self) -> (Vec<PathBuf>, bool) {
        if let Some(path) = &self.policy_path {
            return (vec![path.clone()], true);
        }
        if let Some(env) = self
            .containers_policy_json
            .as_ref()
            .filter(|v| !v.is_empty())
        {
            return (vec![PathBuf::from(env)], true);
        }
        let mut out = Vec::with_capacity(3);
        if let Some(xdg) = &self.xdg_config_home {
            out.push(Path::new(xdg).join("containers/policy.json"));
        } else if let Some(home) = &self.home {
            out.push(home.join(".config/containers/policy.json"));
        }
        for system in SYSTEM_PATHS {
            out.push(match &self.root {
                Some(root) if !root.as_os_str().is_empty() => {
                    root.join(system.trim_start_matches('/'))
                }
                _ => PathBuf::from(system),
            });
        }
        (out, false)
    }

    /// Finds and parses the policy: an explicit path or `CONTAINERS_POLICY_JSON` must
    /// exist; otherwise the first existing candidate wins. A file that exists but
    /// cannot be read, or does not parse, is an error (no fallback, as in c/image).
    pub fn load(&self) -> Result<(Policy, PathBuf), LoadError> {
        let (candidates, must_exist) = self.candidates();
        for path in &candidates {
            match Policy::from_file(path) {
                Ok(policy) => return Ok((policy, path.clone())),
                Err(LoadError::Read { source, .. })
                    if !must_exist && source.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => return Err(err),
            }
        }
        Err(LoadError::NotFound {
            searched: candidates,
        })
    }
}
