//! AMD CRLs (`upload_amd_crl`, the revoked-ASK check on SEV-SNP evidence, `require_amd_crl`)
//! and `recheck`, which verifies stored evidence again against today's state.
//!
//! Lists are issued by the development ARK (`dev_facility::amd`): AMD's own ARKs cannot sign
//! test lists. Where the Milan fixture's ASK must be on a list, the list is put in storage as
//! `upload_amd_crl` would have stored it (the upload path is tested on its own).

use super::*;
use crate::{AmdCrls, MAX_AMD_CRL_LEN};
use verify::{amd_crl::VerifiedAmdCrl, dev_facility::amd};

const DEV_ARK: &[u8] = crate::vendor_roots::DEV_AMD_ARK;
/// 2026-01-01 and 2027-01-01.
const T2026: u64 = 1_767_225_600;
const T2027: u64 = 1_798_761_600;

fn upload(crl: Vec<u8>) -> frame_support::dispatch::DispatchResult {
	let crl: BoundedVec<u8, frame_support::traits::ConstU32<MAX_AMD_CRL_LEN>> = bounded(crl);
	Attestation::upload_amd_crl(RuntimeOrigin::signed(BOB), crl)
}

/// Pin the development ARK (governance).
fn pin_dev_ark() {
	assert_ok!(Attestation::add_root(
		RuntimeOrigin::root(),
		RootKind::AmdArk,
		bounded(DEV_ARK.to_vec())
	));
}

fn dev_issuer() -> [u8; 32] {
	verify::amd_crl::revocation_id(DEV_ARK).unwrap().0
}

/// The Milan fixture ASK's issuer-name hash and serial.
fn milan_ask_id() -> ([u8; 32], verify::dcap::Serial) {
	let ask =
		verify::to_der(&fixture("sev-snp/virtee-sev/src/certs/snp/builtin/milan/ask.pem")).unwrap();
	verify::amd_crl::revocation_id(&ask).unwrap()
}

/// A stored Milan list revoking `serials`, current until `next_update`.
fn milan_list(mut serials: Vec<verify::dcap::Serial>, next_update: u64) {
	serials.sort();
	let (issuer, _) = milan_ask_id();
	AmdCrls::<Test>::insert(
		issuer,
		VerifiedAmdCrl {
			issuer,
			ark_hash: [0; 32],
			this_update: Now::get() - 1,
			next_update,
			revoked: BoundedVec::truncate_from(serials),
		},
	);
}

fn require_lists(required: bool) {
	let mut policy = NetworkPolicy::<Test>::get();
	policy.require_amd_crl = required;
	assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), policy));
}

fn verify_milan() -> Result<verify::Verified, DispatchError> {
	Attestation::verify_evidence(
		EvidenceKind::SevSnp,
		&sev_bundle(),
		&binding_of_report(SEV_REPORT_DATA),
		Now::get(),
	)
}

#[test]
fn lists_of_a_pinned_ark_merge_and_revocations_are_never_removed() {
	new_test_ext().execute_with(|| {
		Now::set(T2026 + 10);
		let list = amd::dev_crl(T2026, T2027, &[7, 9]).unwrap();
		assert_noop!(upload(list.clone()), Error::<Test>::NoPinnedRoot);
		pin_dev_ark();
		assert_ok!(upload(list.clone()));
		let stored = AmdCrls::<Test>::get(dev_issuer()).unwrap();
		assert_eq!(
			(stored.this_update, stored.next_update, stored.revoked.len()),
			(T2026, T2027, 2)
		);
		assert_eq!(
			events().last(),
			Some(&Event::AmdCrlStored {
				issuer: dev_issuer(),
				this_update: T2026,
				next_update: T2027,
				revoked: 2
			})
		);
		// The same list again, or an earlier one revoking nothing new, changes nothing.
		assert_noop!(upload(list), Error::<Test>::CrlNotNewer);
		assert_noop!(
			upload(amd::dev_crl(T2026 - 10, T2027, &[7]).unwrap()),
			Error::<Test>::CrlNotNewer
		);
		// A later list that revokes less (the ARK's other list, for VLEK chains, or one
		// that dropped an entry) merges in: nothing is un-revoked.
		assert_ok!(upload(amd::dev_crl(T2026 + 5, T2027 + 5, &[3]).unwrap()));
		let stored = AmdCrls::<Test>::get(dev_issuer()).unwrap();
		let serials: Vec<Vec<u8>> = stored.revoked.iter().map(|s| s.to_vec()).collect();
		assert_eq!(serials, vec![vec![3], vec![7], vec![9]]);
		assert_eq!((stored.this_update, stored.next_update), (T2026 + 5, T2027 + 5));
		// An earlier list that revokes something new merges in too, the dates kept.
		assert_ok!(upload(amd::dev_crl(T2026 - 10, T2027, &[11]).unwrap()));
		let stored = AmdCrls::<Test>::get(dev_issuer()).unwrap();
		assert_eq!((stored.revoked.len(), stored.this_update), (4, T2026 + 5));
	});
}

