//! DCAP collateral: verifying an upload against a pinned Intel root and storing it.
//!
//! Collateral (TCB info, QE identity, CRLs) is verified once, when uploaded, and stored in the
//! compact form quote checks use, so a quote costs three signature checks. It is replaced only
//! by newer collateral for the same TEE, FMSPC and PCK CA: no earlier TCB evaluation
//! (`tcbEvaluationDataNumber`, no rollback of Intel's platform grading), no component (TCB
//! info, QE identity, either CRL) issued before the stored one's, and something new: a later
//! evaluation or a later component.
//!
//! AMD CRLs are verified against the pinned ARKs when uploaded and merged per ARK: the stored
//! list is the union of every list uploaded for it, so revocations are only ever added.

use crate::{
	roots::refs, AmdCrls, Config, DcapCollateral, Error, Event, NetworkPolicy, Pallet, RootKind,
};
use aicf_attestation_verify::{self as verify, AttestationError};
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_upload_collateral(collateral: &[u8]) -> DispatchResult {
		let now = Self::now_secs();
		let roots = Self::pinned(RootKind::IntelSgx)?;
		// Try each pinned Intel root. If none verifies, report the error of a root the
		// collateral chains to (a bad signature, an expiry...), else `UntrustedChain`.
		let mut error = AttestationError::Chain;
		let mut verified = None;
		for root in &roots {
			match verify::dcap::verify_collateral(collateral, root, now) {
				Ok(v) => {
					verified = Some(v);
					break;
				},
				Err(AttestationError::Chain) => {},
				Err(e) => error = e,
			}
		}
		let verified = verified.ok_or(Error::<T>::from(error))?;
		ensure!(
			verified.tcb_evaluation_data_number
				>= NetworkPolicy::<T>::get().min_tcb_evaluation_data_number,
			Error::<T>::TcbEvaluationTooOld
		);
		let key = verified.key();
		if let Some(existing) = DcapCollateral::<T>::get(key) {
			// The TCB evaluation decides first: after a TCB recovery, old TCB info (still
			// inside its `nextUpdate`) paired with a fresh CRL must neither replace the new
			// grading nor keep it out with its later date. No component may go back either: an
			// older CRL would un-revoke certificates, an older QE identity re-grade enclaves.
			let (new, old) =
				(verified.tcb_evaluation_data_number, existing.tcb_evaluation_data_number);
			ensure!(
				new >= old && verified.issue_dates.none_older_than(&existing.issue_dates),
				Error::<T>::CollateralRollback
			);
			ensure!(
				new > old || verified.issue_dates.any_newer_than(&existing.issue_dates),
				Error::<T>::CollateralNotNewer
			);
		}
		let (issued_at, not_after) = (verified.issued_at, verified.not_after);
		DcapCollateral::<T>::insert(key, verified);
		Self::deposit_event(Event::CollateralStored { key, issued_at, not_after });
		Ok(())
	}

	pub(crate) fn do_upload_amd_crl(crl: &[u8]) -> DispatchResult {
		let arks = Self::pinned(RootKind::AmdArk)?;
		let verified = verify::amd_crl::verify(crl, &refs(&arks), Self::now_secs())
			.map_err(Error::<T>::from)?;
		let merged = match AmdCrls::<T>::get(verified.issuer) {
			None => verified,
			Some(mut stored) => {
				// Revocations are only ever added: an older list, or the ARK's other list
				// (VCEK and VLEK chains), merges in and cannot remove one.
				let newer = verified.this_update > stored.this_update;
				let added = stored.merge(verified).map_err(|_| Error::<T>::CrlTooLarge)?;
				ensure!(added > 0 || newer, Error::<T>::CrlNotNewer);
				stored
			},
		};
		let event = Event::AmdCrlStored {
			issuer: merged.issuer,
			this_update: merged.this_update,
			next_update: merged.next_update,
			revoked: u32::try_from(merged.revoked.len()).unwrap_or(u32::MAX),
		};
		AmdCrls::<T>::insert(merged.issuer, merged);
		Self::deposit_event(event);
		Ok(())
	}
}
