//! Invariants of the registry's storage, checked by `try_state` and after every test.
//!
//! # Invariants
//!
//! 1. **Holds match ledgers**: for every controller, the balance held under
//!    `HoldReason::ProviderStake` equals the sum over its providers (deregistered included) of
//!    `bonded + Σ(chunk.amount − chunk.withdrawn)`.
//! 2. **Status is the status machine's**: every record's stored status equals
//!    `status::decide` of its facts at the current block, except where the decision depends on
//!    time (a heartbeat or attestation that lapsed since the last call: stored ACTIVE may then
//!    be stale; it is refreshed on the next touch). ACTIVE therefore implies bonded stake ≥
//!    min_required, not jailed, not unbonding, and an attestation and heartbeat that were
//!    current when last evaluated. The status views show (`Pallet::effective_status`, from the
//!    record alone) equals `status::decide` of the facts at the current block.
//! 3. **Unbonding schedules are well-formed**: for every chunk `start ≤ end`, `0 < amount`,
//!    `withdrawn < amount` (its span is the `UnbondingBlocks` in force when it was created,
//!    which a runtime with governance parameters may have changed since).
//! 4. **Key index is consistent**: every record's current key hash maps to its id; every key
//!    index entry points at an existing record; every record has at least one index entry.
//! 5. **Controller index is consistent**: a provider is listed under its controller iff it is
//!    not deregistered; no list has duplicates.
//! 6. **Count**: `ProviderCount` equals the number of records.
//! 7. **Deregistered providers are out of service**: no bonded stake, no leases. (A forced
//!    deregistration leaves its stake unbonding, and an offence reported within the
//!    offence-report window after a deregistration can leave a liability.)
//! 8. **Eligibility index is consistent**: a provider has an `EligibleIndex` entry under a key
//!    iff its stored status is ACTIVE and its capabilities declare that model or trap family.
//! 9. **Payouts are covered**: `PendingPayoutTotal` is the sum of the unclaimed payouts, every
//!    payout belongs to an existing provider and is non-zero, and the pot can pay the total
//!    while keeping its existential deposit.
//! 10. **Status index is consistent**: every record is in `StatusIndex` under its stored
//!     status, and the index has exactly one entry per record.
//! 11. **Listing index is consistent**: a provider has a `ListingIndex` entry under a term iff
//!     its record's region or declared capability kinds give that term (`ListingKey::of`).
//! 12. **QoS windows belong to live providers**: every `QosWindows` entry is of a provider
//!     that exists, is not deregistered and has sent a heartbeat; its ring index is inside it.
//! 13. **Registration deposits are held**: every `RegistrationDeposits` entry is non-zero and
//!     of a live (not deregistered) provider, and each controller's balance held under
//!     `HoldReason::RegistrationDeposit` is the sum of its providers' entries.
//! 14. **Cooldowns and leases are consistent**: a jailed provider's funds are held at least
//!     until its jail ends (`cooldown_until ≥ jailed_until`), and no provider has more leases
//!     open than `MaxConcurrentLeases`.
//! 15. **SLA records are of known providers and not idle**: every `SlaWindows` entry is of an
//!     existing provider and is not idle (an idle record is removed when its window closes),
//!     unless it counts the current window. (A record may count a window after the current one
//!     if governance lengthened the windows; it closes at its next touch.)
//! 16. **Liveness chains belong to live providers**: every `LivenessChains` entry is of a
//!     provider that exists, is not deregistered and has sent a heartbeat, no later than its last
//!     proof. (Its proofs left are not bounded by today's `MaxLivenessChain`: a chain committed
//!     under a longer one runs out as committed.)

use crate::{
	status, Config, ControllerProviders, EligibleIndex, HoldReason, IndexKey, KeyOwners, Pallet,
	Payouts, PendingPayoutTotal, ProviderCount, Providers,
};
use aicf_primitives::{ProviderId, ProviderStatus};
use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
use frame_support::traits::{fungible::InspectHold, Get};
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

fn fail(msg: &'static str) -> Result<(), TryRuntimeError> {
	Err(TryRuntimeError::Other(msg))
}

