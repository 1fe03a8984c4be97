//! `attest submit`, `attest recheck`, `collateral upload` and `collateral amd-crl`: the
//! attestation pallet's calls, built from the node's metadata. A chain without that pallet
//! gets one clear line and exit code 6.

use crate::chain::{connection::Chain, state};
use crate::{
	chain::{
		calls::{self, Arg, Call},
		submission::TxContext,
	},
	error::{CliError, Result},
};
use aicf_primitives::{ProviderId, RegistryPublicKey};
use std::path::Path;
use subxt::{dynamic::Value, utils::H256, Metadata};

/// The attestation pallet's name in the runtime.
pub const ATTESTATION: &str = "AicfAttestation";

/// Evidence kinds of `attest submit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
	/// Intel SGX DCAP quote.
	SgxDcap,
	/// Intel TDX DCAP quote.
	TdxDcap,
	/// AMD SEV-SNP attestation report.
	SevSnp,
	/// Arm CCA token.
	Cca,
	/// Quantum facility identity certificate.
	Quantum,
}

impl Kind {
	/// The runtime's evidence kind.
	pub fn evidence_kind(self) -> aicf_primitives::traits::EvidenceKind {
		use aicf_primitives::traits::EvidenceKind;
		match self {
			Self::SgxDcap => EvidenceKind::SgxDcap,
			Self::TdxDcap => EvidenceKind::TdxDcap,
			Self::SevSnp => EvidenceKind::SevSnp,
			Self::Cca => EvidenceKind::Cca,
			Self::Quantum => EvidenceKind::Quantum,
		}
	}

	/// The variant name in the runtime's enum.
	pub fn variant(self) -> &'static str {
		self.evidence_kind().name()
	}
}

/// Capabilities of `attest recheck`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Capability {
	/// AI inference (TEE evidence).
	Ai,
	/// Quantum execution (facility certificate).
	Quantum,
}

impl Capability {
	/// The variant name in the runtime's enum.
	pub fn variant(self) -> &'static str {
		match self {
			Self::Ai => "Ai",
			Self::Quantum => "Quantum",
		}
	}
}

fn read_bytes(path: &Path) -> Result<Vec<u8>> {
	let bytes = std::fs::read(path)
		.map_err(|e| CliError::Input(format!("cannot read {}: {e}", path.display())))?;
	if bytes.is_empty() {
		return Err(CliError::Input(format!("{} is empty", path.display())));
	}
	Ok(bytes)
}

/// Build `AicfAttestation.call_name(args)`; a runtime without the pallet is told apart from
/// one whose pallet lacks the call.
fn attestation_call(metadata: &Metadata, call_name: &str, args: Vec<(&str, Arg)>) -> Result<Call> {
	if metadata.pallet_by_name(ATTESTATION).is_none() {
		return Err(CliError::Unsupported(format!(
			"the runtime has no {ATTESTATION} pallet: attestation is not deployed on this chain"
		)));
	}
	calls::build(metadata, ATTESTATION, call_name, args)
}

/// The call `submit_attestation(provider, kind, challenge_block, evidence)`.
pub fn submit_call(
	metadata: &Metadata,
	provider: &ProviderId,
	kind: Kind,
	challenge_block: u32,
	evidence: &[u8],
) -> Result<Call> {
	attestation_call(
		metadata,
		"submit_attestation",
		vec![
			("provider", Arg::scale(provider)),
			("kind", Arg::Value(Value::unnamed_variant(kind.variant(), []))),
			("challenge_block", Arg::Value(Value::u128(u128::from(challenge_block)))),
			("evidence", Arg::Value(Value::from_bytes(evidence))),
		],
	)
}

/// The call `upload_collateral(collateral)`.
pub fn upload_collateral_call(metadata: &Metadata, collateral: &[u8]) -> Result<Call> {
	attestation_call(
		metadata,
		"upload_collateral",
		vec![("collateral", Arg::Value(Value::from_bytes(collateral)))],
	)
}

/// The call `upload_amd_crl(crl)`.
pub fn upload_amd_crl_call(metadata: &Metadata, crl: &[u8]) -> Result<Call> {
	attestation_call(metadata, "upload_amd_crl", vec![("crl", Arg::Value(Value::from_bytes(crl)))])
}

