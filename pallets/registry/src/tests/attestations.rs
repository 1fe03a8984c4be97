//! Attestations tied to capabilities: one per capability, evidence only for a declared one, a
//! facility certificate that certifies every declared trap family, re-decided when the
//! capabilities change, and dropped by a key rotation.

use super::{
	heartbeat::{heartbeat, send},
	matching::ai_job,
};
use crate::{mock::*, Error, Event, Providers, StatusReason};
use aicf_primitives::{
	traits::{AttestationSink, EvidenceKind, Ineligible, ProviderEligibility},
	CapabilityKind, ProviderId, ProviderStatus,
};
use frame_support::{assert_noop, assert_ok};

fn sink_verified(
	id: ProviderId,
	kind: EvidenceKind,
	families: &[&str],
) -> sp_runtime::DispatchResult {
	<Registry as AttestationSink<u64>>::attestation_verified(
		&id,
		attestation_record(kind, 3, 100_000, families),
	)
}

fn status(id: ProviderId) -> ProviderStatus {
	Providers::<Test>::get(id).unwrap().status
}

/// Registered with `caps`, staked for them, one heartbeat sent: ACTIVE once attested.
fn ready(
	key: &aicf_primitives::keys::RegistryKeypair,
	caps: aicf_primitives::Capabilities,
) -> ProviderId {
	let id = register_with(key, ALICE, caps);
	assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, MIN_STAKE_QUANTUM));
	assert_ok!(send(key, heartbeat(id, 1)));
	id
}

fn quantum_caps(families: &[&str]) -> aicf_primitives::Capabilities {
	let mut c = dual_caps();
	c.ai = None;
	if let Some(q) = c.quantum.as_mut() {
		q.trap_families = families.iter().map(|f| name(f)).collect::<Vec<_>>().try_into().unwrap();
	}
	c
}

#[test]
fn an_ai_provider_cannot_be_attested_by_a_quantum_certificate() {
	ExtBuilder::build_and_execute(|| {
		let id = ready(&ml_key(1), ai_caps(&["llama3-8b"]));
		let before = Providers::<Test>::get(id).unwrap();
		assert_noop!(
			sink_verified(id, EvidenceKind::Quantum, &["clifford"]),
			Error::<Test>::EvidenceNotForCapability
		);
		assert_eq!(Providers::<Test>::get(id).unwrap(), before);
		assert_eq!(status(id), ProviderStatus::Registered);
		// A TEE quote does it.
		assert_ok!(sink_verified(id, EvidenceKind::TdxDcap, &[]));
		assert_eq!(status(id), ProviderStatus::Active);
	});
}

#[test]
fn a_tee_cannot_stand_in_for_a_quantum_device() {
	ExtBuilder::build_and_execute(|| {
		let id = ready(&ml_key(1), quantum_caps(&["clifford"]));
		for kind in
			[EvidenceKind::SgxDcap, EvidenceKind::TdxDcap, EvidenceKind::SevSnp, EvidenceKind::Cca]
		{
			assert_noop!(sink_verified(id, kind, &[]), Error::<Test>::EvidenceNotForCapability);
		}
		assert_eq!(status(id), ProviderStatus::Registered);
	});
}

#[test]
fn a_facility_certificate_must_certify_every_declared_trap_family() {
	ExtBuilder::build_and_execute(|| {
		let id = ready(&ml_key(1), quantum_caps(&["clifford", "t-depth"]));
		let before = Providers::<Test>::get(id).unwrap();
		assert_noop!(
			sink_verified(id, EvidenceKind::Quantum, &["clifford"]),
			Error::<Test>::TrapFamilyNotCertified
		);
		assert_noop!(
			sink_verified(id, EvidenceKind::Quantum, &[]),
			Error::<Test>::TrapFamilyNotCertified
		);
		assert_eq!(Providers::<Test>::get(id).unwrap(), before);
		// More families than declared is fine.
		assert_ok!(sink_verified(
			id,
			EvidenceKind::Quantum,
			&["t-depth", "magic-state", "clifford"]
		));
		assert_eq!(status(id), ProviderStatus::Active);
	});
}

