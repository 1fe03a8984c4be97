//! Full provider flows through the real runtime: extrinsics built, signed and applied by
//! `Executive` exactly as a node does, with real ML-DSA-65 proofs and heartbeats.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use aicf_primitives::{
	keys::RegistryKeypair,
	traits::{
		CapabilityRequirement, EvidenceKind, Ineligible, JobRequirements, ProviderEligibility,
		ProviderLeases, ProviderPayouts,
	},
	KeyAlgorithm, ProviderStatus,
};
use aicf_runtime::{
	currency::AICF, AicfRegistry, Balances, Executive, Runtime, RuntimeCall, System,
	UncheckedExtrinsic,
};
use codec::Encode;
use frame_support::traits::fungible::InspectHold;
use frame_support::traits::Get;
use pallet_aicf_registry::{Call as RegistryCall, HoldReason};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	MultiAddress,
};

mod common;
use common::*;

#[test]
fn provider_goes_from_registration_to_active_through_real_extrinsics() {
	new_ext().execute_with(|| {
		let alice = Sr25519Keyring::Alice;
		let key = RegistryKeypair::from_ml_dsa_seed(&[1; 32]);
		let id = key.public().provider_id();

		apply(signed(alice, register_call(&key, &alice.to_account_id()))).unwrap().unwrap();
		assert_eq!(status(id), ProviderStatus::Registered);
		// The registration holds its deposit on the controller.
		assert_eq!(
			Balances::balance_on_hold(
				&aicf_runtime::RuntimeHoldReason::AicfRegistry(HoldReason::RegistrationDeposit),
				&alice.to_account_id(),
			),
			aicf_runtime::configs::RegistrationDeposit::get()
		);
		assert_eq!(
			pallet_aicf_registry::Providers::<Runtime>::get(id).unwrap().key.alg,
			KeyAlgorithm::MlDsa65
		);

		let stake =
			RuntimeCall::AicfRegistry(RegistryCall::stake { provider: id, amount: 100 * AICF });
		apply(signed(alice, stake)).unwrap().unwrap();
		let held = Balances::balance_on_hold(
			&aicf_runtime::RuntimeHoldReason::AicfRegistry(HoldReason::ProviderStake),
			&alice.to_account_id(),
		);
		assert_eq!(held, 100 * AICF);

		// Attestation through the attestation pallet, bound to the previous block and the
		// provider's key. A quantum certificate cannot back this `ai` provider.
		let key_hash = key.public().key_hash();
		let caps = pallet_aicf_registry::Providers::<Runtime>::get(id).unwrap().capabilities;
		let mut as_quantum = caps.clone();
		as_quantum.quantum = Some(aicf_primitives::types::QuantumCapability {
			trap_families: vec![b"clifford".to_vec().try_into().unwrap()].try_into().unwrap(),
			max_depth: 1,
			max_width: 1,
			shots_per_sec: 1,
		});
		as_quantum.ai = None;
		let (_, cert) = dev_evidence(id, &as_quantum, key_hash, 0).remove(0);
		let submit = |kind, evidence: Vec<u8>| {
			RuntimeCall::AicfAttestation(pallet_aicf_attestation::Call::submit_attestation {
				provider: id,
				kind,
				challenge_block: 0,
				evidence: evidence.try_into().unwrap(),
			})
		};
		let refused =
			apply(signed(alice, submit(EvidenceKind::Quantum, cert))).unwrap().unwrap_err();
		assert!(
			matches!(refused, sp_runtime::DispatchError::Module(m) if m.message == Some("EvidenceNotForCapability")),
			"{refused:?}"
		);
		assert!(pallet_aicf_registry::Providers::<Runtime>::get(id).unwrap().attestations.ai.is_none());
		// A realm running another image (another REM) on the pinned platform: the workload
		// allowlist (only the development realm's rule) refuses it, and nothing is recorded.
		let binding = aicf_attestation_verify::attestation_binding(&id.0, &block_hash_of(0), &key_hash);
		let mut other_image = aicf_attestation_verify::dev_facility::cca::TokenSpec::bound_to(&binding);
		other_image.rem[2] = vec![0x77; 48];
		let other = aicf_attestation_verify::dev_facility::cca::token(&other_image).unwrap();
		let refused = apply(signed(alice, submit(EvidenceKind::Cca, other))).unwrap().unwrap_err();
		assert!(
			matches!(refused, sp_runtime::DispatchError::Module(m) if m.message == Some("MeasurementNotAllowed")),
			"{refused:?}"
		);
		assert!(pallet_aicf_registry::Providers::<Runtime>::get(id).unwrap().attestations.ai.is_none());
		assert!(pallet_aicf_attestation::Attestations::<Runtime>::iter().next().is_none());
		// A realm on the development CCA platform running the pinned development image.
		let (kind, token) = dev_evidence(id, &caps, key_hash, 0).remove(0);
		assert_eq!(kind, EvidenceKind::Cca);
		let attest = submit(kind, token.clone());
		// Bob is not the controller.
		let refused = apply(signed(Sr25519Keyring::Bob, attest.clone())).unwrap().unwrap_err();
		assert!(
			matches!(refused, sp_runtime::DispatchError::Module(m) if m.message == Some("NotController"))
		);
		apply(signed(alice, attest)).unwrap().unwrap();
		let record =
			pallet_aicf_registry::Providers::<Runtime>::get(id).unwrap().attestations.ai.unwrap();
		assert_eq!(record.evidence_hash, aicf_attestation_verify::evidence_hash(&token));
		assert_eq!(record.kind, EvidenceKind::Cca);

		// A heartbeat as a general (authorized) transaction: no account, no signature, no fee.
		let alice_free = Balances::free_balance(alice.to_account_id());
		let general =
			UncheckedExtrinsic::new_transaction(heartbeat_call(&key, id, 1), extension(0));
		apply(general).unwrap().unwrap();
		assert_eq!(status(id), ProviderStatus::Active);
		assert_eq!(Balances::free_balance(alice.to_account_id()), alice_free, "nobody paid for it");

		// The same heartbeat again is refused by the pool check (replay), as general or bare.
		System::set_block_number(20);
		let replay = heartbeat_call(&key, id, 1);
		let as_general = UncheckedExtrinsic::new_transaction(replay.clone(), extension(0));
		assert_eq!(
			Executive::validate_transaction(
				TransactionSource::External,
				as_general,
				Default::default()
			),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Stale))
		);
		// A fresh counter as a bare extrinsic (the polkadot-js path) is valid and applies.
		let bare = UncheckedExtrinsic::new_bare(heartbeat_call(&key, id, 2));
		assert!(Executive::validate_transaction(
			TransactionSource::External,
			bare.clone(),
			Default::default()
		)
		.is_ok());
		apply(bare).unwrap().unwrap();
		assert_eq!(
			pallet_aicf_registry::Providers::<Runtime>::get(id).unwrap().heartbeat.counter,
			2
		);

		// The runtime API view reflects it.
		let info = AicfRegistry::provider_info(&id).unwrap();
		assert_eq!(info.status, ProviderStatus::Active);
		assert_eq!(info.max_concurrent, 8);
		assert_eq!(info.bonded, 100 * AICF);
		let page = AicfRegistry::list_providers(&Default::default(), None, 10);
		assert_eq!(page.providers.len(), 1);

		// A matcher finds it through the eligibility index and leases it.
		let job = JobRequirements {
			capability: CapabilityRequirement::Ai {
				model: b"llama3-8b".to_vec().try_into().unwrap(),
			},
			regions: vec![],
			min_health: sp_runtime::Permill::from_percent(90),
			min_stake: 100 * AICF,
			max_rtt_ms: Some(100),
		};
		assert_eq!(
			<AicfRegistry as ProviderEligibility<u128>>::candidates(&job, 10, None),
			(vec![id], None)
		);
		<AicfRegistry as ProviderLeases>::acquire_lease(&id).unwrap();

		// Governance denies its region (sudo extrinsic): it is no longer a candidate.
		let deny = RuntimeCall::AicfRegistry(RegistryCall::set_region_policy {
			allowed: Default::default(),
			denied: vec![b"us-west-2".to_vec().try_into().unwrap()].try_into().unwrap(),
		});
		let sudo = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(deny) });
		apply(signed(alice, sudo)).unwrap().unwrap();
		assert_eq!(
			<AicfRegistry as ProviderEligibility<u128>>::candidates(&job, 10, None).0,
			vec![]
		);
		assert_eq!(
			<AicfRegistry as ProviderEligibility<u128>>::check(&id, &job),
			Err(Ineligible::RegionDenied)
		);
	});
}

