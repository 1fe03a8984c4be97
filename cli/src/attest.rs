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

/// `collateral upload`: `upload_collateral(kind, bytes)`; `kind` is the runtime's variant
/// name, in kebab case (`tcb-info`) or as written (`TcbInfo`).
pub async fn upload_collateral(
	ctx: &TxContext<'_>,
	kind: &str,
	file: &Path,
) -> Result<serde_json::Value> {
	let bytes = read_bytes(file)?;
	let call = metadata_call(
		ctx,
		"upload_collateral",
		vec![
			("kind", Arg::Value(Value::unnamed_variant(camel(kind), []))),
			("bytes", Arg::Value(Value::from_bytes(&bytes))),
		],
	)
	.await?;
	Ok(chain::sign_and_submit(ctx.chain, &call, ctx.signer, ctx.wait, ctx.quiet).await?.to_json())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn kebab_names_become_variant_names() {
		assert_eq!(camel("tcb-info"), "TcbInfo");
		assert_eq!(camel("qe_identity"), "QeIdentity");
		assert_eq!(camel("TcbInfo"), "TcbInfo");
		assert_eq!(camel("sgx-dcap"), Kind::SgxDcap.variant());
	}
}