#[test]
fn a_provider_with_both_capabilities_needs_both_attestations() {
	ExtBuilder::build_and_execute(|| {
		let id = ready(&ml_key(1), dual_caps());
		assert_ok!(sink_verified(id, EvidenceKind::SevSnp, &[]));
		assert_eq!(status(id), ProviderStatus::Registered);
		assert_eq!(
			<Registry as ProviderEligibility<Balance>>::check(&id, &ai_job("llama3-8b")),
			Err(Ineligible::AttestationStale)
		);
		assert_ok!(sink_verified(id, EvidenceKind::Quantum, &["clifford"]));
		assert_eq!(status(id), ProviderStatus::Active);
		let r = Providers::<Test>::get(id).unwrap();
		assert_eq!(r.attestations.ai.as_ref().map(|a| a.kind), Some(EvidenceKind::SevSnp));
		assert_eq!(r.attestations.quantum.as_ref().map(|a| a.kind), Some(EvidenceKind::Quantum));

		// Losing either one is enough to leave ACTIVE.
		assert_ok!(<Registry as AttestationSink<u64>>::attestation_revoked(
			&id,
			CapabilityKind::Quantum
		));
		assert_eq!(status(id), ProviderStatus::Registered);
		assert!(Providers::<Test>::get(id).unwrap().attestations.ai.is_some());
	});
}

#[test]
fn an_attestation_expiring_on_one_capability_lapses_the_provider() {
	ExtBuilder::build_and_execute(|| {
		let id = ready(&ml_key(1), dual_caps());
		assert_ok!(sink_verified(id, EvidenceKind::SevSnp, &[]));
		assert_ok!(<Registry as AttestationSink<u64>>::attestation_verified(
			&id,
			attestation_record(EvidenceKind::Quantum, 4, System::block_number() + 5, &["clifford"]),
		));
		assert_eq!(status(id), ProviderStatus::Active);
		let r = Providers::<Test>::get(id).unwrap();
		assert_eq!(r.attestations.expires_at(&r.capabilities), Some(System::block_number() + 5));
		run_to(System::block_number() + 5);
		assert_eq!(
			Registry::effective_status(
				&id,
				&Providers::<Test>::get(id).unwrap(),
				System::block_number()
			),
			ProviderStatus::Registered
		);
	});
}

#[test]
fn declaring_an_uncertified_trap_family_drops_eligibility_until_a_new_certificate() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = ready(&key, quantum_caps(&["clifford"]));
		assert_ok!(sink_verified(id, EvidenceKind::Quantum, &["clifford"]));
		assert_eq!(status(id), ProviderStatus::Active);

		let caps = quantum_caps(&["clifford", "t-depth"]);
		let sig = sign_update(&key, id, |p| p.capabilities = Some(caps.clone()));
		assert_ok!(Registry::update_capabilities(RuntimeOrigin::signed(ALICE), id, caps, sig));
		assert_eq!(status(id), ProviderStatus::Registered);
		assert!(registry_events().contains(&Event::StatusChanged {
			provider: id,
			from: ProviderStatus::Active,
			to: ProviderStatus::Registered,
			reason: StatusReason::MetadataUpdated,
		}));

		assert_ok!(sink_verified(id, EvidenceKind::Quantum, &["clifford", "t-depth"]));
		assert_eq!(status(id), ProviderStatus::Active);

		// Adding `ai` to a quantum provider needs a TEE attestation too.
		let mut both = quantum_caps(&["clifford", "t-depth"]);
		both.ai = ai_caps(&["llama3-8b"]).ai;
		let sig = sign_update(&key, id, |p| p.capabilities = Some(both.clone()));
		assert_ok!(Registry::update_capabilities(RuntimeOrigin::signed(ALICE), id, both, sig));
		assert_eq!(status(id), ProviderStatus::Registered);
		assert_ok!(sink_verified(id, EvidenceKind::Cca, &[]));
		assert_eq!(status(id), ProviderStatus::Active);
	});
}

