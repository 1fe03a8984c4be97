//! `register`, `update_*` and `rotate_key`.

use crate::{
	mock::*, ControllerProviders, Error, Event, KeyOwners, ProviderCount, Providers,
	RegistrationDeposits,
};
use aicf_primitives::{
	crypto::RegistryPublicKey, types::Capabilities, KeyAlgorithm, ProviderStatus,
};
use frame_support::{assert_noop, assert_ok};

fn register_call(
	key: &aicf_primitives::keys::RegistryKeypair,
	who: AccountId,
	caps: Capabilities,
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	Registry::register(
		RuntimeOrigin::signed(who),
		key.public(),
		pop(key, who),
		caps,
		region("us-west-2"),
		endpoint("https://api.provider.example"),
		contact("ops@provider.example"),
	)
}

#[test]
fn register_records_the_provider_when_the_proof_of_possession_is_valid() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = register(&key, ALICE);
		let record = Providers::<Test>::get(id).unwrap();
		assert_eq!(record.controller, ALICE);
		assert_eq!(record.status, ProviderStatus::Registered);
		assert_eq!(record.key, key.public());
		assert_eq!(KeyOwners::<Test>::get(key.public().key_hash()), Some(id));
		assert_eq!(ControllerProviders::<Test>::get(ALICE).into_inner(), vec![id]);
		assert_eq!(ProviderCount::<Test>::get(), 1);
		assert_eq!(
			registry_events(),
			vec![Event::Registered { provider: id, controller: ALICE, alg: KeyAlgorithm::MlDsa65 }]
		);
		// The deposit for its storage is held on the controller.
		assert_eq!(deposit_held(ALICE), REGISTRATION_DEPOSIT);
		assert_eq!(RegistrationDeposits::<Test>::get(id), Some(REGISTRATION_DEPOSIT));
	});
}

fn deposit_held(who: AccountId) -> Balance {
	use frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&crate::HoldReason::RegistrationDeposit.into(), &who)
}

#[test]
fn register_fails_when_the_controller_cannot_hold_the_deposit() {
	ExtBuilder::build_and_execute(|| {
		use frame_support::traits::fungible::Mutate;
		let poor: AccountId = 77;
		// One planck short of the deposit.
		Balances::set_balance(&poor, REGISTRATION_DEPOSIT - 1);
		assert_noop!(
			register_call(&ml_key(1), poor, ai_caps(&["llama3-8b"])),
			Error::<Test>::InsufficientBalance
		);
		assert_eq!(ProviderCount::<Test>::get(), 0);
		assert_eq!(deposit_held(poor), 0);
		// With the deposit and the existential deposit it goes through.
		Balances::set_balance(&poor, REGISTRATION_DEPOSIT + 1);
		let id = register(&ml_key(1), poor);
		assert_eq!(deposit_held(poor), REGISTRATION_DEPOSIT);
		assert_eq!(RegistrationDeposits::<Test>::get(id), Some(REGISTRATION_DEPOSIT));
	});
}

#[test]
fn register_accepts_slh_dsa_keys() {
	ExtBuilder::build_and_execute(|| {
		let key = slh_key(1);
		let id = register(&key, BOB);
		assert_eq!(Providers::<Test>::get(id).unwrap().key.alg, KeyAlgorithm::SlhDsaSha2_128s);
	});
}

#[test]
fn register_fails_when_the_proof_is_for_another_controller() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		// Signed for ALICE, submitted by BOB: a stolen public key cannot be registered.
		let sig = pop(&key, ALICE);
		assert_noop!(
			Registry::register(
				RuntimeOrigin::signed(BOB),
				key.public(),
				sig,
				ai_caps(&["llama3-8b"]),
				region("us-west-2"),
				endpoint("https://a.example"),
				contact("ops@a.example"),
			),
			Error::<Test>::BadProofOfPossession
		);
	});
}

#[test]
fn register_fails_when_the_proof_was_made_on_another_chain() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let sig = pop(&key, ALICE);
		// Change the genesis hash the chain reports.
		frame_system::BlockHash::<Test>::insert(0, sp_core::H256::repeat_byte(7));
		assert_noop!(
			Registry::register(
				RuntimeOrigin::signed(ALICE),
				key.public(),
				sig,
				ai_caps(&["a"]),
				region("us-west-2"),
				endpoint("https://a.example"),
				contact("ops@a.example"),
			),
			Error::<Test>::BadProofOfPossession
		);
	});
}

