//! Intel SGX and TDX DCAP quotes.
//!
//! Verification is split the way an on-chain PCCS uses it:
//!
//! 1. [`verify_collateral`] checks Intel collateral (TCB info, QE identity, PCK CRL, root CA
//!    CRL and their issuer chains) against the pinned Intel SGX Root CA once, when it is
//!    uploaded, and returns a compact SCALE-encodable [`VerifiedCollateral`];
//! 2. [`verify_quote`] checks one quote against that stored form: the PCK certificate against
//!    the collateral's PCK CA and CRL, the QE report signature, the attestation key binding,
//!    the quote signature, TCB level matching and then the network [`Policy`] and the provider
//!    binding. No collateral signature is checked again, so a quote costs three ECDSA P-256
//!    verifications.
//!
//! [`verify`] does both in one call.
//!
//! # Collateral byte format
//!
//! [`verify_collateral`] takes dcap-qvl's `QuoteCollateralV3`, in either of its encodings:
//! - JSON (the input starts with `{`): an object with the string fields
//!   `pck_crl_issuer_chain` (PEM), `root_ca_crl` (hex DER), `pck_crl` (hex DER),
//!   `tcb_info_issuer_chain` (PEM), `tcb_info` (the exact signed Intel TCB info JSON text),
//!   `tcb_info_signature` (hex, 64-byte `r || s`), `qe_identity_issuer_chain` (PEM),
//!   `qe_identity` (the exact signed enclave identity JSON text) and `qe_identity_signature`
//!   (hex `r || s`); other fields are ignored;
//! - SCALE: the same nine fields in that order, each as a SCALE `Vec<u8>`/`String` (raw bytes,
//!   not hex), then an `Option<String>` PCK chain that is ignored. This is what
//!   `parity_scale_codec::Encode` gives for dcap-qvl's `QuoteCollateralV3`.
//!
//! TCB info version 3 (`id` `SGX` or `TDX`) and QE identity version 2 (`QE`, `TD_QE`; `TD_QE`
//! also version 3) are accepted.
//!
//! # Quotes
//!
//! SGX quotes version 3, TDX quotes version 4 and 5 (TD report 1.0 and 1.5 bodies), ECDSA
//! P-256 attestation keys, certification data type 5 (PEM PCK chain, inside type 6 for v4/v5).
//! The quote's PCK CA certificate must be the one that issued the collateral's PCK CRL (byte for
//! byte), and the root the quote carries must be the pinned root.
//!
//! # Certificates
//!
//! Every certificate (the root, the collateral's issuer chains, the quote's PCK chain) is at
//! most 8 KiB of DER, names the same signature algorithm inside and outside its
//! `TBSCertificate` (both malformed otherwise, [`ParseRegion::Certificate`]), is signed with
//! ECDSA-SHA256 and holds a P-256 key ([`AttestationError::Unsupported`] otherwise), and has no
//! critical extension other than basic constraints and key usage ([`AttestationError::Chain`]).
//! It is valid from `notBefore` through `notAfter`, both included. The PCK CA must be a CA
//! (basic constraints `cA`, key usage allowing `keyCertSign` where present).
//!
//! # Outcome
//!
//! - measurement: SGX MRENCLAVE zero-padded to 48 bytes, TDX MRTD;
//! - report data: the 64-byte report data;
//! - TCB status: the platform TCB level (and TDX module level) converged with the QE TCB level,
//!   as Intel's QVL does. `Revoked` is refused whatever the policy says. A TD 1.5 quote whose
//!   current TCB is better than its launch TCB keeps the launch status (no relaunch statuses);
//! - debug: SGX `ATTRIBUTES.DEBUG`; TDX any `TD_ATTRIBUTES.TUD` bit (`DEBUG` and the other
//!   "TD under debug" bits);
//! - TDX attribute checks done here, as dcap-qvl does them, refused with
//!   [`AttestationError::PolicyBit`]: reserved bits set, `MIGRATABLE` set, `SEPT_VE_DISABLE`
//!   clear, `SERVTD_EXT` set or a non-zero MRSERVICETD;
//! - issued_at: the issue date of the collateral's oldest grading component (TCB info, QE
//!   identity, PCK CRL; [`CollateralDates::oldest`]), which a policy's age limit is measured
//!   from; not_after: the earliest of the PCK
//!   certificate's end of validity and the collateral's (TCB info and QE identity `nextUpdate`,
//!   one second before either CRL's `nextUpdate`, signing, PCK CA and root certificates).
//!
//! # Errors
//!
//! Parse errors name the region ([`ParseRegion::Header`], `Body`, `Signature`, `Certificate`,
//! `Collateral`); [`AttestationError::Unsupported`] for other versions, key types, TEEs or
//! certification data; `Chain` when a certificate is not issued by the expected CA or the root
//! differs; `Signature` for any ECDSA failure, including a QE report that does not bind the
//! attestation key; `Expired`/`NotYetValid`; `Revoked` for a PCK certificate on the CRL or a
//! signing certificate on the root CRL; `CollateralMismatch` for a quote whose FMSPC, PCE ID, TEE,
//! PCK CA, QE identity or TDX module does not match the collateral, or whose TCB is below every
//! TCB level the collateral lists (Intel's "TCB not supported").

