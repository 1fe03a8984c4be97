//! Hash-chain liveness from the operator's side: the secret chains are derived from, the
//! commitment a signed heartbeat carries, and the proof that stands in for a heartbeat.
//!
//! - **The secret** is 32 random bytes in the state directory, beside the heartbeat state file
//!   (`liveness-<provider>-<genesis>.secret`, mode 0600), created on first use. Keep it like
//!   the registry key: whoever holds it can prove the provider alive until its current chain
//!   runs out (at most `MaxLivenessChain` intervals; a signed heartbeat needs the key).
//! - **Each chain's seed** is `chain_seed(secret, genesis, provider, key hash, counter)`, the
//!   registry key and counter of the heartbeat that commits it: under one key counters never
//!   repeat, and a rotation (which restarts them) changes the key, so seeds never repeat —
//!   across restarts and rotations too.
//! - **The next proof** is computed from the chain's state on chain (`LivenessChains`): with
//!   `r` proofs left of a chain of `n`, it is `H^(r-1)(seed)`. Nothing about a chain is kept
//!   locally, so a restart, a second machine with the same secret, or a proof relayed by
//!   someone else never makes the tool reveal a preimage twice or skip one.

use crate::{
	chain::{
		calls::{self, Arg},
		connection::{Chain, ClientAtBlock},
		json, state,
		submission::{self, Wait},
	},
	error::{CliError, Result},
	provider::{self, REGISTRY},
};
use aicf_primitives::{
	liveness::{chain_seed, link, links, HashChain, LivenessCommitment, LivenessProof},
	ProviderId,
};
use std::path::{Path, PathBuf};

/// Where the liveness secret of `provider` on the chain `genesis` lives.
pub fn secret_path(dir: &Path, provider: &ProviderId, genesis: &[u8; 32]) -> PathBuf {
	let g = hex::encode(genesis);
	dir.join(format!("liveness-{}-{}.secret", hex::encode(provider.0), g.get(..16).unwrap_or(&g)))
}

/// The liveness secret at `path`, created (random, mode 0600) if it does not exist.
pub fn load_or_create_secret(path: &Path) -> Result<[u8; 32]> {
	match std::fs::read(path) {
		Ok(bytes) => {
			let hex_text = String::from_utf8_lossy(&bytes);
			return hex::decode(hex_text.trim())
				.ok()
				.and_then(|b| <[u8; 32]>::try_from(b).ok())
				.ok_or_else(|| {
					CliError::Input(format!(
						"{}: not a liveness secret (64 hex characters)",
						path.display()
					))
				});
		},
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => {},
		Err(e) => return Err(CliError::Input(format!("cannot read {}: {e}", path.display()))),
	}
	let secret = aicf_primitives::keys::random_secret()
		.map_err(|e| CliError::Other(format!("liveness secret: {e}")))?;
	if let Some(dir) = path.parent() {
		std::fs::create_dir_all(dir)
			.map_err(|e| CliError::Input(format!("cannot create {}: {e}", dir.display())))?;
	}
	// A temporary name of this process's own, so two first uses at once never share it.
	let nonce = aicf_primitives::keys::random_secret()
		.map_err(|e| CliError::Other(format!("liveness secret: {e}")))?;
	let tmp = path.with_extension(format!(
		"secret.{}-{}.tmp",
		std::process::id(),
		hex::encode(nonce.get(..8).unwrap_or_default())
	));
	{
		use std::{io::Write, os::unix::fs::OpenOptionsExt};
		let mut f = std::fs::OpenOptions::new()
			.write(true)
			.create_new(true)
			.mode(0o600)
			.open(&tmp)
			.map_err(|e| CliError::Input(format!("cannot write {}: {e}", tmp.display())))?;
		f.write_all(hex::encode(secret).as_bytes())
			.and_then(|_| f.sync_all())
			.map_err(|e| CliError::Input(format!("cannot write {}: {e}", tmp.display())))?;
	}
	// Never replace a secret another process created meanwhile: its chains would break.
	std::fs::hard_link(&tmp, path)
		.or_else(|e| if e.kind() == std::io::ErrorKind::AlreadyExists { Ok(()) } else { Err(e) })
		.map_err(|e| CliError::Input(format!("cannot write {}: {e}", path.display())))?;
	let _ = std::fs::remove_file(&tmp);
	// The file now exists (this process's or a concurrent one's): read what it holds.
	load_or_create_secret(path)
}