#[test]
fn register_fails_when_the_key_length_does_not_match_the_algorithm() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let mut pk = key.public();
		pk.alg = KeyAlgorithm::SlhDsaSha2_128s;
		assert_noop!(
			Registry::register(
				RuntimeOrigin::signed(ALICE),
				pk,
				pop(&key, ALICE),
				ai_caps(&["a"]),
				region("us-west-2"),
				endpoint("https://a.example"),
				contact("ops@a.example"),
			),
			Error::<Test>::InvalidPublicKey
		);
	});
}

#[test]
fn register_and_rotate_refuse_the_unspecified_algorithm_by_name() {
	ExtBuilder::build_and_execute(|| {
		// Codec index 0, what polkadot-js encodes for a default `KeyAlgorithm`: it decodes (no
		// trap in the pool) and is refused with its own error, with or without key bytes.
		assert_eq!(
			<KeyAlgorithm as codec::Decode>::decode(&mut &[0u8][..]),
			Ok(KeyAlgorithm::Unspecified)
		);
		let key = ml_key(1);
		for bytes in [key.public().bytes, Default::default()] {
			let pk = RegistryPublicKey { alg: KeyAlgorithm::Unspecified, bytes };
			assert_noop!(
				Registry::register(
					RuntimeOrigin::signed(ALICE),
					pk,
					pop(&key, ALICE),
					ai_caps(&["a"]),
					region("us-west-2"),
					endpoint("https://a.example"),
					contact("ops@a.example"),
				),
				Error::<Test>::UnsupportedKeyAlgorithm
			);
		}
		let id = register(&key, ALICE);
		let new = ml_key(2);
		let unspecified =
			RegistryPublicKey { alg: KeyAlgorithm::Unspecified, bytes: new.public().bytes };
		let msg = rotation_message(id, &new.public());
		assert_noop!(
			Registry::rotate_key(
				RuntimeOrigin::signed(ALICE),
				id,
				unspecified,
				key.sign(&msg).unwrap(),
				new.sign(&msg).unwrap()
			),
			Error::<Test>::UnsupportedKeyAlgorithm
		);
		assert_eq!(Providers::<Test>::get(id).unwrap().key, key.public());
	});
}

#[test]
fn register_fails_when_the_key_is_already_registered() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		register(&key, ALICE);
		assert_noop!(
			register_call(&key, ALICE, ai_caps(&["a"])),
			Error::<Test>::KeyAlreadyRegistered
		);
		assert_noop!(
			register_call(&key, BOB, ai_caps(&["a"])),
			Error::<Test>::KeyAlreadyRegistered
		);
	});
}

#[test]
fn register_fails_when_the_derived_id_is_taken_by_another_key() {
	ExtBuilder::build_and_execute(|| {
		// Simulate a 96-bit id collision: a record at key 2's id whose key is key 3.
		let (k2, k3) = (ml_key(2), ml_key(3));
		let colliding_id = k2.public().provider_id();
		let other = register(&k3, BOB);
		let record = Providers::<Test>::take(other).unwrap();
		Providers::<Test>::insert(colliding_id, record);
		KeyOwners::<Test>::insert(k3.public().key_hash(), colliding_id);
		ControllerProviders::<Test>::insert(
			BOB,
			frame_support::BoundedVec::truncate_from(vec![colliding_id]),
		);
		crate::StatusIndex::<Test>::remove(ProviderStatus::Registered, other);
		crate::StatusIndex::<Test>::insert(ProviderStatus::Registered, colliding_id, ());
		let deposit = RegistrationDeposits::<Test>::take(other).unwrap();
		RegistrationDeposits::<Test>::insert(colliding_id, deposit);
		let listed: Vec<_> = crate::ListingIndex::<Test>::iter()
			.filter(|(_, id, ())| *id == other)
			.map(|(key, _, ())| key)
			.collect();
		for key in listed {
			crate::ListingIndex::<Test>::remove(&key, other);
			crate::ListingIndex::<Test>::insert(key, colliding_id, ());
		}
		assert_noop!(
			register_call(&k2, ALICE, ai_caps(&["a"])),
			Error::<Test>::ProviderAlreadyRegistered
		);
	});
}

