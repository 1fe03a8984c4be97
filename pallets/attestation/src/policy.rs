//! The network policy: replacing it, and its verdict on a stored attestation.
//!
//! New evidence is checked against the policy by the verifier during submission. An accepted
//! attestation keeps what the policy looks at (workload, TCB status, debug, issue time,
//! trap families), so [`Pallet::check_stored`] can apply a later policy without the evidence;
//! `revalidate` revokes what it refuses.

use crate::{Config, Event, NetworkPolicy, Pallet, PolicyOf, StoredAttestationOf};
use aicf_attestation_verify::{self as verify, AttestationError};
use aicf_primitives::traits::EvidenceKind;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_set_policy(policy: PolicyOf<T>) {
		NetworkPolicy::<T>::put(policy);
		Self::deposit_event(Event::PolicySet);
	}

	/// The current policy's verdict on a stored attestation (workload, TCB, debug, age, trap
	/// families).
	pub fn check_stored(stored: &StoredAttestationOf<T>, now: u64) -> Result<(), AttestationError> {
		let policy = NetworkPolicy::<T>::get().to_policy();
		let as_verified = verify::Verified {
			kind: stored.kind,
			measurement: stored.measurement,
			workload: stored.workload,
			report_data: [0; 64],
			tcb_status: stored.tcb_status,
			debug: stored.debug,
			issued_at: stored.issued_at,
			not_after: u64::MAX,
			trap_families: stored.trap_families.iter().map(|f| f.to_vec()).collect(),
			chain_fingerprints: alloc::vec::Vec::new(),
		};
		verify::apply_common_policy(&as_verified, &policy, now)?;
		if stored.kind == EvidenceKind::Quantum {
			verify::quantum::check_trap_families(&as_verified.trap_families, &policy)?;
		}
		Ok(())
	}
}
