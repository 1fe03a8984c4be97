//! # AICF registry runtime API
//!
//! The contract between the runtime and the node's `aicf_*` RPC (and any client using
//! `state_call`). The node's RPC methods are thin wrappers that turn these SCALE records into
//! the JSON views of spec §10.
//!
//! `state_call` equivalents (SCALE-encoded arguments, hex):
//!
//! | RPC method | `state_call` method | arguments |
//! |---|---|---|
//! | `aicf_listProviders` | `AicfRegistryApi_list_providers` | `(ProviderFilter, Option<ProviderId>, u32)` |
//! | `aicf_getProvider` | `AicfRegistryApi_get_provider` | `ProviderId` |
//! | `aicf_getBalance` | `AicfRegistryApi_get_balance` | `ProviderId` |
//! | (the `aicf` tool's check before sending) | `AicfDryRunApi_apply_in_next_block` | `(Extrinsic, Hash)` |

#![cfg_attr(not(feature = "std"), no_std)]

use aicf_primitives::ProviderId;
use codec::Codec;
pub use pallet_aicf_registry::{
	api::{BalanceInfo, ProviderFilter, ProviderInfo, ProviderPage, MAX_PAGE, MAX_SCAN},
	AttestationSlots,
};

sp_api::decl_runtime_apis! {
	/// Read-only queries of the provider registry.
	#[api_version(1)]
	pub trait AicfRegistryApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// Up to `limit` (capped at [`MAX_PAGE`]) providers matching `filter` after `cursor`;
		/// reads at most [`MAX_SCAN`] records and returns the cursor to continue from.
		fn list_providers(
			filter: ProviderFilter,
			cursor: Option<ProviderId>,
			limit: u32,
		) -> ProviderPage<AccountId, Balance, BlockNumber>;

		/// One provider, `None` if unknown.
		fn get_provider(id: ProviderId) -> Option<ProviderInfo<AccountId, Balance, BlockNumber>>;

		/// Where one provider's funds are, `None` if unknown.
		fn get_balance(id: ProviderId) -> Option<BalanceInfo<AccountId, Balance>>;
	}
}

sp_api::decl_runtime_apis! {
	/// What a transaction would do if it were included now, without keeping anything.
	#[api_version(1)]
	pub trait AicfDryRunApi {
		/// Apply `extrinsic` in the block that would follow `best`, which must be the hash of
		/// the block whose state this runs on (another hash only makes the answer meaningless):
		/// the next block is initialized as a block author would (its number, `best` as its
		/// parent, every pallet's `on_initialize`, the time one slot on), then the extrinsic is
		/// applied. Through `state_call` nothing is kept. Unlike `BlockBuilder_apply_extrinsic`
		/// on the same state, a rule that depends on the block number or on the best block's hash
		/// (a challenge block that must be past, a lock that ends at the next block, a
		/// transaction mortal from the best block) sees what it will see in that block.
		fn apply_in_next_block(
			extrinsic: <Block as sp_runtime::traits::Block>::Extrinsic,
			best: <Block as sp_runtime::traits::Block>::Hash,
		) -> sp_runtime::ApplyExtrinsicResult;
	}
}
