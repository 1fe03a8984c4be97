//! Benchmarks (frame-benchmarking v2) on real vendor evidence from `../shared/fixtures`, built
//! into the benchmark binary by `build.rs` (`cfg(aicf_fixtures)`), and the setup hooks a
//! runtime provides for them ([`BenchmarkHelper`]). Verification is measured with each
//! fixture's own report data as the binding, so every check runs and succeeds; the registry
//! hand-over is measured separately (`record_attestation`), and `submit_attestation`'s weight
//! is the sum for the evidence kind.

#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use crate::{
	Attestations, Call, Config, DcapCollateral, Error, NetworkPolicy, Pallet,
	Pallet as Attestation, PolicyOf, RootCount, RootKind, MAX_AMD_CRL_LEN, MAX_ROOT_INPUT,
};
use aicf_attestation_verify as verify;
use aicf_primitives::{traits::EvidenceKind, CapabilityKind, ProviderId};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{ConstU32, EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};

/// Benchmark setup the runtime provides.
pub trait BenchmarkHelper {
	/// Set chain time to `unix_secs` (fixtures are valid only inside their windows).
	fn set_time(unix_secs: u64);
	/// A provider the registry knows, with a controller, whose attestation is the registry's
	/// most expensive hand-over (in the runtime: it turns ACTIVE, every index entry written).
	fn registered_provider() -> ProviderId;
}

#[cfg(aicf_fixtures)]
mod fixtures {
	//! Fixture bytes, and the times inside their validity windows (see the folders'
	//! `PROVENANCE.md`).
	macro_rules! fixture {
		($rel:literal) => {
			include_bytes!(concat!(env!("AICF_FIXTURES_DIR"), "/", $rel))
		};
	}
	pub const INTEL_ROOT: &[u8] = fixture!("dcap/intel/TrustedRootCA.der");
	pub const SGX_QUOTE: &[u8] = fixture!("dcap/dcap-qvl/sample/sgx_quote");
	pub const SGX_COLLATERAL: &[u8] = fixture!("dcap/dcap-qvl/sample/sgx_quote_collateral.json");
	pub const TDX_QUOTE: &[u8] = fixture!("dcap/dcap-qvl/sample/tdx_quote");
	pub const TDX_COLLATERAL: &[u8] = fixture!("dcap/dcap-qvl/sample/tdx_quote_collateral.json");
	pub const T_SGX: u64 = 1_752_919_277;
	pub const T_TDX: u64 = 1_752_919_234;
	pub const MILAN_ARK: &[u8] = fixture!("sev-snp/virtee-sev/src/certs/snp/builtin/milan/ark.pem");
	pub const MILAN_ASK: &[u8] = fixture!("sev-snp/virtee-sev/src/certs/snp/builtin/milan/ask.pem");
	pub const GENOA_ARK: &[u8] = fixture!("sev-snp/virtee-sev/src/certs/snp/builtin/genoa/ark.pem");
	pub const TURIN_ARK: &[u8] = fixture!("sev-snp/virtee-sev/src/certs/snp/builtin/turin/ark.pem");
	pub const MILAN_VCEK: &[u8] = fixture!("sev-snp/virtee-sev/tests/certs_data/vcek_milan.der");
	pub const MILAN_REPORT_HEX: &[u8] =
		fixture!("sev-snp/virtee-sev/tests/certs_data/report_milan.hex");
	/// Any time inside the Milan VCEK's validity.
	pub const T_SEV: u64 = 1_752_000_000;
}

/// An ES512 CCA token from the development platform (realm challenge `[0xAB; 32]`…), made
/// by `dev_facility::cca` (a test checks the bytes).
pub const CCA_BENCH_TOKEN: &[u8] = include_bytes!("../dev/cca-bench-es512.cbor");

/// The largest AMD CRL the chain keeps: the development ARK revoking serials
/// `1..=MAX_REVOKED_SERIALS`, current during `vendor_roots::AMD_CRL_BENCH_WINDOW` (a test
/// checks the bytes).
pub const AMD_CRL_BENCH: &[u8] = include_bytes!("../dev/amd-crl-bench.der");

