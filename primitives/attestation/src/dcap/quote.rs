//! Quote layout: Intel SGX ECDSA quote v3, TDX quote v4 and v5 (TD report 1.0 / 1.5 bodies).
//!
//! All integers are little-endian. Layout (sizes in bytes):
//! - header (48): version u16, attestation key type u16, TEE type u32, QE SVN u16, PCE SVN u16,
//!   QE vendor ID (16), user data (20);
//! - v5 only: body type u16 and body size u32;
//! - body: SGX enclave report (384), TD report 1.0 (584) or TD report 1.5 (648);
//! - signature data length u32, then the signature data: quote signature `r || s` (64),
//!   attestation key `x || y` (64), then
//!   - v3: QE report (384), QE report signature (64), QE authentication data (u16 length +
//!     bytes), certification data (type u16 = 5, size u32, PEM PCK chain);
//!   - v4/v5: certification data of type 6 (u16, size u32) holding the same QE report, QE report
//!     signature, QE authentication data and type-5 certification data.
//!
//! The header and body are what the attestation key signs. Zero bytes may follow the signature
//! data (padded quote buffers); nothing else may.

use crate::{AttestationError, ParseRegion};

/// The QE vendor ID of Intel's quoting enclaves.
const INTEL_QE_VENDOR_ID: [u8; 16] = [
	0x93, 0x9A, 0x72, 0x33, 0xF7, 0x9C, 0x4C, 0xA9, 0x94, 0x0A, 0x0D, 0xB3, 0x95, 0x7F, 0x06, 0x07,
];
const HEADER_LEN: usize = 48;
const ENCLAVE_REPORT_LEN: usize = 384;
const TD_REPORT10_LEN: usize = 584;
const TD_REPORT15_LEN: usize = 648;
const TEE_SGX: u32 = 0;
const TEE_TDX: u32 = 0x81;
const ATTESTATION_KEY_ECDSA_P256: u16 = 2;
const CERT_DATA_PCK_CHAIN: u16 = 5;
const CERT_DATA_QE_REPORT: u16 = 6;

/// A forward-only reader over a byte slice.
pub(crate) struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
	pub fn new(b: &'a [u8]) -> Self {
		Self(b)
	}
	pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
		let (head, tail) = self.0.split_at_checked(n)?;
		self.0 = tail;
		Some(head)
	}
	pub fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
		self.take(N)?.try_into().ok()
	}
	pub fn u16(&mut self) -> Option<u16> {
		self.array::<2>().map(u16::from_le_bytes)
	}
	pub fn u32(&mut self) -> Option<u32> {
		self.array::<4>().map(u32::from_le_bytes)
	}
	pub fn rest(&self) -> &'a [u8] {
		self.0
	}
}

/// The TEE a quote comes from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Tee {
	Sgx,
	Tdx,
}

/// An SGX enclave report (the ISV enclave's, or the quoting enclave's).
pub(crate) struct EnclaveReport {
	pub misc_select: u32,
	pub attributes: [u8; 16],
	pub mr_enclave: [u8; 32],
	pub mr_signer: [u8; 32],
	pub isv_prod_id: u16,
	pub isv_svn: u16,
	pub config_id: [u8; 64],
	pub config_svn: u16,
	pub report_data: [u8; 64],
}

impl EnclaveReport {
	pub fn parse(b: &[u8]) -> Option<Self> {
		let mut c = Cursor::new(b);
		let _cpu_svn = c.take(16)?;
		let misc_select = c.u32()?;
		c.take(28)?;
		let attributes = c.array()?;
		let mr_enclave = c.array()?;
		c.take(32)?;
		let mr_signer = c.array()?;
		c.take(32)?;
		let config_id = c.array()?;
		let isv_prod_id = c.u16()?;
		let isv_svn = c.u16()?;
		let config_svn = c.u16()?;
		c.take(58)?;
		let report_data = c.array()?;
		c.rest().is_empty().then_some(Self {
			misc_select,
			attributes,
			mr_enclave,
			mr_signer,
			isv_prod_id,
			isv_svn,
			config_id,
			config_svn,
			report_data,
		})
	}
}

