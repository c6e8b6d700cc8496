//! Transports naming a filesystem path: `dir`, `sif`, `oci`, `oci-archive`, and
//! c/image's path resolution (`directory/explicitfilepath`).
//!
//! The policy identity of these images is the *resolved* path: absolute, cleaned,
//! with symlinks resolved at the time the reference is parsed. A path that does not
//! exist yet is resolved through its parent, which must exist.

use std::io;

use super::{ImageReference, ScopeError, Transport, TransportError, parse_source_index};

/// Scope validation of `dir`, `sif`, `oci` and `oci-archive`: absolute, not `/`
/// (which would shadow `""`), and canonical (else it could never equal a resolved
/// path).
pub(super) fn validate_path_scope(transport: Transport, scope: &str) -> Result<(), ScopeError> {
    if !scope.starts_with('/') {
        return Err(ScopeError::NotAbsolute {
            transport,
            scope: scope.to_owned(),
        });
    }
    if scope == "/" {
        return Err(ScopeError::RootDirectory { transport });
    }
    let clean = clean_path(scope);
    if clean != scope {
        return Err(ScopeError::NotClean {
            transport,
            scope: scope.to_owned(),
            clean,
        });
    }
    Ok(())
}

/// `dir:` and `sif:` references: a path. The namespaces are the parent directories
/// of the resolved path, excluding the path itself and `/`.
pub(super) fn parse_file_reference(
    transport: Transport,
    reference: &str,
) -> Result<ImageReference, TransportError> {
    let resolved = resolve_path_to_fully_explicit(transport, reference)?;
    let namespaces = parent_namespaces(&resolved);
    Ok(ImageReference {
        transport,
        within_transport: reference.to_owned(),
        identity: resolved,
        namespaces,
        docker_reference: None,
    })
}

/// `oci:` and `oci-archive:` references: `path[:image]` or `path:@index`, split at the
/// first `:`. The identity is the resolved path alone (the image part may name the
/// same image as an empty one, so it cannot be part of it); the namespaces are the
/// resolved path itself, then its parents, excluding `/`.
pub(super) fn parse_oci(
    transport: Transport,
    reference: &str,
) -> Result<ImageReference, TransportError> {
    // Unix semantics: the path cannot contain a ':', so the first one ends it (which
    // also makes c/image's "path contains a colon" check unreachable).
    let (dir, image) = reference.split_once(':').unwrap_or((reference, ""));
    let index = match image.strip_prefix('@') {
        Some(text) => Some(parse_source_index(transport, text)?),
        None => None,
    };
    let resolved = resolve_path_to_fully_explicit(transport, dir)?;
    if index.is_none() && !is_valid_oci_image_name(image) {
        return Err(TransportError::InvalidOciImageName {
            transport,
            image: image.to_owned(),
        });
    }
    let within_transport = match index {
        Some(index) => format!("{dir}:@{index}"),
        None => format!("{dir}:{image}"),
    };
    let namespaces = self_and_parent_namespaces(&resolved);
    Ok(ImageReference {
        transport,
        within_transport,
        identity: resolved,
        namespaces,
        docker_reference: None,
    })
}

/// `dir`/`sif` namespaces: `/a/b/c` gives `/a/b`, `/a`.
fn parent_namespaces(resolved: &str) -> Vec<String> {
    let mut namespaces = Vec::new();
    let mut path = resolved;
    while let Some(slash) = path.rfind('/').filter(|&slash| slash != 0) {
        path = path.get(..slash).unwrap_or_default();
        namespaces.push(path.to_owned());
    }
    namespaces
}

/// `oci`/`oci-archive` namespaces: `/a/b/c` gives `/a/b/c`, `/a/b`, `/a`; `/` gives
/// nothing.
fn self_and_parent_namespaces(resolved: &str) -> Vec<String> {
    let mut namespaces = Vec::new();
    let mut path = resolved;
    while let Some(slash) = path.rfind('/') {
        if path == "/" {
            break;
        }
        namespaces.push(path.to_owned());
        path = path.get(..slash).unwrap_or_default();
    }
    namespaces
}

/// The OCI `org.opencontainers.image.ref.name` grammar c/image checks:
/// components of ASCII alphanumerics joined by one of `-._:@+` or `--`, separated by
/// `/`. The empty name is valid (it means "the only image").
fn is_valid_oci_image_name(image: &str) -> bool {
    image.is_empty() || image.split('/').all(is_valid_oci_component)
}

