//! The network's region policy: governance's allowlist and denylist of the regions where jobs
//! may run. Eligibility checks and `candidates` apply it; statuses do not depend on it.

use crate::{Config, Error, Event, NetworkRegionPolicy, Pallet};
use aicf_primitives::types::{validate_region, Region};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::Get};
use scale_info::TypeInfo;

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
	/// Set the network's region policy.
	pub(crate) fn do_set_region_policy(
		allowed: BoundedVec<Region, T::MaxRegionPolicy>,
		denied: BoundedVec<Region, T::MaxRegionPolicy>,
	) -> DispatchResult {
		for r in allowed.iter().chain(denied.iter()) {
			validate_region(r).map_err(|_| Error::<T>::InvalidRegion)?;
		}
		NetworkRegionPolicy::<T>::put(RegionPolicy {
			allowed: allowed.clone(),
			denied: denied.clone(),
		});
		Self::deposit_event(Event::RegionPolicySet { allowed, denied });
		Ok(())
	}
}