/// Where a chain comes from: the provider, the registry key that signs its committing
/// heartbeat (its hash) and that heartbeat's counter, on the chain `genesis`.
#[derive(Clone, Copy, Debug)]
pub struct ChainOrigin<'a> {
	/// The chain's genesis hash.
	pub genesis: &'a [u8; 32],
	/// The provider.
	pub provider: &'a ProviderId,
	/// Hash of the provider's registry key when the chain was committed.
	pub key_hash: &'a [u8; 32],
	/// The committing heartbeat's counter.
	pub counter: u64,
}

impl ChainOrigin<'_> {
	fn seed(&self, secret: &[u8; 32]) -> [u8; 32] {
		chain_seed(secret, self.genesis, self.provider, self.key_hash, self.counter)
	}
}

/// The commitment the heartbeat of `origin` carries: a chain of `length` proofs.
pub fn commitment(secret: &[u8; 32], origin: ChainOrigin<'_>, length: u32) -> LivenessCommitment {
	HashChain { seed: origin.seed(secret), length }.commitment()
}

/// A provider's liveness chain as the chain stores it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OnChain {
	/// The last revealed preimage (or the committed tip).
	pub anchor: [u8; 32],
	/// Proofs left.
	pub remaining: u32,
	/// Block of the last proof (or of the committing heartbeat).
	pub last_seen: u64,
}

/// `provider`'s liveness chain at `at`, `None` if it has none.
pub async fn on_chain(
	chain: &Chain,
	at: &ClientAtBlock,
	provider: &ProviderId,
) -> Result<Option<OnChain>> {
	if !calls::has_call(at.metadata_ref(), REGISTRY, "prove_liveness") {
		return Ok(None);
	}
	let Some(v) = state::storage(
		chain,
		at,
		REGISTRY,
		"LivenessChains",
		vec![provider::provider_key(provider)],
	)
	.await?
	else {
		return Ok(None);
	};
	let num = |path: &str| state::field(&v, path).and_then(|x| x.as_u128());
	let anchor = state::field(&v, "anchor")
		.and_then(state::bytes_of)
		.and_then(|b| <[u8; 32]>::try_from(b).ok());
	match (anchor, num("remaining"), num("last_seen")) {
		(Some(anchor), Some(r), Some(l)) => Ok(Some(OnChain {
			anchor,
			remaining: u32::try_from(r).unwrap_or(0),
			last_seen: u64::try_from(l).unwrap_or(u64::MAX),
		})),
		_ => Err(CliError::Unsupported("LivenessChains: unexpected record".into())),
	}
}

/// The next preimage of the chain committed by the heartbeat of `origin`, if `on` is that
/// chain (its anchor is the link of the preimage computed) and it has a proof left.
pub fn next_preimage(secret: &[u8; 32], origin: ChainOrigin<'_>, on: &OnChain) -> Option<[u8; 32]> {
	let steps = on.remaining.checked_sub(1)?;
	let x = links(&origin.seed(secret), steps);
	(link(&x) == on.anchor).then_some(x)
}

/// The registry's `prove_liveness` call for `proofs` (ascending provider order).
pub fn prove_call(metadata: &subxt::Metadata, proofs: &[LivenessProof]) -> Result<calls::Call> {
	calls::build(
		metadata,
		REGISTRY,
		"prove_liveness",
		vec![("proofs", Arg::scale(&proofs.to_vec()))],
	)
}

/// What [`prove`] found when there is nothing to prove with.
pub const NO_PROOF: &str = "no liveness proof to send: the provider has no chain from this \
	secret or its chain is used up (a signed heartbeat commits the next one)";

