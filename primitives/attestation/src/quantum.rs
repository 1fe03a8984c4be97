//! Quantum facility identity certificates.
//!
//! A quantum provider proves where its circuits run with an X.509 **identity certificate**
//! issued, directly or through intermediates, by a facility root the network pins. The
//! certificate carries the facility's metadata, the trap-circuit families it supports and the
//! provider it was issued to in one extension:
//!
//! ```text
//! -- extnID: FACILITY_IDENTITY_OID (1.3.6.1.4.1.32473.1.1), criticality either way
//! AicfFacilityIdentity ::= SEQUENCE {
//!     version        INTEGER (1),
//!     facilityName   UTF8String (SIZE (1..128)),
//!     trapFamilies   SEQUENCE SIZE (1..32) OF UTF8String (SIZE (1..64)),
//!     binding        OCTET STRING (SIZE (32))   -- crate::attestation_binding(…)
//! }
//! ```
//!
//! The OID sits under enterprise number 32473, which RFC 5612 reserves for documentation: IANA
//! never assigns it, so the extension cannot collide with any vendor's. It marks the arc as
//! this project's placeholder; a registered enterprise number replaces it in
//! [`FACILITY_IDENTITY_OID`] before production facilities issue certificates.
//!
//! [`verify`] checks, in order:
//! 1. sizes: at most [`MAX_CHAIN_LEN`] certificates of at most 8 KiB each
//!    ([`ParseRegion::Certificate`]);
//! 2. the chain, leaf first: each certificate names the next as issuer, every issuer is a CA,
//!    the last is signed by a pinned facility root (a self-issued CA matched by subject name,
//!    trusted as pinned: its self-signature is checked once, when pinned, by
//!    [`crate::check_root`]; the chain may end with the root itself), and then each link is
//!    signed by the next —
//!    the pinned root is found before any link signature is checked, so a chain that leads
//!    nowhere costs no more than the root search
//!    ([`AttestationError::Chain`] / [`AttestationError::Signature`]). Facility keys are ECDSA
//!    P-384 with SHA-384 signatures; RSA-PSS-4096/SHA-384 links are accepted too;
//! 3. every certificate's validity at `now` ([`AttestationError::Expired`],
//!    [`AttestationError::NotYetValid`]);
//! 4. the identity extension: present once, well formed ([`ParseRegion::Claims`]), version 1
//!    ([`AttestationError::Unsupported`]);
//! 5. its binding opens with the expected provider binding ([`crate::check_binding`]);
//! 6. at least one of its trap families is in [`Policy::quantum_trap_families`] when that list
//!    is non-empty ([`check_trap_families`], [`AttestationError::TrapFamily`]);
//! 7. the common policy (debug is never set, the TCB status is
//!    [`TcbStatus::NotApplicable`], no maximum age since the certificate is not a fresh
//!    statement). The measurement allowlist names TEE measurements and is not applied here.
//!
//! [`Verified::measurement`] is the SHA-384 of the leaf's `SubjectPublicKeyInfo` (the facility
//! identity key), [`Verified::report_data`] the 32-byte binding zero-padded,
//! [`Verified::trap_families`] the certificate's families and [`Verified::not_after`] the
//! earliest `notAfter` in the chain, root included.

use alloc::{string::String, vec::Vec};
use const_oid::ObjectIdentifier;
use der::{asn1::OctetString, Decode as _};
use sha2::Digest as _;

use crate::{
	apply_common_policy, check_binding,
	x509::{find_root, Cert},
	AttestationError, EvidenceKind, ParseRegion, Policy, TcbStatus, Verified,
};

/// Extension OID of [`FacilityIdentity`] (placeholder arc, see the module documentation).
pub const FACILITY_IDENTITY_OID: ObjectIdentifier =
	ObjectIdentifier::new_unwrap("1.3.6.1.4.1.32473.1.1");
/// Most certificates in a chain: a leaf and two intermediates, or a leaf, one intermediate
/// and a copy of the root. Each link below the root costs one signature check, so this bounds
/// a submission's weight.
pub const MAX_CHAIN_LEN: usize = 3;
/// Longest facility name, bytes.
pub const MAX_NAME_LEN: usize = 128;
/// Most trap families in one certificate.
pub const MAX_TRAP_FAMILIES: usize = 32;
/// Longest trap family name, bytes.
pub const MAX_TRAP_FAMILY_LEN: usize = 64;
/// The only version of the extension defined.
pub const FACILITY_IDENTITY_VERSION: u8 = 1;

const CLAIMS: AttestationError = AttestationError::Parse(ParseRegion::Claims);

/// The facility identity extension's value (DER structure in the module documentation).
#[derive(Clone, Debug, PartialEq, Eq, der::Sequence)]
pub struct FacilityIdentity {
	/// Structure version, [`FACILITY_IDENTITY_VERSION`].
	pub version: u8,
	/// The facility's name.
	pub facility_name: String,
	/// Trap-circuit families the facility supports (e.g. `clifford`, `t-depth`).
	pub trap_families: Vec<String>,
	/// The binding, 32 bytes: on chain [`crate::attestation_binding`] of the provider id, a
	/// recent block hash and the registry key hash.
	pub binding: OctetString,
}