mod collateral;
mod pki;
mod quote;

use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::{
	apply_common_policy, check_binding, check_window, AttestationError, EvidenceKind, ParseRegion,
	Policy, SgxWorkload, TcbStatus, TdxWorkload, Verified, Workload,
};
use pki::IntelCert;
use quote::{Body, EnclaveReport, Quote, Tee};

/// Most TCB levels kept from a TCB info.
pub const MAX_TCB_LEVELS: u32 = 64;
/// Most TDX module identities kept from a TCB info.
pub const MAX_TDX_MODULE_IDENTITIES: u32 = 8;
/// Most levels kept per QE identity or TDX module identity.
pub const MAX_ISV_LEVELS: u32 = 32;
/// Most revoked PCK serial numbers kept from a PCK CRL.
pub const MAX_REVOKED_PCK_SERIALS: u32 = 2048;

/// A certificate serial number (DER INTEGER content, at most 20 bytes plus a sign byte).
pub type Serial = BoundedVec<u8, ConstU32<21>>;
/// Revoked PCK serial numbers.
pub type RevokedSerials = BoundedVec<Serial, ConstU32<MAX_REVOKED_PCK_SERIALS>>;

/// Which TEE a collateral set covers.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum DcapTee {
	/// Intel SGX.
	Sgx,
	/// Intel TDX.
	Tdx,
}

/// A platform TCB level from the TCB info.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct TcbLevel {
	/// Minimum SGX TCB component SVNs.
	pub sgx_components: [u8; 16],
	/// Minimum PCE SVN.
	pub pce_svn: u16,
	/// Minimum TDX TCB component SVNs (zero for SGX).
	pub tdx_components: [u8; 16],
	/// The level's status.
	pub status: TcbStatus,
}

/// A TDX module TCB level.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct TdxModuleTcbLevel {
	/// Minimum module ISV SVN (`TEE_TCB_SVN[0]`).
	pub isvsvn: u8,
	/// The level's status.
	pub status: TcbStatus,
}

/// The expected TDX SEAM module identity (the base `tdxModule` has version 0 and no levels).
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct TdxModuleIdentity {
	/// Module major version (`TEE_TCB_SVN[1]`) this identity applies to.
	pub version: u8,
	/// Expected MRSIGNERSEAM.
	pub mrsigner: [u8; 48],
	/// Expected SEAMATTRIBUTES under the mask.
	pub attributes: [u8; 8],
	/// Mask for SEAMATTRIBUTES.
	pub attributes_mask: [u8; 8],
	/// Module TCB levels, highest first.
	pub tcb_levels: BoundedVec<TdxModuleTcbLevel, ConstU32<MAX_ISV_LEVELS>>,
}

