//! Exits at the shipped parameters: a provider cannot take its stake out, or leave, faster than
//! an offence on its last lease can be reported; governance jails without a slash and
//! offboards. Every call is an extrinsic applied by `Executive` (governance's through sudo); the
//! lease is taken and returned through `ProviderLeases`, as a matcher pallet does.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod common;
use common::*;

use aicf_primitives::{
	keys::RegistryKeypair,
	traits::{LeaseOutcome, Offence, ProviderLeases},
	ProviderId, ProviderStatus,
};
use aicf_runtime::{
	configs::{
		AicfTreasuryAccount, MinInvalidProofSlash, OffenceReportWindow, StakeLockBlocks,
		UnbondingBlocks,
	},
	currency::AICF,
	AicfRegistry, Balances, Runtime, RuntimeCall, DAYS,
};
use frame_support::traits::{fungible::Inspect, Get};
use pallet_aicf_registry::{Call as RegistryCall, Ledgers, Providers};
use sp_keyring::Sr25519Keyring;
use sp_runtime::DispatchError;

fn module_error(result: sp_runtime::DispatchResult) -> Option<&'static str> {
	match result {
		Err(DispatchError::Module(m)) => m.message,
		_ => None,
	}
}

/// `call` signed by `who`, applied; its dispatch result.
fn dispatch(who: Sr25519Keyring, call: RegistryCall<Runtime>) -> sp_runtime::DispatchResult {
	apply(signed(who, RuntimeCall::AicfRegistry(call))).unwrap()
}

/// `call` through sudo; its result.
fn govern(call: RegistryCall<Runtime>) -> sp_runtime::DispatchResult {
	apply(signed(Sr25519Keyring::Alice, sudo(RuntimeCall::AicfRegistry(call)))).unwrap().unwrap();
	sudo_result()
}

/// Registered, staked with 100 AICF, attested and one heartbeat in: ACTIVE, at block 1.
fn active_provider(who: Sr25519Keyring, seed: u8) -> ProviderId {
	let key = RegistryKeypair::from_ml_dsa_seed(&[seed; 32]);
	let id = key.public().provider_id();
	apply(signed(who, register_call(&key, &who.to_account_id()))).unwrap().unwrap();
	dispatch(who, RegistryCall::stake { provider: id, amount: 100 * AICF }).unwrap();
	apply(signed(who, attest_call(id))).unwrap().unwrap();
	apply(general(heartbeat_call(&key, id, 1))).unwrap().unwrap();
	assert_eq!(status(id), ProviderStatus::Active);
	id
}

fn goto(n: u32) {
	finish_block();
	start_block(n);
}

fn treasury() -> u128 {
	Balances::balance(&AicfTreasuryAccount::get())
}

