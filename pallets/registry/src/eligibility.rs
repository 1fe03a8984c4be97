//! Eligibility for matchers (spec §7): indexes of ACTIVE providers, `check` and `candidates`,
//! the network's region policy, and lease accounting against each provider's quota.
//!
//! ## The index
//!
//! [`crate::EligibleIndex`] holds one entry per (capability key, provider) for every provider
//! whose stored status is ACTIVE: one key per declared model family (`Ai(model)`) and one per
//! trap family (`Quantum(family)`). It is kept in step wherever a status or the capabilities
//! change ([`Pallet::refresh_status`], `update_capabilities`, `deregister`), and
//! `do_try_state` checks both directions of that correspondence.
//!
//! A stored ACTIVE status can go stale with time alone (an attestation expires, heartbeats
//! stop, health decays) until a call or the `on_idle` sweep touches the record. So
//! [`ProviderEligibility::candidates`] re-checks each entry with [`ProviderEligibility::check`]
//! at the current block and skips the ones that fail. It reads the index entries for the
//! requirement's key only, in id order, and stops after `limit` results or
//! `limit + MaxCandidateSkips` entries: its cost depends on the results and skips, never on
//! the number of registered providers.
//!
//! ## Leases
//!
//! [`ProviderLeases::acquire_lease`] takes one of the provider's `min(declared capacity,
//! MaxConcurrentLeases)` slots; [`ProviderLeases::release_lease`] returns one. Open leases
//! block deregistration. A matcher that sees a lease abandoned releases it and reports
//! [`Offence::LeaseAbandoned`](aicf_primitives::traits::Offence::LeaseAbandoned) through
//! [`ProviderPenalties`](aicf_primitives::traits::ProviderPenalties).

use crate::{
	status, Config, EligibleIndex, Error, Event, NetworkRegionPolicy, Pallet, ProviderRecordOf,
	Providers,
};
use aicf_primitives::{
	traits::{
		CapabilityRequirement, Ineligible, JobRequirements, ProviderEligibility, ProviderLeases,
	},
	types::{Name, Region},
	Capabilities, ProviderId, ProviderStatus,
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::Get};
use scale_info::TypeInfo;
use sp_runtime::DispatchResult;

/// Key of the eligibility index: a model family or a trap family.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum IndexKey {
	/// ACTIVE AI providers serving this model family.
	Ai(Name),
	/// ACTIVE quantum providers supporting this trap family.
	Quantum(Name),
}

impl IndexKey {
	/// The key a job requirement is looked up under.
	pub fn of_requirement(req: &CapabilityRequirement) -> Self {
		match req {
			CapabilityRequirement::Ai { model } => Self::Ai(model.clone()),
			CapabilityRequirement::Quantum { trap_family, .. } => {
				Self::Quantum(trap_family.clone())
			},
		}
	}

	/// Every key `capabilities` is indexed under.
	pub fn of_capabilities(capabilities: &Capabilities) -> Vec<Self> {
		let ai = capabilities.ai.iter().flat_map(|a| a.models.iter().cloned().map(Self::Ai));
		let q = capabilities
			.quantum
			.iter()
			.flat_map(|q| q.trap_families.iter().cloned().map(Self::Quantum));
		ai.chain(q).collect()
	}
}

/// Network-wide region policy, set by governance.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	frame_support::DefaultNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(Max))]
pub struct RegionPolicy<Max: Get<u32>> {
	/// Regions where jobs may run; empty = every region not denied.
	pub allowed: BoundedVec<Region, Max>,
	/// Regions where no job may run.
	pub denied: BoundedVec<Region, Max>,
}

impl<Max: Get<u32>> RegionPolicy<Max> {
	/// Whether `region` passes the policy.
	pub fn permits(&self, region: &Region) -> bool {
		!self.denied.contains(region) && (self.allowed.is_empty() || self.allowed.contains(region))
	}
}

impl<T: Config> Pallet<T> {
	/// Add `provider` to the index under every key of `capabilities`.
	pub(crate) fn index_insert(provider: &ProviderId, capabilities: &Capabilities) {
		for key in IndexKey::of_capabilities(capabilities) {
			EligibleIndex::<T>::insert(key, provider, ());
		}
	}

	/// Remove `provider` from the index under every key of `capabilities`.
	pub(crate) fn index_remove(provider: &ProviderId, capabilities: &Capabilities) {
		for key in IndexKey::of_capabilities(capabilities) {
			EligibleIndex::<T>::remove(key, provider);
		}
	}