/// A QE identity TCB level.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct QeTcbLevel {
	/// Minimum QE ISV SVN.
	pub isvsvn: u16,
	/// The level's status.
	pub status: TcbStatus,
}

/// The identity the quoting enclave must have.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct QeIdentity {
	/// Expected MRSIGNER.
	pub mrsigner: [u8; 32],
	/// Expected ISVPRODID.
	pub isv_prod_id: u16,
	/// Expected MISCSELECT under the mask.
	pub miscselect: u32,
	/// Mask for MISCSELECT.
	pub miscselect_mask: u32,
	/// Expected ATTRIBUTES under the mask.
	pub attributes: [u8; 16],
	/// Mask for ATTRIBUTES.
	pub attributes_mask: [u8; 16],
	/// QE TCB levels, highest first.
	pub tcb_levels: BoundedVec<QeTcbLevel, ConstU32<MAX_ISV_LEVELS>>,
}

/// Collateral that [`verify_collateral`] has checked against a pinned root, in the compact form
/// [`verify_quote`] uses. Store only values returned by [`verify_collateral`]: the fields are
/// public so they can be stored and inspected, and nothing here re-checks them.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct VerifiedCollateral {
	/// The TEE the TCB info is for.
	pub tee: DcapTee,
	/// The platform model (FMSPC) the TCB info is for.
	pub fmspc: [u8; 6],
	/// The PCE ID the TCB info is for.
	pub pce_id: [u8; 2],
	/// The lower of the TCB info's and QE identity's TCB evaluation data numbers.
	pub tcb_evaluation_data_number: u32,
	/// Platform TCB levels, highest first.
	pub tcb_levels: BoundedVec<TcbLevel, ConstU32<MAX_TCB_LEVELS>>,
	/// TDX: the base SEAM module identity.
	pub tdx_module: Option<TdxModuleIdentity>,
	/// TDX: module identities per module version.
	pub tdx_module_identities: BoundedVec<TdxModuleIdentity, ConstU32<MAX_TDX_MODULE_IDENTITIES>>,
	/// The quoting enclave identity.
	pub qe_identity: QeIdentity,
	/// SHA-256 of the root CA certificate (DER) everything was verified against.
	pub root_ca_hash: [u8; 32],
	/// SHA-256 of the PCK CA certificate (DER) that issued the PCK CRL.
	pub pck_ca_hash: [u8; 32],
	/// Serial numbers on the PCK CRL.
	pub revoked_pck_serials: RevokedSerials,
	/// The latest issue date (TCB info, QE identity, CRL `thisUpdate`), Unix seconds: the
	/// collateral is not valid before it.
	pub issued_at: u64,
	/// The issue date of each component, Unix seconds: replacing collateral never moves one
	/// back, and a policy's age limit is measured from the oldest grading component.
	pub issue_dates: CollateralDates,
	/// The last second the collateral is valid, Unix seconds.
	pub not_after: u64,
}

/// The issue date of each component of DCAP collateral, Unix seconds.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct CollateralDates {
	/// The TCB info's `issueDate`.
	pub tcb_info: u64,
	/// The QE identity's `issueDate`.
	pub qe_identity: u64,
	/// The root CA CRL's `thisUpdate`.
	pub root_ca_crl: u64,
	/// The PCK CRL's `thisUpdate`.
	pub pck_crl: u64,
}

impl CollateralDates {
	fn all(&self) -> [u64; 4] {
		[self.tcb_info, self.qe_identity, self.root_ca_crl, self.pck_crl]
	}