/// One `/`-separated component of an OCI image name.
fn is_valid_oci_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let mut i = 0;
    loop {
        // An alphanumeric run.
        let start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
            i += 1;
        }
        if i == start {
            return false;
        }
        // Then the end, or a separator followed by another run.
        match bytes.get(i) {
            None => return true,
            Some(b'-') => {
                i += 1;
                if bytes.get(i) == Some(&b'-') {
                    i += 1;
                }
            }
            Some(b'.' | b'_' | b':' | b'@' | b'+') => i += 1,
            Some(_) => return false,
        }
    }
}

/// `explicitfilepath.ResolvePathToFullyExplicit`: if `path` exists (without
/// following a final symlink), make it absolute, clean it and resolve symlinks;
/// otherwise resolve its parent that way (it must exist) and append the last
/// component, which must not be `.` or `..`.
fn resolve_path_to_fully_explicit(
    transport: Transport,
    path: &str,
) -> Result<String, TransportError> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => resolve_existing(transport, path, path),
        // Go's os.IsNotExist is ENOENT only, like ErrorKind::NotFound.
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            let (parent, file) = match path.rfind('/') {
                Some(slash) => (
                    path.get(..=slash).unwrap_or_default(),
                    path.get(slash + 1..).unwrap_or_default(),
                ),
                None => ("", path),
            };
            let resolved_parent = resolve_existing(transport, path, parent)?;
            join_missing_component(transport, path, &resolved_parent, file)
        }
        Err(err) => Err(resolution_error(transport, path, &err)),
    }
}

/// Appends the missing last component `file` of `path` to its resolved parent.
/// `.` and `..` are refused: they exist whenever the parent does, so meeting them
/// here means the filesystem changed under us (c/image refuses them too).
pub(super) fn join_missing_component(
    transport: Transport,
    path: &str,
    resolved_parent: &str,
    file: &str,
) -> Result<String, TransportError> {
    if file == "." || file == ".." {
        return Err(TransportError::SpecialPathComponent {
            transport,
            path: path.to_owned(),
        });
    }
    // filepath.Join drops empty elements and cleans.
    if file.is_empty() {
        return Ok(clean_path(resolved_parent));
    }
    Ok(clean_path(&format!("{resolved_parent}/{file}")))
}

/// `filepath.Abs` then `filepath.EvalSymlinks` then `filepath.Clean` on a path that
/// must exist. `original` is the path the user wrote, for errors.
fn resolve_existing(
    transport: Transport,
    original: &str,
    path: &str,
) -> Result<String, TransportError> {
    let absolute = if path.starts_with('/') {
        clean_path(path)
    } else {
        let cwd = go_getwd().map_err(|err| resolution_error(transport, original, &err))?;
        clean_path(&format!("{cwd}/{path}"))
    };
    let resolved = std::fs::canonicalize(&absolute)
        .map_err(|err| resolution_error(transport, original, &err))?;
    match resolved.to_str() {
        Some(resolved) => Ok(clean_path(resolved)),
        None => Err(TransportError::PathNotUtf8 {
            transport,
            path: original.to_owned(),
        }),
    }
}

/// Go's `os.Getwd`: `$PWD` when it is absolute and names the current directory
/// (it may then contain symlinks, which matters when a relative path has `..`),
/// else the kernel's answer.
fn go_getwd() -> io::Result<String> {
    #[cfg(unix)]
    if let Ok(pwd) = std::env::var("PWD") {
        use std::os::unix::fs::MetadataExt;
        if pwd.starts_with('/')
            && let (Ok(dot), Ok(named)) = (std::fs::metadata("."), std::fs::metadata(&pwd))
            && dot.dev() == named.dev()
            && dot.ino() == named.ino()
        {
            return Ok(pwd);
        }
    }
    let cwd = std::env::current_dir()?;
    cwd.to_str().map(str::to_owned).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "current directory is not valid UTF-8",
        )
    })
}

/// A [`TransportError::PathResolution`] for `err`.
fn resolution_error(transport: Transport, path: &str, err: &io::Error) -> TransportError {
    TransportError::PathResolution {
        transport,
        path: path.to_owned(),
        kind: err.kind(),
        message: err.to_string(),
    }
}

/// Go's `filepath.Clean` with `/` separators: the shortest lexically equivalent
/// path (no empty, `.` or inner `..` components, no trailing `/`; `""` becomes
/// `.`).
pub(super) fn clean_path(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for component in path.split('/') {
        match component {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                // `..` at the root stays at the root.
                _ if rooted => {}
                _ => parts.push(".."),
            },
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}