/// A TD report (1.0, plus the 1.5 fields when present).
pub(crate) struct TdReport {
	pub tee_tcb_svn: [u8; 16],
	pub mr_signer_seam: [u8; 48],
	pub seam_attributes: [u8; 8],
	pub td_attributes: [u8; 8],
	pub xfam: [u8; 8],
	pub mr_td: [u8; 48],
	pub mr_config_id: [u8; 48],
	pub mr_owner: [u8; 48],
	pub mr_owner_config: [u8; 48],
	pub rtmr: [[u8; 48]; 4],
	pub report_data: [u8; 64],
	/// TD 1.5: the current TEE TCB SVN (after a TD-preserving update) and MRSERVICETD.
	pub td15: Option<([u8; 16], [u8; 48])>,
}

impl TdReport {
	fn parse(b: &[u8]) -> Option<Self> {
		let mut c = Cursor::new(b);
		let tee_tcb_svn = c.array()?;
		let _mr_seam = c.take(48)?;
		let mr_signer_seam = c.array()?;
		let seam_attributes = c.array()?;
		let td_attributes = c.array()?;
		let xfam = c.array()?;
		let mr_td = c.array()?;
		let mr_config_id = c.array()?;
		let mr_owner = c.array()?;
		let mr_owner_config = c.array()?;
		let rtmr = [c.array()?, c.array()?, c.array()?, c.array()?];
		let report_data = c.array()?;
		let td15 = if c.rest().is_empty() {
			None
		} else {
			let svn2 = c.array()?;
			let mr_service_td = c.array()?;
			Some((svn2, mr_service_td))
		};
		c.rest().is_empty().then_some(Self {
			tee_tcb_svn,
			mr_signer_seam,
			seam_attributes,
			td_attributes,
			xfam,
			mr_td,
			mr_config_id,
			mr_owner,
			mr_owner_config,
			rtmr,
			report_data,
			td15,
		})
	}
}

/// The attested body.
// Parsed once per verification and dropped with it: no boxing needed for the TD registers.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Body {
	Sgx(EnclaveReport),
	Td(TdReport),
}

/// A quote cut into the parts the verifier checks. Borrowed parts point into the quote.
pub(crate) struct Quote<'a> {
	pub tee: Tee,
	/// Header and body: what the attestation key signs.
	pub signed: &'a [u8],
	pub body: Body,
	pub signature: &'a [u8],
	pub attestation_key: &'a [u8],
	pub qe_report: &'a [u8],
	pub qe_report_signature: &'a [u8],
	pub qe_auth_data: &'a [u8],
	/// PEM PCK certificate chain: leaf, PCK CA, root.
	pub pck_chain_pem: &'a [u8],
}

/// The QE part of the signature data, shared by v3 and v4/v5 layouts.
struct QeData<'a> {
	qe_report: &'a [u8],
	qe_report_signature: &'a [u8],
	qe_auth_data: &'a [u8],
	pck_chain_pem: &'a [u8],
}

fn parse_qe_data<'a>(c: &mut Cursor<'a>) -> Result<QeData<'a>, AttestationError> {
	let bad = AttestationError::Parse(ParseRegion::Signature);
	let qe_report = c.take(ENCLAVE_REPORT_LEN).ok_or_else(|| bad.clone())?;
	let qe_report_signature = c.take(64).ok_or_else(|| bad.clone())?;
	let auth_len = c.u16().ok_or_else(|| bad.clone())?;
	let qe_auth_data = c.take(usize::from(auth_len)).ok_or_else(|| bad.clone())?;
	let cert_type = c.u16().ok_or_else(|| bad.clone())?;
	let cert_len = c.u32().ok_or_else(|| bad.clone())?;
	let cert_len = usize::try_from(cert_len).map_err(|_| bad.clone())?;
	let pck_chain_pem =
		c.take(cert_len).ok_or(AttestationError::Parse(ParseRegion::Certificate))?;
	if cert_type != CERT_DATA_PCK_CHAIN {
		return Err(AttestationError::Unsupported);
	}
	if !c.rest().is_empty() {
		return Err(bad);
	}
	Ok(QeData { qe_report, qe_report_signature, qe_auth_data, pck_chain_pem })
}

