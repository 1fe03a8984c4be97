//! Read-only views for the runtime API (`AicfRegistryApi`) and the node's `aicf_*` RPC.
//!
//! Listing is paged by an opaque cursor (the last provider id returned or scanned) and does a
//! bounded amount of work per call: at most [`MAX_PAGE`] results and [`MAX_SCAN`] records read.

use crate::{AttestationSlots, Config, Pallet, Providers};
use aicf_primitives::{
	types::{Contact, Endpoint, Region},
	Capabilities, CapabilityKind, KeyAlgorithm, ProviderId, ProviderStatus,
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{Saturating, Zero},
	Permill,
};

/// Most providers one `list_providers` call returns.
pub const MAX_PAGE: u32 = 100;
/// Most records one `list_providers` call reads before it returns a continuation cursor.
pub const MAX_SCAN: u32 = 1_000;
/// Most payout entries (claimed or not) `balance_info` reads.
pub const MAX_PAYOUT_VIEW: usize = 1_000;

/// Filter of `list_providers`; `None` fields match everything.
#[derive(Clone, PartialEq, Eq, Debug, Default, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct ProviderFilter {
	/// Only this status.
	pub status: Option<ProviderStatus>,
	/// Only providers declaring this capability.
	pub capability: Option<CapabilityKind>,
	/// Only this region.
	pub region: Option<Region>,
	/// Only providers whose effective health is at least this.
	pub min_health: Option<Permill>,
}

/// Everything a dashboard shows about one provider (the data of the spec §10.1 view).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct ProviderInfo<AccountId, Balance, BlockNumber> {
	/// The id.
	pub id: ProviderId,
	/// Controller account.
	pub controller: AccountId,
	/// Algorithm of the current registry key.
	pub key_alg: KeyAlgorithm,
	/// Status at the queried block: [`Pallet::effective_status`] (what `status::decide`
	/// concludes now).
	pub status: ProviderStatus,
	/// Status stored by the last call that touched the record; differs from `status` only for
	/// an ACTIVE provider whose heartbeats, health or attestation lapsed with time.
	pub stored_status: ProviderStatus,
	/// Declared capabilities.
	pub capabilities: Capabilities,
	/// Region.
	pub region: Region,
	/// Endpoint.
	pub endpoint: Endpoint,
	/// Contact.
	pub contact: Contact,
	/// Latest attestation per capability (each may have expired: compare `expires_at` with
	/// the queried block).
	pub attestations: AttestationSlots<BlockNumber>,
	/// Bonded stake.
	pub bonded: Balance,
	/// Minimum stake for the declared capabilities.
	pub min_required: Balance,
	/// Amount unbonding and not yet withdrawn.
	pub unbonding: Balance,
	/// Block at which the last unbonding chunk is fully unlocked.
	pub unlock_height: Option<BlockNumber>,
	/// Effective health score at the queried block.
	pub health: Permill,
	/// Median of the RTTs reported in the provider's QoS window (its last `QosWindowLen`
	/// heartbeats), milliseconds.
	pub rtt_ms_p50: u32,
	/// Unix seconds of the last heartbeat.
	pub last_heartbeat: Option<u64>,
	/// Concurrent leases allowed.
	pub max_concurrent: u32,
	/// Leases open.
	pub in_use: u32,
}

/// Where a provider's funds are (`aicf_getBalance`).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct BalanceInfo<AccountId, Balance> {
	/// The id.
	pub id: ProviderId,
	/// Controller account.
	pub controller: AccountId,
	/// Controller's free balance.
	pub free: Balance,
	/// Bonded stake.
	pub bonded: Balance,
	/// Unbonding, still locked.
	pub unbonding_locked: Balance,
	/// Unbonding, unlocked but not withdrawn.
	pub unbonding_unlocked: Balance,
	/// What `withdraw` would release now (zero during a cooldown or with liabilities).
	pub withdrawable: Balance,
	/// Unpaid slash liabilities.
	pub liabilities: Balance,
	/// Credited, unclaimed payouts `(epoch, amount)`, oldest epoch first (at most
	/// [`MAX_PAYOUT_VIEW`]).
	pub pending_payouts: Vec<(u64, Balance)>,
}

/// One page of `list_providers`.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct ProviderPage<AccountId, Balance, BlockNumber> {
	/// Matching providers.
	pub providers: Vec<ProviderInfo<AccountId, Balance, BlockNumber>>,
	/// Pass this as `cursor` to continue; `None` when every record has been read.
	pub next_cursor: Option<ProviderId>,
}