#[test]
fn credited_payouts_are_claimed_once_through_sudo() {
	new_ext().execute_with(|| {
		let (alice, bob) = (Sr25519Keyring::Alice, Sr25519Keyring::Bob);
		let key = RegistryKeypair::from_ml_dsa_seed(&[3; 32]);
		let id = key.public().provider_id();
		apply(signed(bob, register_call(&key, &bob.to_account_id()))).unwrap().unwrap();

		// Settlement funds the pot with a transfer, then credits through the payouts trait.
		let pot = AicfRegistry::pot_account();
		let fund = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: MultiAddress::Id(pot.clone()),
			value: 50 * AICF,
		});
		apply(signed(alice, fund)).unwrap().unwrap();
		<AicfRegistry as ProviderPayouts<u128>>::credit(&id, 1, 40 * AICF).unwrap();
		assert_eq!(AicfRegistry::balance_info(&id).unwrap().pending_payouts, vec![(1, 40 * AICF)]);

		let claim = |epoch| {
			RuntimeCall::Sudo(pallet_sudo::Call::sudo {
				call: Box::new(RuntimeCall::AicfRegistry(RegistryCall::claim_payout {
					provider: id,
					epoch,
				})),
			})
		};
		// Bob (not the sudo key) cannot pay himself.
		assert!(apply(signed(bob, claim(1))).unwrap().is_err());
		let before = Balances::free_balance(bob.to_account_id());
		apply(signed(alice, claim(1))).unwrap().unwrap();
		assert_eq!(Balances::free_balance(bob.to_account_id()), before + 40 * AICF);
		// Paid once: the second claim's inner call fails (sudo reports it in an event).
		apply(signed(alice, claim(1))).unwrap().unwrap();
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			aicf_runtime::RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result: Err(_) })
		)));
		assert_eq!(Balances::free_balance(bob.to_account_id()), before + 40 * AICF);
		assert!(AicfRegistry::balance_info(&id).unwrap().pending_payouts.is_empty());
	});
}