	/// The oldest issue date of the components Intel reissues as it grades platforms — TCB
	/// info, QE identity and PCK CRL: what a policy's age limit is measured from. The root CA
	/// CRL is left out: Intel reissues it about once a year, so measuring from it would refuse
	/// freshly fetched collateral under any shorter limit; its `nextUpdate` bounds it instead
	/// (`not_after`), and replacement never moves it back.
	pub fn oldest(&self) -> u64 {
		[self.tcb_info, self.qe_identity, self.pck_crl].into_iter().min().unwrap_or(0)
	}

	/// The newest component's issue date: the collateral is not valid before it.
	pub fn newest(&self) -> u64 {
		self.all().into_iter().max().unwrap_or(0)
	}

	/// Whether no component of `self` is older than the same component of `stored`.
	pub fn none_older_than(&self, stored: &Self) -> bool {
		self.all().into_iter().zip(stored.all()).all(|(new, old)| new >= old)
	}

	/// Whether some component of `self` is newer than the same component of `stored`.
	pub fn any_newer_than(&self, stored: &Self) -> bool {
		self.all().into_iter().zip(stored.all()).any(|(new, old)| new > old)
	}
}

/// What selects the collateral a quote needs: TEE, FMSPC and PCK CA.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct CollateralKey {
	/// The TEE.
	pub tee: DcapTee,
	/// The platform model.
	pub fmspc: [u8; 6],
	/// SHA-256 of the PCK CA certificate (DER).
	pub pck_ca_hash: [u8; 32],
}

impl VerifiedCollateral {
	/// The key quotes that this collateral serves have ([`quote_collateral_key`]).
	pub fn key(&self) -> CollateralKey {
		CollateralKey { tee: self.tee, fmspc: self.fmspc, pck_ca_hash: self.pck_ca_hash }
	}
}

/// Checks collateral (format in the [module docs](self)) against the pinned Intel root CA at
/// `now`: the root CA CRL, the TCB info and QE identity signatures and their signing
/// certificate, the PCK CA and its CRL, and every validity window.
pub fn verify_collateral(
	collateral: &[u8],
	root_ca_der: &[u8],
	now: u64,
) -> Result<VerifiedCollateral, AttestationError> {
	collateral::verify(collateral, root_ca_der, now)
}

/// The [`CollateralKey`] of a quote, read from its header and PCK certificate without checking
/// any signature: for looking up stored collateral.
pub fn quote_collateral_key(quote: &[u8]) -> Result<CollateralKey, AttestationError> {
	let q = Quote::parse(quote)?;
	let chain = pki::pem_chain(q.pck_chain_pem)?;
	let (leaf, ca) = match chain.as_slice() {
		[leaf, ca, ..] => (leaf, ca),
		_ => return Err(AttestationError::Parse(ParseRegion::Certificate)),
	};
	let leaf = IntelCert::parse(leaf)?;
	let ext = leaf.pck_extension()?;
	Ok(CollateralKey { tee: tee_of(q.tee), fmspc: ext.fmspc, pck_ca_hash: pki::sha256(ca) })
}

fn tee_of(t: Tee) -> DcapTee {
	match t {
		Tee::Sgx => DcapTee::Sgx,
		Tee::Tdx => DcapTee::Tdx,
	}
}

/// Intel's rule for folding a component's status (QE, TDX module) into the platform's.
fn converge(platform: TcbStatus, component: TcbStatus) -> TcbStatus {
	use TcbStatus::*;
	match (component, platform) {
		(Revoked, _) => Revoked,
		(OutOfDate, UpToDate | SwHardeningNeeded) => OutOfDate,
		(OutOfDate, ConfigurationNeeded | ConfigurationAndSwHardeningNeeded) => {
			OutOfDateConfigurationNeeded
		},
		_ => platform,
	}
}

