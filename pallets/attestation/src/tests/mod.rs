//! Tests of the attestation pallet on the real vendor evidence in `../shared/fixtures` (see
//! each folder's `PROVENANCE.md` for the verdicts and validity windows used here), one file
//! per feature; the fixtures, constants and helpers they share are here.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod amd_crl;
mod collateral;
mod quantum;
mod revocation;
mod roots;
mod submission;
mod verification;

use crate::{
	mock::*, AttestationPolicy, Attestations, DcapCollateral, Error, Event, NetworkPolicy,
	RevocationReason, RootCount, RootKind, VendorRoots,
};
use aicf_attestation_verify::{self as verify, TcbStatus, TcbStatusSet};
use aicf_primitives::{traits::EvidenceKind, CapabilityKind, ProviderId};
use frame_support::{assert_noop, assert_ok, dispatch::Pays, BoundedVec};
use sp_runtime::DispatchError;

/// Inside the SGX quote's collateral window (origin test time).
const T_SGX: u64 = 1_752_919_277;
/// Inside the TDX quote's collateral window.
const T_TDX: u64 = 1_752_919_234;
/// Start of the SGX collateral window (2025-06-19T10:56:11Z).
const SGX_WINDOW_START: u64 = 1_750_330_571;

/// The challenge block tests name: the genesis block, whose hash frame-system's genesis sets
/// to `[69; 32]`, one block before the block tests run at.
const CHALLENGE: u64 = 0;
/// The hash of [`CHALLENGE`].
const CHALLENGE_HASH: [u8; 32] = [69; 32];

/// The binding fresh evidence for `p` carries when it names [`CHALLENGE`].
fn fresh_binding(p: ProviderId) -> [u8; 32] {
	verify::attestation_binding(&p.0, &CHALLENGE_HASH, &MockRegistry::key_hash(&p))
}

const ALICE: AccountId = 1;
const BOB: AccountId = 2;

fn provider(n: u8) -> ProviderId {
	ProviderId([n; 12])
}

fn bounded<S: frame_support::traits::Get<u32>>(v: Vec<u8>) -> BoundedVec<u8, S> {
	v.try_into().unwrap()
}

fn pin(kind: RootKind, rel: &str) {
	let bytes = fixture(rel);
	// A CCA root is a trust anchor: the fixture CPAK with its platform's instance ID.
	let bytes = if kind == RootKind::ArmCcaPlatform {
		crate::vendor_roots::tfa_fvp_anchor(&bytes).unwrap()
	} else {
		bytes
	};
	assert_ok!(Attestation::add_root(RuntimeOrigin::root(), kind, bounded(bytes)));
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Attestation(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// The last event revoked `p`'s attestation of `capability` for `reason`.
#[track_caller]
fn assert_last_revoked(p: ProviderId, capability: CapabilityKind, reason: RevocationReason) {
	assert_eq!(
		events().last(),
		Some(&Event::AttestationRevoked { provider: p, capability, reason })
	);
}

const INTEL_ROOT: &str = "dcap/intel/TrustedRootCA.der";
const SGX_QUOTE: &str = "dcap/dcap-qvl/sample/sgx_quote";
const SGX_COLLATERAL: &str = "dcap/dcap-qvl/sample/sgx_quote_collateral.json";
const TDX_QUOTE: &str = "dcap/dcap-qvl/sample/tdx_quote";
const TDX_COLLATERAL: &str = "dcap/dcap-qvl/sample/tdx_quote_collateral.json";
const MILAN_ARK: &str = "sev-snp/virtee-sev/src/certs/snp/builtin/milan/ark.pem";
const GENOA_ARK: &str = "sev-snp/virtee-sev/src/certs/snp/builtin/genoa/ark.pem";
const CCA_TOKEN: &str = "cca/rust-ccatoken/testdata/cca-token-01.cbor";
const CPAK: &str = "cca/ccatoken/realm/testvectors/tf-rmm/cca_platform.pub";

/// The Milan report with its VCEK and ASK, as one SEV-SNP evidence bundle.
fn sev_bundle() -> Vec<u8> {
	let mut b = hex_fixture("sev-snp/virtee-sev/tests/certs_data/report_milan.hex");
	b.extend(fixture("sev-snp/virtee-sev/tests/certs_data/vcek_milan.der"));
	let ask =
		verify::to_der(&fixture("sev-snp/virtee-sev/src/certs/snp/builtin/milan/ask.pem")).unwrap();
	b.extend(ask);
	b
}

/// The report data a fixture carries (its first 32 bytes are what a provider would bind).
fn binding_of_report(report_data_hex: &str) -> Vec<u8> {
	hex::decode(report_data_hex).unwrap()[..32].to_vec()
}

const SEV_REPORT_DATA: &str = "d447b55d197491bfe15cf298f9de9986b7a7c4be2468b4f6e2d53b71d7c645810b0f2cdfca0040433be063fc1a8293f0f3f8dae7b79fecb3d1cd82bd6a93ebfd";
const SEV_MEASUREMENT: &str = "7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81841f";

fn accept_sgx_tcb() {
	let mut policy = NetworkPolicy::<Test>::get();
	policy.accepted_tcb = TcbStatusSet::DEFAULT.with(TcbStatus::ConfigurationAndSwHardeningNeeded);
	assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), policy));
}

/// The first 32 bytes of a quote's report data: SGX v3 quotes carry it at 48 (header) + 320
/// (offset in the enclave report), TDX v4 quotes at 48 + 520 (offset in the TD report).
fn quote_report_data(quote: &[u8]) -> Vec<u8> {
	let at = if quote[4..8] == [0x81, 0, 0, 0] { 48 + 520 } else { 48 + 320 };
	quote[at..at + 32].to_vec()
}

fn workload_rules(
	v: Vec<verify::WorkloadRule>,
) -> BoundedVec<verify::WorkloadRule, frame_support::traits::ConstU32<8>> {
	v.try_into().unwrap()
}

/// Pin the Milan ARK and store a verified SEV-SNP attestation for `p`.
fn store_sev(p: ProviderId) -> verify::Verified {
	pin(RootKind::AmdArk, MILAN_ARK);
	store_sev_again(p)
}

/// Store a verified SEV-SNP attestation for `p` as `submit_attestation` does after
/// verification (the ARK already pinned).
fn store_sev_again(p: ProviderId) -> verify::Verified {
	let bundle = sev_bundle();
	let v = Attestation::verify_evidence(
		EvidenceKind::SevSnp,
		&bundle,
		&binding_of_report(SEV_REPORT_DATA),
		Now::get(),
	)
	.unwrap();
	let binding = binding_of_report(SEV_REPORT_DATA).try_into().unwrap();
	assert_ok!(Attestation::store_attestation(
		p,
		EvidenceKind::SevSnp,
		&bundle,
		&v,
		binding,
		Now::get()
	));
	v
}