#[test]
fn register_fails_when_metadata_is_invalid() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		assert_noop!(
			register_call(&key, ALICE, Capabilities::default()),
			Error::<Test>::InvalidCapabilities
		);
		assert_noop!(
			register_call(&key, ALICE, ai_caps(&["Bad Name"])),
			Error::<Test>::InvalidCapabilities
		);
		let call = |r: &str, e: &str, c: &str| {
			Registry::register(
				RuntimeOrigin::signed(ALICE),
				key.public(),
				pop(&key, ALICE),
				ai_caps(&["a"]),
				region(r),
				endpoint(e),
				contact(c),
			)
		};
		assert_noop!(call("US WEST", "https://a.example", "x@y"), Error::<Test>::InvalidRegion);
		assert_noop!(call("us-west-2", "http://a.example", "x@y"), Error::<Test>::InvalidEndpoint);
		assert_noop!(call("us-west-2", "https://a.example", ""), Error::<Test>::InvalidContact);
	});
}

#[test]
fn register_fails_when_the_controller_manages_too_many_providers() {
	ExtBuilder::build_and_execute(|| {
		for n in 1..=3 {
			register(&ml_key(n), ALICE);
		}
		assert_noop!(
			register_call(&ml_key(4), ALICE, ai_caps(&["a"])),
			Error::<Test>::TooManyProviders
		);
	});
}

#[test]
fn update_capabilities_replaces_them_and_bumps_the_nonce() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = register(&key, ALICE);
		let caps = dual_caps();
		let sig = sign_update(&key, id, |p| p.capabilities = Some(caps.clone()));
		assert_ok!(Registry::update_capabilities(
			RuntimeOrigin::signed(ALICE),
			id,
			caps.clone(),
			sig.clone()
		));
		let record = Providers::<Test>::get(id).unwrap();
		assert_eq!(record.capabilities, caps);
		assert_eq!(record.key_nonce, 1);
		assert!(registry_events().contains(&Event::CapabilitiesUpdated { provider: id }));
		// The same signature cannot be replayed: the nonce moved on.
		assert_noop!(
			Registry::update_capabilities(RuntimeOrigin::signed(ALICE), id, caps, sig),
			Error::<Test>::BadSignature
		);
	});
}

#[test]
fn update_endpoint_and_region_apply_signed_changes() {
	ExtBuilder::build_and_execute(|| {
		let key = slh_key(5);
		let id = register(&key, ALICE);
		let (e, c) = (endpoint("https://new.example/v2"), contact("noc@new.example"));
		let sig = sign_update(&key, id, |p| {
			p.endpoint = Some(e.to_vec());
			p.contact = Some(c.to_vec());
		});
		assert_ok!(Registry::update_endpoint(
			RuntimeOrigin::signed(ALICE),
			id,
			e.clone(),
			Some(c.clone()),
			sig
		));
		let r = region("eu-central-1");
		let sig = sign_update(&key, id, |p| p.region = Some(r.to_vec()));
		assert_ok!(Registry::update_region(RuntimeOrigin::signed(ALICE), id, r.clone(), sig));
		let record = Providers::<Test>::get(id).unwrap();
		assert_eq!((record.endpoint, record.contact, record.region.clone()), (e, c, r.clone()));
		assert!(registry_events().contains(&Event::RegionUpdated { provider: id, region: r }));
	});
}

