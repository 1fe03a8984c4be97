//! The indexes kept in step with the provider records: the status index, the listing index
//! (region and capability kind) and the eligibility index (ACTIVE providers by model or trap
//! family), with their key types and the functions that move their entries.
//!
//! Every index stores the provider id unhashed (`Identity`), so walks over one key are in id
//! order; ids are SHA3-256 outputs.
//!
//! - [`crate::StatusIndex`]: one entry per record under its stored status. Walked by
//!   `aicf_listProviders` with a status.
//! - [`crate::ListingIndex`]: one entry per record under its region and under each capability
//!   kind it declares ([`ListingKey`]), whatever its status. Walked by `aicf_listProviders`
//!   with a region or a capability.
//! - [`crate::EligibleIndex`]: one entry per (key, provider) for every provider whose stored
//!   status is ACTIVE: one key per declared model family (`Ai(model)`) and one per trap family
//!   (`Quantum(family)`) ([`IndexKey`]). Walked by
//!   [`candidates`](aicf_primitives::traits::ProviderEligibility::candidates).
//!
//! They are kept in step wherever a status, the capabilities or the region change
//! ([`Pallet::refresh_status`], `update_capabilities`, `update_region`, `deregister`), and
//! `do_try_state` checks both directions of each correspondence.

use crate::{Config, EligibleIndex, ListingIndex, Pallet, StatusIndex};
use aicf_primitives::{
	traits::CapabilityRequirement,
	types::{CapabilityKind, Name, Region},
	Capabilities, ProviderId, ProviderStatus,
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

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

/// A term of [`crate::ListingIndex`]: every provider is listed under its region and under each
/// capability kind it declares, whatever its status.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub enum ListingKey {
	/// Providers in this region.
	Region(Region),
	/// Providers declaring this kind of capability.
	Capability(CapabilityKind),
}

impl ListingKey {
	/// The terms a provider with `capabilities` in `region` is listed under.
	pub fn of(capabilities: &Capabilities, region: &Region) -> Vec<ListingKey> {
		let kinds = [CapabilityKind::Ai, CapabilityKind::Quantum]
			.into_iter()
			.filter(|k| capabilities.has(*k))
			.map(ListingKey::Capability);
		core::iter::once(ListingKey::Region(region.clone())).chain(kinds).collect()
	}
}

impl<T: Config> Pallet<T> {
	/// Index a new provider: under REGISTERED in the status index, and under its region and
	/// capability kinds in the listing index.
	pub(crate) fn index_new(provider: &ProviderId, capabilities: &Capabilities, region: &Region) {
		StatusIndex::<T>::insert(ProviderStatus::Registered, provider, ());
		for key in ListingKey::of(capabilities, region) {
			ListingIndex::<T>::insert(key, provider, ());
		}
	}

	/// Move `provider`'s listing entries from its old capabilities and region to its new ones,
	/// touching only the terms that differ.
	pub(crate) fn relist(
		provider: &ProviderId,
		(old_caps, old_region): (&Capabilities, &Region),
		(new_caps, new_region): (&Capabilities, &Region),
	) {
		let old = ListingKey::of(old_caps, old_region);
		let new = ListingKey::of(new_caps, new_region);
		for key in old.iter().filter(|k| !new.contains(k)) {
			ListingIndex::<T>::remove(key, provider);
		}
		for key in new.into_iter().filter(|k| !old.contains(k)) {
			ListingIndex::<T>::insert(key, provider, ());
		}
	}

	/// Move `provider`'s entries from `old` capabilities to `new` ones: its listing entries,
	/// and its eligibility entries if its stored `status` is ACTIVE.
	pub(crate) fn reindex_capabilities(
		provider: &ProviderId,
		status: ProviderStatus,
		region: &Region,
		old: &Capabilities,
		new: &Capabilities,
	) {
		if status == ProviderStatus::Active {
			Self::unindex_eligible(provider, old);
			Self::index_eligible(provider, new);
		}
		Self::relist(provider, (old, region), (new, region));
	}

	/// Keep the indexes in step with a status change of `provider` from `from` to `to`.
	pub(crate) fn reindex_status(
		provider: &ProviderId,
		capabilities: &Capabilities,
		from: ProviderStatus,
		to: ProviderStatus,
	) {
		if from != to {
			StatusIndex::<T>::remove(from, provider);
			StatusIndex::<T>::insert(to, provider, ());
		}
		match (from == ProviderStatus::Active, to == ProviderStatus::Active) {
			(false, true) => Self::index_eligible(provider, capabilities),
			(true, false) => Self::unindex_eligible(provider, capabilities),
			_ => {},
		}
	}

	/// Add `provider` to the eligibility index under every key of `capabilities`.
	fn index_eligible(provider: &ProviderId, capabilities: &Capabilities) {
		for key in IndexKey::of_capabilities(capabilities) {
			EligibleIndex::<T>::insert(key, provider, ());
		}
	}

	/// Remove `provider` from the eligibility index under every key of `capabilities`.
	fn unindex_eligible(provider: &ProviderId, capabilities: &Capabilities) {
		for key in IndexKey::of_capabilities(capabilities) {
			EligibleIndex::<T>::remove(key, provider);
		}
	}
}