#[test]
fn bad_registration_extrinsics_fail_with_module_errors_and_change_nothing() {
	new_ext().execute_with(|| {
		let (alice, bob) = (Sr25519Keyring::Alice, Sr25519Keyring::Bob);
		let key = RegistryKeypair::from_ml_dsa_seed(&[2; 32]);
		// Bob submits Alice's proof of possession.
		let stolen = register_call(&key, &alice.to_account_id());
		let result = apply(signed(bob, stolen)).unwrap();
		let err = result.unwrap_err();
		match err {
			sp_runtime::DispatchError::Module(m) => {
				assert_eq!(m.message, Some("BadProofOfPossession"));
			},
			other => panic!("unexpected {other:?}"),
		}
		assert_eq!(pallet_aicf_registry::ProviderCount::<Runtime>::get(), 0);

		// A heartbeat for an unknown provider never reaches a block.
		let unknown = UncheckedExtrinsic::new_transaction(
			heartbeat_call(&key, key.public().provider_id(), 1),
			extension(0),
		);
		assert_eq!(
			Executive::validate_transaction(
				TransactionSource::External,
				unknown,
				Default::default()
			),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(1)))
		);
	});
}

#[test]
fn encoded_heartbeat_size_and_block_capacity() {
	new_ext().execute_with(|| {
		let key = RegistryKeypair::from_ml_dsa_seed(&[3; 32]);
		let id = key.public().provider_id();
		let general = UncheckedExtrinsic::new_transaction(heartbeat_call(&key, id, 1), extension(0));
		let len = general.encoded_size();
		// ML-DSA-65 signature (3309) + heartbeat fields + extension bytes.
		assert!(len > 3_309 && len < 3_500, "{len}");
		let block_length = <Runtime as frame_system::Config>::BlockLength::get();
		let normal = *block_length.max.get(frame_support::dispatch::DispatchClass::Normal);
		let per_block = normal as usize / len;
		println!("encoded ML-DSA-65 heartbeat: {len} bytes; {per_block} fit a block's normal length ({normal} bytes)");
		assert!(per_block > 1_000);
	});
}

