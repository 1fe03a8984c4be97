//! `attest submit` and `collateral upload`: the attestation pallet's calls, built from the
//! node's metadata. A chain without that pallet gets one clear line and exit code 6.

use crate::{
	chain::{self, Arg},
	error::{CliError, Result},
	provider::TxContext,
};
use aicf_primitives::ProviderId;
use std::path::Path;
use subxt::dynamic::Value;

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
	/// The variant name in the runtime's enum.
	pub fn variant(self) -> &'static str {
		match self {
			Self::SgxDcap => "SgxDcap",
			Self::TdxDcap => "TdxDcap",
			Self::SevSnp => "SevSnp",
			Self::Cca => "Cca",
			Self::Quantum => "Quantum",
		}
	}
}

/// `tcb-info` → `TcbInfo`: a kebab-case name as the runtime's variant name.
pub fn camel(kebab: &str) -> String {
	kebab
		.split(['-', '_'])
		.filter(|p| !p.is_empty())
		.map(|p| {
			let mut c = p.chars();
			match c.next() {
				Some(f) => f.to_uppercase().chain(c).collect::<String>(),
				None => String::new(),
			}
		})
		.collect()
}

fn read_bytes(path: &Path) -> Result<Vec<u8>> {
	let bytes = std::fs::read(path)
		.map_err(|e| CliError::Input(format!("cannot read {}: {e}", path.display())))?;
	if bytes.is_empty() {
		return Err(CliError::Input(format!("{} is empty", path.display())));
	}
	Ok(bytes)
}

async fn metadata_call(
	ctx: &TxContext<'_>,
	call_name: &str,
	args: Vec<(&str, Arg)>,
) -> Result<chain::Call> {
	let at = ctx.chain.at_best().await?;
	let metadata = at.metadata_ref();
	if metadata.pallet_by_name(ATTESTATION).is_none() {
		return Err(CliError::Unsupported(format!(
			"the runtime has no {ATTESTATION} pallet: attestation is not deployed on this chain"
		)));
	}
	chain::call(metadata, ATTESTATION, call_name, args)
}

/// `attest submit`: `submit_attestation(provider, kind, evidence)`.
pub async fn submit(
	ctx: &TxContext<'_>,
	provider: &ProviderId,
	kind: Kind,
	evidence: &Path,
) -> Result<serde_json::Value> {
	let evidence = read_bytes(evidence)?;
	let call = metadata_call(
		ctx,
		"submit_attestation",
		vec![
			("provider", Arg::scale(provider)),
			("kind", Arg::Value(Value::unnamed_variant(kind.variant(), []))),
			("evidence", Arg::Value(Value::from_bytes(&evidence))),
		],
	)
	.await?;
	Ok(chain::sign_and_submit(ctx.chain, &call, ctx.signer, ctx.wait, ctx.quiet).await?.to_json())
}

/// `collateral upload`: `upload_collateral` with the file's bytes. The call's arguments are
/// read from the node's metadata: the bytes go to its byte argument, and `kind` (the runtime's
/// variant name, in kebab case `tcb-info` or as written `TcbInfo`) to a `kind` argument if the
/// runtime's call has one.
pub async fn upload_collateral(
	ctx: &TxContext<'_>,
	kind: Option<&str>,
	file: &Path,
) -> Result<serde_json::Value> {
	let bytes = read_bytes(file)?;
	let at = ctx.chain.at_best().await?;
	let metadata = at.metadata_ref();
	let fields: Vec<String> = metadata
		.pallet_by_name(ATTESTATION)
		.and_then(|p| p.call_variant_by_name("upload_collateral"))
		.map(|v| v.fields.iter().filter_map(|f| f.name.clone()).collect())
		.unwrap_or_default();
	let takes_kind = fields.iter().any(|f| f == "kind");
	let mut args = Vec::new();
	match (takes_kind, kind) {
		(true, Some(k)) => args.push(("kind", Arg::Value(Value::unnamed_variant(camel(k), [])))),
		(true, None) => {
			return Err(CliError::Input(
				"this runtime's upload_collateral needs --kind (e.g. tcb-info)".into(),
			))
		},
		(false, Some(_)) => {
			return Err(CliError::Input(
				"this runtime's upload_collateral takes no kind: drop --kind".into(),
			))
		},
		(false, None) => {},
	}
	if let Some(data) = fields.iter().find(|f| f.as_str() != "kind") {
		args.push((data.as_str(), Arg::Value(Value::from_bytes(&bytes))));
	}
	let call = metadata_call(ctx, "upload_collateral", args).await?;
	Ok(chain::sign_and_submit(ctx.chain, &call, ctx.signer, ctx.wait, ctx.quiet).await?.to_json())
}

/// `attest dev-quantum-cert`: an identity certificate for `provider` from the development
/// quantum facility (a well-known key pinned only on development chains), valid from an hour
/// ago for `days` days, supporting `traps`. Offline; writes DER to `out`.
pub fn dev_quantum_cert(
	provider: &ProviderId,
	traps: &[String],
	facility_name: &str,
	days: u64,
	out: &Path,
) -> Result<serde_json::Value> {
	use aicf_attestation_verify::{dev_facility, evidence_hash, provider_binding};
	let now = crate::offline::now_secs()?;
	let traps: Vec<&str> = traps.iter().map(String::as_str).collect();
	let not_after = days
		.checked_mul(86_400)
		.and_then(|d| now.checked_add(d))
		.ok_or_else(|| CliError::Input(format!("--days {days}: too large")))?;
	let cert = dev_facility::issue(
		provider_binding(&provider.0),
		facility_name,
		&traps,
		now.saturating_sub(3_600),
		not_after,
	)
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

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn dev_quantum_certificates_are_bound_to_the_provider() {
		let id = ProviderId([0x42; 12]);
		let out = std::env::temp_dir().join(format!("aicf-dev-cert-{}.der", std::process::id()));
		let info =
			dev_quantum_cert(&id, &["clifford".into()], "AICF development facility", 30, &out)
				.unwrap();
		let der = std::fs::read(&out).unwrap();
		assert_eq!(der.first(), Some(&0x30), "a DER SEQUENCE");
		let binding = aicf_attestation_verify::provider_binding(&id.0);
		assert!(der.windows(32).any(|w| w == binding), "carries the provider binding");
		assert_eq!(
			info["evidence_hash"],
			format!("0x{}", hex::encode(aicf_attestation_verify::evidence_hash(&der)))
		);
		let other = dev_quantum_cert(&ProviderId([0x43; 12]), &[], "x", 1, &out).unwrap();
		assert_ne!(other["evidence_hash"], info["evidence_hash"]);
		assert!(matches!(
			dev_quantum_cert(&id, &[], "x", u64::MAX, &out),
			Err(CliError::Input(m)) if m.contains("too large")
		));
		std::fs::remove_file(&out).unwrap();
	}

	#[test]
	fn kebab_names_become_variant_names() {
		assert_eq!(camel("tcb-info"), "TcbInfo");
		assert_eq!(camel("qe_identity"), "QeIdentity");
		assert_eq!(camel("TcbInfo"), "TcbInfo");
		assert_eq!(camel("sgx-dcap"), Kind::SgxDcap.variant());
	}
}