#[test]
fn the_exit_timeline_at_the_shipped_parameters() {
	new_ext().execute_with(|| {
		let alice = Sr25519Keyring::Alice;
		let (lock, unbonding, window) =
			(StakeLockBlocks::get(), UnbondingBlocks::get(), OffenceReportWindow::get());
		assert_eq!((lock, unbonding, window), (600, 1_200, DAYS), "the documented figures");
		let id = active_provider(alice, 1);
		// A matcher leases the provider; the provider unstakes everything at once.
		<AicfRegistry as ProviderLeases>::acquire_lease(&id).unwrap();
		dispatch(alice, RegistryCall::unstake { provider: id, amount: 100 * AICF }).unwrap();
		let unlocked_at = 1 + lock + unbonding;

		// Fully unlocked after 3 hours, but the lease is still open.
		goto(unlocked_at);
		let withdraw = || RegistryCall::withdraw { provider: id };
		assert_eq!(module_error(dispatch(alice, withdraw())), Some("OpenLeases"));
		// The matcher times the lease out here; its SLA accounting reports within a day.
		<AicfRegistry as ProviderLeases>::release_lease(&id, LeaseOutcome::Completed).unwrap();
		let released_at = unlocked_at;
		assert_eq!(Providers::<Runtime>::get(id).unwrap().cooldown_until, released_at + window);

		goto(released_at + window - 1);
		assert_eq!(module_error(dispatch(alice, withdraw())), Some("InCooldown"));
		let before = treasury();
		govern(RegistryCall::report_offence { provider: id, offence: Offence::LeaseAbandoned })
			.unwrap();
		assert_eq!(treasury() - before, AICF, "1 % of the 100 AICF unbonding");

		// Without the report the rest would leave a day after the last lease; the slash holds it
		// one hour (its offence cooldown) more. Then the provider deregisters.
		goto(released_at + window);
		assert_eq!(module_error(dispatch(alice, withdraw())), Some("InCooldown"));
		let released = released_at + window - 1 + 600;
		goto(released);
		dispatch(alice, withdraw()).unwrap();
		assert_eq!(Ledgers::<Runtime>::get(id).unwrap().held(), 0);
		dispatch(alice, RegistryCall::deregister { provider: id }).unwrap();
		let left_at = released;

		// It still answers for the day after it left: with nothing held, as a liability.
		goto(left_at + window - 1);
		govern(RegistryCall::report_offence { provider: id, offence: Offence::InvalidProof })
			.unwrap();
		assert_eq!(Ledgers::<Runtime>::get(id).unwrap().liabilities, MinInvalidProofSlash::get());
		assert_eq!(status(id), ProviderStatus::Deregistered);
		// A report does not keep a deregistered provider's window open.
		let until = left_at + window;
		assert_eq!(Providers::<Runtime>::get(id).unwrap().cooldown_until, until);
		goto(until);
		let late =
			govern(RegistryCall::report_offence { provider: id, offence: Offence::InvalidProof });
		// (Sudo's event keeps the error's index, not its name.)
		assert_eq!(late, Err(pallet_aicf_registry::Error::<Runtime>::ProviderDeregistered.into()));
	});
}

#[test]
fn governance_jails_and_offboards_at_the_shipped_parameters() {
	new_ext().execute_with(|| {
		let (alice, bob) = (Sr25519Keyring::Alice, Sr25519Keyring::Bob);
		let jailed = active_provider(alice, 1);
		let offboarded = active_provider(bob, 2);
		<AicfRegistry as ProviderLeases>::acquire_lease(&offboarded).unwrap();
		let reason = |s: &str| s.as_bytes().to_vec().try_into().unwrap();

		// A signed account cannot.
		let jail =
			RegistryCall::force_jail { provider: jailed, duration: DAYS, reason: reason("x") };
		assert_eq!(dispatch(bob, jail), Err(DispatchError::BadOrigin));
		let before = treasury();
		govern(RegistryCall::force_jail {
			provider: jailed,
			duration: DAYS,
			reason: reason("referendum 7: under investigation"),
		})
		.unwrap();
		assert_eq!(status(jailed), ProviderStatus::Jailed);
		assert_eq!(Ledgers::<Runtime>::get(jailed).unwrap().bonded, 100 * AICF, "no slash");
		assert_eq!(treasury(), before);

		govern(RegistryCall::force_deregister {
			provider: offboarded,
			reason: reason("compliance: region withdrawn"),
		})
		.unwrap();
		let record = Providers::<Runtime>::get(offboarded).unwrap();
		assert_eq!(record.status, ProviderStatus::Deregistered);
		assert_eq!(record.leases_in_use, 0);
		let ledger = Ledgers::<Runtime>::get(offboarded).unwrap();
		assert_eq!((ledger.bonded, ledger.unbonding_remaining()), (0, 100 * AICF));
		assert!(
			AicfRegistry::balance_info(&offboarded).unwrap().withdrawable == 0,
			"nothing withdrawable yet"
		);
		// Unbonded after 3 hours, released after a day.
		goto(1 + StakeLockBlocks::get() + UnbondingBlocks::get());
		let withdraw = RegistryCall::withdraw { provider: offboarded };
		assert_eq!(module_error(dispatch(bob, withdraw.clone())), Some("InCooldown"));
		goto(1 + OffenceReportWindow::get());
		assert_eq!(AicfRegistry::balance_info(&offboarded).unwrap().withdrawable, 100 * AICF);
		dispatch(bob, withdraw).unwrap();
		assert_eq!(Ledgers::<Runtime>::get(offboarded).unwrap().held(), 0);
	});
}
