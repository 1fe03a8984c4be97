//! Pinned vendor roots: pinning, unpinning and reading them.
//!
//! A root is stored as DER, keyed by its kind and the SHA-256 of that DER; `RootCount` keeps
//! the number per kind so `MaxRootsPerKind` is checked without iterating. A root must be one
//! well-formed DER value (PEM is converted first), so a verifier never meets an unparsable
//! anchor; an Arm CCA root must be a `CcaTrustAnchor` (instance ID and platform key,
//! `aicf_attestation_verify::cca::TrustAnchor`), one per platform instance; an AMD ARK or a
//! quantum facility root must be a certificate, one per subject name (chains find their root
//! by name, so each chain tries one root's signature).

use crate::{AmdCrls, Config, Error, Event, Pallet, RootCount, RootKind, RootsByName, VendorRoots};
use aicf_attestation_verify as verify;
use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::*, traits::Get};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_add_root(kind: RootKind, input: &[u8]) -> DispatchResult {
		let der = verify::to_der(input).map_err(|_| Error::<T>::MalformedRoot)?;
		match verify::split_der(&der) {
			Ok(values) if values.len() == 1 => {},
			_ => return Err(Error::<T>::MalformedRoot.into()),
		}
		// A CCA root is a trust anchor (instance ID and platform key): the verifier looks
		// tokens up by it, so an anchor it cannot read would never match.
		if kind == RootKind::ArmCcaPlatform {
			let anchor =
				verify::cca::TrustAnchor::decode(&der).map_err(|_| Error::<T>::MalformedRoot)?;
			// One anchor per platform: a token's instance ID must select one key.
			let taken = Self::roots(kind).iter().any(|r| {
				verify::cca::TrustAnchor::instance_id_of(r).as_ref() == Some(&anchor.instance_id)
			});
			ensure!(!taken, Error::<T>::RootAlreadyPinned);
		}
		let hash = sp_io::hashing::sha2_256(&der);
		let bounded: BoundedVec<u8, T::MaxRootLen> =
			der.try_into().map_err(|_| Error::<T>::RootTooLong)?;
		// AMD and facility chains find their root by the issuer name: one root per name, so
		// a submission reads the one root its chain names.
		let subject = if named_by_subject(kind) {
			// Checked once here: the verifiers trust pinned roots as given.
			verify::check_root(&bounded).map_err(|_| Error::<T>::MalformedRoot)?;
			let subject = verify::subject_hash(&bounded).map_err(|_| Error::<T>::MalformedRoot)?;
			ensure!(!RootsByName::<T>::contains_key(kind, subject), Error::<T>::RootAlreadyPinned);
			Some(subject)
		} else {
			None
		};
		ensure!(!VendorRoots::<T>::contains_key(kind, hash), Error::<T>::RootAlreadyPinned);
		let count = RootCount::<T>::get(kind);
		ensure!(count < T::MaxRootsPerKind::get(), Error::<T>::TooManyRoots);
		if let Some(subject) = subject {
			RootsByName::<T>::insert(kind, subject, hash);
		}
		VendorRoots::<T>::insert(kind, hash, bounded);
		RootCount::<T>::insert(kind, count.saturating_add(1));
		Self::deposit_event(Event::RootAdded { kind, der_hash: hash });
		Ok(())
	}

	pub(crate) fn do_remove_root(kind: RootKind, hash: [u8; 32]) -> DispatchResult {
		let root = VendorRoots::<T>::take(kind, hash).ok_or(Error::<T>::UnknownRoot)?;
		if let Ok(subject) = verify::subject_hash(&root) {
			if named_by_subject(kind) && RootsByName::<T>::get(kind, subject) == Some(hash) {
				RootsByName::<T>::remove(kind, subject);
				// An ARK's revocation list goes with it: a key pinned later under the same name
				// starts from its own lists, not from the old key's.
				if kind == RootKind::AmdArk {
					AmdCrls::<T>::remove(subject);
				}
			}
		}
		RootCount::<T>::mutate(kind, |n| *n = n.saturating_sub(1));
		Self::deposit_event(Event::RootRemoved { kind, der_hash: hash });
		Ok(())
	}

	/// The pinned root of `kind` (AMD ARK or quantum facility root) whose subject name hashes
	/// to `name`: [`Error::NoPinnedRoot`] when no root of the kind is pinned,
	/// [`Error::UntrustedChain`] when none has that name.
	pub(crate) fn root_named(kind: RootKind, name: [u8; 32]) -> Result<Vec<u8>, Error<T>> {
		ensure!(RootCount::<T>::get(kind) > 0, Error::<T>::NoPinnedRoot);
		RootsByName::<T>::get(kind, name)
			.and_then(|hash| VendorRoots::<T>::get(kind, hash))
			.map(|root| root.into_inner())
			.ok_or(Error::<T>::UntrustedChain)
	}

	/// Every pinned root of `kind`, DER.
	pub fn roots(kind: RootKind) -> Vec<Vec<u8>> {
		VendorRoots::<T>::iter_prefix_values(kind)
			.take(T::MaxRootsPerKind::get() as usize)
			.map(|r| r.into_inner())
			.collect()
	}

	/// Every pinned root of `kind`, DER; [`Error::NoPinnedRoot`] when there is none.
	pub(crate) fn pinned(kind: RootKind) -> Result<Vec<Vec<u8>>, Error<T>> {
		let roots = Self::roots(kind);
		if roots.is_empty() {
			return Err(Error::<T>::NoPinnedRoot);
		}
		Ok(roots)
	}
}

/// Borrowed views of owned roots, as the verifier takes them.
pub(crate) fn refs(roots: &[Vec<u8>]) -> Vec<&[u8]> {
	roots.iter().map(|r| r.as_slice()).collect()
}

/// Whether chains find roots of `kind` by name (one root per subject name, `RootsByName`).
fn named_by_subject(kind: RootKind) -> bool {
	matches!(kind, RootKind::AmdArk | RootKind::QuantumFacility)
}