/// The registration deposit pays for the storage a provider can create: its record, ledger
/// and QoS window at their largest encodings, and its key, controller, status, listing and
/// deposit entries.
#[test]
fn registration_deposit_covers_the_storage() {
	use codec::MaxEncodedLen;
	let record = pallet_aicf_registry::ProviderRecordOf::<Runtime>::max_encoded_len();
	let ledger = pallet_aicf_registry::StakeLedgerOf::<Runtime>::max_encoded_len();
	let window = pallet_aicf_registry::qos::QosWindowOf::<Runtime>::max_encoded_len();
	// (entry, key bytes + value bytes): 16-byte Blake2 prefix plus the 12-byte id for maps
	// keyed by provider; index entries carry their key only.
	let id_key = 16 + 12;
	let entries = [
		("Providers", id_key + record),
		("Ledgers", id_key + ledger),
		("QosWindows", id_key + window),
		("RegistrationDeposits", id_key + 16),
		("KeyOwners", 32 + 12),
		("ControllerProviders (one id)", 12),
		("StatusIndex", 1 + 12),
		("ListingIndex, region", 64 + 12),
		("ListingIndex, two kinds", 2 * (1 + 12)),
	];
	let bytes: usize = entries.iter().map(|(_, b)| b).sum();
	let needed = aicf_runtime::configs::deposit(entries.len() as u32 + 1, bytes as u32);
	let deposit: u128 = new_ext().execute_with(aicf_runtime::configs::RegistrationDeposit::get);
	assert_eq!(deposit, aicf_runtime::parameters::RegistryParams::SHIPPED.registration_deposit);
	println!("a provider's storage: {bytes} bytes in {} entries; deposit {deposit}", entries.len());
	assert!(deposit >= needed, "{deposit} < {needed} for {bytes} bytes");
	assert!(deposit <= 2 * needed, "not more than twice the storage's price");
}

/// The `aicf` tool's check before sending: `AicfDryRunApi::apply_in_next_block` applies a
/// transaction in the next block's context (its number, the best block as parent), so a
/// doomed call is named by its module error and a call that only the next block allows
/// passes.
#[test]
fn the_dry_run_applies_a_transaction_in_the_next_blocks_context() {
	use pallet_aicf_registry_runtime_api::runtime_decl_for_aicf_dry_run_api::AicfDryRunApiV1;
	new_ext().execute_with(|| {
		// Block 1 (started by `new_ext`) is the best block.
		finish_block();
		let best = sp_core::H256(block_hash_of(1));
		assert_eq!(pallet_timestamp::Now::<Runtime>::get(), time_of(1));
		let dry_run =
			|xt| <Runtime as AicfDryRunApiV1<aicf_runtime::Block>>::apply_in_next_block(xt, best);
		let unknown = aicf_primitives::ProviderId([7; 12]);
		let doomed = signed(
			Sr25519Keyring::Bob,
			RuntimeCall::AicfRegistry(RegistryCall::withdraw { provider: unknown }),
		);
		let err = dry_run(doomed).unwrap().unwrap_err();
		assert_eq!(
			err,
			sp_runtime::DispatchError::from(
				pallet_aicf_registry::Error::<Runtime>::UnknownProvider
			)
		);
		// It ran as block 2, on top of block 1, one slot later.
		assert_eq!(System::block_number(), 2);
		assert_eq!(pallet_timestamp::Now::<Runtime>::get(), time_of(2));
		assert_eq!(System::parent_hash(), best);
		assert_eq!(System::block_hash(1), best);
		let fine = signed(
			Sr25519Keyring::Bob,
			RuntimeCall::System(frame_system::Call::remark { remark: vec![1] }),
		);
		assert_eq!(dry_run(fine), Ok(Ok(())));
	});
}