impl<'a> Quote<'a> {
	/// Cuts `raw` into its parts. The whole input must be one quote.
	pub fn parse(raw: &'a [u8]) -> Result<Self, AttestationError> {
		let mut c = Cursor::new(raw);
		let header = c.take(HEADER_LEN).ok_or(AttestationError::Parse(ParseRegion::Header))?;
		let mut h = Cursor::new(header);
		let bad_header = AttestationError::Parse(ParseRegion::Header);
		let version = h.u16().ok_or_else(|| bad_header.clone())?;
		let key_type = h.u16().ok_or_else(|| bad_header.clone())?;
		let tee_type = h.u32().ok_or_else(|| bad_header.clone())?;
		let _qe_svn = h.u16().ok_or_else(|| bad_header.clone())?;
		let _pce_svn = h.u16().ok_or_else(|| bad_header.clone())?;
		let vendor: [u8; 16] = h.array().ok_or(bad_header)?;
		let tee = match tee_type {
			TEE_SGX => Tee::Sgx,
			TEE_TDX => Tee::Tdx,
			_ => return Err(AttestationError::Unsupported),
		};
		if key_type != ATTESTATION_KEY_ECDSA_P256 || vendor != INTEL_QE_VENDOR_ID {
			return Err(AttestationError::Unsupported);
		}
		let bad_body = AttestationError::Parse(ParseRegion::Body);
		let (body_len, descriptor_len) = match (version, tee) {
			(3, Tee::Sgx) => (ENCLAVE_REPORT_LEN, 0usize),
			(4, Tee::Tdx) => (TD_REPORT10_LEN, 0),
			(5, _) => {
				let body_type = c.u16().ok_or_else(|| bad_body.clone())?;
				let size = c.u32().ok_or_else(|| bad_body.clone())?;
				let len = match (body_type, tee) {
					(1, Tee::Sgx) => ENCLAVE_REPORT_LEN,
					(2, Tee::Tdx) => TD_REPORT10_LEN,
					(3, Tee::Tdx) => TD_REPORT15_LEN,
					_ => return Err(AttestationError::Unsupported),
				};
				if usize::try_from(size).ok() != Some(len) {
					return Err(bad_body);
				}
				(len, 6)
			},
			_ => return Err(AttestationError::Unsupported),
		};
		let body_bytes = c.take(body_len).ok_or_else(|| bad_body.clone())?;
		let body = match tee {
			Tee::Sgx => {
				Body::Sgx(EnclaveReport::parse(body_bytes).ok_or_else(|| bad_body.clone())?)
			},
			Tee::Tdx => Body::Td(TdReport::parse(body_bytes).ok_or(bad_body)?),
		};
		let signed_len = HEADER_LEN
			.checked_add(descriptor_len)
			.and_then(|l| l.checked_add(body_len))
			.ok_or(AttestationError::Parse(ParseRegion::Body))?;
		let signed = raw.get(..signed_len).ok_or(AttestationError::Parse(ParseRegion::Body))?;

		let bad_sig = AttestationError::Parse(ParseRegion::Signature);
		let sig_len = c.u32().ok_or_else(|| bad_sig.clone())?;
		let sig_len = usize::try_from(sig_len).map_err(|_| bad_sig.clone())?;
		let sig_data = c.take(sig_len).ok_or_else(|| bad_sig.clone())?;
		// Quote buffers may be zero-padded (TDX quotes often are); anything else is refused.
		if c.rest().iter().any(|b| *b != 0) {
			return Err(bad_sig);
		}
		let mut s = Cursor::new(sig_data);
		let signature = s.take(64).ok_or_else(|| bad_sig.clone())?;
		let attestation_key = s.take(64).ok_or_else(|| bad_sig.clone())?;
		let qe = if version == 3 {
			parse_qe_data(&mut s)?
		} else {
			let outer_type = s.u16().ok_or_else(|| bad_sig.clone())?;
			let outer_len = s.u32().ok_or_else(|| bad_sig.clone())?;
			let outer_len = usize::try_from(outer_len).map_err(|_| bad_sig.clone())?;
			let inner = s.take(outer_len).ok_or_else(|| bad_sig.clone())?;
			if outer_type != CERT_DATA_QE_REPORT {
				return Err(AttestationError::Unsupported);
			}
			if !s.rest().is_empty() {
				return Err(bad_sig);
			}
			parse_qe_data(&mut Cursor::new(inner))?
		};
		Ok(Self {
			tee,
			signed,
			body,
			signature,
			attestation_key,
			qe_report: qe.qe_report,
			qe_report_signature: qe.qe_report_signature,
			qe_auth_data: qe.qe_auth_data,
			pck_chain_pem: qe.pck_chain_pem,
		})
	}
}
