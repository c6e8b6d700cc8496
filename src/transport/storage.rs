//! The `containers-storage` transport (policy-semantics.md §8.4).
//!
//! References are `[driver@graphroot+runroot:options]name[:tag][@digest][@id]`, with
//! every part of the store specifier optional except a graph root (or run root).
//! c/image opens the store to learn its graph driver and root; we cannot, so the
//! identity uses the driver and root written in the reference, and
//! [`ParseOptions::default_store`] for the parts it leaves out.
//!
//! Two c/image behaviours need the store's contents and are not reproduced: a
//! trailing `@X` or a bare `X` that is a *prefix* of the ID of an image present in
//! the store is expanded to that image's ID. Here `@X` must be a full ID or a
//! digest, and a bare `X` is always a name.

use super::path::clean_path;
use super::{ImageReference, ParseOptions, ScopeError, Transport, TransportError};
use crate::digest::Digest;
use crate::reference::Reference;

/// Graph drivers containers/storage registers, and the name each reports once
/// loaded (`overlay2` is an alias of `overlay`).
const KNOWN_DRIVERS: [(&str, &str); 7] = [
    ("overlay", "overlay"),
    ("overlay2", "overlay"),
    ("vfs", "vfs"),
    ("btrfs", "btrfs"),
    ("zfs", "zfs"),
    ("aufs", "aufs"),
    ("devicemapper", "devicemapper"),
];

/// True when `id` is a full image ID: 64 lowercase hex digits (c/image:
/// `digest.Parse("sha256:" + id)`).
fn is_image_id(id: &str) -> bool {
    Digest::parse(&format!("sha256:{id}")).is_ok()
}

/// Splits `[spec]rest` (the input starts with `[`) into the text between the
/// brackets and the rest; `None` when there is no `]`.
fn split_store(s: &str) -> Option<(&str, &str)> {
    let inner = s.strip_prefix('[')?;
    inner.split_once(']')
}

/// `ValidatePolicyConfigurationScope` of `containers-storage` (§8.4).
pub(super) fn validate_scope(scope: &str) -> Result<(), ScopeError> {
    if !scope.starts_with('[') {
        return Err(ScopeError::StorageMissingStore {
            scope: scope.to_owned(),
        });
    }
    let Some((store, rest)) = split_store(scope) else {
        return Err(ScopeError::StorageUnterminatedStore {
            scope: scope.to_owned(),
        });
    };
    // `driver@root…` or `root…`; the root part may still carry `+runroot` and
    // `:options` (such scopes are accepted and never match).
    let root = match store.split_once('@') {
        Some((driver, root)) if !driver.is_empty() && !root.is_empty() => root,
        None if !store.is_empty() => store,
        _ => {
            return Err(ScopeError::StorageInvalidStore {
                scope: scope.to_owned(),
                store: store.to_owned(),
            });
        }
    };
    if !root.starts_with('/') {
        return Err(ScopeError::StorageRootNotAbsolute {
            scope: scope.to_owned(),
            root: root.to_owned(),
        });
    }
    if rest.is_empty() {
        return Ok(());
    }
    let fields: Vec<&str> = rest.splitn(3, '@').collect();
    match fields.as_slice() {
        // A name, name:tag or namespace: not validated.
        [_] => Ok(()),
        // name:tag@ID or name[:tag]@digest.
        [_, value] => {
            if is_image_id(value) {
                return Ok(());
            }
            match Digest::parse(value) {
                Ok(_) => Ok(()),
                Err(digest_error) => Err(ScopeError::StorageNotDigestOrId {
                    scope: scope.to_owned(),
                    value: (*value).to_owned(),
                    digest_error,
                }),
            }
        }
        // name[:tag]@digest@ID (the ID field takes any further `@`).
        [_, digest, id] => {
            if let Err(source) = Digest::parse(digest) {
                return Err(ScopeError::StorageInvalidDigest {
                    scope: scope.to_owned(),
                    value: (*digest).to_owned(),
                    source,
                });
            }
            if !is_image_id(id) {
                return Err(ScopeError::StorageInvalidImageId {
                    scope: scope.to_owned(),
                    value: (*id).to_owned(),
                });
            }
            Ok(())
        }
        _ => Ok(()), // splitn(3) on a non-empty string yields 1 to 3 fields.
    }
}

