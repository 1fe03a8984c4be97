//! What binds registry-key signatures to this chain: the genesis hash every signed payload
//! (registration, update, rotation, heartbeat) carries, so a signature made for one chain is
//! refused on another.

use crate::{Config, Pallet};
use aicf_primitives::payload::Hash32;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;

impl<T: Config> Pallet<T> {
	/// Genesis hash of this chain, as signed payloads carry it. `CheckGenesis` reads the same
	/// entry; it is set from block 1 on, so it is the real hash whenever a call executes.
	pub fn genesis_hash() -> Hash32 {
		let hash = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let mut out = [0u8; 32];
		for (dst, src) in out.iter_mut().zip(hash.as_ref().iter()) {
			*dst = *src;
		}
		out
	}
}