/// The platform TCB status for the certified CPU/PCE SVNs and, for TDX, `TEE_TCB_SVN`.
fn platform_status(
	c: &VerifiedCollateral,
	cpu_svn: &[u8; 16],
	pce_svn: u16,
	td: Option<(&quote::TdReport, &[u8; 16])>,
) -> Result<TcbStatus, AttestationError> {
	let tee_tcb_svn = td.map(|(_, svn)| svn);
	// With a module version (TEE_TCB_SVN[1] != 0), components 0 and 1 belong to the module
	// identity's levels instead.
	let skip = match tee_tcb_svn {
		Some(svn) if svn.get(1).copied().unwrap_or(0) != 0 => 2,
		_ => 0,
	};
	let level = c
		.tcb_levels
		.iter()
		.find(|l| {
			cpu_svn.iter().zip(l.sgx_components.iter()).all(|(have, need)| have >= need)
				&& pce_svn >= l.pce_svn
				&& tee_tcb_svn.is_none_or(|svn| {
					svn.iter()
						.zip(l.tdx_components.iter())
						.skip(skip)
						.all(|(have, need)| have >= need)
				})
		})
		.ok_or(AttestationError::CollateralMismatch)?;
	let mut status = level.status;
	if let Some((report, svn)) = td {
		let version = svn.get(1).copied().unwrap_or(0);
		let module_isvsvn = svn.first().copied().unwrap_or(0);
		let identity = if version == 0 {
			c.tdx_module.as_ref()
		} else {
			let id = c
				.tdx_module_identities
				.iter()
				.find(|m| m.version == version)
				.ok_or(AttestationError::CollateralMismatch)?;
			let module_level = id
				.tcb_levels
				.iter()
				.find(|l| module_isvsvn >= l.isvsvn)
				.ok_or(AttestationError::CollateralMismatch)?;
			status = converge(status, module_level.status);
			Some(id)
		};
		let identity = identity.ok_or(AttestationError::CollateralMismatch)?;
		if report.mr_signer_seam != identity.mrsigner {
			return Err(AttestationError::CollateralMismatch);
		}
		for ((actual, expected), mask) in report
			.seam_attributes
			.iter()
			.zip(identity.attributes.iter())
			.zip(identity.attributes_mask.iter())
		{
			if actual & mask != expected & mask || actual & !mask != 0 {
				return Err(AttestationError::CollateralMismatch);
			}
		}
	}
	Ok(status)
}

/// SGX `ATTRIBUTES.FLAGS` bit (of the little-endian first 8 bytes): the enclave is in debug
/// mode.
const SGX_DEBUG: u64 = 1 << 1;
/// TD_ATTRIBUTES bits TUD (0..=7): the TD is under debug (`DEBUG` and the other debug bits).
const TD_TUD: u64 = 0xFF;
/// TD_ATTRIBUTES bits with a meaning: TUD (0..=7), SEC (16..=22, 27..=31), OTHER (62, 63).
const TD_ATTRIBUTES_DEFINED: u64 = TD_TUD | (0x7F << 16) | (0x1F << 27) | (0b11 << 62);
/// TD_ATTRIBUTES bit SERVTD_EXT: the TD report includes a hash of a service-TD extension.
const TD_SERVTD_EXT: u64 = 1 << 17;
/// TD_ATTRIBUTES bit SEPT_VE_DISABLE: EPT violations on pending pages are not converted to
/// #VE for the TD.
const TD_SEPT_VE_DISABLE: u64 = 1 << 28;
/// TD_ATTRIBUTES bit MIGRATABLE: the TD may be migrated by a migration TD.
const TD_MIGRATABLE: u64 = 1 << 29;

/// An enclave report's `ATTRIBUTES.XFRM` (the little-endian last 8 bytes).
fn sgx_xfrm(report: &EnclaveReport) -> u64 {
	let [_, _, _, _, _, _, _, _, xfrm @ ..] = report.attributes;
	u64::from_le_bytes(xfrm)
}