/// Send `provider`'s next liveness proof, from the secret in `state_dir`. The pool's dry run
/// names every refusal (too early, lapsed, …); [`NO_PROOF`] (as `Rejected`) when there is
/// no chain to prove with.
pub async fn prove(
	chain: &Chain,
	provider: &ProviderId,
	state_dir: &Path,
	wait: Wait,
	quiet: bool,
) -> Result<serde_json::Value> {
	let at = chain.at_best().await?;
	let metadata = at.metadata_ref();
	if !calls::has_call(metadata, REGISTRY, "prove_liveness") {
		return Err(CliError::Unsupported(format!("the runtime has no {REGISTRY}.prove_liveness")));
	}
	let genesis = chain.genesis();
	let record = match provider::record(chain, &at, provider).await {
		Ok(r) => r,
		Err(CliError::NotFound(m)) => return Err(CliError::Rejected(m)),
		Err(e) => return Err(e),
	};
	let counter = state::field(&record, "heartbeat.counter")
		.and_then(|v| v.as_u128())
		.and_then(|v| u64::try_from(v).ok())
		.unwrap_or(0);
	let key_hash = provider::current_key(&record)?.key_hash();
	let Some(on) = on_chain(chain, &at, provider).await? else {
		return Err(CliError::Rejected(NO_PROOF.into()));
	};
	let secret = load_or_create_secret(&secret_path(state_dir, provider, &genesis))?;
	let origin = ChainOrigin { genesis: &genesis, provider, key_hash: &key_hash, counter };
	let Some(preimage) = next_preimage(&secret, origin, &on) else {
		return Err(CliError::Rejected(NO_PROOF.into()));
	};
	let call = prove_call(metadata, &[LivenessProof { provider: *provider, preimage }])?;
	let outcome = submission::submit_bare(chain, &at, &call, wait, quiet, || Ok(())).await?;
	let mut out = outcome.to_json();
	json::insert_field(&mut out, "provider_id", serde_json::json!(provider.to_string()));
	json::insert_field(&mut out, "remaining", serde_json::json!(on.remaining.saturating_sub(1)));
	json::insert_field(
		&mut out,
		"preimage",
		serde_json::json!(format!("0x{}", hex::encode(preimage))),
	);
	Ok(out)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_next_preimage_follows_the_chain_on_chain_and_refuses_another_chain() {
		let (secret, genesis, id) = ([1; 32], [2; 32], ProviderId([3; 12]));
		let origin =
			|key_hash, counter| ChainOrigin { genesis: &genesis, provider: &id, key_hash, counter };
		let c = commitment(&secret, origin(&[4; 32], 7), 5);
		let mut on = OnChain { anchor: c.anchor, remaining: 5, last_seen: 0 };
		for _ in 0..5 {
			let x = next_preimage(&secret, origin(&[4; 32], 7), &on).unwrap();
			assert_eq!(link(&x), on.anchor);
			on = OnChain { anchor: x, remaining: on.remaining - 1, last_seen: 0 };
		}
		assert_eq!(next_preimage(&secret, origin(&[4; 32], 7), &on), None, "used up");
		// Another counter (another heartbeat's chain), another key (the same counter after a
		// rotation), another secret: not this chain.
		let on = OnChain { anchor: c.anchor, remaining: 5, last_seen: 0 };
		assert_eq!(next_preimage(&secret, origin(&[4; 32], 8), &on), None);
		assert_eq!(next_preimage(&secret, origin(&[5; 32], 7), &on), None);
		assert_eq!(next_preimage(&[9; 32], origin(&[4; 32], 7), &on), None);
	}

	#[test]
	fn the_secret_is_created_once_private_and_read_back() {
		use std::os::unix::fs::PermissionsExt;
		let dir = std::env::temp_dir().join(format!("aicf-liveness-{}", std::process::id()));
		let path = secret_path(&dir, &ProviderId([4; 12]), &[5; 32]);
		let a = load_or_create_secret(&path).unwrap();
		let b = load_or_create_secret(&path).unwrap();
		assert_eq!(a, b);
		assert_ne!(a, [0; 32]);
		let mode = std::fs::metadata(&path).unwrap().permissions().mode();
		assert_eq!(mode & 0o777, 0o600);
		std::fs::write(&path, "not hex").unwrap();
		assert!(matches!(load_or_create_secret(&path), Err(CliError::Input(_))));
		let _ = std::fs::remove_dir_all(&dir);
	}
}
