//! Hash-chain liveness proofs: a provider alive for 36 bytes instead of a 3.4 KB signed
//! heartbeat.
//!
//! A signed heartbeat may commit to the tip of a fresh SHA3-256 hash chain
//! ([`LivenessCommitment`]); the registry keeps, per provider, a compact record of its own
//! ([`LivenessChain`], 44 bytes, not the 2.2 KB provider record). Each following interval a
//! proof reveals the next preimage ([`LivenessProof`]); the preimage becomes the anchor. Proofs
//! travel in batches ([`crate::Call::prove_liveness`]) from the provider, a pool operator or
//! any relayer, free.
//!
//! **Liveness follows the proofs, quality the signed reports.** A proof moves the provider's
//! *last seen* block ([`Seen`]): its missed deadlines are counted from there, and the
//! deadlines it missed before the proof are banked in the record and decay its health as they
//! would have. The health's quality part moves only with a signed heartbeat's report. A chain
//! holds at most `MaxLivenessChain` proofs, so a report is never older than that many
//! intervals; then a signed heartbeat (with the next commitment) is due.
//!
//! **Fee safety.** A batch is free. The pool admits it only if every item is valid (cheap checks,
//! one small read and one SHA3-256 each, stopping at the first invalid item). In the block,
//! `pre_dispatch` and the call check every item again: an item that became invalid since (its
//! proof included first in another batch, or the provider's own signed heartbeat started a new
//! chain) is **skipped and charged** — the whole batch is weighed and counted against the
//! block's budget, so the work is accounted — while its valid items apply, so one poisoned item
//! cannot take the others out of the block. A batch none of whose items is valid is refused at
//! inclusion. Items are in strictly
//! ascending provider order, so no provider appears twice; the pool tags each item with
//! `(provider, anchor)`, so two batches carrying the same proof do not both wait in one pool.
//! A block includes at most `MaxProofsPerBlock` proofs, each signed heartbeat in it counting as
//! `ProofsPerHeartbeat` of them, so free heartbeats and proofs together leave the block's
//! weight and length to fee-paying transactions (`docs/PERFORMANCE.md` §4).
//!
//! **A chain does not outlive its conditions.** It ends (record removed) when the provider
//! deregisters, rotates its key (a stolen seed is cut off), or sends a signed heartbeat without
//! a commitment; a new commitment replaces it. A proof more than `MaxMissedHeartbeats` missed
//! deadlines after the last one is refused ([`HeartbeatRejection::ChainLapsed`]): only a signed
//! heartbeat (which jails for the silence first) brings such a provider back.

use crate::{
	health, weights::WeightInfo, Config, Error, Event, LivenessChains, Pallet, ProofBlockUsage,
	ProviderRecordOf,
};
pub use aicf_primitives::liveness::LivenessCommitment;
use aicf_primitives::liveness::{link, LivenessProof};
use aicf_primitives::{HeartbeatRejection, ProviderId};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::traits::{Saturating, UniqueSaturatedInto};

/// Tag prefix of liveness proofs in the transaction pool.
const TAG: &[u8] = b"aicf/liveness-proof";

/// A provider's liveness chain: the compact record a proof reads and writes.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct LivenessChain<BlockNumber> {
	/// The last revealed preimage (the committed tip before any proof).
	pub anchor: [u8; 32],
	/// Proofs left.
	pub remaining: u32,
	/// Block of the last proof (of the committing heartbeat before any proof).
	pub last_seen: BlockNumber,
	/// Heartbeat deadlines missed between the committing heartbeat and the last proof: they
	/// decay the health as if no proof had come after them.
	pub missed: u32,
}

/// A provider's liveness chain under `T`'s block numbers.
pub type LivenessChainOf<T> = LivenessChain<BlockNumberFor<T>>;

/// When a provider was last seen alive (signed heartbeat or proof) and the deadlines it missed
/// between its last signed heartbeat and then.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Seen<BlockNumber> {
	/// Last signed heartbeat or later proof; `None` before the first heartbeat.
	pub last: Option<BlockNumber>,
	/// Deadlines missed before `last` since the last signed heartbeat.
	pub banked: u64,
}

impl<T: Config> Pallet<T> {
	/// When `record` (of `provider`) was last seen: its last proof if later than its last
	/// signed heartbeat, else that heartbeat (one read of the compact chain record).
	pub fn seen(provider: &ProviderId, record: &ProviderRecordOf<T>) -> Seen<BlockNumberFor<T>> {
		let chain = record.last_heartbeat.and_then(|_| LivenessChains::<T>::get(provider));
		match (record.last_heartbeat, chain) {
			(Some(hb), Some(c)) if c.last_seen > hb => {
				Seen { last: Some(c.last_seen), banked: u64::from(c.missed) }
			},
			(last, _) => Seen { last, banked: 0 },
		}
	}

