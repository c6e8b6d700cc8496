//! Archive transports without policy identities: `docker-archive` and `tarball`.
//! Only the transport-wide `""` scope can apply to them.

use std::io;

use super::{ImageReference, Transport, TransportError, parse_source_index};
use crate::reference::Reference;

/// `docker-archive:` references: `path`, `path:@index`, or `path:ref` where `ref` is
/// a Docker reference that gets `:latest` if name-only and must not have a digest.
/// The path is not resolved (c/image does not touch the filesystem here).
pub(super) fn parse_docker_archive(reference: &str) -> Result<ImageReference, TransportError> {
    if reference.is_empty() {
        return Err(TransportError::EmptyArchiveReference);
    }
    let (within_transport, docker_reference) = match reference.split_once(':') {
        None => (reference.to_owned(), None),
        Some((path, rest)) => match rest.strip_prefix('@') {
            Some(index) => {
                let index = parse_source_index(Transport::DockerArchive, index)?;
                (format!("{path}:@{index}"), None)
            }
            None => {
                let parsed = Reference::parse_normalized(rest)
                    .map_err(|source| TransportError::InvalidDockerReference {
                        transport: Transport::DockerArchive,
                        reference: rest.to_owned(),
                        source,
                    })?
                    .with_default_tag();
                if parsed.tag().is_none() {
                    return Err(TransportError::ArchiveNotTagged {
                        reference: parsed.to_string(),
                    });
                }
                if parsed.digest().is_some() {
                    return Err(TransportError::ArchiveDigest {
                        reference: parsed.to_string(),
                    });
                }
                // The canonical form, not the familiar one, as c/image writes it.
                (format!("{path}:{parsed}"), Some(parsed))
            }
        },
    };
    Ok(ImageReference {
        transport: Transport::DockerArchive,
        within_transport,
        identity: String::new(),
        namespaces: Vec::new(),
        docker_reference,
    })
}

/// `tarball:` references: `:`-separated files, each of which must open; `-` means
/// standard input (which c/image reads while parsing; we do not).
pub(super) fn parse_tarball(reference: &str) -> Result<ImageReference, TransportError> {
    for file in reference.split(':') {
        if file != "-" {
            check_openable(file)?;
        }
    }
    Ok(ImageReference {
        transport: Transport::Tarball,
        within_transport: reference.to_owned(),
        identity: String::new(),
        namespaces: Vec::new(),
        docker_reference: None,
    })
}

/// Whether `os.Open(file)` would succeed; a FIFO is accepted without opening it,
/// because opening one for reading blocks until a writer appears.
fn check_openable(file: &str) -> Result<(), TransportError> {
    let error = |err: io::Error| TransportError::TarballOpen {
        path: file.to_owned(),
        kind: err.kind(),
        message: err.to_string(),
    };
    let metadata = std::fs::metadata(file).map_err(error)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if metadata.file_type().is_fifo() {
            return Ok(());
        }
    }
    #[cfg(not(unix))]
    let _ = metadata;
    std::fs::File::open(file).map(drop).map_err(error)
}