#[test]
fn lists_that_would_revoke_more_than_the_chain_keeps_are_refused() {
	new_test_ext().execute_with(|| {
		Now::set(T2026 + 10);
		pin_dev_ark();
		let max = verify::amd_crl::MAX_REVOKED_SERIALS as u32;
		let first: Vec<u32> = (1..=max - 10).collect();
		assert_ok!(upload(amd::dev_crl(T2026, T2027, &first).unwrap()));
		let more: Vec<u32> = (max..max + 20).collect();
		assert_noop!(
			upload(amd::dev_crl(T2026 + 1, T2027, &more).unwrap()),
			Error::<Test>::CrlTooLarge
		);
		assert_eq!(AmdCrls::<Test>::get(dev_issuer()).unwrap().revoked.len() as u32, max - 10);
	});
}

#[test]
fn bad_lists_are_refused_with_their_error_and_change_nothing() {
	new_test_ext().execute_with(|| {
		Now::set(T2026 + 10);
		pin_dev_ark();
		let good = amd::dev_crl(T2026, T2027, &[7]).unwrap();
		assert_noop!(upload(good[..good.len() - 1].to_vec()), Error::<Test>::MalformedEvidence);
		// Signed by another key in the development ARK's name.
		let forger = p384::ecdsa::SigningKey::from_slice(&[9; 48]).unwrap();
		let empty_list_of = |issuer: &str| {
			amd::crl(&amd::CrlSpec {
				issuer: core::str::FromStr::from_str(issuer).unwrap(),
				issuer_key: &forger,
				this_update: T2026,
				next_update: Some(T2027),
				revoked: vec![],
				extensions: vec![],
			})
			.unwrap()
		};
		let forged = empty_list_of(amd::DEV_ARK_SUBJECT);
		assert_noop!(upload(forged), Error::<Test>::BadEvidenceSignature);
		// Issued by an ARK that is not pinned (the development ARK is pinned; the list names
		// another).
		let stranger = empty_list_of("CN=ARK-Elsewhere");
		assert_noop!(upload(stranger), Error::<Test>::UntrustedChain);
		// Outside its window.
		assert_noop!(
			upload(amd::dev_crl(T2026 + 20, T2027, &[]).unwrap()),
			Error::<Test>::EvidenceNotYetValid
		);
		assert_noop!(
			upload(amd::dev_crl(T2026 - 100, T2026 + 10, &[]).unwrap()),
			Error::<Test>::EvidenceExpired
		);
		assert!(AmdCrls::<Test>::iter().next().is_none());
	});
}

#[test]
fn sev_evidence_whose_ask_is_revoked_is_refused_and_nothing_is_stored() {
	new_test_ext().execute_with(|| {
		MockRegistry::add(provider(1), ALICE);
		pin(RootKind::AmdArk, MILAN_ARK);
		let (_, serial) = milan_ask_id();
		// A list that revokes other ASKs leaves this one alone.
		let other = verify::dcap::Serial::truncate_from(vec![0x01, 0x02]);
		milan_list(vec![other.clone()], u64::MAX);
		assert!(verify_milan().is_ok());
		milan_list(vec![other, serial], u64::MAX);
		assert_eq!(verify_milan().unwrap_err(), Error::<Test>::CertificateRevoked.into());
		assert!(Attestations::<Test>::iter().next().is_none());
	});
}

