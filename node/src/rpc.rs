//! JSON-RPC extensions of `aicf-node`, on top of the standard Substrate RPC set that
//! `sc_service::spawn_tasks` installs (chain_*, state_*, author_*, system_*, ...).
//!
//! * `system_accountNextIndex` / `system_dryRun` (`substrate-frame-rpc-system`);
//! * `payment_queryInfo` / `payment_queryFeeDetails` (`pallet-transaction-payment-rpc`);
//! * `aicf_listProviders` / `aicf_getProvider` / `aicf_getBalance` (`pallet-aicf-registry-rpc`).

use std::sync::Arc;

use aicf_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Nonce};
use jsonrpsee::RpcModule;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// Dependencies of the full-node RPC extensions.
pub struct FullDeps<C, P> {
	/// The client instance to use.
	pub client: Arc<C>,
	/// Transaction pool instance.
	pub pool: Arc<P>,
}

/// Builds the RPC extensions of a full node.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	C::Api:
		pallet_aicf_registry_rpc::AicfRegistryRuntimeApi<Block, AccountId, Balance, BlockNumber>,
	P: TransactionPool + 'static,
{
	use pallet_aicf_registry_rpc::{AicfApiServer, AicfRpc};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use sp_runtime::traits::Block as BlockT;
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;

	module.merge(
		AicfRpc::<_, <Block as BlockT>::Hash, AccountId, Balance, BlockNumber>::new(client)
			.into_rpc(),
	)?;

	Ok(module)
}