	/// End `provider`'s liveness chain (key rotation, deregistration): what its proofs showed
	/// is folded into `record` (written back by the caller) — last seen at its last proof,
	/// health decayed by the deadlines banked — so ending the chain neither forgets nor
	/// forgives anything.
	pub(crate) fn end_chain(provider: &ProviderId, record: &mut ProviderRecordOf<T>) {
		let seen = Self::seen(provider, record);
		if seen.last != record.last_heartbeat {
			record.heartbeat.health =
				health::decayed(record.heartbeat.health, Self::liveness().decay, seen.banked);
			record.last_heartbeat = seen.last;
		}
		LivenessChains::<T>::remove(provider);
	}

	/// The share of `MaxProofsPerBlock` used so far in the current block: its proofs, and
	/// `ProofsPerHeartbeat` for each slot its signed heartbeats take ([`Self::heartbeats_in_block`]).
	pub fn liveness_units_in_block() -> u32 {
		Self::proofs_in_block().saturating_add(
			Self::heartbeats_in_block().saturating_mul(T::ProofsPerHeartbeat::get()),
		)
	}

	/// Proofs included so far in the current block.
	pub fn proofs_in_block() -> u32 {
		let (block, count) = ProofBlockUsage::<T>::get();
		if block == frame_system::Pallet::<T>::block_number() {
			count
		} else {
			0
		}
	}

	/// The batch-wide checks, cheap first: not empty, strictly ascending providers, and (with
	/// `budget`) room in the block's proof budget.
	fn check_batch(proofs: &[LivenessProof], budget: bool) -> Result<(), HeartbeatRejection> {
		if proofs.is_empty() {
			return Err(HeartbeatRejection::NoProofs);
		}
		if proofs.windows(2).any(|w| matches!(w, [a, b] if a.provider >= b.provider)) {
			return Err(HeartbeatRejection::ProofsNotSorted);
		}
		let count = u32::try_from(proofs.len()).unwrap_or(u32::MAX);
		if budget
			&& Self::liveness_units_in_block().saturating_add(count) > T::MaxProofsPerBlock::get()
		{
			return Err(HeartbeatRejection::BlockFull);
		}
		Ok(())
	}

	/// One item: one read and one hash. The provider's chain as it is after the proof.
	fn check_item(
		p: &LivenessProof,
		now: BlockNumberFor<T>,
		l: &crate::heartbeat::Liveness,
	) -> Result<LivenessChainOf<T>, HeartbeatRejection> {
		let mut chain =
			LivenessChains::<T>::get(p.provider).ok_or(HeartbeatRejection::NoLivenessChain)?;
		if now < chain.last_seen.saturating_add(T::MinHeartbeatInterval::get()) {
			return Err(HeartbeatRejection::TooEarly);
		}
		let missed = health::missed_intervals(
			chain.last_seen.unique_saturated_into(),
			now.unique_saturated_into(),
			l.interval,
			l.grace,
		);
		if missed > l.max_missed {
			return Err(HeartbeatRejection::ChainLapsed);
		}
		if chain.remaining == 0 {
			return Err(HeartbeatRejection::ChainExhausted);
		}
		if p.preimage == chain.anchor {
			return Err(HeartbeatRejection::ProofReplayed);
		}
		if link(&p.preimage) != chain.anchor {
			return Err(HeartbeatRejection::ProofMismatch);
		}
		chain.anchor = p.preimage;
		chain.remaining = chain.remaining.saturating_sub(1);
		chain.last_seen = now;
		chain.missed = chain.missed.saturating_add(u32::try_from(missed).unwrap_or(u32::MAX));
		Ok(chain)
	}

	/// The pool's check of a batch: the batch-wide checks, then every item, stopping at the
	/// first invalid one (the pool admits only batches valid in full). Returns the chains as
	/// they are after the batch. Writes nothing.
	pub fn check_proofs(
		proofs: &[LivenessProof],
		budget: bool,
	) -> Result<Vec<(ProviderId, LivenessChainOf<T>)>, HeartbeatRejection> {
		Self::check_batch(proofs, budget)?;
		let now = frame_system::Pallet::<T>::block_number();
		let l = Self::liveness();
		proofs.iter().map(|p| Ok((p.provider, Self::check_item(p, now, &l)?))).collect()
	}

	/// The block's check of a batch: the batch-wide checks, then every item. An item that
	/// became invalid since the pool admitted the batch (its proof included first in another
	/// batch, the provider's signed heartbeat started a new chain) is skipped, not the batch:
	/// one poisoned item cannot take the others' proofs out of the block. The batch is refused
	/// only when no item is valid (with the first item's reason). Writes nothing.
	fn checked_in_block(
		proofs: &[LivenessProof],
		budget: bool,
	) -> Result<Vec<(ProviderId, LivenessChainOf<T>)>, HeartbeatRejection> {
		Self::check_batch(proofs, budget)?;
		let now = frame_system::Pallet::<T>::block_number();
		let l = Self::liveness();
		let mut valid = Vec::with_capacity(proofs.len());
		let mut first_error = None;
		for p in proofs {
			match Self::check_item(p, now, &l) {
				Ok(chain) => valid.push((p.provider, chain)),
				Err(e) => {
					first_error.get_or_insert(e);
				},
			}
		}
		match first_error {
			Some(e) if valid.is_empty() => Err(e),
			_ => Ok(valid),
		}
	}