/// The call `recheck(provider, capability, evidence)`.
pub fn recheck_call(
	metadata: &Metadata,
	provider: &ProviderId,
	capability: Capability,
	evidence: &[u8],
) -> Result<Call> {
	attestation_call(
		metadata,
		"recheck",
		vec![
			("provider", Arg::scale(provider)),
			("capability", Arg::Value(Value::unnamed_variant(capability.variant(), []))),
			("evidence", Arg::Value(Value::from_bytes(evidence))),
		],
	)
}

/// `collateral amd-crl`: `upload_amd_crl(crl)` with the file's bytes (DER, as AMD's Key
/// Distribution Service serves it; a PEM `X509 CRL` block is converted).
pub async fn upload_amd_crl(ctx: &TxContext<'_>, file: &Path) -> Result<serde_json::Value> {
	let bytes = read_bytes(file)?;
	let crl = crl_der(&bytes)
		.map_err(|e| CliError::Input(format!("{}: not a DER or PEM CRL: {e}", file.display())))?;
	let at = ctx.chain.at_best().await?;
	let call = upload_amd_crl_call(at.metadata_ref(), &crl)?;
	Ok(ctx.sign_and_submit(&call).await?.to_json())
}

/// A CRL file's DER: the bytes as given, or the contents of a PEM `X509 CRL` block (decoded
/// as the verifier reads pinned roots, [`aicf_attestation_verify::to_der`]).
pub fn crl_der(bytes: &[u8]) -> std::result::Result<Vec<u8>, String> {
	if let Some(rest) = bytes.strip_prefix(b"-----BEGIN ") {
		let label = rest.split(|b| *b == b'-').next().unwrap_or_default();
		if label != b"X509 CRL" {
			let label = String::from_utf8_lossy(label);
			return Err(format!("a PEM {label} block, not an X509 CRL"));
		}
	}
	aicf_attestation_verify::to_der(bytes).map_err(|_| "not valid PEM".to_string())
}

/// `attest recheck`: `recheck(provider, capability, evidence)` with the file's bytes, the
/// evidence the stored attestation was accepted on.
pub async fn recheck(
	ctx: &TxContext<'_>,
	provider: &ProviderId,
	capability: Capability,
	evidence: &Path,
) -> Result<serde_json::Value> {
	let evidence = read_bytes(evidence)?;
	let at = ctx.chain.at_best().await?;
	let call = recheck_call(at.metadata_ref(), provider, capability, &evidence)?;
	Ok(ctx.sign_and_submit(&call).await?.to_json())
}

/// `attest submit`: `submit_attestation(provider, kind, challenge_block, evidence)` with the
/// file's bytes.
pub async fn submit(
	ctx: &TxContext<'_>,
	provider: &ProviderId,
	kind: Kind,
	challenge_block: u32,
	evidence: &Path,
) -> Result<serde_json::Value> {
	let evidence = read_bytes(evidence)?;
	let at = ctx.chain.at_best().await?;
	let call = submit_call(at.metadata_ref(), provider, kind, challenge_block, &evidence)?;
	Ok(ctx.sign_and_submit(&call).await?.to_json())
}

/// The challenge fresh evidence for `provider` under registry key `key` binds now: the best
/// block, its hash, the key hash, and the 32 bytes the evidence's report data must start with
/// ([`aicf_attestation_verify::attestation_binding`]), with the last block in which a
/// submission naming it can be included.
pub async fn challenge(
	chain: &Chain,
	provider: &ProviderId,
	key: &RegistryPublicKey,
) -> Result<serde_json::Value> {
	let hash = chain.request("chain_getBlockHash", vec![]).await?;
	let hash: H256 = serde_json::from_value(hash)
		.map_err(|e| CliError::Other(format!("chain_getBlockHash: {e}")))?;
	let header = chain.request("chain_getHeader", vec![serde_json::json!(hash)]).await?;
	let number = header
		.get("number")
		.and_then(|n| n.as_str())
		.and_then(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16).ok())
		.ok_or_else(|| CliError::Other("chain_getHeader: no block number".into()))?;
	let at = chain.at_best().await?;
	let window = state::constant_u128(at.metadata_ref(), ATTESTATION, "ChallengeWindow")
		.ok_or_else(|| {
			CliError::Unsupported(format!(
				"the runtime's {ATTESTATION} pallet has no ChallengeWindow: it does not take \
				 fresh evidence"
			))
		})?;
	Ok(challenge_json(provider, key, number, &hash.0, window))
}

