//! What runs inside the TEE: the measurement registers each kind reports, and the network's
//! allowlist of them.
//!
//! A verifier reads the workload registers of its kind into a [`Workload`]; the policy admits
//! it when one of its [`WorkloadRule`]s does ([`Policy::admits_workload`]). The registers are
//! those a runner image determines:
//!
//! | kind | registers | a rule pins |
//! |---|---|---|
//! | SGX | MRENCLAVE, MRSIGNER, ISVPRODID, ISVSVN | MRSIGNER and ISVPRODID, a minimum ISVSVN, optionally one MRENCLAVE |
//! | TDX | MRTD, MRCONFIGID, MROWNER, MROWNERCONFIG, RTMR0–3 | every register, exactly |
//! | SEV-SNP | MEASUREMENT, HOST_DATA, VMPL | MEASUREMENT and HOST_DATA; the report must come from VMPL 0 |
//! | CCA | RIM, REM0–3, personalization value, platform software components | RIM, REMs and personalization value exactly, optionally the platform software digest |
//!
//! Quantum facility certificates have no workload ([`Workload::None`]); their policy is the
//! trap families.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::Policy;

/// An SGX enclave's identity as its report gives it.
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
pub struct SgxWorkload {
	/// MRENCLAVE: the enclave's build measurement.
	pub mr_enclave: [u8; 32],
	/// MRSIGNER: hash of the enclave signer's key.
	pub mr_signer: [u8; 32],
	/// ISVPRODID: the signer's product id.
	pub isv_prod_id: u16,
	/// ISVSVN: the enclave's security version.
	pub isv_svn: u16,
	/// CONFIGID (Key Separation and Sharing): 64 bytes the enclave's launcher chose, zero
	/// without KSS.
	pub config_id: [u8; 64],
	/// CONFIGSVN (KSS): the configuration's security version, zero without KSS.
	pub config_svn: u16,
	/// ATTRIBUTES.XFRM: the extended CPU state the enclave may use (bit 5–7 AVX-512, bit
	/// 17–18 AMX tiles, …): its acceleration flags, recorded, not pinned by a rule.
	pub xfrm: u64,
}

/// A TD's measurement registers as its report gives them.
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
pub struct TdxWorkload {
	/// MRTD: the TD's initial contents (the virtual firmware).
	pub mr_td: [u8; 48],
	/// MRCONFIGID: software-defined configuration id, set by the host at TD creation.
	pub mr_config_id: [u8; 48],
	/// MROWNER: the TD owner's id.
	pub mr_owner: [u8; 48],
	/// MROWNERCONFIG: the owner's configuration.
	pub mr_owner_config: [u8; 48],
	/// RTMR0–3: runtime measurements (firmware configuration, kernel and command line, initrd
	/// and what the image extends at run time).
	pub rtmr: [[u8; 48]; 4],
	/// XFAM: the extended CPU features the TD may use (bit 5–7 AVX-512, bit 17–18 AMX tiles,
	/// …), set by the host at TD creation: its acceleration flags. A TDX rule pins it with the
	/// registers.
	pub xfam: u64,
}

/// A SEV-SNP guest's launch identity as its report gives it.
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
pub struct SevSnpWorkload {
	/// MEASUREMENT: the launch digest of the guest image.
	pub measurement: [u8; 48],
	/// HOST_DATA: the 32 bytes the host supplied at launch.
	pub host_data: [u8; 32],
	/// VMPL the report was requested from (0: the guest's most privileged level).
	pub vmpl: u32,
}

/// An Arm CCA realm's measurements as its token gives them.
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
pub struct CcaWorkload {
	/// RIM: the realm initial measurement, zero-padded to 48 bytes.
	pub rim: [u8; 48],
	/// REM0–3: the realm extensible measurements, zero-padded to 48 bytes.
	pub rem: [[u8; 48]; 4],
	/// The realm personalization value (claim 44235), chosen by the host at realm creation
	/// and not part of the RIM.
	pub personalization: [u8; 64],
	/// SHA-256 over the platform token's software components (claim 2399), in token order,
	/// each as its measurement value's length (one byte) and the value; SHA-256 of nothing
	/// when the token lists none. [`crate::cca::platform_software_digest`].
	pub platform_software: [u8; 32],
}

