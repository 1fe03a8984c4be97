//! The runtime's composition: the pallets at their indexes (`#[frame_support::runtime]`) and the
//! runtime APIs the node calls (`apis`). Re-exported from the crate root.
//!
//! Indexes are part of the transaction encoding: never reuse or renumber them. The AICF pallets
//! start at index 10.

use super::*;

pub mod apis;

#[frame_support::runtime]
mod runtime {
	/// The AICF runtime.
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	/// Core system: accounts, nonces, block metadata, events.
	#[runtime::pallet_index(0)]
	pub type System = frame_system::Pallet<Runtime>;

	/// On-chain time, set by an inherent in every block.
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp::Pallet<Runtime>;

	/// Aura authority set and slot bookkeeping.
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura::Pallet<Runtime>;

	/// GRANDPA authority set.
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa::Pallet<Runtime>;

	/// Native AICF balances.
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances::Pallet<Runtime>;

	/// Transaction fees.
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment::Pallet<Runtime>;

	/// Superuser (root) access.
	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo::Pallet<Runtime>;

	/// Governance parameters: the registry's economic and liveness parameters, the block time
	/// (`crate::parameters`).
	#[runtime::pallet_index(7)]
	pub type Parameters = pallet_parameters::Pallet<Runtime>;

	/// The one way to change the registry's parameters (checked), and a chain preset's
	/// parameters at genesis (no storage of its own).
	#[runtime::pallet_index(8)]
	pub type ParametersAdmin = crate::parameters::parameters_admin::Pallet<Runtime>;

	/// AICF provider registry: identities, stake, heartbeats, health, jailing, penalties.
	#[runtime::pallet_index(10)]
	pub type AicfRegistry = pallet_aicf_registry::Pallet<Runtime>;

	/// AICF attestation: pinned vendor roots, policy, DCAP collateral, evidence verification.
	#[runtime::pallet_index(11)]
	pub type AicfAttestation = pallet_aicf_attestation::Pallet<Runtime>;

	/// AICF jobs: leases of registry providers (request, complete, abandon, timeout) and
	/// their payout credits, through the registry's public traits.
	#[runtime::pallet_index(12)]
	pub type AicfJobs = pallet_aicf_jobs::Pallet<Runtime>;
}
