//! Chain specifications built into `aicf-node`.
//!
//! Genesis state is not hard-coded here: each spec names a genesis preset of the runtime
//! (`aicf_runtime::genesis_config_presets`), which the runtime's `GenesisBuilder` API turns
//! into the genesis storage.

use aicf_runtime::{
	currency::{TOKEN_DECIMALS, TOKEN_SYMBOL},
	WASM_BINARY,
};
use sc_service::{ChainType, Properties};
use sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};

/// Chain specification of the AICF chain (no client extensions). Genesis is built by the
/// runtime's `GenesisBuilder` API in a wasm executor that also has the chain's `aicf_crypto`
/// host functions.
pub type ChainSpec =
	sc_service::GenericChainSpec<sc_service::NoExtension, crate::service::AicfHostFunctions>;

/// SS58 address format: the generic Substrate prefix.
const SS58_FORMAT: u32 = 42;

/// libp2p protocol id of the AICF networks (instead of Substrate's default `sup`).
const PROTOCOL_ID: &str = "aicf";

/// Token properties shown by wallets and explorers.
fn properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_FORMAT.into());
	properties
}

/// The runtime wasm embedded in the node binary.
fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"The runtime wasm is not available: the node was built with SKIP_WASM_BUILD; \
		 rebuild without it or pass a chain spec JSON file"
			.to_string()
	})
}

/// A built-in chain: the embedded runtime with one of its genesis presets.
fn built_in(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_protocol_id(PROTOCOL_ID)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// `--dev`: single-authority development chain (Alice authors and finalizes, Alice is sudo).
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	built_in("AICF Development", "aicf_dev", ChainType::Development, DEV_RUNTIME_PRESET)
}

/// `--chain dev-fast` (with `--dev`): the development chain on 1-second blocks with every
/// registry period ten times shorter in blocks (a heartbeat every 10 s; runtime preset
/// `dev-fast`).
pub fn dev_fast_chain_spec() -> Result<ChainSpec, String> {
	built_in(
		"AICF Development (fast)",
		"aicf_dev_fast",
		ChainType::Development,
		aicf_runtime::genesis_config_presets::DEV_FAST_PRESET,
	)
}

/// `--chain local`: three-authority local testnet (Alice, Bob, Charlie).
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	built_in(
		"AICF Local Testnet",
		"aicf_local_testnet",
		ChainType::Local,
		LOCAL_TESTNET_RUNTIME_PRESET,
	)
}