#[test]
fn a_policy_requiring_lists_refuses_chains_without_a_current_one() {
	new_test_ext().execute_with(|| {
		pin(RootKind::AmdArk, MILAN_ARK);
		assert!(verify_milan().is_ok());
		require_lists(true);
		assert_eq!(verify_milan().unwrap_err(), Error::<Test>::AmdCrlMissing.into());
		milan_list(vec![], Now::get());
		assert_eq!(verify_milan().unwrap_err(), Error::<Test>::AmdCrlExpired.into());
		milan_list(vec![], Now::get() + 1);
		assert!(verify_milan().is_ok());
		// A stale list's revocations still apply when lists are not required.
		require_lists(false);
		milan_list(vec![milan_ask_id().1], Now::get());
		assert_eq!(verify_milan().unwrap_err(), Error::<Test>::CertificateRevoked.into());
	});
}

fn recheck(
	p: ProviderId,
	evidence: Vec<u8>,
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	Attestation::recheck(RuntimeOrigin::signed(BOB), p, CapabilityKind::Ai, bounded(evidence))
}

#[test]
fn recheck_needs_the_stored_evidence_and_fails_while_it_still_verifies() {
	new_test_ext().execute_with(|| {
		MockRegistry::add(provider(1), ALICE);
		assert_noop!(recheck(provider(1), sev_bundle()), Error::<Test>::NoAttestation);
		store_sev(provider(1));
		let mut other = sev_bundle();
		other.push(0);
		assert_noop!(recheck(provider(1), other), Error::<Test>::EvidenceMismatch);
		assert_noop!(recheck(provider(1), sev_bundle()), Error::<Test>::StillValid);
		// The summary-only `revalidate` sees nothing wrong either way.
		assert_noop!(
			Attestation::revalidate(RuntimeOrigin::signed(BOB), provider(1), CapabilityKind::Ai),
			Error::<Test>::StillValid
		);
		// After a key rotation the stored summary alone revokes it: no verification ran, and
		// the weight is refunded to what was done.
		MockRegistry::rotate(provider(1), [0x77; 32]);
		let info = recheck(provider(1), sev_bundle()).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		assert_eq!(
			info.actual_weight,
			Some(
				<() as crate::WeightInfo>::revalidate()
					.saturating_add(<() as crate::WeightInfo>::record_attestation())
			)
		);
		assert_last_revoked(provider(1), CapabilityKind::Ai, RevocationReason::KeyRotated);
	});
}

#[test]
fn recheck_revokes_an_attestation_whose_ask_was_revoked_since() {
	new_test_ext().execute_with(|| {
		MockRegistry::add(provider(1), ALICE);
		store_sev(provider(1));
		milan_list(vec![milan_ask_id().1], u64::MAX);
		// `revalidate` reads only the summary: it cannot see the list.
		assert_noop!(
			Attestation::revalidate(RuntimeOrigin::signed(BOB), provider(1), CapabilityKind::Ai),
			Error::<Test>::StillValid
		);
		let info = recheck(provider(1), sev_bundle()).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		assert_eq!(
			info.actual_weight,
			Some(Attestation::recheck_kind_weight(EvidenceKind::SevSnp))
		);
		assert!(info
			.actual_weight
			.unwrap()
			.all_lte(Attestation::recheck_weight(CapabilityKind::Ai)));
		assert!(MockRegistry::attestation(&provider(1)).is_none());
		assert!(Attestations::<Test>::get(provider(1), CapabilityKind::Ai).is_none());
		let evs = events();
		assert_eq!(
			&evs[evs.len() - 2..],
			&[
				Event::RecheckFailed {
					provider: provider(1),
					capability: CapabilityKind::Ai,
					error: Error::<Test>::CertificateRevoked.into()
				},
				Event::AttestationRevoked {
					provider: provider(1),
					capability: CapabilityKind::Ai,
					reason: RevocationReason::CertificateRevoked
				}
			]
		);
		// Gone: a second recheck has nothing to revoke.
		assert_noop!(recheck(provider(1), sev_bundle()), Error::<Test>::NoAttestation);
	});
}

