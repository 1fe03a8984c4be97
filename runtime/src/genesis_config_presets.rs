//! Genesis configuration presets, served by the `GenesisBuilder` runtime API.
//!
//! * [`DEV_RUNTIME_PRESET`] (`"development"`): a single authority, Alice (Aura + GRANDPA), Alice
//!   as sudo, the well-known dev accounts endowed. Used by `aicf-node --dev`.
//! * [`LOCAL_TESTNET_RUNTIME_PRESET`] (`"local_testnet"`): Alice, Bob and Charlie as Aura and
//!   GRANDPA authorities, Alice as sudo, the well-known dev accounts endowed. Used by
//!   `aicf-node --chain local --alice|--bob|--charlie`.
//! * [`DEV_FAST_PRESET`] (`"dev-fast"`): the development preset on 1-second blocks with every
//!   registry period ten times shorter in blocks ([`crate::parameters::RegistryParams::DEV_FAST`]:
//!   a heartbeat every 10 s), for watching whole provider lifecycles on a live node in minutes.
//!   Used by `aicf-node --dev --chain dev-fast`.
//!
//! The dev keys are public knowledge (`//Alice`, ...), and every preset's attestation policy
//! admits **any** TEE workload (`accept_any_workload`; the node says so when it loads one):
//! never use these presets for a network holding value.

use crate::{currency::AICF, AccountId, Balance, BalancesConfig, RuntimeGenesisConfig, SudoConfig};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Name of the fast development preset.
pub const DEV_FAST_PRESET: &str = "dev-fast";

/// Initial balance of every endowed dev account: one million AICF.
pub const ENDOWMENT: Balance = 1_000_000 * AICF;

/// Genesis patch shared by the presets.
fn testnet_genesis(
	initial_authorities: Vec<(AuraId, GrandpaId)>,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
) -> Value {
	// Intel's and AMD's production roots, and the published test keys of a development chain.
	let roots = pallet_aicf_attestation::vendor_roots::published()
		.into_iter()
		.chain(pallet_aicf_attestation::vendor_roots::development())
		.collect::<Vec<_>>();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts
				.iter()
				.cloned()
				.map(|account| (account, ENDOWMENT))
				// The treasury pot exists from genesis, so slashes of any size can reach it; so
				// does the payout pot, so every planck settlement pays into it can be credited
				// (the pot keeps its existential deposit).
				.chain([
					(crate::configs::AicfTreasuryAccount::get(), crate::EXISTENTIAL_DEPOSIT),
					(crate::configs::RegistryPot::get(), crate::EXISTENTIAL_DEPOSIT),
				])
				.collect::<Vec<_>>(),
		},
		aura: pallet_aura::GenesisConfig {
			authorities: initial_authorities.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: initial_authorities.iter().map(|x| (x.1.clone(), 1)).collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		// Development chains admit ANY TEE workload: no runner image is pinned, so an `ai`
		// attestation from any enclave, TD, guest or realm that chains to a pinned root counts.
		// A network holding value starts without this and pins its runner images
		// (`set_policy`) before `ai` providers can attest.
		aicf_attestation: pallet_aicf_attestation::GenesisConfig {
			roots,
			accept_any_workload: true,
		},
	})
}

/// Aura (sr25519) and GRANDPA (ed25519) keys of a well-known dev authority.
fn authority_keys(sr: Sr25519Keyring, ed: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(sr.public().into(), ed.public().into())
}

/// The well-known dev accounts (Alice..Ferdie and their stashes).
fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect()
}

/// Genesis patch of the [`DEV_RUNTIME_PRESET`] preset.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// Genesis patch of the [`LOCAL_TESTNET_RUNTIME_PRESET`] preset.
pub fn local_config_genesis() -> Value {
	testnet_genesis(
		vec![
			authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority_keys(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			authority_keys(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// Genesis patch of the [`DEV_FAST_PRESET`] preset: the development chain with the `dev-fast`
/// parameters written at genesis.
pub fn dev_fast_config_genesis() -> Value {
	use crate::parameters::{ConsensusParams, RegistryParams};
	let mut patch = development_config_genesis();
	if let Value::Object(fields) = &mut patch {
		fields.insert(
			"parametersAdmin".into(),
			serde_json::json!({
				"registry": RegistryParams::DEV_FAST,
				"consensus": ConsensusParams::DEV_FAST,
			}),
		);
	}
	patch
}

/// Returns the JSON genesis patch of the preset `id`, or `None` for an unknown preset.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_str() {
		DEV_RUNTIME_PRESET => development_config_genesis(),
		LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		DEV_FAST_PRESET => dev_fast_config_genesis(),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// Names of the available presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(DEV_RUNTIME_PRESET),
		PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(DEV_FAST_PRESET),
	]
}