/// Whether an enclave report's `ATTRIBUTES` have the debug bit set.
fn sgx_debug(report: &EnclaveReport) -> bool {
	let [flags @ .., _, _, _, _, _, _, _, _] = report.attributes;
	u64::from_le_bytes(flags) & SGX_DEBUG != 0
}

/// Checks the QE report against the QE identity; returns the QE TCB status.
fn qe_status(qe: &EnclaveReport, id: &QeIdentity) -> Result<TcbStatus, AttestationError> {
	let attrs_ok = qe
		.attributes
		.iter()
		.zip(id.attributes.iter())
		.zip(id.attributes_mask.iter())
		.all(|((a, e), m)| a & m == e & m);
	if qe.mr_signer != id.mrsigner
		|| qe.isv_prod_id != id.isv_prod_id
		|| qe.misc_select & id.miscselect_mask != id.miscselect & id.miscselect_mask
		|| !attrs_ok
		|| sgx_debug(qe)
	{
		return Err(AttestationError::CollateralMismatch);
	}
	id.tcb_levels
		.iter()
		.find(|l| qe.isv_svn >= l.isvsvn)
		.map(|l| l.status)
		.ok_or(AttestationError::CollateralMismatch)
}

/// Checks a TD's attributes beyond debug; returns whether it is under debug.
fn td_attributes(report: &quote::TdReport) -> Result<bool, AttestationError> {
	let a = u64::from_le_bytes(report.td_attributes);
	if a & !TD_ATTRIBUTES_DEFINED != 0
		|| a & TD_MIGRATABLE != 0
		|| a & TD_SEPT_VE_DISABLE == 0
		|| a & TD_SERVTD_EXT != 0
	{
		return Err(AttestationError::PolicyBit);
	}
	if let Some((_, mr_service_td)) = &report.td15 {
		if mr_service_td.iter().any(|b| *b != 0) {
			return Err(AttestationError::PolicyBit);
		}
	}
	Ok(a & TD_TUD != 0)
}

/// Checks one quote against collateral that [`verify_collateral`] returned, the pinned root,
/// the policy and the expected report-data binding, at `now`.
pub fn verify_quote(
	quote: &[u8],
	collateral: &VerifiedCollateral,
	root_ca_der: &[u8],
	policy: &Policy,
	expected_binding: &[u8],
	now: u64,
) -> Result<Verified, AttestationError> {
	let q = Quote::parse(quote)?;
	check_collateral_applies(&q, collateral, root_ca_der, now)?;
	let pck = check_pck(&q, collateral, root_ca_der, now)?;
	let qe_tcb = check_qe(&q, &pck.key, &collateral.qe_identity)?;
	check_quote_signature(&q)?;
	let body = appraise_body(&q.body, collateral, &pck.extension, qe_tcb)?;

	let verified = Verified {
		kind: body.kind,
		measurement: body.measurement,
		workload: body.workload,
		report_data: body.report_data,
		tcb_status: body.tcb_status,
		debug: body.debug,
		issued_at: Some(collateral.issue_dates.oldest()),
		not_after: collateral.not_after.min(pck.not_after),
		trap_families: alloc::vec::Vec::new(),
		chain_fingerprints: alloc::vec::Vec::new(),
	};
	apply_common_policy(&verified, policy, now)?;
	check_binding(&verified.report_data, expected_binding)?;
	Ok(verified)
}

/// Checks that the collateral was verified against this root, is current at `now` and is for
/// the quote's TEE.
fn check_collateral_applies(
	q: &Quote<'_>,
	collateral: &VerifiedCollateral,
	root_ca_der: &[u8],
	now: u64,
) -> Result<(), AttestationError> {
	if pki::sha256(root_ca_der) != collateral.root_ca_hash {
		return Err(AttestationError::Chain);
	}
	check_window(collateral.issued_at, collateral.not_after, now)?;
	if tee_of(q.tee) != collateral.tee {
		return Err(AttestationError::CollateralMismatch);
	}
	Ok(())
}

