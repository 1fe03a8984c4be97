//! Eligibility for matchers (spec §7): [`ProviderEligibility`]'s `check` and `candidates`, and
//! whether a provider is ACTIVE at the current block.
//!
//! A stored ACTIVE status can go stale with time alone (an attestation expires, heartbeats
//! stop, health decays) until a call or the `on_idle` sweep touches the record. So
//! [`ProviderEligibility::candidates`] re-checks each entry of the eligibility index
//! ([`crate::indexes`]) with [`ProviderEligibility::check`] at the current block and skips the
//! ones that fail. It reads the index entries for the requirement's key only, in id order, and
//! stops after `limit` results or `limit + MaxCandidateSkips` entries: its cost depends on the
//! results and skips, never on the number of registered providers.

use crate::{
	status, Config, EligibleIndex, IndexKey, NetworkRegionPolicy, Pallet, ProviderRecordOf,
	Providers, StakeLedgerOf,
};
use aicf_primitives::{
	traits::{CapabilityRequirement, Ineligible, JobRequirements, ProviderEligibility},
	ProviderId, ProviderStatus,
};
use alloc::vec::Vec;
use frame_support::traits::Get;

impl<T: Config> Pallet<T> {
	/// Whether the provider of `record` is ACTIVE at the current block (the stored status may
	/// be stale: see the module docs), or the reason it is not: `Jailed`; `NotActive` when
	/// deregistered, unstaking or under-staked; `AttestationStale`; `Unhealthy` when health
	/// decayed below the threshold; `NotActive` when no heartbeat arrived in the last interval.
	pub(crate) fn live_active(
		provider: &ProviderId,
		record: &ProviderRecordOf<T>,
		ledger: &StakeLedgerOf<T>,
	) -> Result<(), Ineligible> {
		let input = Self::status_input_with(provider, record, ledger);
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

	/// The eligibility check on a loaded record (see [`ProviderEligibility::check`]).
	pub fn check_record(
		provider: &ProviderId,
		record: &ProviderRecordOf<T>,
		req: &JobRequirements<T::Balance>,
	) -> Result<(), Ineligible> {
		let ledger = Self::ledger(provider);
		Self::live_active(provider, record, &ledger)?;
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
		if Self::effective_health(provider, record, frame_system::Pallet::<T>::block_number())
			< req.min_health
		{
			return Err(Ineligible::Unhealthy);
		}
		if let Some(max) = req.max_rtt_ms {
			// The window's median; no report yet means no known RTT.
			if Self::median_rtt(provider).is_none_or(|rtt| rtt > max) {
				return Err(Ineligible::RttTooHigh);
			}
		}
		if record.leases_in_use >= Self::max_concurrent(record) {
			return Err(Ineligible::QuotaFull);
		}
		Ok(())
	}
}

impl<T: Config> ProviderEligibility<T::Balance> for Pallet<T> {
	/// `Ok` if `provider` may take a job with `requirements` now. Reasons, in the order they
	/// are checked: `UnknownProvider`; `Jailed`, `AttestationStale`, `Unhealthy`, `NotActive`
	/// (not ACTIVE at this block); `CapabilityMissing`; `RegionDenied` (the job's regions or
	/// the network policy); `StakeTooLow` (bonded below `min_stake`); `Unhealthy` (below
	/// `min_health`); `RttTooHigh` (the QoS window's median RTT above `max_rtt_ms`, or no
	/// report yet); `QuotaFull`.
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