#[test]
fn updates_fail_with_specific_errors() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = register(&key, ALICE);
		let caps = dual_caps();
		let good = sign_update(&key, id, |p| p.capabilities = Some(caps.clone()));
		let unknown = ml_key(9).public().provider_id();
		assert_noop!(
			Registry::update_capabilities(
				RuntimeOrigin::signed(ALICE),
				unknown,
				caps.clone(),
				good.clone()
			),
			Error::<Test>::UnknownProvider
		);
		assert_noop!(
			Registry::update_capabilities(
				RuntimeOrigin::signed(BOB),
				id,
				caps.clone(),
				good.clone()
			),
			Error::<Test>::NotController
		);
		// Signed by another key.
		let wrong = sign_update(&ml_key(2), id, |p| p.capabilities = Some(caps.clone()));
		assert_noop!(
			Registry::update_capabilities(RuntimeOrigin::signed(ALICE), id, caps.clone(), wrong),
			Error::<Test>::BadSignature
		);
		// Signature over different contents.
		assert_noop!(
			Registry::update_capabilities(RuntimeOrigin::signed(ALICE), id, ai_caps(&["x"]), good),
			Error::<Test>::BadSignature
		);
		let bad = ai_caps(&["x", "x"]);
		let sig = sign_update(&key, id, |p| p.capabilities = Some(bad.clone()));
		assert_noop!(
			Registry::update_capabilities(RuntimeOrigin::signed(ALICE), id, bad, sig),
			Error::<Test>::InvalidCapabilities
		);
		let r = region("");
		let sig = sign_update(&key, id, |p| p.region = Some(r.to_vec()));
		assert_noop!(
			Registry::update_region(RuntimeOrigin::signed(ALICE), id, r, sig),
			Error::<Test>::InvalidRegion
		);
		let e = endpoint("ftp://x");
		let sig = sign_update(&key, id, |p| p.endpoint = Some(e.to_vec()));
		assert_noop!(
			Registry::update_endpoint(RuntimeOrigin::signed(ALICE), id, e, None, sig),
			Error::<Test>::InvalidEndpoint
		);
		let (e, c) = (endpoint("https://x.example"), contact("\u{7f}"));
		let sig = sign_update(&key, id, |p| {
			p.endpoint = Some(e.to_vec());
			p.contact = Some(c.to_vec());
		});
		assert_noop!(
			Registry::update_endpoint(RuntimeOrigin::signed(ALICE), id, e, Some(c), sig),
			Error::<Test>::InvalidContact
		);
	});
}

#[test]
fn rotate_key_keeps_the_id_and_retires_the_old_key_forever() {
	ExtBuilder::build_and_execute(|| {
		let (old, new) = (ml_key(1), slh_key(2));
		let id = register(&old, ALICE);
		let msg = rotation_message(id, &new.public());
		let (s_old, s_new) = (old.sign(&msg).unwrap(), new.sign(&msg).unwrap());
		assert_ok!(Registry::rotate_key(
			RuntimeOrigin::signed(ALICE),
			id,
			new.public(),
			s_old,
			s_new
		));
		let record = Providers::<Test>::get(id).unwrap();
		assert_eq!(record.key, new.public());
		assert_eq!(record.key_nonce, 1);
		assert!(registry_events().contains(&Event::KeyRotated {
			provider: id,
			old_key_hash: old.public().key_hash(),
			new_alg: KeyAlgorithm::SlhDsaSha2_128s,
		}));
		// The retired key can never be registered again, by anyone.
		assert_noop!(
			register_call(&old, BOB, ai_caps(&["a"])),
			Error::<Test>::KeyAlreadyRegistered
		);
		// Updates are now signed by the new key.
		let r = region("ap-south-1");
		let sig = sign_update(&new, id, |p| p.region = Some(r.to_vec()));
		assert_ok!(Registry::update_region(RuntimeOrigin::signed(ALICE), id, r, sig));
	});
}

#[test]
fn rotate_key_fails_with_specific_errors() {
	ExtBuilder::build_and_execute(|| {
		let (old, new) = (ml_key(1), ml_key(2));
		let id = register(&old, ALICE);
		let taken = ml_key(3);
		register(&taken, BOB);
		let msg = rotation_message(id, &new.public());
		let (s_old, s_new) = (old.sign(&msg).unwrap(), new.sign(&msg).unwrap());
		let rotate = |who, key: RegistryPublicKey, a, b| {
			Registry::rotate_key(RuntimeOrigin::signed(who), id, key, a, b)
		};

		assert_noop!(
			rotate(BOB, new.public(), s_old.clone(), s_new.clone()),
			Error::<Test>::NotController
		);
		let mut malformed = new.public();
		malformed.bytes.truncate(10);
		assert_noop!(
			rotate(ALICE, malformed, s_old.clone(), s_new.clone()),
			Error::<Test>::InvalidPublicKey
		);
		assert_noop!(
			rotate(ALICE, old.public(), s_old.clone(), s_new.clone()),
			Error::<Test>::SameKey
		);
		assert_noop!(
			rotate(ALICE, taken.public(), s_old.clone(), s_new.clone()),
			Error::<Test>::KeyAlreadyRegistered
		);
		assert_noop!(
			rotate(ALICE, new.public(), s_new.clone(), s_new.clone()),
			Error::<Test>::BadSignature
		);
		assert_noop!(
			rotate(ALICE, new.public(), s_old.clone(), s_old.clone()),
			Error::<Test>::BadNewKeySignature
		);
	});
}