/// What the verifier keeps of a checked PCK certificate.
struct CheckedPck {
	/// The PCK key, which signs the QE report.
	key: p256::ecdsa::VerifyingKey,
	/// The certificate's end of validity, Unix seconds.
	not_after: u64,
	/// The platform the certificate describes.
	extension: pki::PckExtension,
}

/// Checks the quote's PCK chain (leaf, the collateral's PCK CA, then nothing but the pinned
/// root): the leaf is issued by that CA, valid at `now`, not revoked and for the collateral's
/// platform.
fn check_pck(
	q: &Quote<'_>,
	collateral: &VerifiedCollateral,
	root_ca_der: &[u8],
	now: u64,
) -> Result<CheckedPck, AttestationError> {
	let chain = pki::pem_chain(q.pck_chain_pem)?;
	let (leaf_der, ca_der, rest) = match chain.as_slice() {
		[leaf, ca, rest @ ..] => (leaf, ca, rest),
		_ => return Err(AttestationError::Parse(ParseRegion::Certificate)),
	};
	if rest.iter().any(|r| r.as_slice() != root_ca_der) {
		return Err(AttestationError::Chain);
	}
	if pki::sha256(ca_der) != collateral.pck_ca_hash {
		return Err(AttestationError::CollateralMismatch);
	}
	let ca = IntelCert::parse(ca_der)?;
	let leaf = IntelCert::parse(leaf_der)?;
	leaf.check_issued_by(&ca)?;
	let not_after = leaf.cert.check_time(now)?;
	if collateral.revoked_pck_serials.iter().any(|s| s.as_slice() == leaf.cert.serial()) {
		return Err(AttestationError::Revoked);
	}
	let extension = leaf.pck_extension()?;
	if extension.fmspc != collateral.fmspc || extension.pce_id != collateral.pce_id {
		return Err(AttestationError::CollateralMismatch);
	}
	Ok(CheckedPck { key: leaf.key, not_after, extension })
}

/// Checks the QE report: signed by the PCK key, binds the attestation key (its report data
/// opens with SHA-256 of the key and the QE authentication data, then zeros) and is the
/// expected quoting enclave. Returns the QE TCB status.
fn check_qe(
	q: &Quote<'_>,
	pck_key: &p256::ecdsa::VerifyingKey,
	identity: &QeIdentity,
) -> Result<TcbStatus, AttestationError> {
	let qe_sig = pki::signature_from_raw(q.qe_report_signature)
		.ok_or(AttestationError::Parse(ParseRegion::Signature))?;
	pki::verify_sig(pck_key, q.qe_report, &qe_sig)?;
	let qe =
		EnclaveReport::parse(q.qe_report).ok_or(AttestationError::Parse(ParseRegion::Signature))?;
	let mut hashed = alloc::vec::Vec::with_capacity(
		q.attestation_key.len().saturating_add(q.qe_auth_data.len()),
	);
	hashed.extend_from_slice(q.attestation_key);
	hashed.extend_from_slice(q.qe_auth_data);
	let (bound, padding) = qe.report_data.split_at(32);
	if pki::sha256(&hashed) != bound || padding.iter().any(|b| *b != 0) {
		return Err(AttestationError::Signature);
	}
	qe_status(&qe, identity)
}

/// Checks the quote's header and body signature with its attestation key.
fn check_quote_signature(q: &Quote<'_>) -> Result<(), AttestationError> {
	let ak = pki::key_from_raw(q.attestation_key)
		.ok_or(AttestationError::Parse(ParseRegion::Signature))?;
	let sig = pki::signature_from_raw(q.signature)
		.ok_or(AttestationError::Parse(ParseRegion::Signature))?;
	pki::verify_sig(&ak, q.signed, &sig)
}