#[test]
fn a_key_rotation_drops_the_attestations_until_the_new_key_is_attested() {
	ExtBuilder::build_and_execute(|| {
		let (old, new) = (ml_key(1), ml_key(2));
		let id = ready(&old, ai_caps(&["llama3-8b"]));
		assert_ok!(sink_verified(id, EvidenceKind::TdxDcap, &[]));
		assert_eq!(status(id), ProviderStatus::Active);
		let old_hash = <Registry as AttestationSink<u64>>::registry_key_hash(&id);
		assert_eq!(old_hash, Some(old.public().key_hash()));

		let msg = rotation_message(id, &new.public());
		let (s_old, s_new) = (old.sign(&msg).unwrap(), new.sign(&msg).unwrap());
		assert_ok!(Registry::rotate_key(
			RuntimeOrigin::signed(ALICE),
			id,
			new.public(),
			s_old,
			s_new
		));
		let r = Providers::<Test>::get(id).unwrap();
		assert!(r.attestations.ai.is_none() && r.attestations.quantum.is_none());
		assert_eq!(r.status, ProviderStatus::Registered);
		assert!(registry_events().contains(&Event::StatusChanged {
			provider: id,
			from: ProviderStatus::Active,
			to: ProviderStatus::Registered,
			reason: StatusReason::KeyRotated,
		}));
		assert_eq!(
			<Registry as AttestationSink<u64>>::registry_key_hash(&id),
			Some(new.public().key_hash())
		);
		assert_ok!(sink_verified(id, EvidenceKind::TdxDcap, &[]));
		run_to(3);
		assert_ok!(send(&new, heartbeat(id, 1)));
		assert_eq!(status(id), ProviderStatus::Active);
	});
}

#[test]
fn a_heartbeat_may_name_either_attestation_and_nothing_else() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = ready(&key, dual_caps());
		assert_ok!(sink_verified(id, EvidenceKind::SevSnp, &[]));
		assert_ok!(<Registry as AttestationSink<u64>>::attestation_verified(
			&id,
			attestation_record(EvidenceKind::Quantum, 4, 100_000, &["clifford"]),
		));
		let mut counter = 1;
		for hash in [[3u8; 32], [4u8; 32]] {
			counter += 1;
			run_to(System::block_number() + 2);
			let mut hb = heartbeat(id, counter);
			hb.attest_hash = hash;
			assert_ok!(send(&key, hb));
		}
		run_to(System::block_number() + 2);
		let mut hb = heartbeat(id, counter + 1);
		hb.attest_hash = [0; 32];
		assert_noop!(send(&key, hb), Error::<Test>::AttestationMismatch);
	});
}

#[test]
fn dropping_a_capability_drops_its_attestation_and_its_hash_in_heartbeats() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = ready(&key, dual_caps());
		assert_ok!(sink_verified(id, EvidenceKind::SevSnp, &[]));
		assert_ok!(<Registry as AttestationSink<u64>>::attestation_verified(
			&id,
			attestation_record(EvidenceKind::Quantum, 4, 100_000, &["clifford"]),
		));
		let caps = quantum_caps(&["clifford"]);
		let sig = sign_update(&key, id, |p| p.capabilities = Some(caps.clone()));
		assert_ok!(Registry::update_capabilities(RuntimeOrigin::signed(ALICE), id, caps, sig));
		let r = Providers::<Test>::get(id).unwrap();
		assert!(r.attestations.ai.is_none(), "the ai attestation went with the capability");
		assert_eq!(r.status, ProviderStatus::Active, "the quantum one still backs it");
		run_to(System::block_number() + 2);
		let mut hb = heartbeat(id, 2);
		hb.attest_hash = [3; 32];
		assert_noop!(send(&key, hb), Error::<Test>::AttestationMismatch);
		// Declaring `ai` again needs new evidence.
		let sig = sign_update(&key, id, |p| p.capabilities = Some(dual_caps()));
		assert_ok!(Registry::update_capabilities(
			RuntimeOrigin::signed(ALICE),
			id,
			dual_caps(),
			sig
		));
		assert_eq!(status(id), ProviderStatus::Registered);
	});
}