impl FacilityIdentity {
	/// Decodes and bounds-checks an extension value.
	pub fn decode(der: &[u8]) -> Result<Self, AttestationError> {
		let id = Self::from_der(der).map_err(|_| CLAIMS)?;
		if id.version != FACILITY_IDENTITY_VERSION {
			return Err(AttestationError::Unsupported);
		}
		let name_ok = (1..=MAX_NAME_LEN).contains(&id.facility_name.len());
		let families_ok = (1..=MAX_TRAP_FAMILIES).contains(&id.trap_families.len())
			&& id.trap_families.iter().all(|f| (1..=MAX_TRAP_FAMILY_LEN).contains(&f.len()));
		if !name_ok || !families_ok || id.binding.as_bytes().len() != 32 {
			return Err(CLAIMS);
		}
		Ok(id)
	}
}

/// Verifies a quantum facility identity certificate chain.
///
/// - `chain`: DER certificates, leaf (the provider's identity certificate) first, then any
///   intermediates, optionally ending with the root;
/// - `pinned_roots`: DER facility root certificates the network trusts, each checked once by
///   [`crate::check_root`] when it was pinned (a verification trusts them as given; malformed
///   entries are skipped);
/// - `binding`: the bytes the certificate's binding must start with (on chain
///   [`crate::attestation_binding`]);
/// - `now`: Unix seconds.
///
/// See the [module documentation](self) for the checks and their errors.
pub fn verify(
	chain: &[&[u8]],
	pinned_roots: &[&[u8]],
	policy: &Policy,
	binding: &[u8],
	now: u64,
) -> Result<Verified, AttestationError> {
	if chain.is_empty() || chain.len() > MAX_CHAIN_LEN {
		return Err(AttestationError::Parse(ParseRegion::Certificate));
	}
	let mut certs = chain.iter().map(|der| Cert::parse(der)).collect::<Result<Vec<_>, _>>()?;
	// A chain that ends with a pinned root carries it for convenience: drop it, the pinned
	// copy is used.
	if certs.len() > 1 && chain.last().is_some_and(|last| pinned_roots.contains(last)) {
		certs.pop();
	}
	let mut not_after = u64::MAX;
	// Names and CA bits first (no signature), then the pinned root, then the links: a chain
	// that does not end at a pinned root costs no link signature, whatever it carries.
	for pair in certs.windows(2) {
		let [child, issuer] = pair else { continue };
		if !child.issued_by_name(issuer) {
			return Err(AttestationError::Chain);
		}
		issuer.check_ca()?;
	}
	let top = certs.last().ok_or(AttestationError::Parse(ParseRegion::Certificate))?;
	let root = find_root(top, pinned_roots)?;
	for pair in certs.windows(2) {
		let [child, issuer] = pair else { continue };
		child.verify_signed_by(issuer)?;
	}
	for cert in certs.iter().chain(core::iter::once(&root)) {
		not_after = not_after.min(cert.check_time(now)?);
	}

	let leaf = certs.first().ok_or(AttestationError::Parse(ParseRegion::Certificate))?;
	let ext = leaf.extension(&FACILITY_IDENTITY_OID)?.ok_or(CLAIMS)?;
	let identity = FacilityIdentity::decode(ext)?;
	check_binding(identity.binding.as_bytes(), binding)?;
	let families: Vec<Vec<u8>> =
		identity.trap_families.iter().map(|f| f.as_bytes().to_vec()).collect();
	check_trap_families(&families, policy)?;

	let mut report_data = [0u8; 64];
	report_data.get_mut(..32).ok_or(CLAIMS)?.copy_from_slice(identity.binding.as_bytes());
	let measurement: [u8; 48] = sha2::Sha384::digest(leaf.spki_der()?).into();
	let verified = Verified {
		kind: EvidenceKind::Quantum,
		measurement,
		workload: crate::Workload::None,
		report_data,
		tcb_status: TcbStatus::NotApplicable,
		debug: false,
		issued_at: None,
		not_after,
		trap_families: families,
		chain_fingerprints: chain
			.iter()
			.take(certs.len())
			.map(|der| sha2::Sha256::digest(der).into())
			.collect(),
	};
	apply_common_policy(&verified, policy, now)?;
	Ok(verified)
}

/// Checks a facility's trap families against the policy: at least one of `families` must be
/// in [`Policy::quantum_trap_families`], unless that list is empty
/// ([`AttestationError::TrapFamily`]). The chain's verification applies it to a certificate,
/// the pallet to a stored attestation after a policy change.
pub fn check_trap_families(families: &[Vec<u8>], policy: &Policy) -> Result<(), AttestationError> {
	let accepted = &policy.quantum_trap_families;
	if accepted.is_empty() || families.iter().any(|f| accepted.contains(f)) {
		Ok(())
	} else {
		Err(AttestationError::TrapFamily)
	}
}