/// What the attested body says, appraised against the collateral.
struct Appraisal {
	kind: EvidenceKind,
	/// SGX MRENCLAVE zero-padded to 48 bytes, or TDX MRTD.
	measurement: [u8; 48],
	workload: Workload,
	report_data: [u8; 64],
	/// Whether the enclave or TD is under debug.
	debug: bool,
	/// The platform (and TDX module) status converged with the QE's; never `Revoked`.
	tcb_status: TcbStatus,
}

/// Reads the measurement, report data and debug state of the body, checks the TD attributes,
/// and converges the platform TCB status for the certified SVNs with the QE's. A revoked TCB,
/// at launch or (TD 1.5) after a TD-preserving update, is refused.
fn appraise_body(
	body: &Body,
	collateral: &VerifiedCollateral,
	pck: &pki::PckExtension,
	qe_tcb: TcbStatus,
) -> Result<Appraisal, AttestationError> {
	let mut measurement = [0u8; 48];
	let workload = body_workload(body);
	let (kind, report_data, debug, platform) = match body {
		Body::Sgx(r) => {
			if let Some(m) = measurement.get_mut(..32) {
				m.copy_from_slice(&r.mr_enclave);
			}
			let status = platform_status(collateral, &pck.cpu_svn, pck.pce_svn, None)?;
			(EvidenceKind::SgxDcap, r.report_data, sgx_debug(r), status)
		},
		Body::Td(r) => {
			measurement = r.mr_td;

			let debug = td_attributes(r)?;
			let status =
				platform_status(collateral, &pck.cpu_svn, pck.pce_svn, Some((r, &r.tee_tcb_svn)))?;
			if let Some((svn2, _)) = &r.td15 {
				// The current TCB after a TD-preserving update must be appraisable too.
				let current =
					platform_status(collateral, &pck.cpu_svn, pck.pce_svn, Some((r, svn2)))?;
				if converge(current, qe_tcb) == TcbStatus::Revoked {
					return Err(AttestationError::TcbStatus(TcbStatus::Revoked));
				}
			}
			(EvidenceKind::TdxDcap, r.report_data, debug, status)
		},
	};
	let tcb_status = converge(platform, qe_tcb);
	if tcb_status == TcbStatus::Revoked {
		return Err(AttestationError::TcbStatus(TcbStatus::Revoked));
	}
	Ok(Appraisal { kind, measurement, workload, report_data, debug, tcb_status })
}

/// The workload registers of an attested body.
fn body_workload(body: &Body) -> Workload {
	match body {
		Body::Sgx(r) => Workload::Sgx(SgxWorkload {
			mr_enclave: r.mr_enclave,
			mr_signer: r.mr_signer,
			isv_prod_id: r.isv_prod_id,
			isv_svn: r.isv_svn,
			config_id: r.config_id,
			config_svn: r.config_svn,
			xfrm: sgx_xfrm(r),
		}),
		Body::Td(r) => Workload::Tdx(TdxWorkload {
			mr_td: r.mr_td,
			mr_config_id: r.mr_config_id,
			mr_owner: r.mr_owner,
			mr_owner_config: r.mr_owner_config,
			rtmr: r.rtmr,
			xfam: u64::from_le_bytes(r.xfam),
		}),
	}
}

/// The workload registers a quote reports, read without verifying anything: for an operator
/// computing the rule of their own runner image (`aicf attest workload`). Never a substitute
/// for [`verify_quote`].
pub fn workload_of(quote: &[u8]) -> Result<Workload, AttestationError> {
	Ok(body_workload(&Quote::parse(quote)?.body))
}

/// One-shot: [`verify_collateral`] then [`verify_quote`].
pub fn verify(
	quote: &[u8],
	collateral: &[u8],
	root_ca_der: &[u8],
	policy: &Policy,
	expected_binding: &[u8],
	now: u64,
) -> Result<Verified, AttestationError> {
	let c = verify_collateral(collateral, root_ca_der, now)?;
	verify_quote(quote, &c, root_ca_der, policy, expected_binding, now)
}