/// `ProviderInfo` of a runtime.
pub type ProviderInfoOf<T> =
	ProviderInfo<<T as frame_system::Config>::AccountId, <T as Config>::Balance, BlockNumberFor<T>>;

/// Two id-ordered walks as one id-ordered walk.
struct MergeById<A: Iterator<Item = ProviderId>, B: Iterator<Item = ProviderId>> {
	a: core::iter::Peekable<A>,
	b: core::iter::Peekable<B>,
}

impl<A: Iterator<Item = ProviderId>, B: Iterator<Item = ProviderId>> Iterator for MergeById<A, B> {
	type Item = ProviderId;
	fn next(&mut self) -> Option<ProviderId> {
		match (self.a.peek(), self.b.peek()) {
			(Some(x), Some(y)) if y < x => self.b.next(),
			(Some(_), _) => self.a.next(),
			(None, _) => self.b.next(),
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The view of one provider, `None` if unknown.
	pub fn provider_info(id: &ProviderId) -> Option<ProviderInfoOf<T>> {
		Providers::<T>::get(id).map(|record| Self::info_of(id, record))
	}

	/// The view of a loaded record (reads its ledger).
	fn info_of(id: &ProviderId, record: crate::ProviderRecordOf<T>) -> ProviderInfoOf<T> {
		let ledger = Self::ledger(id);
		let now = frame_system::Pallet::<T>::block_number();
		ProviderInfo {
			id: *id,
			controller: record.controller.clone(),
			key_alg: record.key.alg,
			status: Self::effective_status(id, &record, now),
			stored_status: record.status,
			min_required: Self::min_required(&record.capabilities),
			health: Self::effective_health(id, &record, now),
			rtt_ms_p50: Self::median_rtt(id).unwrap_or(record.heartbeat.report.rtt_ms_p50),
			last_heartbeat: record.last_heartbeat.map(|_| record.heartbeat.timestamp),
			max_concurrent: Self::max_concurrent(&record),
			in_use: record.leases_in_use,
			capabilities: record.capabilities,
			region: record.region,
			endpoint: record.endpoint,
			contact: record.contact,
			attestations: record.attestations,
			bonded: ledger.bonded,
			unbonding: ledger.unbonding_remaining(),
			unlock_height: ledger.unbonding.iter().map(|c| c.end).max(),
		}
	}

	/// Whether a record passes `filter`, from the record alone (nothing else is read for the
	/// records a page skips).
	fn matches(
		id: &ProviderId,
		record: &crate::ProviderRecordOf<T>,
		filter: &ProviderFilter,
	) -> bool {
		let now = frame_system::Pallet::<T>::block_number();
		filter.status.is_none_or(|s| s == Self::effective_status(id, record, now))
			&& filter.capability.is_none_or(|k| record.capabilities.has(k))
			&& filter.region.as_ref().is_none_or(|r| *r == record.region)
			&& filter.min_health.is_none_or(|h| Self::effective_health(id, record, now) >= h)
	}

	/// Up to `limit` (capped at [`MAX_PAGE`]) providers matching `filter`, after `cursor`.
	///
	/// A status filter matches the status at the queried block ([`Self::effective_status`]).
	/// The walk is over one index, chosen from the filter: the status's entries of
	/// [`StatusIndex`](crate::StatusIndex) when a status is given (records are never deleted,
	/// so a status is the filter that keeps DEREGISTERED records out of the walk; REGISTERED
	/// walks the stored-REGISTERED and stored-ACTIVE entries merged in id order, since ACTIVE
	/// providers whose heartbeats, health or attestation lapsed are REGISTERED now — such a
	/// page may read up to [`MAX_SCAN`] ACTIVE entries and return few), else the
	/// region's entries of [`ListingIndex`](crate::ListingIndex), else the capability kind's
	/// entries of the listing index (all in id order); with none of these, over all records
	/// (storage order). The cost of a page therefore follows the page and how many of the
	/// walked providers the remaining filters (and `min_health`) reject, not the number of
	/// providers. Either way at
	/// most [`MAX_SCAN`] entries are read; a `next_cursor` continues the same walk (pass the
	/// same filter).
	pub fn list_providers(
		filter: &ProviderFilter,
		cursor: Option<ProviderId>,
		limit: u32,
	) -> ProviderPage<T::AccountId, T::Balance, BlockNumberFor<T>> {
		use crate::{ListingIndex, ListingKey, StatusIndex};
		type Walk<'a> = alloc::boxed::Box<dyn Iterator<Item = ProviderId> + 'a>;
		let limit = limit.clamp(1, MAX_PAGE) as usize;
		let listing = |key: ListingKey| -> Walk<'static> {
			match cursor {
				Some(c) => alloc::boxed::Box::new(ListingIndex::<T>::iter_key_prefix_from(
					key.clone(),
					ListingIndex::<T>::hashed_key_for(key, c),
				)),
				None => alloc::boxed::Box::new(ListingIndex::<T>::iter_key_prefix(key)),
			}
		};
		let by_status = |s: ProviderStatus, after: Option<ProviderId>| -> Walk<'static> {
			match after {
				Some(c) => alloc::boxed::Box::new(StatusIndex::<T>::iter_key_prefix_from(
					s,
					StatusIndex::<T>::hashed_key_for(s, c),
				)),
				None => alloc::boxed::Box::new(StatusIndex::<T>::iter_key_prefix(s)),
			}
		};
		let iter: Walk<'static> = match (filter.status, &filter.region, filter.capability, cursor) {
			// Stored REGISTERED and stored ACTIVE (lapsed ones match), merged in id order, so
			// one id cursor continues both whichever index its provider is in by then.
			(Some(ProviderStatus::Registered), .., c) => alloc::boxed::Box::new(MergeById {
				a: by_status(ProviderStatus::Registered, c).peekable(),
				b: by_status(ProviderStatus::Active, c).peekable(),
			}),
			(Some(s), .., c) => by_status(s, c),
			(None, Some(r), ..) => listing(ListingKey::Region(r.clone())),
			(None, None, Some(k), _) => listing(ListingKey::Capability(k)),
			(None, None, None, Some(c)) => alloc::boxed::Box::new(Providers::<T>::iter_keys_from(
				Providers::<T>::hashed_key_for(c),
			)),
			(None, None, None, None) => alloc::boxed::Box::new(Providers::<T>::iter_keys()),
		};
		let mut providers = Vec::new();
		let mut last = None;
		let mut exhausted = true;
		for (scanned, id) in iter.enumerate() {
			if providers.len() >= limit || scanned >= MAX_SCAN as usize {
				exhausted = false;
				break;
			}
			last = Some(id);
			if let Some(record) = Providers::<T>::get(id) {
				if Self::matches(&id, &record, filter) {
					providers.push(Self::info_of(&id, record));
				}
			}
		}
		ProviderPage { providers, next_cursor: if exhausted { None } else { last } }
	}

	/// Unclaimed payouts of `id` by epoch, oldest first, from at most [`MAX_PAYOUT_VIEW`]
	/// entries.
	pub fn pending_payouts(id: &ProviderId) -> Vec<(u64, T::Balance)> {
		let mut out: Vec<(u64, T::Balance)> = crate::Payouts::<T>::iter_prefix(id)
			.take(MAX_PAYOUT_VIEW)
			.filter(|(_, p)| p.claimed_at.is_none())
			.map(|(epoch, p)| (epoch, p.amount))
			.collect();
		out.sort_by_key(|(epoch, _)| *epoch);
		out
	}

	/// Balance view of one provider, `None` if unknown.
	pub fn balance_info(id: &ProviderId) -> Option<BalanceInfo<T::AccountId, T::Balance>> {
		use frame_support::traits::fungible::Inspect;
		let record = Providers::<T>::get(id)?;
		let ledger = Self::ledger(id);
		let now = frame_system::Pallet::<T>::block_number();
		let unlocked = ledger.withdrawable_at(now);
		// Each chunk's unlocked part is at most what is left of it.
		let locked = ledger.unbonding_remaining().saturating_sub(unlocked);
		// What `withdraw` refuses: open leases, a cooldown (jail, slash, the offence-report
		// window after the last lease or deregistration), unpaid liabilities.
		let blocked = record.leases_in_use > 0
			|| now < record.cooldown_until
			|| !ledger.liabilities.is_zero();
		Some(BalanceInfo {
			id: *id,
			free: T::Currency::balance(&record.controller),
			controller: record.controller,
			bonded: ledger.bonded,
			unbonding_locked: locked,
			unbonding_unlocked: unlocked,
			withdrawable: if blocked { Zero::zero() } else { unlocked },
			liabilities: ledger.liabilities,
			pending_payouts: Self::pending_payouts(id),
		})
	}
}