	/// List a new provider under its region and capability kinds ([`crate::ListingIndex`]).
	pub(crate) fn list(provider: &ProviderId, capabilities: &Capabilities, region: &Region) {
		for key in crate::ListingKey::of(capabilities, region) {
			crate::ListingIndex::<T>::insert(key, provider, ());
		}
	}

	/// Move `provider`'s listing entries from its old capabilities and region to its new ones,
	/// touching only the terms that differ.
	pub(crate) fn relist(
		provider: &ProviderId,
		(old_caps, old_region): (&Capabilities, &Region),
		(new_caps, new_region): (&Capabilities, &Region),
	) {
		let old = crate::ListingKey::of(old_caps, old_region);
		let new = crate::ListingKey::of(new_caps, new_region);
		for key in old.iter().filter(|k| !new.contains(k)) {
			crate::ListingIndex::<T>::remove(key, provider);
		}
		for key in new.into_iter().filter(|k| !old.contains(k)) {
			crate::ListingIndex::<T>::insert(key, provider, ());
		}
	}

	/// Keep the indexes in step with a status change of `provider` from `from` to `to`.
	pub(crate) fn reindex_status(
		provider: &ProviderId,
		capabilities: &Capabilities,
		from: ProviderStatus,
		to: ProviderStatus,
	) {
		if from != to {
			crate::StatusIndex::<T>::remove(from, provider);
			crate::StatusIndex::<T>::insert(to, provider, ());
		}
		match (from == ProviderStatus::Active, to == ProviderStatus::Active) {
			(false, true) => Self::index_insert(provider, capabilities),
			(true, false) => Self::index_remove(provider, capabilities),
			_ => {},
		}
	}

	/// Whether the provider of `record` is ACTIVE at the current block (the stored status may
	/// be stale: see the module docs), or the reason it is not: `Jailed`; `NotActive` when
	/// deregistered, unstaking or under-staked; `AttestationStale`; `Unhealthy` when health
	/// decayed below the threshold; `NotActive` when no heartbeat arrived in the last interval.
	fn live_active(
		record: &ProviderRecordOf<T>,
		ledger: &crate::StakeLedgerOf<T>,
	) -> Result<(), Ineligible> {
		let input = Self::status_input_with(record, ledger);
		if status::decide(input) == ProviderStatus::Active {
			return Ok(());
		}
		Err(if input.jailed && !input.deregistered {
			Ineligible::Jailed
		} else if input.deregistered || input.unbonding || !input.stake_sufficient {
			Ineligible::NotActive
		} else if !input.attestation_current {
			Ineligible::AttestationStale
		} else if record.last_heartbeat.is_some() && !input.healthy {
			Ineligible::Unhealthy
		} else {
			Ineligible::NotActive
		})
	}

	fn now() -> frame_system::pallet_prelude::BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// The eligibility check on a loaded record (see [`ProviderEligibility::check`]).
	pub fn check_record(
		provider: &ProviderId,
		record: &ProviderRecordOf<T>,
		req: &JobRequirements<T::Balance>,
	) -> Result<(), Ineligible> {
		let ledger = crate::Ledgers::<T>::get(provider).unwrap_or_default();
		Self::live_active(record, &ledger)?;
		let caps = &record.capabilities;
		let capable = match &req.capability {
			CapabilityRequirement::Ai { model } => {
				caps.ai.as_ref().is_some_and(|a| a.models.contains(model))
			},
			CapabilityRequirement::Quantum { trap_family, min_depth, min_width } => {
				caps.quantum.as_ref().is_some_and(|q| {
					q.trap_families.contains(trap_family)
						&& q.max_depth >= *min_depth
						&& q.max_width >= *min_width
				})
			},
		};
		if !capable {
			return Err(Ineligible::CapabilityMissing);
		}
		let region_ok = (req.regions.is_empty() || req.regions.contains(&record.region))
			&& NetworkRegionPolicy::<T>::get().permits(&record.region);
		if !region_ok {
			return Err(Ineligible::RegionDenied);
		}
		if ledger.bonded < req.min_stake {
			return Err(Ineligible::StakeTooLow);
		}
		if Self::effective_health(record, Self::now()) < req.min_health {
			return Err(Ineligible::Unhealthy);
		}
		if record.leases_in_use >= Self::max_concurrent(record) {
			return Err(Ineligible::QuotaFull);
		}
		Ok(())
	}