#[test]
fn recheck_revokes_when_the_policy_tightens_or_a_root_is_removed_but_not_for_missing_chain_data() {
	new_test_ext().execute_with(|| {
		MockRegistry::add(provider(1), ALICE);
		MockRegistry::add(provider(2), ALICE);
		store_sev(provider(1));
		store_sev_again(provider(2));
		// Lists now required and none uploaded, or only a lapsed one: data the chain lacks,
		// not the evidence's fault. The call fails (fee paid) and revokes nothing.
		require_lists(true);
		assert_noop!(recheck(provider(1), sev_bundle()), Error::<Test>::AmdCrlMissing);
		milan_list(vec![], Now::get());
		assert_noop!(recheck(provider(1), sev_bundle()), Error::<Test>::AmdCrlExpired);
		assert!(Attestations::<Test>::get(provider(1), CapabilityKind::Ai).is_some());
		// Governance tightens the policy (the guest must not allow SMT): revoked.
		let mut policy = NetworkPolicy::<Test>::get();
		policy.require_amd_crl = false;
		policy.sev_forbidden_policy_bits = verify::sev_snp::POLICY_SMT;
		assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), policy));
		assert_ok!(recheck(provider(1), sev_bundle()));
		assert_last_revoked(provider(1), CapabilityKind::Ai, RevocationReason::RecheckFailed);
		assert!(events().contains(&Event::RecheckFailed {
			provider: provider(1),
			capability: CapabilityKind::Ai,
			error: Error::<Test>::PolicyBitRejected.into()
		}));
		// Governance removes the Milan ARK: provider 2's chain leads nowhere now.
		let mut policy = NetworkPolicy::<Test>::get();
		policy.sev_forbidden_policy_bits = 0;
		assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), policy));
		let ark = verify::to_der(&fixture(MILAN_ARK)).unwrap();
		let hash = sp_io::hashing::sha2_256(&ark);
		assert!(AmdCrls::<Test>::get(milan_ask_id().0).is_some());
		assert_ok!(Attestation::remove_root(RuntimeOrigin::root(), RootKind::AmdArk, hash));
		// Its list goes with it: a key pinned later under the name starts from its own lists.
		assert!(AmdCrls::<Test>::get(milan_ask_id().0).is_none());
		assert_ok!(recheck(provider(2), sev_bundle()));
		assert!(events().contains(&Event::RecheckFailed {
			provider: provider(2),
			capability: CapabilityKind::Ai,
			error: Error::<Test>::NoPinnedRoot.into()
		}));
		assert!(Attestations::<Test>::get(provider(2), CapabilityKind::Ai).is_none());
	});
}

/// The development ARK, the costliest CRL it issues (the `upload_amd_crl` benchmark's) and a
/// small one (the fuzz target's seed), as committed. `AICF_BLESS=1` writes the files from the
/// builder instead of comparing.
#[test]
fn the_committed_amd_files_are_the_development_ark_s() {
	let (this_update, next_update) = crate::vendor_roots::AMD_CRL_BENCH_WINDOW;
	// Self-signed P-384 roots of distinct names, which the benchmarks pin to fill every root
	// slot of a kind.
	let fillers: Vec<Vec<u8>> = (0..6u8)
		.map(|i| {
			let key = p384::ecdsa::SigningKey::from_slice(&[0x60 + i; 48]).unwrap();
			amd::self_signed(&format!("CN=AICF filler root {i},O=AICF test"), &key).unwrap()
		})
		.collect();
	let files = [
		("root-fillers.der", fillers.concat()),
		("amd-dev-ark.der", amd::ark_der().unwrap()),
		("amd-crl-bench.der", amd::largest_crl(this_update, next_update).unwrap()),
		("amd-crl-seed.der", amd::dev_crl(this_update, next_update, &[7, 9, 0x0102_0304]).unwrap()),
	];
	let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dev");
	for (file, built) in files {
		if std::env::var_os("AICF_BLESS").is_some() {
			std::fs::write(dir.join(file), &built).unwrap();
			continue;
		}
		let committed = std::fs::read(dir.join(file)).unwrap();
		assert_eq!(committed, built, "regenerate pallets/attestation/dev/{file} (AICF_BLESS=1)");
		// And the chain accepts it under the development ARK.
		if file.starts_with("amd-crl") {
			let v = verify::amd_crl::verify(&built, &[DEV_ARK], this_update).unwrap();
			assert_eq!(v.issuer, dev_issuer());
		}
	}
}