/// Check every invariant listed in the module docs.
pub fn check<T: Config>() -> Result<(), TryRuntimeError> {
	let mut held_by: BTreeMap<T::AccountId, T::Balance> = BTreeMap::new();
	let mut deposits: BTreeMap<T::AccountId, T::Balance> = BTreeMap::new();
	let mut records = 0u32;
	for (id, record) in Providers::<T>::iter() {
		records = records.saturating_add(1);
		let ledger = Pallet::<T>::ledger(&id);

		// 3
		for c in ledger.unbonding.iter() {
			// A chunk spans the unbonding period in force when it was created (governance may
			// change the period since: the chunk keeps its own end).
			if c.start > c.end || c.amount.is_zero() || c.withdrawn >= c.amount {
				return fail("malformed unbonding chunk");
			}
		}
		// 1
		let entry = held_by.entry(record.controller.clone()).or_default();
		*entry = entry.saturating_add(ledger.held());
		// 13
		let deposit = crate::RegistrationDeposits::<T>::get(id).unwrap_or_default();
		let entry = deposits.entry(record.controller.clone()).or_default();
		*entry = entry.saturating_add(deposit);

		// 2
		let input = Pallet::<T>::status_input(&record, &id);
		let decided = status::decide(input);
		// Attestation expiry, heartbeat silence and health decay happen with time alone; the
		// stored status catches up on the next touch (or the sweep jails the provider).
		let time_dependent = record.status == ProviderStatus::Active
			&& decided == ProviderStatus::Registered
			&& input.stake_sufficient
			&& !input.jailed
			&& !input.unbonding;
		if decided != record.status && !time_dependent {
			return fail("stored status differs from the status machine");
		}
		// The status views show, computed from the record alone, is the status machine's.
		if Pallet::<T>::effective_status(&id, &record, frame_system::Pallet::<T>::block_number())
			!= decided
		{
			return fail("effective status differs from the status machine");
		}
		if record.status == ProviderStatus::Active
			&& (!input.stake_sufficient
				|| input.jailed
				|| input.unbonding
				// Time-independent half of the attestation rule: each declared capability
				// has its attestation, and the facility certificate covers every declared
				// trap family (expiry is the lapse point 3 allows).
				|| !record.attestations.cover(&record.capabilities, Zero::zero(), 0))
		{
			return fail("ACTIVE provider without stake, attestation, or while jailed/unbonding");
		}

		// 4
		if KeyOwners::<T>::get(record.key.key_hash()) != Some(id) {
			return fail("current key not indexed to its provider");
		}

		// 5
		let listed = ControllerProviders::<T>::get(&record.controller).contains(&id);
		if listed == (record.status == ProviderStatus::Deregistered) {
			return fail("controller index disagrees with deregistration");
		}

		// 8 (records → index)
		if record.status == ProviderStatus::Active {
			for key in IndexKey::of_capabilities(&record.capabilities) {
				if !EligibleIndex::<T>::contains_key(key, id) {
					return fail("ACTIVE provider missing from the eligibility index");
				}
			}
		}

		// 7
		if record.status == ProviderStatus::Deregistered
			&& (!ledger.bonded.is_zero() || record.leases_in_use != 0)
		{
			return fail("deregistered provider still has bonded stake or leases");
		}
		// 14
		if record.jailed_until.is_some_and(|until| record.cooldown_until < until) {
			return fail("jailed provider's funds are released before its jail ends");
		}
		if record.leases_in_use > T::MaxConcurrentLeases::get() {
			return fail("more leases open than MaxConcurrentLeases");
		}
	}

	for (account, total) in held_by {
		let held = T::Currency::balance_on_hold(&HoldReason::ProviderStake.into(), &account);
		if held != total {
			return fail("held balance differs from the sum of the controller's ledgers");
		}
	}

	// 4 (other direction): every index entry points at a record, and every record has one.
	let mut derived: BTreeSet<ProviderId> = BTreeSet::new();
	for (_, id) in KeyOwners::<T>::iter() {
		if !Providers::<T>::contains_key(id) {
			return fail("key index points at a missing provider");
		}
		derived.insert(id);
	}
	if derived.len() != records as usize {
		return fail("provider without any indexed key");
	}

	// 5 (no duplicates, no stale entries)
	for (account, list) in ControllerProviders::<T>::iter() {
		for (i, id) in list.iter().enumerate() {
			if list.iter().skip(i.saturating_add(1)).any(|other| other == id) {
				return fail("duplicate in controller index");
			}
			match Providers::<T>::get(id) {
				Some(r) if r.controller == account => {},
				_ => return fail("controller index lists a provider it does not control"),
			}
		}
	}

	// 10
	let mut status_entries = 0u32;
	for (status, id, ()) in crate::StatusIndex::<T>::iter() {
		status_entries = status_entries.saturating_add(1);
		match Providers::<T>::get(id) {
			Some(r) if r.status == status => {},
			_ => return fail("status index entry under a status the record does not have"),
		}
	}
	if status_entries != records {
		return fail("status index does not have one entry per record");
	}

	// 11
	let mut listing_entries = 0u32;
	for (key, id, ()) in crate::ListingIndex::<T>::iter() {
		listing_entries = listing_entries.saturating_add(1);
		match Providers::<T>::get(id) {
			Some(r) if crate::ListingKey::of(&r.capabilities, &r.region).contains(&key) => {},
			_ => return fail("listing index entry under a term the record does not have"),
		}
	}
	let expected_listing = Providers::<T>::iter_values().fold(0u32, |n, r| {
		n.saturating_add(crate::ListingKey::of(&r.capabilities, &r.region).len() as u32)
	});
	if listing_entries != expected_listing {
		return fail("listing index does not list every record under each of its terms");
	}

	// 8 (index → records)
	for (key, id, ()) in EligibleIndex::<T>::iter() {
		match Providers::<T>::get(id) {
			Some(r)
				if r.status == ProviderStatus::Active
					&& IndexKey::of_capabilities(&r.capabilities).contains(&key) => {},
			_ => return fail("eligibility index entry for a provider not ACTIVE under that key"),
		}
	}

	// 9
	let mut pending = T::Balance::zero();
	for (id, _, payout) in Payouts::<T>::iter() {
		if !Providers::<T>::contains_key(id) || payout.amount.is_zero() {
			return fail("payout for a missing provider, or of zero");
		}
		if payout.claimed_at.is_none() {
			pending = pending.saturating_add(payout.amount);
		}
	}
	if pending != PendingPayoutTotal::<T>::get() {
		return fail("PendingPayoutTotal differs from the sum of unclaimed payouts");
	}
	if Pallet::<T>::pot_available() < pending {
		return fail("the pot does not cover the unclaimed payouts");
	}

	// 13: every entry is of a live provider; every controller (deregistered providers' too)
	// holds exactly the sum of its providers' entries.
	for (id, deposit) in crate::RegistrationDeposits::<T>::iter() {
		match Providers::<T>::get(id) {
			Some(r) if r.status != ProviderStatus::Deregistered && !deposit.is_zero() => {},
			_ => return fail("registration deposit of a missing or deregistered provider, or 0"),
		}
	}
	for (account, total) in deposits {
		let held = T::Currency::balance_on_hold(&HoldReason::RegistrationDeposit.into(), &account);
		if held != total {
			return fail("held deposit differs from the sum of the controller's registrations");
		}
	}

	// 12
	for (id, window) in crate::QosWindows::<T>::iter() {
		match Providers::<T>::get(id) {
			Some(r) if r.status != ProviderStatus::Deregistered && r.last_heartbeat.is_some() => {},
			_ => return fail("QoS window of a missing, deregistered or silent provider"),
		}
		if window.samples.is_empty() || window.next as usize >= window.samples.len() {
			return fail("QoS window empty or its ring index outside it");
		}
	}

	// 16
	for (id, chain) in crate::LivenessChains::<T>::iter() {
		match Providers::<T>::get(id) {
			Some(r)
				if r.status != ProviderStatus::Deregistered
					&& r.last_heartbeat.is_some_and(|at| at <= chain.last_seen) => {},
			_ => return fail("liveness chain of a missing, deregistered or silent provider"),
		}
	}

	// 15
	let current = Pallet::<T>::sla_window_at(frame_system::Pallet::<T>::block_number());
	for (id, sla) in crate::SlaWindows::<T>::iter() {
		if !Providers::<T>::contains_key(id) {
			return fail("SLA record of a missing provider");
		}
		if sla.is_idle() && sla.window != current {
			return fail("an idle SLA record was kept past its window");
		}
	}

	// 6
	if ProviderCount::<T>::get() != records {
		return fail("ProviderCount differs from the number of records");
	}

	Ok(())
}