/// [`challenge`]'s output for block `number` with hash `hash`.
pub fn challenge_json(
	provider: &ProviderId,
	key: &RegistryPublicKey,
	number: u64,
	hash: &[u8; 32],
	window: u128,
) -> serde_json::Value {
	let key_hash = key.key_hash();
	let binding = aicf_attestation_verify::attestation_binding(&provider.0, hash, &key_hash);
	serde_json::json!({
		"provider_id": provider.to_string(),
		"challenge_block": number,
		"challenge_hash": format!("0x{}", hex::encode(hash)),
		"key_hash": format!("0x{}", hex::encode(key_hash)),
		"binding": format!("0x{}", hex::encode(binding)),
		"submit_by_block": u128::from(number).saturating_add(window),
	})
}

/// `collateral upload`: `upload_collateral(collateral)` with the file's bytes (Intel DCAP
/// collateral, verified by the pallet against its pinned root).
pub async fn upload_collateral(ctx: &TxContext<'_>, file: &Path) -> Result<serde_json::Value> {
	let collateral = read_bytes(file)?;
	let at = ctx.chain.at_best().await?;
	let call = upload_collateral_call(at.metadata_ref(), &collateral)?;
	Ok(ctx.sign_and_submit(&call).await?.to_json())
}

/// `attest dev-quantum-cert`: an identity certificate for `provider` from the development
/// quantum facility (a well-known key pinned only on development chains), valid from an hour
/// ago for `days` days, supporting `traps`, carrying `binding` (from `attest challenge`).
/// Offline; writes DER to `out`.
pub fn dev_quantum_cert(
	provider: &ProviderId,
	binding: [u8; 32],
	traps: &[String],
	facility_name: &str,
	days: u64,
	out: &Path,
) -> Result<serde_json::Value> {
	use aicf_attestation_verify::{dev_facility, evidence_hash};
	let now = crate::offline::now_secs()?;
	let traps: Vec<&str> = traps.iter().map(String::as_str).collect();
	let not_after = days
		.checked_mul(86_400)
		.and_then(|d| now.checked_add(d))
		.ok_or_else(|| CliError::Input(format!("--days {days}: too large")))?;
	let cert =
		dev_facility::issue(binding, facility_name, &traps, now.saturating_sub(3_600), not_after)
			.map_err(|e| CliError::Input(format!("cannot issue the certificate: {}", e.0)))?;
	std::fs::write(out, &cert)
		.map_err(|e| CliError::Input(format!("cannot write {}: {e}", out.display())))?;
	Ok(serde_json::json!({
		"provider_id": provider.to_string(),
		"file": out.display().to_string(),
		"evidence_hash": format!("0x{}", hex::encode(evidence_hash(&cert))),
		"not_after": not_after,
	}))
}

/// `attest dev-cca-token`: a CCA token from the development Arm CCA platform (a well-known
/// key pinned only on development chains): a secured platform and a realm whose challenge
/// starts with `binding` (from `attest challenge`). Offline; writes the CBOR to `out`.
pub fn dev_cca_token(
	provider: &ProviderId,
	binding: [u8; 32],
	alg: aicf_attestation_verify::cca::PlatformAlg,
	out: &Path,
) -> Result<serde_json::Value> {
	use aicf_attestation_verify::{dev_facility::cca, evidence_hash};
	let spec = cca::TokenSpec { platform_alg: alg, ..cca::TokenSpec::bound_to(&binding) };
	let token = cca::token(&spec)
		.map_err(|e| CliError::Input(format!("cannot make the token: {}", e.0)))?;
	std::fs::write(out, &token)
		.map_err(|e| CliError::Input(format!("cannot write {}: {e}", out.display())))?;
	Ok(serde_json::json!({
		"provider_id": provider.to_string(),
		"file": out.display().to_string(),
		"evidence_hash": format!("0x{}", hex::encode(evidence_hash(&token))),
	}))
}

