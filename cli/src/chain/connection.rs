//! The connection to a node: connecting, JSON-RPC requests with a timeout, the client at the
//! best block and the chain's genesis hash.

use super::explain;
use crate::error::{CliError, Result};
use std::time::Duration;
use subxt::{
	config::SubstrateConfig,
	rpcs::{client::RpcParams, RpcClient},
	utils::H256,
	OnlineClient, OnlineClientAtBlock,
};

/// The chain configuration (AccountId32, MultiSignature, BlakeTwo256, the default extensions).
pub type ChainConfig = SubstrateConfig;
/// The client at one block: its metadata, storage and transaction builder.
pub type ClientAtBlock = OnlineClientAtBlock<ChainConfig>;

/// How long to wait for the connection and for any single answer of the node.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// A connected node.
pub struct Chain {
	/// The URL connected to.
	pub url: String,
	/// Raw JSON-RPC (the node's `aicf_*` methods).
	pub rpc: RpcClient,
	/// The subxt client.
	pub api: OnlineClient<ChainConfig>,
}

/// Wait at most [`TIMEOUT`] for `fut`, explaining its error or the silence as one line;
/// `what` names the awaited answer.
pub(super) async fn timed<T, E: std::error::Error + 'static>(
	url: &str,
	what: &str,
	fut: impl std::future::Future<Output = std::result::Result<T, E>>,
) -> Result<T> {
	match tokio::time::timeout(TIMEOUT, fut).await {
		Ok(Ok(v)) => Ok(v),
		Ok(Err(e)) => Err(explain::client_error(url, &e)),
		Err(_) => Err(CliError::Unreachable(format!(
			"{url}: no answer to {what} within {} s",
			TIMEOUT.as_secs()
		))),
	}
}

impl Chain {
	/// Connect to `url` (`ws://` or `wss://`).
	pub async fn connect(url: &str) -> Result<Self> {
		if !(url.starts_with("ws://") || url.starts_with("wss://")) {
			return Err(CliError::Input(format!(
				"--url {url:?}: expected a ws:// or wss:// URL, e.g. ws://127.0.0.1:9944"
			)));
		}
		let rpc = timed(url, "the connection", RpcClient::from_insecure_url(url)).await?;
		let backend = subxt::backend::LegacyBackend::<ChainConfig>::builder().build(rpc.clone());
		let api = timed(
			url,
			"the genesis hash request",
			OnlineClient::from_backend_with_config(
				SubstrateConfig::default(),
				std::sync::Arc::new(backend),
			),
		)
		.await?;
		Ok(Self { url: url.to_string(), rpc, api })
	}

	/// Call a JSON-RPC method with positional `params`.
	pub async fn request(
		&self,
		method: &str,
		params: Vec<serde_json::Value>,
	) -> Result<serde_json::Value> {
		let mut rpc_params = RpcParams::new();
		for param in params {
			rpc_params.push(param).map_err(|e| CliError::Other(e.to_string()))?;
		}
		match tokio::time::timeout(TIMEOUT, self.rpc.request(method, rpc_params)).await {
			Ok(Ok(v)) => Ok(v),
			Ok(Err(e)) => Err(explain::rpc_error(&self.url, &e)),
			Err(_) => Err(CliError::Unreachable(format!(
				"{}: no answer to {method} within {} s",
				self.url,
				TIMEOUT.as_secs()
			))),
		}
	}

	/// The client at the best block (the state the transaction pool validates against).
	pub async fn at_best(&self) -> Result<ClientAtBlock> {
		let hash = self.request("chain_getBlockHash", vec![]).await?;
		let hash: H256 = serde_json::from_value(hash)
			.map_err(|e| CliError::Other(format!("chain_getBlockHash: {e}")))?;
		timed(&self.url, "the best block", self.api.at_block(hash)).await
	}

	/// The chain's genesis hash.
	pub fn genesis(&self) -> [u8; 32] {
		self.api.genesis_hash().0
	}
}