#[cfg(aicf_fixtures)]
/// The largest AMD CRL the chain keeps, as stored, for `issuer`: none of its serials is a
/// 21-byte serial of all `0xEE`, and every one is as long as a serial can be.
fn largest_amd_crl(issuer: [u8; 32], this_update: u64) -> verify::amd_crl::VerifiedAmdCrl {
	let serials = (0..verify::amd_crl::MAX_REVOKED_SERIALS)
		.map(|i| {
			let mut serial = [0x11u8; 21];
			serial[..8].copy_from_slice(&(i as u64).to_be_bytes());
			verify::dcap::Serial::truncate_from(serial.to_vec())
		})
		.collect::<Vec<_>>();
	verify::amd_crl::VerifiedAmdCrl {
		issuer,
		ark_hash: [0; 32],
		this_update,
		next_update: u64::MAX,
		revoked: BoundedVec::truncate_from(serials),
	}
}

/// Pin `bytes` as a root of `kind`, unless the chain's genesis has pinned it already (the
/// runtime's presets pin the published vendor roots).
fn pin<T: Config>(kind: RootKind, bytes: &[u8]) {
	match Attestation::<T>::do_add_root(kind, bytes) {
		Err(e) if e == Error::<T>::RootAlreadyPinned.into() => {},
		other => other.expect("root is well-formed"),
	}
}

/// Self-signed CA certificates of distinct subjects, any of which governance could pin as an
/// AMD ARK or a facility root: what fills a kind's root slots (the development ARK and
/// facility root, AMD's published ARKs, and `dev/root-fillers.der`, P-384 roots made for it).
fn filler_certificates() -> Vec<Vec<u8>> {
	let mut pool = alloc::vec![
		crate::vendor_roots::DEV_AMD_ARK.to_vec(),
		crate::vendor_roots::DEV_QUANTUM_FACILITY_ROOT.to_vec(),
	];
	#[cfg(aicf_fixtures)]
	for pem in [fixtures::MILAN_ARK, fixtures::GENOA_ARK, fixtures::TURIN_ARK] {
		pool.push(verify::to_der(pem).expect("a certificate"));
	}
	let fillers = include_bytes!("../dev/root-fillers.der");
	pool.extend(verify::split_der(fillers).expect("DER roots").into_iter().map(|c| c.to_vec()));
	pool
}

/// Pin filler certificates as roots of `kind` until `MaxRootsPerKind - leave` are pinned:
/// every lookup by name then parses that many candidates. Nothing in `keep` is pinned.
fn fill_roots<T: Config>(kind: RootKind, leave: u32, keep: &[Vec<u8>]) {
	let target = T::MaxRootsPerKind::get().saturating_sub(leave);
	for cert in filler_certificates() {
		if RootCount::<T>::get(kind) >= target {
			break;
		}
		if !keep.contains(&cert) {
			// A filler already pinned, or whose name is taken, is skipped.
			let _ = Attestation::<T>::do_add_root(kind, &cert);
		}
	}
	assert!(RootCount::<T>::get(kind) >= target, "enough filler roots for {kind:?}");
}

/// A verification result as `store_attestation` receives it: an SEV-SNP report with measurement
/// `[1; 48]`.
fn sev_verified() -> verify::Verified {
	verify::Verified {
		kind: EvidenceKind::SevSnp,
		measurement: [1; 48],
		workload: verify::Workload::SevSnp(verify::SevSnpWorkload {
			measurement: [1; 48],
			host_data: [0; 32],
			vmpl: 0,
		}),
		report_data: [0; 64],
		tcb_status: verify::TcbStatus::NotApplicable,
		debug: false,
		issued_at: None,
		not_after: u64::MAX,
		trap_families: alloc::vec![],
		// The longest chain's fingerprints: `revalidate` looks each up before the policy.
		chain_fingerprints: (0..crate::MAX_CHAIN_CERTS).map(|i| [i as u8; 32]).collect(),
	}
}

/// A TD rule: the largest rule, and one that admits no other kind's workload.
fn td_filler(i: u32) -> verify::WorkloadRule {
	verify::WorkloadRule::Tdx(verify::TdxWorkload {
		mr_td: [0xEE; 48],
		mr_config_id: [0; 48],
		mr_owner: [0; 48],
		mr_owner_config: [0; 48],
		rtmr: [[0; 48], [0; 48], [0; 48], [(i & 0xFF) as u8; 48]],
		xfam: 0,
	})
}

