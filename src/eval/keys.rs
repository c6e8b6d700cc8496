//! Loading key material named by a policy (`keyPath`, `keyPaths`, CA and Rekor files).
//!
//! A [`PolicyContext`](super::PolicyContext) reads every file once, when it is built,
//! through a [`KeyLoader`]: [`FsKeyLoader`] by default, or the embedder's own (keys
//! from a secret store, an in-memory map in tests). A file that cannot be read does not
//! fail the context: it fails the requirements that name it, at evaluation, as in
//! containers/image.

use std::fmt;
use std::io::Read as _;

/// The largest key file read: 16 MiB (real keyrings and CA bundles are kilobytes).
pub const MAX_KEY_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// Why a key file could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct KeyLoadError {
    /// The path as written in the policy.
    pub path: String,
    /// What went wrong.
    pub reason: String,
}

/// Reads the key files a policy names. Paths are passed exactly as written in the
/// policy; c/image resolves relative paths against the process's working directory.
pub trait KeyLoader: Send + Sync + fmt::Debug {
    /// The bytes of the file at `path`.
    fn load(&self, path: &str) -> Result<Vec<u8>, KeyLoadError>;
}

/// Reads key files from the file system, at most [`MAX_KEY_FILE_SIZE`] bytes each.
#[derive(Debug, Clone, Copy, Default)]
pub struct FsKeyLoader;

impl KeyLoader for FsKeyLoader {
    fn load(&self, path: &str) -> Result<Vec<u8>, KeyLoadError> {
        let error = |reason: String| KeyLoadError {
            path: path.to_owned(),
            reason,
        };
        let file = std::fs::File::open(path).map_err(|e| error(e.to_string()))?;
        let mut bytes = Vec::new();
        file.take(MAX_KEY_FILE_SIZE + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| error(e.to_string()))?;
        if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_KEY_FILE_SIZE {
            return Err(error(format!(
                "larger than the limit of {MAX_KEY_FILE_SIZE} bytes"
            )));
        }
        Ok(bytes)
    }
}

/// Loads every path in order; the first failure wins (c/image fails the check on
/// any unreadable file of `keyPaths`).
pub(crate) fn load_all(
    loader: &dyn KeyLoader,
    paths: &[String],
) -> Result<Vec<Vec<u8>>, KeyLoadError> {
    paths.iter().map(|p| loader.load(p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fs_loader_reads_files_and_reports_missing_ones() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("k");
        std::fs::write(&path, b"key").unwrap_or_else(|e| panic!("{e}"));
        let path = path.to_string_lossy().into_owned();
        assert_eq!(FsKeyLoader.load(&path), Ok(b"key".to_vec()));
        let missing = format!("{path}.missing");
        let err = FsKeyLoader.load(&missing).unwrap_err();
        assert_eq!(err.path, missing);
        assert!(err.to_string().contains("No such file"), "{err}");
        let both = load_all(&FsKeyLoader, &[path.clone(), missing.clone()]);
        assert_eq!(both.map_err(|e| e.path), Err(missing));
    }
}
