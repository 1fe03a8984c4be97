//! Collateral decoding and verification against the pinned Intel SGX root CA.

use alloc::{string::String, vec::Vec};
use codec::{Decode, DecodeAll};
use serde::{de::DeserializeOwned, Deserialize};

use super::{
	pki::{self, Crl, IntelCert},
	CollateralDates, DcapTee, QeIdentity, QeTcbLevel, RevokedSerials, Serial, TcbLevel,
	TdxModuleIdentity, TdxModuleTcbLevel, VerifiedCollateral,
};
use crate::{check_window, AttestationError, ParseRegion, TcbStatus};

/// The collateral as supplied: dcap-qvl's `QuoteCollateralV3` fields, raw.
pub(crate) struct RawCollateral {
	pub pck_crl_issuer_chain: Vec<u8>,
	pub root_ca_crl: Vec<u8>,
	pub pck_crl: Vec<u8>,
	pub tcb_info_issuer_chain: Vec<u8>,
	pub tcb_info: Vec<u8>,
	pub tcb_info_signature: Vec<u8>,
	pub qe_identity_issuer_chain: Vec<u8>,
	pub qe_identity: Vec<u8>,
	pub qe_identity_signature: Vec<u8>,
}

/// SCALE form: `QuoteCollateralV3` encoded with parity-scale-codec (strings and byte vectors
/// both encode as compact length + bytes; the trailing optional PCK chain is ignored).
#[derive(Decode)]
struct ScaleCollateral {
	pck_crl_issuer_chain: Vec<u8>,
	root_ca_crl: Vec<u8>,
	pck_crl: Vec<u8>,
	tcb_info_issuer_chain: Vec<u8>,
	tcb_info: Vec<u8>,
	tcb_info_signature: Vec<u8>,
	qe_identity_issuer_chain: Vec<u8>,
	qe_identity: Vec<u8>,
	qe_identity_signature: Vec<u8>,
	_pck_certificate_chain: Option<Vec<u8>>,
}

/// JSON form: byte fields are hex strings.
#[derive(Deserialize)]
struct JsonCollateral {
	pck_crl_issuer_chain: String,
	root_ca_crl: String,
	pck_crl: String,
	tcb_info_issuer_chain: String,
	tcb_info: String,
	tcb_info_signature: String,
	qe_identity_issuer_chain: String,
	qe_identity: String,
	qe_identity_signature: String,
}

fn unhex(s: &str) -> Result<Vec<u8>, AttestationError> {
	hex::decode(s).map_err(|_| AttestationError::Parse(ParseRegion::Collateral))
}

impl RawCollateral {
	/// Decodes JSON (first byte `{`) or SCALE.
	pub fn decode(bytes: &[u8]) -> Result<Self, AttestationError> {
		let bad = AttestationError::Parse(ParseRegion::Collateral);
		if bytes.first() == Some(&b'{') {
			let j: JsonCollateral = serde_json::from_slice(bytes).map_err(|_| bad)?;
			Ok(Self {
				pck_crl_issuer_chain: j.pck_crl_issuer_chain.into_bytes(),
				root_ca_crl: unhex(&j.root_ca_crl)?,
				pck_crl: unhex(&j.pck_crl)?,
				tcb_info_issuer_chain: j.tcb_info_issuer_chain.into_bytes(),
				tcb_info: j.tcb_info.into_bytes(),
				tcb_info_signature: unhex(&j.tcb_info_signature)?,
				qe_identity_issuer_chain: j.qe_identity_issuer_chain.into_bytes(),
				qe_identity: j.qe_identity.into_bytes(),
				qe_identity_signature: unhex(&j.qe_identity_signature)?,
			})
		} else {
			let mut input = bytes;
			let s = ScaleCollateral::decode_all(&mut input).map_err(|_| bad)?;
			Ok(Self {
				pck_crl_issuer_chain: s.pck_crl_issuer_chain,
				root_ca_crl: s.root_ca_crl,
				pck_crl: s.pck_crl,
				tcb_info_issuer_chain: s.tcb_info_issuer_chain,
				tcb_info: s.tcb_info,
				tcb_info_signature: s.tcb_info_signature,
				qe_identity_issuer_chain: s.qe_identity_issuer_chain,
				qe_identity: s.qe_identity,
				qe_identity_signature: s.qe_identity_signature,
			})
		}
	}
}