/// The workload a verified piece of evidence attests.
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
pub enum Workload {
	/// No workload: a quantum facility certificate.
	None,
	/// An SGX enclave.
	Sgx(SgxWorkload),
	/// An Intel TDX trust domain.
	Tdx(TdxWorkload),
	/// An AMD SEV-SNP guest.
	SevSnp(SevSnpWorkload),
	/// An Arm CCA realm.
	Cca(CcaWorkload),
}

/// One entry of the network's workload allowlist: a runner image it accepts.
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
pub enum WorkloadRule {
	/// SGX enclaves of one signer and product at or above a security version; with
	/// `mr_enclave`, only that build; with `config_id`, only launched with that KSS
	/// configuration.
	Sgx {
		/// MRSIGNER.
		mr_signer: [u8; 32],
		/// ISVPRODID.
		isv_prod_id: u16,
		/// Lowest ISVSVN accepted.
		min_isv_svn: u16,
		/// The one MRENCLAVE accepted, if any.
		mr_enclave: Option<[u8; 32]>,
		/// The one KSS CONFIGID accepted, if any (an enclave launched with another
		/// configuration, or without KSS when this is not zero, is refused).
		config_id: Option<[u8; 64]>,
	},
	/// TDs whose every measurement register equals these.
	Tdx(TdxWorkload),
	/// SEV-SNP guests with this launch measurement and HOST_DATA, reporting from VMPL 0.
	SevSnp {
		/// MEASUREMENT.
		measurement: [u8; 48],
		/// HOST_DATA.
		host_data: [u8; 32],
	},
	/// Realms with this RIM, these REMs and this personalization value; with
	/// `platform_software`, only on platforms whose software components hash to it.
	Cca {
		/// RIM, zero-padded to 48 bytes.
		rim: [u8; 48],
		/// REM0–3, zero-padded to 48 bytes.
		rem: [[u8; 48]; 4],
		/// The realm personalization value.
		personalization: [u8; 64],
		/// [`CcaWorkload::platform_software`] required, if any.
		platform_software: Option<[u8; 32]>,
	},
}

impl WorkloadRule {
	/// Whether this rule admits `w`.
	pub fn admits(&self, w: &Workload) -> bool {
		match (self, w) {
			(
				Self::Sgx { mr_signer, isv_prod_id, min_isv_svn, mr_enclave, config_id },
				Workload::Sgx(e),
			) => {
				*mr_signer == e.mr_signer
					&& *isv_prod_id == e.isv_prod_id
					&& e.isv_svn >= *min_isv_svn
					&& mr_enclave.is_none_or(|m| m == e.mr_enclave)
					&& config_id.is_none_or(|c| c == e.config_id)
			},
			(Self::Tdx(rule), Workload::Tdx(td)) => rule == td,
			(Self::SevSnp { measurement, host_data }, Workload::SevSnp(g)) => {
				g.vmpl == 0 && *measurement == g.measurement && *host_data == g.host_data
			},
			(Self::Cca { rim, rem, personalization, platform_software }, Workload::Cca(r)) => {
				*rim == r.rim
					&& *rem == r.rem
					&& *personalization == r.personalization
					&& platform_software.is_none_or(|p| p == r.platform_software)
			},
			_ => false,
		}
	}

	/// The rule that admits exactly `w` (SGX: its signer and product at its SVN, its
	/// MRENCLAVE and its CONFIGID); `None` for [`Workload::None`]. What `aicf attest workload` prints for an
	/// operator's reference evidence.
	pub fn exact(w: &Workload) -> Option<Self> {
		Some(match w {
			Workload::None => return None,
			Workload::Sgx(e) => Self::Sgx {
				mr_signer: e.mr_signer,
				isv_prod_id: e.isv_prod_id,
				min_isv_svn: e.isv_svn,
				mr_enclave: Some(e.mr_enclave),
				config_id: Some(e.config_id),
			},
			Workload::Tdx(td) => Self::Tdx(*td),
			Workload::SevSnp(g) => {
				Self::SevSnp { measurement: g.measurement, host_data: g.host_data }
			},
			Workload::Cca(r) => Self::Cca {
				rim: r.rim,
				rem: r.rem,
				personalization: r.personalization,
				platform_software: Some(r.platform_software),
			},
		})
	}
}

impl Policy {
	/// Whether the policy admits `w`: a TEE workload needs `any_workload` or a rule that
	/// admits it; [`Workload::None`] (quantum) is not a TEE workload and always passes here.
	pub fn admits_workload(&self, w: &Workload) -> bool {
		*w == Workload::None || self.any_workload || self.workloads.iter().any(|r| r.admits(w))
	}
}