/// `attest cca-anchor`: the DER trust anchor of a CCA platform (instance ID and CPAK), written
/// to `out`, with its hash (the `hash` an `add_root` event and `remove_root` name).
pub fn cca_anchor(instance_id: &str, cpak: &Path, out: &Path) -> Result<serde_json::Value> {
	use aicf_attestation_verify::{cca::TrustAnchor, to_der};
	let id = hex::decode(instance_id.trim_start_matches("0x"))
		.map_err(|e| CliError::Input(format!("--instance-id: {e}")))?;
	let key = std::fs::read(cpak)
		.map_err(|e| CliError::Input(format!("cannot read {}: {e}", cpak.display())))?;
	let der = to_der(&key)
		.map_err(|_| CliError::Input(format!("{}: not a PEM or DER key", cpak.display())))?;
	let anchor = TrustAnchor::encode(&id, &der).map_err(|e| {
		CliError::Input(format!(
			"not a CCA trust anchor ({e:?}): the instance ID must be 1–64 bytes and the key a \
			 P-256, P-384 or P-521 SubjectPublicKeyInfo"
		))
	})?;
	std::fs::write(out, &anchor)
		.map_err(|e| CliError::Input(format!("cannot write {}: {e}", out.display())))?;
	Ok(serde_json::json!({
		"file": out.display().to_string(),
		"hash": format!("0x{}", hex::encode(sha2_256(&anchor))),
	}))
}

