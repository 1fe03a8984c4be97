//! Which benchmarked weight a call declares and which it reports, where that depends on the key
//! algorithm, the transaction form or a status change.
//!
//! The benchmarks measure each call once per case (`register_ml_dsa`, `register_slh_dsa`,
//! `heartbeat_authorized`, `heartbeat_status_change`, ...); the functions here combine those
//! measurements. A call declares the worst case it can meet and reports, after executing, the
//! case it met, so the difference is refunded.

use crate::{weights::WeightInfo, Config, Pallet};
use aicf_primitives::{crypto::RegistryPublicKey, KeyAlgorithm};
use frame_support::{traits::Get, weights::Weight};

impl<T: Config> Pallet<T> {
	/// What `register` used: the benchmark of the new key's algorithm.
	pub fn register_weight(alg: KeyAlgorithm) -> Weight {
		match alg {
			// Refused before any signature is verified.
			KeyAlgorithm::MlDsa65 | KeyAlgorithm::Unspecified => T::WeightInfo::register_ml_dsa(),
			KeyAlgorithm::SlhDsaSha2_128s => T::WeightInfo::register_slh_dsa(),
		}
	}

	/// What verifying an SLH-DSA-SHA2-128s signature costs over an ML-DSA-65 one: the
	/// difference of the two measured authorize steps, which differ only in the algorithm.
	/// Calls whose weight cannot know the provider's key algorithm (updates, rotation by the
	/// old key) are charged it on top of their ML-DSA benchmark.
	pub fn slh_verify_extra() -> Weight {
		T::WeightInfo::authorize_heartbeat_slh_dsa()
			.saturating_sub(T::WeightInfo::authorize_heartbeat_ml_dsa())
	}

	/// `rotate_key`: two signatures, the old key's (either algorithm) and `new_key`'s.
	pub fn rotate_key_weight(new_key: &RegistryPublicKey) -> Weight {
		let base = T::WeightInfo::rotate_key().saturating_add(Self::slh_verify_extra());
		match new_key.alg {
			KeyAlgorithm::SlhDsaSha2_128s => base.saturating_add(Self::slh_verify_extra()),
			KeyAlgorithm::MlDsa65 | KeyAlgorithm::Unspecified => base,
		}
	}

	/// What a heartbeat that changes the provider's status (into or out of ACTIVE: the
	/// status index and every eligibility entry move) costs over a routine one, bounded from
	/// above: the whole measured status-changing heartbeat. Its benchmark sends a provider's
	/// first heartbeat (the one that turns it ACTIVE), which reads no liveness chain and fills
	/// no QoS window, while the routine benchmark does both; their difference would leave out
	/// what a status change on a later heartbeat (one that jails after a silence) does on top
	/// of the routine work. Status changes need a paid call between them, so the bound costs
	/// little.
	pub fn heartbeat_status_change_extra() -> Weight {
		T::WeightInfo::heartbeat_status_change()
	}

	/// The bare form's slot in the block's heartbeat budget, taken by its `pre_dispatch`
	/// outside the benchmarked call (a read of `HeartbeatBlockUsage` and of `ProofBlockUsage`,
	/// the shared liveness budget, and a write of the first; the authorized form takes it in
	/// the call, and its benchmark counts it). `pre_dispatch`'s other reads are of the keys the
	/// call then reads again (provider record, ledger, chain time), which the benchmark counts
	/// once, as the database serves them once.
	pub fn bare_heartbeat_slot() -> Weight {
		T::DbWeight::get().reads_writes(2, 1)
	}

	/// What the authorization of a heartbeat (a general transaction) declares: the signature
	/// check of either algorithm.
	pub fn authorize_heartbeat_worst() -> Weight {
		T::WeightInfo::authorize_heartbeat_ml_dsa()
			.max(T::WeightInfo::authorize_heartbeat_slh_dsa())
	}

	/// What the authorization leaves unspent once the signing key's algorithm is known
	/// (`frame_system::AuthorizeCall` refunds it): an ML-DSA-65 check costs less than the
	/// declared worst case.
	pub fn authorize_heartbeat_unspent(alg: KeyAlgorithm) -> Weight {
		let used = match alg {
			KeyAlgorithm::SlhDsaSha2_128s => T::WeightInfo::authorize_heartbeat_slh_dsa(),
			KeyAlgorithm::MlDsa65 | KeyAlgorithm::Unspecified => {
				T::WeightInfo::authorize_heartbeat_ml_dsa()
			},
		};
		Self::authorize_heartbeat_worst().saturating_sub(used)
	}

	/// The weight `heartbeat` declares: either form and algorithm, status change included.
	/// The call reports what it actually used ([`Self::heartbeat_weight`]; routine heartbeats
	/// are refunded the status change).
	pub fn heartbeat_worst_weight() -> Weight {
		T::WeightInfo::heartbeat_ml_dsa()
			.max(T::WeightInfo::heartbeat_slh_dsa())
			.saturating_add(Self::bare_heartbeat_slot())
			.max(T::WeightInfo::heartbeat_authorized())
			.saturating_add(Self::heartbeat_status_change_extra())
	}

	/// What an executed heartbeat used: an authorized one was verified by its validity check
	/// (whatever the algorithm), a bare one verified its `alg` signature in the call; a status
	/// change adds [`Self::heartbeat_status_change_extra`].
	pub fn heartbeat_weight(authorized: bool, alg: KeyAlgorithm, status_changed: bool) -> Weight {
		let weight = match (authorized, alg) {
			(true, _) => T::WeightInfo::heartbeat_authorized(),
			(false, KeyAlgorithm::SlhDsaSha2_128s) => {
				T::WeightInfo::heartbeat_slh_dsa().saturating_add(Self::bare_heartbeat_slot())
			},
			(false, KeyAlgorithm::MlDsa65 | KeyAlgorithm::Unspecified) => {
				T::WeightInfo::heartbeat_ml_dsa().saturating_add(Self::bare_heartbeat_slot())
			},
		};
		if status_changed {
			weight.saturating_add(Self::heartbeat_status_change_extra())
		} else {
			weight
		}
	}
}