	/// Pool validity of a batch: every item valid, the block's budget not used up.
	pub fn validate_proofs(proofs: &[LivenessProof]) -> TransactionValidity {
		Self::check_proofs(proofs, true)?;
		let mut tx = ValidTransaction::with_tag_prefix("AicfLivenessProofs")
			.priority(T::HeartbeatPriority::get())
			.longevity(
				UniqueSaturatedInto::<u64>::unique_saturated_into(T::MinHeartbeatInterval::get())
					.max(1),
			)
			.propagate(true);
		// The anchor the proof replaces, so the next interval's proof carries a new tag.
		for p in proofs {
			tx = tx.and_provides((TAG, p.provider, link(&p.preimage)));
		}
		tx.build()
	}

	/// The in-block check of a batch ([`Self::checked_in_block`]), then the whole batch takes
	/// its share of the block's proof budget (skipped items included: they are weighed).
	pub fn pre_dispatch_proofs(proofs: &[LivenessProof]) -> Result<(), HeartbeatRejection> {
		Self::checked_in_block(proofs, true)?;
		Self::take_proof_slots(proofs.len());
		Ok(())
	}

	fn take_proof_slots(n: usize) {
		let now = frame_system::Pallet::<T>::block_number();
		let n = u32::try_from(n).unwrap_or(u32::MAX);
		ProofBlockUsage::<T>::put((now, Self::proofs_in_block().saturating_add(n)));
	}

	/// Apply a batch: every item checked first, then the valid items' chains written, the
	/// invalid ones skipped (counted in the event); nothing changes if no item is valid.
	/// `slots_taken`: the bare form's `pre_dispatch` already counted the batch against the
	/// block's budget.
	pub(crate) fn do_prove_liveness(proofs: &[LivenessProof], slots_taken: bool) -> DispatchResult {
		let valid = Self::checked_in_block(proofs, !slots_taken).map_err(Error::<T>::from)?;
		if !slots_taken {
			Self::take_proof_slots(proofs.len());
		}
		let count = u32::try_from(valid.len()).unwrap_or(u32::MAX);
		let skipped = u32::try_from(proofs.len().saturating_sub(valid.len())).unwrap_or(u32::MAX);
		for (provider, chain) in valid {
			LivenessChains::<T>::insert(provider, chain);
		}
		Self::deposit_event(Event::LivenessProven { count, skipped });
		Ok(())
	}

	/// The weight of a batch of `n` proofs: the measured call plus the bare form's
	/// `pre_dispatch` (the same checks once more and the budget's write).
	pub fn prove_liveness_weight(n: u32) -> Weight {
		T::WeightInfo::prove_liveness(n)
	}
}

impl<T: Config> From<HeartbeatRejection> for Error<T> {
	fn from(r: HeartbeatRejection) -> Self {
		match r {
			HeartbeatRejection::UnknownProvider => Error::<T>::UnknownProvider,
			HeartbeatRejection::Deregistered => Error::<T>::ProviderDeregistered,
			HeartbeatRejection::TooEarly => Error::<T>::HeartbeatTooEarly,
			HeartbeatRejection::StaleCounter => Error::<T>::StaleHeartbeat,
			HeartbeatRejection::TimestampOutOfWindow => Error::<T>::HeartbeatTimestampOutOfWindow,
			HeartbeatRejection::AttestationMismatch => Error::<T>::AttestationMismatch,
			HeartbeatRejection::MalformedReport => Error::<T>::MalformedReport,
			HeartbeatRejection::BadSignature => Error::<T>::BadSignature,
			HeartbeatRejection::NotStaked => Error::<T>::HeartbeatWithoutStake,
			HeartbeatRejection::CounterJump => Error::<T>::HeartbeatCounterJump,
			HeartbeatRejection::BlockFull => Error::<T>::HeartbeatBlockFull,
			HeartbeatRejection::NoLivenessChain => Error::<T>::NoLivenessChain,
			HeartbeatRejection::ProofReplayed => Error::<T>::LivenessProofReplayed,
			HeartbeatRejection::ProofMismatch => Error::<T>::LivenessProofMismatch,
			HeartbeatRejection::ChainExhausted => Error::<T>::LivenessChainExhausted,
			HeartbeatRejection::ProofsNotSorted => Error::<T>::LivenessProofsNotSorted,
			HeartbeatRejection::InvalidCommitment => Error::<T>::InvalidLivenessCommitment,
			HeartbeatRejection::NoProofs => Error::<T>::NoLivenessProofs,
			HeartbeatRejection::ChainLapsed => Error::<T>::LivenessChainLapsed,
		}
	}
}