// --- Intel TCB info (v3) and enclave identity (v2) JSON ---

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TcbInfoJson {
	id: String,
	version: u8,
	issue_date: String,
	next_update: String,
	fmspc: String,
	pce_id: String,
	tcb_evaluation_data_number: u32,
	tcb_levels: Vec<TcbLevelJson>,
	#[serde(default)]
	tdx_module: Option<TdxModuleJson>,
	#[serde(default)]
	tdx_module_identities: Vec<TdxModuleIdentityJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TcbLevelJson {
	tcb: TcbJson,
	tcb_status: String,
}

#[derive(Deserialize)]
struct TcbJson {
	sgxtcbcomponents: Vec<SvnJson>,
	#[serde(default)]
	tdxtcbcomponents: Vec<SvnJson>,
	pcesvn: u16,
}

#[derive(Deserialize)]
struct SvnJson {
	svn: u8,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TdxModuleJson {
	mrsigner: String,
	attributes: String,
	attributes_mask: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TdxModuleIdentityJson {
	id: String,
	mrsigner: String,
	attributes: String,
	attributes_mask: String,
	tcb_levels: Vec<IsvLevelJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IsvLevelJson {
	tcb: IsvTcbJson,
	tcb_status: String,
}

#[derive(Deserialize)]
struct IsvTcbJson {
	isvsvn: u16,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QeIdentityJson {
	id: String,
	version: u8,
	issue_date: String,
	next_update: String,
	tcb_evaluation_data_number: u32,
	miscselect: String,
	miscselect_mask: String,
	attributes: String,
	attributes_mask: String,
	mrsigner: String,
	isvprodid: u16,
	tcb_levels: Vec<IsvLevelJson>,
}

fn bad_collateral() -> AttestationError {
	AttestationError::Parse(ParseRegion::Collateral)
}

fn hex_array<const N: usize>(s: &str) -> Result<[u8; N], AttestationError> {
	unhex(s)?.try_into().map_err(|_| bad_collateral())
}

fn status(s: &str) -> Result<TcbStatus, AttestationError> {
	Ok(match s {
		"UpToDate" => TcbStatus::UpToDate,
		"SWHardeningNeeded" => TcbStatus::SwHardeningNeeded,
		"ConfigurationNeeded" => TcbStatus::ConfigurationNeeded,
		"ConfigurationAndSWHardeningNeeded" => TcbStatus::ConfigurationAndSwHardeningNeeded,
		"OutOfDate" => TcbStatus::OutOfDate,
		"OutOfDateConfigurationNeeded" => TcbStatus::OutOfDateConfigurationNeeded,
		"Revoked" => TcbStatus::Revoked,
		_ => return Err(bad_collateral()),
	})
}

fn svns(components: &[SvnJson]) -> Result<[u8; 16], AttestationError> {
	let v: Vec<u8> = components.iter().map(|c| c.svn).collect();
	v.try_into().map_err(|_| bad_collateral())
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` (UTC, as Intel PCS writes it) to Unix seconds.
pub(crate) fn parse_rfc3339(s: &str) -> Option<u64> {
	let b = s.as_bytes();
	let num = |from: usize, len: usize| -> Option<u64> {
		let digits = b.get(from..from.checked_add(len)?)?;
		digits.iter().try_fold(0u64, |acc, d| {
			d.is_ascii_digit().then_some(())?;
			acc.checked_mul(10)?.checked_add(u64::from(d.checked_sub(b'0')?))
		})
	};
	let sep = |at: usize, c: u8| b.get(at) == Some(&c);
	if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':') && sep(16, b':')) {
		return None;
	}
	let (y, mo, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
	let (h, mi, sec) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
	let tail = b.get(19..)?;
	let tail = match tail.first() {
		Some(b'.') => {
			let frac = tail.get(1..)?;
			let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
			if digits == 0 {
				return None;
			}
			frac.get(digits..)?
		},
		_ => tail,
	};
	if tail != b"Z"
		|| !(1..=12).contains(&mo)
		|| !(1..=31).contains(&d)
		|| h > 23
		|| mi > 59
		|| sec > 60
	{
		return None;
	}
	// Days from civil (Howard Hinnant), for years >= 1970.
	let y = if mo <= 2 { y.checked_sub(1)? } else { y };
	let era = y / 400;
	let yoe = y.checked_sub(era.checked_mul(400)?)?;
	let mp = if mo > 2 { mo.checked_sub(3)? } else { mo.checked_add(9)? };
	let doy = (153u64.checked_mul(mp)?.checked_add(2)? / 5).checked_add(d)?.checked_sub(1)?;
	let doe =
		yoe.checked_mul(365)?.checked_add(yoe / 4)?.checked_sub(yoe / 100)?.checked_add(doy)?;
	let days = era.checked_mul(146_097)?.checked_add(doe)?.checked_sub(719_468)?;
	days.checked_mul(86_400)?
		.checked_add(h.checked_mul(3600)?)?
		.checked_add(mi.checked_mul(60)?)?
		.checked_add(sec)
}

fn date(s: &str) -> Result<u64, AttestationError> {
	parse_rfc3339(s).ok_or_else(bad_collateral)
}

/// Parses a signed document's `issueDate` and `nextUpdate` and checks `now` against them
/// (both included); returns them in Unix seconds.
fn dated_window(issue: &str, next: &str, now: u64) -> Result<(u64, u64), AttestationError> {
	let issue = date(issue)?;
	let next = date(next)?;
	check_window(issue, next, now)?;
	Ok((issue, next))
}

fn isv_levels<T>(
	levels: &[IsvLevelJson],
	make: impl Fn(u16, TcbStatus) -> Result<T, AttestationError>,
) -> Result<Vec<T>, AttestationError> {
	levels.iter().map(|l| make(l.tcb.isvsvn, status(&l.tcb_status)?)).collect()
}

fn bounded<T, const N: u32>(
	v: Vec<T>,
) -> Result<bounded_collections::BoundedVec<T, bounded_collections::ConstU32<N>>, AttestationError>
{
	v.try_into().map_err(|_| AttestationError::Unsupported)
}

/// Everything [`super::verify_collateral`] does: authenticate, then compact.
pub(crate) fn verify(
	bytes: &[u8],
	root_ca_der: &[u8],
	now: u64,
) -> Result<VerifiedCollateral, AttestationError> {
	// Cheapest check first: one pinned certificate before the collateral's JSON documents.
	let root = pinned_root(root_ca_der, now)?;
	let raw = RawCollateral::decode(bytes)?;
	let authenticated = authenticate(&raw, &root, now)?;
	compact(authenticated)
}

// --- Phase 1: signatures, revocation and validity windows ---

/// Collateral whose every signature, revocation list and validity window has been checked:
/// the signed documents, decoded, and what the checks established.
struct Authenticated {
	tcb_info: TcbInfoJson,
	qe_identity: QeIdentityJson,
	/// SHA-256 of the pinned root CA certificate (DER).
	root_ca_hash: [u8; 32],
	/// SHA-256 of the PCK CA certificate (DER) that issued the PCK CRL.
	pck_ca_hash: [u8; 32],
	revoked_pck_serials: RevokedSerials,
	/// The issue date of each document and CRL, Unix seconds.
	issue_dates: CollateralDates,
	/// The last second every document, CRL and certificate is valid, Unix seconds.
	not_after: u64,
}

/// Checks the collateral against the pinned root at `now`: the root CA CRL, the TCB info and QE
/// identity signatures and their signing certificates, the PCK CA and its CRL, and every
/// validity window.
fn authenticate(
	raw: &RawCollateral,
	root: &IntelCert<'_>,
	now: u64,
) -> Result<Authenticated, AttestationError> {
	let root_ca_der = root.cert.der;
	// Root CA CRL: signed by the root; revokes intermediate and signing certificates.
	let root_crl = Crl::parse(&raw.root_ca_crl)?;
	root_crl.check(root, now)?;
	let root_revoked: Vec<&[u8]> = root_crl.revoked().collect();

	let tcb_chain = pki::pem_chain(&raw.tcb_info_issuer_chain)?;
	let tcb_signer = check_signer(&tcb_chain, root, &root_revoked, now)?;
	let tcb_info: TcbInfoJson = signed_json(&tcb_signer, &raw.tcb_info, &raw.tcb_info_signature)?;
	let (tcb_issue, tcb_next) = dated_window(&tcb_info.issue_date, &tcb_info.next_update, now)?;

	// QE identity (usually the same signer as the TCB info).
	let qe_chain = pki::pem_chain(&raw.qe_identity_issuer_chain)?;
	let other_qe_signer = if qe_chain == tcb_chain {
		None
	} else {
		Some(check_signer(&qe_chain, root, &root_revoked, now)?)
	};
	let qe_signer = other_qe_signer.as_ref().unwrap_or(&tcb_signer);
	let qe_identity: QeIdentityJson =
		signed_json(qe_signer, &raw.qe_identity, &raw.qe_identity_signature)?;
	let (qe_issue, qe_next) = dated_window(&qe_identity.issue_date, &qe_identity.next_update, now)?;

	// PCK CA and its CRL.
	let ca_chain = pki::pem_chain(&raw.pck_crl_issuer_chain)?;
	let pck_ca = check_signer(&ca_chain, root, &root_revoked, now)?;
	pck_ca.cert.check_ca()?;
	let pck_crl = Crl::parse(&raw.pck_crl)?;
	pck_crl.check(&pck_ca, now)?;
	let revoked: Vec<Serial> = pck_crl
		.revoked()
		.map(|s| Serial::try_from(s.to_vec()).map_err(|_| bad_collateral()))
		.collect::<Result<_, _>>()?;

	let issue_dates = CollateralDates {
		tcb_info: tcb_issue,
		qe_identity: qe_issue,
		root_ca_crl: root_crl.this_update,
		pck_crl: pck_crl.this_update,
	};
	// CRLs are current strictly before nextUpdate: their last valid second is one earlier.
	let not_after = [
		tcb_next,
		qe_next,
		root_crl.next_update.saturating_sub(1),
		pck_crl.next_update.saturating_sub(1),
		tcb_signer.cert.not_after,
		qe_signer.cert.not_after,
		pck_ca.cert.not_after,
		root.cert.not_after,
	]
	.into_iter()
	.min()
	.unwrap_or(0);
	Ok(Authenticated {
		tcb_info,
		qe_identity,
		root_ca_hash: pki::sha256(root_ca_der),
		pck_ca_hash: pki::sha256(pck_ca.cert.der),
		revoked_pck_serials: bounded(revoked)?,
		issue_dates,
		not_after,
	})
}

/// The pinned root CA: an Intel-profile certificate, self-issued, valid at `now`. A root that
/// is not a P-256 ECDSA certificate cannot be Intel's ([`AttestationError::Chain`]).
fn pinned_root(root_ca_der: &[u8], now: u64) -> Result<IntelCert<'_>, AttestationError> {
	let root = IntelCert::parse(root_ca_der).map_err(|e| match e {
		AttestationError::Unsupported => AttestationError::Chain,
		e => e,
	})?;
	if !root.cert.issued_by_name(&root.cert) {
		return Err(AttestationError::Chain);
	}
	root.cert.check_time(now)?;
	Ok(root)
}

/// Verifies a signing certificate chain `[signer, root?]` against the root and its CRL.
fn check_signer<'a>(
	chain: &'a [Vec<u8>],
	root: &IntelCert<'_>,
	root_revoked: &[&[u8]],
	now: u64,
) -> Result<IntelCert<'a>, AttestationError> {
	let (first, rest) =
		chain.split_first().ok_or(AttestationError::Parse(ParseRegion::Certificate))?;
	for extra in rest {
		if extra.as_slice() != root.cert.der {
			return Err(AttestationError::Chain);
		}
	}
	let signer = IntelCert::parse(first)?;
	signer.check_issued_by(root)?;
	signer.cert.check_time(now)?;
	if root_revoked.contains(&signer.cert.serial()) {
		return Err(AttestationError::Revoked);
	}
	Ok(signer)
}

/// Checks `signature` (raw `r || s`) over the signed JSON text `body` with `signer`'s key, then
/// decodes the text.
fn signed_json<T: DeserializeOwned>(
	signer: &IntelCert<'_>,
	body: &[u8],
	signature: &[u8],
) -> Result<T, AttestationError> {
	let sig = pki::signature_from_raw(signature).ok_or_else(bad_collateral)?;
	pki::verify_sig(&signer.key, body, &sig)?;
	serde_json::from_slice(body).map_err(|_| bad_collateral())
}

// --- Phase 2: the compact form quotes are checked against ---

/// What the authenticated TCB info and QE identity say, in the form quotes are checked
/// against.
fn compact(a: Authenticated) -> Result<VerifiedCollateral, AttestationError> {
	let tcb = &a.tcb_info;
	let tee = collateral_tee(tcb, &a.qe_identity)?;
	let levels = platform_levels(tcb, tee)?;
	let (tdx_module, tdx_module_identities) = match tee {
		DcapTee::Sgx => (None, Vec::new()),
		DcapTee::Tdx => tdx_modules(tcb)?,
	};
	let qe_identity = qe_identity(&a.qe_identity)?;
	Ok(VerifiedCollateral {
		tee,
		fmspc: hex_array(&tcb.fmspc)?,
		pce_id: hex_array(&tcb.pce_id)?,
		tcb_evaluation_data_number: tcb
			.tcb_evaluation_data_number
			.min(a.qe_identity.tcb_evaluation_data_number),
		tcb_levels: bounded(levels)?,
		tdx_module,
		tdx_module_identities: bounded(tdx_module_identities)?,
		qe_identity,
		root_ca_hash: a.root_ca_hash,
		pck_ca_hash: a.pck_ca_hash,
		revoked_pck_serials: a.revoked_pck_serials,
		issued_at: a.issue_dates.newest(),
		issue_dates: a.issue_dates,
		not_after: a.not_after,
	})
}

/// The TEE the TCB info (version 3) is for, and a QE identity of the matching kind.
fn collateral_tee(tcb: &TcbInfoJson, qe: &QeIdentityJson) -> Result<DcapTee, AttestationError> {
	let tee = match (tcb.id.as_str(), tcb.version) {
		("SGX", 3) => DcapTee::Sgx,
		("TDX", 3) => DcapTee::Tdx,
		_ => return Err(AttestationError::Unsupported),
	};
	let qe_ok = match tee {
		DcapTee::Sgx => qe.id == "QE" && qe.version == 2,
		DcapTee::Tdx => qe.id == "TD_QE" && (qe.version == 2 || qe.version == 3),
	};
	if !qe_ok {
		return Err(AttestationError::CollateralMismatch);
	}
	Ok(tee)
}

/// The platform TCB levels, highest first, so the first level a platform meets is the one that
/// applies.
fn platform_levels(tcb: &TcbInfoJson, tee: DcapTee) -> Result<Vec<TcbLevel>, AttestationError> {
	let mut levels = tcb
		.tcb_levels
		.iter()
		.map(|l| {
			Ok(TcbLevel {
				sgx_components: svns(&l.tcb.sgxtcbcomponents)?,
				pce_svn: l.tcb.pcesvn,
				tdx_components: match tee {
					DcapTee::Sgx => [0; 16],
					DcapTee::Tdx => svns(&l.tcb.tdxtcbcomponents)?,
				},
				status: status(&l.tcb_status)?,
			})
		})
		.collect::<Result<Vec<_>, AttestationError>>()?;
	levels.sort_by(|a, b| {
		b.sgx_components
			.cmp(&a.sgx_components)
			.then(b.pce_svn.cmp(&a.pce_svn))
			.then(b.tdx_components.cmp(&a.tdx_components))
	});
	Ok(levels)
}

/// TDX: the base SEAM module identity and the identities per module version, their levels
/// highest first.
fn tdx_modules(
	tcb: &TcbInfoJson,
) -> Result<(Option<TdxModuleIdentity>, Vec<TdxModuleIdentity>), AttestationError> {
	let m = tcb.tdx_module.as_ref().ok_or_else(bad_collateral)?;
	let base = TdxModuleIdentity {
		version: 0,
		mrsigner: hex_array(&m.mrsigner)?,
		attributes: hex_array(&m.attributes)?,
		attributes_mask: hex_array(&m.attributes_mask)?,
		tcb_levels: Default::default(),
	};
	let ids = tcb
		.tdx_module_identities
		.iter()
		.map(|id| {
			let version = id
				.id
				.strip_prefix("TDX_")
				.and_then(|v| u8::from_str_radix(v, 16).ok())
				.ok_or_else(bad_collateral)?;
			let mut lv = isv_levels(&id.tcb_levels, |svn, status| {
				Ok(TdxModuleTcbLevel {
					isvsvn: u8::try_from(svn).map_err(|_| bad_collateral())?,
					status,
				})
			})?;
			lv.sort_by_key(|l| core::cmp::Reverse(l.isvsvn));
			Ok(TdxModuleIdentity {
				version,
				mrsigner: hex_array(&id.mrsigner)?,
				attributes: hex_array(&id.attributes)?,
				attributes_mask: hex_array(&id.attributes_mask)?,
				tcb_levels: bounded(lv)?,
			})
		})
		.collect::<Result<Vec<_>, AttestationError>>()?;
	Ok((Some(base), ids))
}

/// The quoting enclave identity, its levels highest first.
fn qe_identity(qe: &QeIdentityJson) -> Result<QeIdentity, AttestationError> {
	let mut qe_levels =
		isv_levels(&qe.tcb_levels, |isvsvn, status| Ok(QeTcbLevel { isvsvn, status }))?;
	qe_levels.sort_by_key(|l| core::cmp::Reverse(l.isvsvn));
	Ok(QeIdentity {
		mrsigner: hex_array(&qe.mrsigner)?,
		isv_prod_id: qe.isvprodid,
		miscselect: u32::from_le_bytes(hex_array(&qe.miscselect)?),
		miscselect_mask: u32::from_le_bytes(hex_array(&qe.miscselect_mask)?),
		attributes: hex_array(&qe.attributes)?,
		attributes_mask: hex_array(&qe.attributes_mask)?,
		tcb_levels: bounded(qe_levels)?,
	})
}

#[cfg(test)]
mod tests {
	use super::parse_rfc3339;

	#[test]
	fn rfc3339_utc_dates_convert_to_unix_seconds() {
		for (text, secs) in [
			("1970-01-01T00:00:00Z", 0),
			("2000-02-29T12:00:00Z", 951_825_600),
			("2024-12-31T23:59:59Z", 1_735_689_599),
			("2025-06-19T10:56:11Z", 1_750_330_571),
			("2025-06-19T10:56:11.250Z", 1_750_330_571),
			("2100-03-01T00:00:00Z", 4_107_542_400),
		] {
			assert_eq!(parse_rfc3339(text), Some(secs), "{text}");
		}
	}

	#[test]
	fn rfc3339_other_forms_are_refused() {
		for text in [
			"",
			"2025-06-19",
			"2025-06-19T10:56:11",
			"2025-06-19T10:56:11+00:00",
			"2025-06-19 10:56:11Z",
			"2025-13-19T10:56:11Z",
			"2025-06-32T10:56:11Z",
			"2025-06-19T24:00:00Z",
			"2025-06-19T10:56:11.Z",
			"2025-06-19T10:56:11ZZ",
			"1969-12-31T23:59:59Z",
			"2025-0a-19T10:56:11Z",
		] {
			assert_eq!(parse_rfc3339(text), None, "{text}");
		}
	}
}