/// Fill the workload allowlist to `MaxMeasurements` with rules of `workload`'s own kind that
/// differ from it only in the last field compared, and the one that admits it last: the
/// longest scan evidence can make. For a workload no rule names (quantum) the list is full of
/// TD rules, which its policy read still decodes.
fn allowlist_ending_with<T: Config>(workload: &verify::Workload) {
	use verify::WorkloadRule as R;
	let n = T::MaxMeasurements::get();
	let admitted = R::exact(workload);
	// Each near-miss differs from the admitting rule in the last byte of its last field,
	// XORed with a byte that is never zero.
	let miss = |i: u32| -> R {
		let flip = (i & 0x7F) as u8 | 0x80;
		let differ = |mut b: [u8; 32]| {
			b[31] ^= flip;
			b
		};
		match admitted {
			Some(R::Sgx { mr_signer, isv_prod_id, min_isv_svn, mr_enclave, config_id }) => {
				let mut config_id = config_id.unwrap_or([0; 64]);
				config_id[63] ^= flip;
				R::Sgx {
					mr_signer,
					isv_prod_id,
					min_isv_svn,
					mr_enclave,
					config_id: Some(config_id),
				}
			},
			Some(R::Tdx(mut td)) => {
				td.xfam ^= u64::from(flip) << 56;
				R::Tdx(td)
			},
			Some(R::SevSnp { measurement, host_data }) => {
				R::SevSnp { measurement, host_data: differ(host_data) }
			},
			Some(R::Cca { rim, rem, personalization, platform_software }) => R::Cca {
				rim,
				rem,
				personalization,
				platform_software: Some(differ(platform_software.unwrap_or_default())),
			},
			None => td_filler(i),
		}
	};
	let mut rules: alloc::vec::Vec<R> = (0..n.saturating_sub(1)).map(miss).collect();
	rules.push(admitted.unwrap_or_else(|| miss(n)));
	let mut policy = NetworkPolicy::<T>::get();
	policy.workloads = BoundedVec::truncate_from(rules);
	policy.any_workload = false;
	NetworkPolicy::<T>::put(policy);
}

/// The workload `evidence` attests, read by verifying it once under a policy admitting any;
/// then the allowlist is made the longest scan ending with its rule.
fn worst_allowlist_for<T: Config>(kind: EvidenceKind, evidence: &[u8], binding: &[u8], now: u64) {
	NetworkPolicy::<T>::mutate(|p| p.any_workload = true);
	if let Ok(v) = Attestation::<T>::verify_evidence(kind, evidence, binding, now) {
		allowlist_ending_with::<T>(&v.workload);
	}
}

/// The first 32 bytes of a DCAP quote's report data (SGX v3: 48 + 320; TDX v4: 48 + 520).
#[cfg(aicf_fixtures)]
fn quote_binding(quote: &[u8]) -> Vec<u8> {
	let at = if quote[4..8] == [0x81, 0, 0, 0] { 48 + 520 } else { 48 + 320 };
	quote[at..at + 32].to_vec()
}

#[cfg(aicf_fixtures)]
fn accept_all_tcb<T: Config>() {
	let mut policy = NetworkPolicy::<T>::get();
	policy.accepted_tcb = verify::TcbStatusSet(0xBF); // everything but Revoked
	NetworkPolicy::<T>::put(policy);
}

#[cfg(aicf_fixtures)]
fn dcap_ready<T: Config>(collateral: &[u8], now: u64) {
	T::BenchmarkHelper::set_time(now);
	pin::<T>(RootKind::IntelSgx, fixtures::INTEL_ROOT);
	Attestation::<T>::do_upload_collateral(collateral).expect("fixture collateral verifies");
	accept_all_tcb::<T>();
}