/// The store a reference resolves to.
struct Store {
    /// Graph driver name, as the loaded store reports it.
    driver: String,
    /// Cleaned absolute graph root.
    root: String,
    /// Cleaned absolute run root, when the reference names one.
    run_root: Option<String>,
    /// Driver options, when the reference names them.
    options: Option<String>,
}

impl Store {
    /// `[driver@root]`, the store part of identities and namespaces.
    fn spec(&self) -> String {
        format!("[{}@{}]", self.driver, self.root)
    }

    /// The store part of `StringWithinTransport`.
    fn full_spec(&self) -> String {
        let mut spec = format!("[{}@{}", self.driver, self.root);
        if let Some(run_root) = &self.run_root {
            spec.push('+');
            spec.push_str(run_root);
        }
        if let Some(options) = &self.options {
            spec.push(':');
            spec.push_str(options);
        }
        spec.push(']');
        spec
    }
}

/// The name containers/storage reports for `driver`, if it knows the driver.
fn known_driver(driver: &str) -> Result<String, TransportError> {
    KNOWN_DRIVERS
        .iter()
        .find(|(name, _)| *name == driver)
        .map(|(_, reported)| (*reported).to_owned())
        .ok_or_else(|| TransportError::StorageUnknownDriver {
            driver: driver.to_owned(),
            known: KNOWN_DRIVERS
                .iter()
                .map(|(name, _)| *name)
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// The default store's driver and cleaned graph root.
fn default_store(
    reference: &str,
    options: &ParseOptions,
) -> Result<(String, String), TransportError> {
    let Some((driver, root)) = &options.default_store else {
        return Err(TransportError::StorageNoDefaultStore {
            reference: reference.to_owned(),
        });
    };
    let driver = known_driver(driver)?;
    match root.to_str() {
        Some(root) if root.starts_with('/') => Ok((driver, clean_path(root))),
        _ => Err(TransportError::StorageInvalidDefaultRoot {
            root: root.to_string_lossy().into_owned(),
        }),
    }
}

/// Parses the text between the brackets: `driver@root+runroot:options`, `root`, …
fn parse_store_spec(
    reference: &str,
    spec: &str,
    options: &ParseOptions,
) -> Result<Store, TransportError> {
    let invalid = || TransportError::StorageInvalidStore {
        store: spec.to_owned(),
    };
    let (driver, rest) = match spec.split_once('@') {
        None if spec.is_empty() => return Err(invalid()),
        None => (None, spec),
        Some((driver, rest)) if !driver.is_empty() && !rest.is_empty() => (Some(driver), rest),
        Some(_) => return Err(invalid()),
    };
    let (rest, driver_options) = match rest.split_once(':') {
        Some((rest, driver_options)) => (rest, Some(driver_options)),
        None => (rest, None),
    };
    let (root, run_root) = rest.split_once('+').unwrap_or((rest, ""));
    for path in [root, run_root] {
        if !path.is_empty() && !path.starts_with('/') {
            return Err(TransportError::StoragePathNotAbsolute {
                path: path.to_owned(),
            });
        }
    }
    if root.is_empty() && run_root.is_empty() {
        // containers/storage: "no storage runroot or graphroot specified".
        return Err(invalid());
    }
    // Unknown drivers fail when c/image opens the store.
    let driver = driver.map(known_driver).transpose()?;
    let (driver, root) = match (driver, root) {
        (Some(driver), root) if !root.is_empty() => (driver, clean_path(root)),
        (driver, root) => {
            let (default_driver, default_root) = default_store(reference, options)?;
            let root = if root.is_empty() {
                default_root
            } else {
                clean_path(root)
            };
            (driver.unwrap_or(default_driver), root)
        }
    };
    Ok(Store {
        driver,
        root,
        run_root: (!run_root.is_empty()).then(|| clean_path(run_root)),
        options: driver_options.map(str::to_owned),
    })
}

/// `containers-storage:` references.
pub(super) fn parse(
    reference: &str,
    options: &ParseOptions,
) -> Result<ImageReference, TransportError> {
    let (store, rest) = if reference.starts_with('[') {
        let Some((spec, rest)) = split_store(reference) else {
            return Err(TransportError::StorageUnterminatedStore {
                reference: reference.to_owned(),
            });
        };
        (parse_store_spec(reference, spec, options)?, rest)
    } else {
        let (driver, root) = default_store(reference, options)?;
        let store = Store {
            driver,
            root,
            run_root: None,
            options: None,
        };
        (store, reference)
    };
    if rest.is_empty() {
        return Err(TransportError::StorageEmptyReference {
            reference: reference.to_owned(),
        });
    }
    // ParseStoreReference ignores a (second) store specifier.
    let rest = if rest.starts_with('[') {
        match split_store(rest) {
            Some((_, rest)) => rest,
            None => {
                return Err(TransportError::StorageUnterminatedStore {
                    reference: reference.to_owned(),
                });
            }
        }
    } else {
        rest
    };

    // A trailing `@ID` is peeled off; a trailing `@digest` stays with the name.
    let mut name = rest;
    let mut id = None;
    if let Some((before, possible_id)) = rest.rsplit_once('@') {
        if possible_id.is_empty() {
            return Err(TransportError::StorageEmptyId {
                reference: reference.to_owned(),
            });
        }
        if Digest::parse(possible_id).is_err() {
            if !is_image_id(possible_id) {
                return Err(TransportError::StorageNotDigestOrId {
                    value: possible_id.to_owned(),
                });
            }
            id = Some(possible_id);
            name = before;
        }
    }
    let named = if name.is_empty() {
        None
    } else {
        let parsed = Reference::parse_normalized(name).map_err(|source| {
            TransportError::InvalidDockerReference {
                transport: Transport::ContainersStorage,
                reference: name.to_owned(),
                source,
            }
        })?;
        Some(parsed.with_default_tag())
    };
    if named.is_none() && id.is_none() {
        return Err(TransportError::StorageEmptyReference {
            reference: reference.to_owned(),
        });
    }

    let mut suffix = named.as_ref().map(Reference::to_string).unwrap_or_default();
    if let Some(id) = id {
        suffix.push('@');
        suffix.push_str(id);
    }
    let spec = store.spec();
    Ok(ImageReference {
        transport: Transport::ContainersStorage,
        within_transport: format!("{}{suffix}", store.full_spec()),
        identity: format!("{spec}{suffix}"),
        namespaces: namespaces(&store, named.as_ref(), id.is_some()),
        docker_reference: named,
    })
}

/// `PolicyConfigurationNamespaces` (§8.4): the reference without its ID, the
/// `name:tag` of a `name:tag@digest`, the repository and its parents down to the
/// host, the store, and the driverless store. No wildcards.
fn namespaces(store: &Store, named: Option<&Reference>, has_id: bool) -> Vec<String> {
    let spec = store.spec();
    let mut namespaces = Vec::new();
    if let Some(named) = named {
        if has_id {
            namespaces.push(format!("{spec}{named}"));
        }
        let name = named.name();
        if let (Some(tag), Some(_)) = (named.tag(), named.digest()) {
            namespaces.push(format!("{spec}{name}:{tag}"));
        }
        let mut prefix = name.as_str();
        loop {
            namespaces.push(format!("{spec}{prefix}"));
            match prefix.rfind('/') {
                Some(slash) => prefix = prefix.get(..slash).unwrap_or_default(),
                None => break,
            }
        }
    }
    namespaces.push(spec);
    namespaces.push(format!("[{}]", store.root));
    namespaces
}