	/// Set the network's region policy.
	pub(crate) fn do_set_region_policy(
		allowed: BoundedVec<Region, T::MaxRegionPolicy>,
		denied: BoundedVec<Region, T::MaxRegionPolicy>,
	) -> DispatchResult {
		for r in allowed.iter().chain(denied.iter()) {
			aicf_primitives::types::validate_region(r).map_err(|_| Error::<T>::InvalidRegion)?;
		}
		NetworkRegionPolicy::<T>::put(RegionPolicy {
			allowed: allowed.clone(),
			denied: denied.clone(),
		});
		Self::deposit_event(Event::RegionPolicySet { allowed, denied });
		Ok(())
	}
}

impl<T: Config> ProviderEligibility<T::Balance> for Pallet<T> {
	/// `Ok` if `provider` may take a job with `requirements` now. Reasons, in the order they
	/// are checked: `UnknownProvider`; `Jailed`, `AttestationStale`, `Unhealthy`, `NotActive`
	/// (not ACTIVE at this block); `CapabilityMissing`; `RegionDenied` (the job's regions or
	/// the network policy); `StakeTooLow` (bonded below `min_stake`); `Unhealthy` (below
	/// `min_health`); `QuotaFull`.
	fn check(
		provider: &ProviderId,
		requirements: &JobRequirements<T::Balance>,
	) -> Result<(), Ineligible> {
		let record = Providers::<T>::get(provider).ok_or(Ineligible::UnknownProvider)?;
		Self::check_record(provider, &record, requirements)
	}

	/// Eligible providers from the index of the requirement's model or trap family, in id
	/// order after `cursor`. Reads at most `limit + MaxCandidateSkips` index entries. The
	/// returned cursor is the last entry read when the walk stopped on the limit or the
	/// budget (the next page may then be empty), `None` when it reached the end of the index.
	fn candidates(
		requirements: &JobRequirements<T::Balance>,
		limit: u32,
		cursor: Option<ProviderId>,
	) -> (Vec<ProviderId>, Option<ProviderId>) {
		let key = IndexKey::of_requirement(&requirements.capability);
		let mut iter = match cursor {
			Some(c) => EligibleIndex::<T>::iter_key_prefix_from(
				key.clone(),
				EligibleIndex::<T>::hashed_key_for(&key, c),
			),
			None => EligibleIndex::<T>::iter_key_prefix(&key),
		};
		let budget = limit.saturating_add(T::MaxCandidateSkips::get());
		let mut found = Vec::new();
		let mut read = 0u32;
		let mut last = None;
		while (found.len() as u32) < limit && read < budget {
			let Some(id) = iter.next() else {
				return (found, None);
			};
			read = read.saturating_add(1);
			last = Some(id);
			if Self::check(&id, requirements).is_ok() {
				found.push(id);
			}
		}
		// Stopped on the limit or the budget: continue after the last entry read.
		(found, last)
	}
}

impl<T: Config> ProviderLeases for Pallet<T> {
	/// Take a lease slot. Errors: `UnknownProvider`, `ProviderNotActive` (not ACTIVE at this
	/// block), `LeaseQuotaFull`. Emits `LeaseAcquired`.
	fn acquire_lease(provider: &ProviderId) -> DispatchResult {
		let mut record = Providers::<T>::get(provider).ok_or(Error::<T>::UnknownProvider)?;
		let ledger = crate::Ledgers::<T>::get(provider).unwrap_or_default();
		Self::live_active(&record, &ledger).map_err(|_| Error::<T>::ProviderNotActive)?;
		ensure!(record.leases_in_use < Self::max_concurrent(&record), Error::<T>::LeaseQuotaFull);
		record.leases_in_use = record.leases_in_use.saturating_add(1);
		let in_use = record.leases_in_use;
		Providers::<T>::insert(provider, record);
		Self::deposit_event(Event::LeaseAcquired { provider: *provider, in_use });
		Ok(())
	}

	/// Return a lease slot. Errors: `UnknownProvider`, `NoOpenLease`. Emits `LeaseReleased`.
	fn release_lease(provider: &ProviderId) -> DispatchResult {
		let mut record = Providers::<T>::get(provider).ok_or(Error::<T>::UnknownProvider)?;
		ensure!(record.leases_in_use > 0, Error::<T>::NoOpenLease);
		record.leases_in_use = record.leases_in_use.saturating_sub(1);
		let in_use = record.leases_in_use;
		Providers::<T>::insert(provider, record);
		Self::deposit_event(Event::LeaseReleased { provider: *provider, in_use });
		Ok(())
	}
}