#[cfg(aicf_fixtures)]
fn sev_bundle() -> Vec<u8> {
	let text = core::str::from_utf8(fixtures::MILAN_REPORT_HEX).expect("ascii hex");
	let mut b = hex::decode(text.trim()).expect("hex report");
	b.extend_from_slice(fixtures::MILAN_VCEK);
	b.extend(verify::to_der(fixtures::MILAN_ASK).expect("PEM ASK"));
	b
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_root() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		// The last slot of a kind whose roots are unique by name: every pinned root's name
		// is read and compared.
		let new = filler_certificates().pop().expect("a filler");
		fill_roots::<T>(RootKind::QuantumFacility, 1, core::slice::from_ref(&new));
		let root: BoundedVec<u8, ConstU32<MAX_ROOT_INPUT>> =
			new.try_into().expect("within MAX_ROOT_INPUT");
		let before = RootCount::<T>::get(RootKind::QuantumFacility);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, RootKind::QuantumFacility, root);

		assert_eq!(RootCount::<T>::get(RootKind::QuantumFacility), before + 1);
		Ok(())
	}

	#[benchmark]
	fn remove_root() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let der = alloc::vec![0x04u8, 0x01, 0x07];
		Attestation::<T>::do_add_root(RootKind::IntelSgx, &der).expect("well-formed");
		let hash = sp_io::hashing::sha2_256(&der);
		let before = RootCount::<T>::get(RootKind::IntelSgx);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, RootKind::IntelSgx, hash);

		assert_eq!(RootCount::<T>::get(RootKind::IntelSgx), before - 1);
		Ok(())
	}

	#[benchmark]
	fn set_policy() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let policy = PolicyOf::<T> {
			workloads: BoundedVec::truncate_from(
				(0..T::MaxMeasurements::get()).map(td_filler).collect(),
			),
			quantum_trap_families: BoundedVec::truncate_from(
				(0..T::MaxTrapFamilies::get())
					.map(|i| {
						aicf_primitives::types::Name::truncate_from(
							alloc::vec![b'a' + (i % 26) as u8; 32],
						)
					})
					.collect(),
			),
			..Default::default()
		};

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, policy.clone());

		assert_eq!(NetworkPolicy::<T>::get(), policy);
		Ok(())
	}

	/// Upload the larger (TDX) fixture collateral, replacing nothing.
	#[benchmark]
	fn upload_collateral() {
		#[cfg(aicf_fixtures)]
		{
			T::BenchmarkHelper::set_time(fixtures::T_TDX);
			pin::<T>(RootKind::IntelSgx, fixtures::INTEL_ROOT);
		}
		#[cfg(aicf_fixtures)]
		let collateral: BoundedVec<u8, T::MaxCollateralLen> =
			fixtures::TDX_COLLATERAL.to_vec().try_into().expect("within MaxCollateralLen");
		#[cfg(not(aicf_fixtures))]
		let collateral: BoundedVec<u8, T::MaxCollateralLen> = Default::default();
		let caller: T::AccountId = whitelisted_caller();
		#[cfg(aicf_fixtures)]
		let before = DcapCollateral::<T>::iter().count();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), collateral);

		#[cfg(aicf_fixtures)]
		assert_eq!(DcapCollateral::<T>::iter().count(), before + 1);
	}

	#[benchmark]
	fn verify_sgx() {
		#[cfg(aicf_fixtures)]
		dcap_ready::<T>(fixtures::SGX_COLLATERAL, fixtures::T_SGX);
		#[cfg(aicf_fixtures)]
		let (quote, binding, now) =
			(fixtures::SGX_QUOTE, quote_binding(fixtures::SGX_QUOTE), fixtures::T_SGX);
		#[cfg(not(aicf_fixtures))]
		let (quote, binding, now) = (&[][..], alloc::vec![], 0);
		worst_allowlist_for::<T>(EvidenceKind::SgxDcap, quote, &binding, now);
		let result;

		#[block]
		{
			result = Attestation::<T>::verify_evidence(EvidenceKind::SgxDcap, quote, &binding, now);
		}

		#[cfg(aicf_fixtures)]
		assert!(result.is_ok(), "{result:?}");
		#[cfg(not(aicf_fixtures))]
		let _ = result;
	}

	#[benchmark]
	fn verify_tdx() {
		#[cfg(aicf_fixtures)]
		dcap_ready::<T>(fixtures::TDX_COLLATERAL, fixtures::T_TDX);
		#[cfg(aicf_fixtures)]
		let (quote, binding, now) =
			(fixtures::TDX_QUOTE, quote_binding(fixtures::TDX_QUOTE), fixtures::T_TDX);
		#[cfg(not(aicf_fixtures))]
		let (quote, binding, now) = (&[][..], alloc::vec![], 0);
		worst_allowlist_for::<T>(EvidenceKind::TdxDcap, quote, &binding, now);
		let result;

		#[block]
		{
			result = Attestation::<T>::verify_evidence(EvidenceKind::TdxDcap, quote, &binding, now);
		}

		#[cfg(aicf_fixtures)]
		assert!(result.is_ok(), "{result:?}");
		#[cfg(not(aicf_fixtures))]
		let _ = result;
	}

	#[benchmark]
	fn verify_sev_snp() {
		#[cfg(aicf_fixtures)]
		pin::<T>(RootKind::AmdArk, fixtures::MILAN_ARK);
		#[cfg(aicf_fixtures)]
		let (bundle, now) = (sev_bundle(), fixtures::T_SEV);
		#[cfg(not(aicf_fixtures))]
		let (bundle, now) = (alloc::vec![], 0);
		let binding = bundle.get(0x50..0x70).map(|b| b.to_vec()).unwrap_or_default();
		worst_allowlist_for::<T>(EvidenceKind::SevSnp, &bundle, &binding, now);
		// The ARK's list is required and as long as lists get (the ASK is not on it), and
		// every ARK slot is taken.
		NetworkPolicy::<T>::mutate(|p| p.require_amd_crl = true);
		fill_roots::<T>(RootKind::AmdArk, 0, &[]);
		#[cfg(aicf_fixtures)]
		{
			let ask = verify::to_der(fixtures::MILAN_ASK).expect("PEM ASK");
			let (issuer, _) = verify::amd_crl::revocation_id(&ask).expect("the Milan ASK");
			crate::AmdCrls::<T>::insert(issuer, largest_amd_crl(issuer, 0));
		}
		let result;

		#[block]
		{
			result =
				Attestation::<T>::verify_evidence(EvidenceKind::SevSnp, &bundle, &binding, now);
		}

		#[cfg(aicf_fixtures)]
		assert!(result.is_ok(), "{result:?}");
		#[cfg(not(aicf_fixtures))]
		let _ = result;
	}

	/// The worst case of a CCA token: every anchor slot taken (the lookup reads each one's
	/// instance ID, then decodes the one key it names), an ES512 platform signature (P-521, the
	/// costliest) and an ES384 realm signature.
	#[benchmark]
	fn verify_cca() {
		pin::<T>(RootKind::ArmCcaPlatform, crate::vendor_roots::DEV_CCA_ANCHORS[2]);
		let p521 = verify::cca::TrustAnchor::decode(crate::vendor_roots::DEV_CCA_ANCHORS[2])
			.expect("development anchor");
		let mut i = 0u8;
		while RootCount::<T>::get(RootKind::ArmCcaPlatform) < T::MaxRootsPerKind::get() {
			let filler =
				verify::cca::TrustAnchor::encode(&[0x01, 0xEE, i], &p521.cpak_der).expect("anchor");
			pin::<T>(RootKind::ArmCcaPlatform, &filler);
			i = i.wrapping_add(1);
		}
		let binding = [0xABu8; 32];
		worst_allowlist_for::<T>(EvidenceKind::Cca, CCA_BENCH_TOKEN, &binding, 0);
		let result;

		#[block]
		{
			result =
				Attestation::<T>::verify_evidence(EvidenceKind::Cca, CCA_BENCH_TOKEN, &binding, 0);
		}

		assert!(result.is_ok(), "{result:?}");
	}

	/// The longest facility chain (`MAX_CHAIN_CERTS` certificates: a P-384 identity
	/// certificate and two intermediates) below the pinned development root.
	#[benchmark]
	fn verify_quantum() {
		// The longest chain: the leaf and two intermediates, each link a P-384 signature and
		// a revocation lookup.
		let chain = include_bytes!("../dev/quantum-bench-chain.der");
		let root = crate::vendor_roots::DEV_QUANTUM_FACILITY_ROOT;
		pin::<T>(RootKind::QuantumFacility, root);
		// Every other slot taken: the lookup by name reads the one root the chain names.
		fill_roots::<T>(RootKind::QuantumFacility, 0, &[]);
		let binding = verify::provider_binding(&[0xBE; 12]);
		allowlist_ending_with::<T>(&verify::Workload::None);
		let result;

		#[block]
		{
			result = Attestation::<T>::verify_evidence(
				EvidenceKind::Quantum,
				chain,
				&binding,
				1_767_225_600,
			);
		}

		assert!(result.is_ok(), "{result:?}");
	}

	/// Check the challenge and hand a verified attestation to the registry: the helper's
	/// provider (in the runtime, staked with a recent heartbeat and the largest capabilities)
	/// turns ACTIVE on it.
	#[benchmark]
	fn record_attestation() {
		let provider = T::BenchmarkHelper::registered_provider();
		let verified = sev_verified();
		let now: BlockNumberFor<T> = 10u32.into();
		let challenge: BlockNumberFor<T> = 9u32.into();
		frame_system::Pallet::<T>::set_block_number(now);
		let mut hash = T::Hash::default();
		hash.as_mut().fill(7);
		frame_system::BlockHash::<T>::insert(challenge, hash);

		#[block]
		{
			Attestation::<T>::binding_for(&provider, challenge).expect("a recent challenge");
			Attestation::<T>::store_attestation(
				provider,
				EvidenceKind::SevSnp,
				&[2; 4096],
				&verified,
				[0; 32],
				0,
			)
			.expect("registered provider");
		}

		assert_eq!(
			Attestations::<T>::get(provider, CapabilityKind::Ai).map(|a| a.version),
			Some(1)
		);
	}

	/// Revoke an attestation that the current policy no longer accepts.
	#[benchmark]
	fn revalidate() {
		let provider = T::BenchmarkHelper::registered_provider();
		let verified = sev_verified();
		Attestation::<T>::store_attestation(
			provider,
			EvidenceKind::SevSnp,
			&[1; 4096],
			&verified,
			[0; 32],
			0,
		)
		.expect("registered provider");
		// A full allowlist of the largest rules, none of which admits the stored workload.
		let policy = PolicyOf::<T> {
			workloads: BoundedVec::truncate_from(
				(0..T::MaxMeasurements::get()).map(td_filler).collect(),
			),
			..Default::default()
		};
		NetworkPolicy::<T>::put(policy);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), provider, CapabilityKind::Ai);

		assert!(Attestations::<T>::get(provider, CapabilityKind::Ai).is_none());
	}

	/// Upload the largest AMD CRL (`MAX_REVOKED_SERIALS` entries, ECDSA P-384: the costlier
	/// of the two signature algorithms in the host) over a stored one as large.
	#[benchmark]
	fn upload_amd_crl() {
		use crate::vendor_roots::{AMD_CRL_BENCH_WINDOW, DEV_AMD_ARK};
		let this_update = AMD_CRL_BENCH_WINDOW.0;
		pin::<T>(RootKind::AmdArk, DEV_AMD_ARK);
		fill_roots::<T>(RootKind::AmdArk, 0, &[]);
		T::BenchmarkHelper::set_time(this_update + 1);
		// Stored: the same serials from an earlier list, so the merge walks both full lists.
		let mut stored = verify::amd_crl::verify(AMD_CRL_BENCH, &[DEV_AMD_ARK], this_update + 1)
			.expect("the benchmark list verifies");
		stored.this_update = this_update - 1;
		let issuer = stored.issuer;
		crate::AmdCrls::<T>::insert(issuer, stored);
		let crl: BoundedVec<u8, ConstU32<MAX_AMD_CRL_LEN>> =
			AMD_CRL_BENCH.to_vec().try_into().expect("within MAX_AMD_CRL_LEN");
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), crl);

		assert_eq!(
			crate::AmdCrls::<T>::get(issuer).map(|c| (c.this_update, c.revoked.len())),
			Some((this_update, verify::amd_crl::MAX_REVOKED_SERIALS))
		);
	}

	#[benchmark]
	fn set_certificate_revoked() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let fingerprint = [0x7F; 32];

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, fingerprint, true);

		assert!(crate::RevokedCertificates::<T>::contains_key(fingerprint));
		Ok(())
	}

	impl_benchmark_test_suite!(Attestation, crate::mock::new_test_ext(), crate::mock::Test);
}