fn hex0x(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// The JSON of a workload rule as polkadot-js encodes the runtime's `WorkloadRule` (camelCase
/// fields, `0x` hex byte arrays, `null` for an absent option).
pub fn rule_json(rule: &aicf_attestation_verify::WorkloadRule) -> serde_json::Value {
	use aicf_attestation_verify::WorkloadRule as R;
	let rems = |r: &[[u8; 48]; 4]| r.iter().map(|m| hex0x(m)).collect::<Vec<_>>();
	match rule {
		R::Sgx { mr_signer, isv_prod_id, min_isv_svn, mr_enclave, config_id } => {
			serde_json::json!({ "Sgx": {
				"mrSigner": hex0x(mr_signer),
				"isvProdId": isv_prod_id,
				"minIsvSvn": min_isv_svn,
				"mrEnclave": mr_enclave.map(|m| hex0x(&m)),
				"configId": config_id.map(|c| hex0x(&c)),
			}})
		},
		R::Tdx(td) => serde_json::json!({ "Tdx": {
			"mrTd": hex0x(&td.mr_td),
			"mrConfigId": hex0x(&td.mr_config_id),
			"mrOwner": hex0x(&td.mr_owner),
			"mrOwnerConfig": hex0x(&td.mr_owner_config),
			"rtmr": rems(&td.rtmr),
			"xfam": td.xfam,
		}}),
		R::SevSnp { measurement, host_data } => serde_json::json!({ "SevSnp": {
			"measurement": hex0x(measurement),
			"hostData": hex0x(host_data),
		}}),
		R::Cca { rim, rem, personalization, platform_software } => serde_json::json!({ "Cca": {
			"rim": hex0x(rim),
			"rem": rems(rem),
			"personalization": hex0x(personalization),
			"platformSoftware": platform_software.map(|p| hex0x(&p)),
		}}),
	}
}

/// `attest workload`: the workload registers `evidence` of `kind` reports (read, not
/// verified) and the rule admitting exactly that image.
pub fn workload(kind: Kind, evidence: &Path) -> Result<serde_json::Value> {
	use aicf_attestation_verify::{workload_of, Workload, WorkloadRule};
	let bytes = read_bytes(evidence)?;
	let w = workload_of(kind.evidence_kind(), &bytes).map_err(|e| {
		CliError::Input(format!("{}: not {} evidence ({e:?})", evidence.display(), kind.variant()))
	})?;
	let registers = match &w {
		Workload::None => serde_json::Value::Null,
		Workload::Sgx(e) => serde_json::json!({
			"mr_enclave": hex0x(&e.mr_enclave),
			"mr_signer": hex0x(&e.mr_signer),
			"isv_prod_id": e.isv_prod_id,
			"isv_svn": e.isv_svn,
			"config_id": hex0x(&e.config_id),
			"config_svn": e.config_svn,
			"xfrm": format!("0x{:016x}", e.xfrm),
		}),
		Workload::Tdx(td) => serde_json::json!({
			"mr_td": hex0x(&td.mr_td),
			"mr_config_id": hex0x(&td.mr_config_id),
			"mr_owner": hex0x(&td.mr_owner),
			"mr_owner_config": hex0x(&td.mr_owner_config),
			"rtmr": td.rtmr.iter().map(|m| hex0x(m)).collect::<Vec<_>>(),
			"xfam": format!("0x{:016x}", td.xfam),
		}),
		Workload::SevSnp(g) => serde_json::json!({
			"measurement": hex0x(&g.measurement),
			"host_data": hex0x(&g.host_data),
			"vmpl": g.vmpl,
		}),
		Workload::Cca(r) => serde_json::json!({
			"rim": hex0x(&r.rim),
			"rem": r.rem.iter().map(|m| hex0x(m)).collect::<Vec<_>>(),
			"personalization": hex0x(&r.personalization),
			"platform_software": hex0x(&r.platform_software),
		}),
	};
	let mut out = serde_json::json!({
		"kind": kind.variant(),
		"workload": registers,
		"rule": WorkloadRule::exact(&w).as_ref().map(rule_json),
	});
	if let (Workload::SevSnp(g), Some(fields)) = (&w, out.as_object_mut()) {
		if g.vmpl != 0 {
			let warning = format!(
				"the report comes from VMPL {}: SEV-SNP rules admit VMPL 0 reports only",
				g.vmpl
			);
			fields.insert("warning".into(), warning.into());
		}
	}
	Ok(out)
}

fn sha2_256(bytes: &[u8]) -> [u8; 32] {
	use sha2::Digest as _;
	sha2::Sha256::digest(bytes).into()
}

/// `--alg` of `attest dev-cca-token`: `es256`, `es384` or `es512`.
pub fn platform_alg(name: &str) -> Result<aicf_attestation_verify::cca::PlatformAlg> {
	use aicf_attestation_verify::cca::PlatformAlg;
	match name.to_ascii_lowercase().as_str() {
		"es256" => Ok(PlatformAlg::Es256),
		"es384" => Ok(PlatformAlg::Es384),
		"es512" => Ok(PlatformAlg::Es512),
		other => Err(CliError::Input(format!("--alg {other}: expected es256, es384 or es512"))),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn dev_quantum_certificates_carry_the_binding() {
		let id = ProviderId([0x42; 12]);
		let binding = [0x5C; 32];
		let out = std::env::temp_dir().join(format!("aicf-dev-cert-{}.der", std::process::id()));
		let info = dev_quantum_cert(
			&id,
			binding,
			&["clifford".into()],
			"AICF development facility",
			30,
			&out,
		)
		.unwrap();
		let der = std::fs::read(&out).unwrap();
		assert_eq!(der.first(), Some(&0x30), "a DER SEQUENCE");
		assert!(der.windows(32).any(|w| w == binding), "carries the binding");
		assert_eq!(
			info["evidence_hash"],
			format!("0x{}", hex::encode(aicf_attestation_verify::evidence_hash(&der)))
		);
		let other = dev_quantum_cert(&id, [0x5D; 32], &[], "x", 1, &out).unwrap();
		assert_ne!(other["evidence_hash"], info["evidence_hash"]);
		assert!(matches!(
			dev_quantum_cert(&id, binding, &[], "x", u64::MAX, &out),
			Err(CliError::Input(m)) if m.contains("too large")
		));
		std::fs::remove_file(&out).unwrap();
	}

	#[test]
	fn dev_cca_tokens_verify_under_the_development_platform_with_the_binding() {
		use aicf_attestation_verify::{cca, dev_facility, Policy};
		let id = ProviderId([0x42; 12]);
		let binding = [0x6E; 32];
		let out = std::env::temp_dir().join(format!("aicf-dev-cca-{}.cbor", std::process::id()));
		let anchors: Vec<Vec<u8>> = ["es256", "es384", "es512"]
			.iter()
			.map(|a| dev_facility::cca::trust_anchor_der(platform_alg(a).unwrap()).unwrap())
			.collect();
		let anchors: Vec<&[u8]> = anchors.iter().map(|a| a.as_slice()).collect();
		for alg in ["es256", "ES384", "es512"] {
			dev_cca_token(&id, binding, platform_alg(alg).unwrap(), &out).unwrap();
			let token = std::fs::read(&out).unwrap();
			std::fs::remove_file(&out).unwrap();
			let verified =
				cca::verify(&token, &anchors, &Policy::default(), &binding, 1_767_225_600);
			assert!(verified.is_ok(), "{alg}: {verified:?}");
			assert!(cca::verify(&token, &anchors, &Policy::default(), &[0x6F; 32], 1_767_225_600)
				.is_err());
		}
		assert!(matches!(platform_alg("es1024"), Err(CliError::Input(m)) if m.contains("es256")));
	}

	#[test]
	fn workload_prints_the_registers_and_the_rule_that_pins_them() {
		let dir = std::env::temp_dir().join(format!("aicf-workload-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let token = dir.join("token.cbor");
		let provider = ProviderId([3; 12]);
		dev_cca_token(&provider, [5; 32], aicf_attestation_verify::cca::PlatformAlg::Es384, &token)
			.unwrap();
		let out = workload(Kind::Cca, &token).unwrap();
		assert_eq!(out["kind"], "Cca");
		assert_eq!(out["workload"]["rim"], format!("0x{}", "42".repeat(48)));
		assert_eq!(out["workload"]["rem"][1], format!("0x{}", "43".repeat(48)));
		let rule = &out["rule"]["Cca"];
		assert_eq!(rule["rim"], out["workload"]["rim"]);
		assert_eq!(rule["platformSoftware"], out["workload"]["platform_software"]);
		assert_eq!(rule["personalization"], format!("0x{}", "00".repeat(64)));
		assert!(out.get("warning").is_none());
		// the same file named as another kind is refused, naming the file
		let err = workload(Kind::SevSnp, &token).unwrap_err().to_string();
		assert!(err.contains("token.cbor") && err.contains("SevSnp"), "{err}");
		let cert = dir.join("cert.der");
		dev_quantum_cert(&provider, [5; 32], &["clifford".into()], "facility", 1, &cert).unwrap();
		let out = workload(Kind::Quantum, &cert).unwrap();
		assert!(out["workload"].is_null() && out["rule"].is_null());
		std::fs::remove_dir_all(dir).unwrap();
	}

	#[test]
	fn cca_anchors_name_the_instance_and_refuse_other_keys() {
		use aicf_attestation_verify::{cca::TrustAnchor, dev_facility::cca::platform_key_der};
		let dir = std::env::temp_dir();
		let (key, out) = (
			dir.join(format!("aicf-cpak-{}.der", std::process::id())),
			dir.join(format!("aicf-anchor-{}.der", std::process::id())),
		);
		std::fs::write(&key, platform_key_der(platform_alg("es256").unwrap()).unwrap()).unwrap();
		let info = cca_anchor("0x0102", &key, &out).unwrap();
		let anchor = std::fs::read(&out).unwrap();
		assert_eq!(TrustAnchor::decode(&anchor).unwrap().instance_id, vec![1, 2]);
		assert_eq!(info["hash"], format!("0x{}", hex::encode(sha2_256(&anchor))));
		assert!(
			matches!(cca_anchor("zz", &key, &out), Err(CliError::Input(m)) if m.contains("--instance-id"))
		);
		assert!(
			matches!(cca_anchor("", &key, &out), Err(CliError::Input(m)) if m.contains("1–64 bytes"))
		);
		std::fs::write(&key, b"not a key").unwrap();
		assert!(cca_anchor("01", &key, &out).is_err());
		std::fs::remove_file(&key).unwrap();
		std::fs::remove_file(&out).unwrap();
	}

	#[test]
	fn the_challenge_binds_provider_block_hash_and_key() {
		let key = aicf_primitives::keys::RegistryKeypair::from_ml_dsa_seed(&[3; 32]).public();
		let id = key.provider_id();
		let json = challenge_json(&id, &key, 41, &[9; 32], 600);
		assert_eq!(json["challenge_block"], 41);
		assert_eq!(json["submit_by_block"], 641);
		assert_eq!(json["key_hash"], format!("0x{}", hex::encode(key.key_hash())));
		let binding =
			aicf_attestation_verify::attestation_binding(&id.0, &[9; 32], &key.key_hash());
		assert_eq!(json["binding"], format!("0x{}", hex::encode(binding)));
	}

	#[test]
	fn attestation_calls_encode_exactly_like_the_runtime_call() {
		use crate::chain::calls::{encoded, runtime_metadata};
		use aicf_primitives::traits::EvidenceKind;
		use aicf_runtime::RuntimeCall;
		use codec::Encode;
		use pallet_aicf_attestation::Call as AttestationCall;
		let m = runtime_metadata();
		let id = ProviderId([5; 12]);
		let evidence = vec![0x30, 0x82, 1, 2, 3];
		for (kind, expected) in [
			(Kind::SgxDcap, EvidenceKind::SgxDcap),
			(Kind::TdxDcap, EvidenceKind::TdxDcap),
			(Kind::SevSnp, EvidenceKind::SevSnp),
			(Kind::Cca, EvidenceKind::Cca),
			(Kind::Quantum, EvidenceKind::Quantum),
		] {
			let call = submit_call(&m, &id, kind, 77_777, &evidence).unwrap();
			let runtime_call = RuntimeCall::AicfAttestation(AttestationCall::submit_attestation {
				provider: id,
				kind: expected,
				challenge_block: 77_777,
				evidence: evidence.clone().try_into().unwrap(),
			});
			assert_eq!(encoded(&m, &call), runtime_call.encode(), "{kind:?}");
		}
		let collateral = br#"{"tcb_info": "..."}"#.to_vec();
		let call = upload_collateral_call(&m, &collateral).unwrap();
		let runtime_call = RuntimeCall::AicfAttestation(AttestationCall::upload_collateral {
			collateral: collateral.try_into().unwrap(),
		});
		assert_eq!(encoded(&m, &call), runtime_call.encode());
		let crl = vec![0x30, 0x82, 9, 9];
		let call = upload_amd_crl_call(&m, &crl).unwrap();
		let runtime_call = RuntimeCall::AicfAttestation(AttestationCall::upload_amd_crl {
			crl: crl.try_into().unwrap(),
		});
		assert_eq!(encoded(&m, &call), runtime_call.encode());
		for (capability, expected) in [
			(Capability::Ai, aicf_primitives::CapabilityKind::Ai),
			(Capability::Quantum, aicf_primitives::CapabilityKind::Quantum),
		] {
			let call = recheck_call(&m, &id, capability, &evidence).unwrap();
			let runtime_call = RuntimeCall::AicfAttestation(AttestationCall::recheck {
				provider: id,
				capability: expected,
				evidence: evidence.clone().try_into().unwrap(),
			});
			assert_eq!(encoded(&m, &call), runtime_call.encode(), "{capability:?}");
		}
	}

	#[test]
	fn crl_files_are_der_or_a_pem_crl_block() {
		let der = vec![0x30, 0x03, 0x02, 0x01, 0x07];
		assert_eq!(crl_der(&der).unwrap(), der);
		let pem =
			pem_rfc7468::encode_string("X509 CRL", pem_rfc7468::LineEnding::LF, &der).unwrap();
		assert_eq!(crl_der(pem.as_bytes()).unwrap(), der);
		let cert =
			pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, &der).unwrap();
		assert!(crl_der(cert.as_bytes()).unwrap_err().contains("CERTIFICATE"));
		assert!(crl_der(b"-----BEGIN X509 CRL-----\nnot base64\n").is_err());
	}
}
