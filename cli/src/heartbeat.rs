//! `provider heartbeat`: one heartbeat, safe to run from cron.
//!
//! - The counter comes from chain state (the last accepted counter + 1), never from a guess.
//! - A local state file (one per provider and chain) records each heartbeat before it is
//!   sent; within the chain's minimum interval after it nothing is sent again, even if the
//!   first one is still in the pool or the process died after sending it. A counter recorded
//!   there and not yet on chain is never reused.
//! - The heartbeat is dry-run against the best block first, so "too early" and every other
//!   refusal is known, with the registry's reason, before anything is sent.
//! - It goes out as a bare extrinsic signed by the registry key alone: no account, no fee.
//!
//! Exit codes: 0 sent, 5 too early, 4 rejected, 3 node unreachable (see [`crate::error`]).

use crate::{
	chain::{
		calls::{self, Arg},
		connection::Chain,
		json, state,
		submission::{self, Wait},
	},
	error::{CliError, Result},
	liveness, offline,
	provider::{self, REGISTRY},
};
use aicf_primitives::{payload::HeartbeatReport, Heartbeat, ProviderId};
use std::path::{Path, PathBuf};

/// What the state file remembers of the last heartbeat sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LastSent {
	counter: u64,
	sent_at: u64,
}

/// The default state directory: `$XDG_STATE_HOME/aicf`, else `$HOME/.local/state/aicf`.
pub fn default_state_dir() -> Option<PathBuf> {
	if let Some(dir) = std::env::var_os("XDG_STATE_HOME").filter(|d| !d.is_empty()) {
		return Some(PathBuf::from(dir).join("aicf"));
	}
	std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state/aicf"))
}

fn state_path(dir: &Path, provider: &ProviderId, genesis: &[u8; 32]) -> PathBuf {
	let g = hex::encode(genesis);
	dir.join(format!("heartbeat-{}-{}.json", hex::encode(provider.0), g.get(..16).unwrap_or(&g)))
}

fn read_state(path: &Path) -> Result<Option<LastSent>> {
	let text = match std::fs::read_to_string(path) {
		Ok(t) => t,
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
		Err(e) => return Err(CliError::Input(format!("cannot read {}: {e}", path.display()))),
	};
	let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
		CliError::Input(format!("{}: not a heartbeat state file ({e}); remove it", path.display()))
	})?;
	match (json::lookup(&v, "/counter").as_u64(), json::lookup(&v, "/sent_at").as_u64()) {
		(Some(counter), Some(sent_at)) => Ok(Some(LastSent { counter, sent_at })),
		_ => Err(CliError::Input(format!(
			"{}: not a heartbeat state file (no counter/sent_at); remove it",
			path.display()
		))),
	}
}

fn write_state(path: &Path, provider: &ProviderId, last: LastSent) -> Result<()> {
	if let Some(dir) = path.parent() {
		std::fs::create_dir_all(dir)
			.map_err(|e| CliError::Input(format!("cannot create {}: {e}", dir.display())))?;
	}
	let text = serde_json::json!({
		"provider": provider.to_string(),
		"counter": last.counter,
		"sent_at": last.sent_at,
	})
	.to_string();
	// Write then rename, so a crash never leaves a half-written file.
	let tmp = path.with_extension("json.tmp");
	std::fs::write(&tmp, text)
		.and_then(|_| std::fs::rename(&tmp, path))
		.map_err(|e| CliError::Input(format!("cannot write {}: {e}", path.display())))
}

/// Seconds per block from the runtime's constants (Aura's slot, else twice the timestamp
/// minimum period), 6 s if neither is known.
pub fn block_secs(metadata: &subxt::Metadata) -> u64 {
	let ms = state::constant_u128(metadata, "Aura", "SlotDuration")
		.or_else(|| {
			state::constant_u128(metadata, "Timestamp", "MinimumPeriod")
				.map(|p| p.saturating_mul(2))
		})
		.unwrap_or(6_000);
	u64::try_from(ms / 1_000).unwrap_or(6).max(1)
}

/// A heartbeat ready to be signed: the chain's view of the provider at the best block, the
/// counter and timestamp to sign, and where the state file is.
pub struct Prepared {
	at: crate::chain::connection::ClientAtBlock,
	record: subxt::dynamic::Value,
	/// The heartbeat to sign (its report included).
	pub heartbeat: Heartbeat,
	/// The provider's registry key on chain.
	pub key: aicf_primitives::RegistryPublicKey,
	path: PathBuf,
	min_blocks: u64,
}

/// Everything before signing a heartbeat of `provider` reporting `report`: the provider's
/// current key and attestation hash, the state-file guard (nothing within the chain's minimum
/// interval of the last one sent) and the next counter.
pub async fn prepare(
	chain: &Chain,
	provider: &ProviderId,
	report: HeartbeatReport,
	state_dir: &Path,
	liveness_chain: u32,
) -> Result<Prepared> {
	let at = chain.at_best().await?;
	let metadata = at.metadata_ref();
	if !calls::has_call(metadata, REGISTRY, "heartbeat") {
		return Err(CliError::Unsupported(format!("the runtime has no {REGISTRY}.heartbeat")));
	}
	let record = match provider::record(chain, &at, provider).await {
		Ok(r) => r,
		Err(CliError::NotFound(m)) => return Err(CliError::Rejected(m)),
		Err(e) => return Err(e),
	};
	let (chain_counter, attest_hash) = heartbeat_state(&record, provider)?;
	let key = provider::current_key(&record)?;

	let genesis = chain.genesis();
	let path = state_path(state_dir, provider, &genesis);
	let last = read_state(&path)?;
	let min_blocks = state::constant_u128(metadata, REGISTRY, "MinHeartbeatInterval")
		.and_then(|b| u64::try_from(b).ok())
		.unwrap_or(1);
	let guard_secs = min_blocks.saturating_mul(block_secs(metadata));
	let now = offline::now_secs()?;
	if let Some(last) = last {
		let age = now.saturating_sub(last.sent_at);
		if age < guard_secs {
			return Err(CliError::TooEarly(format!(
				"heartbeat {} was sent {age} s ago; the minimum interval is {min_blocks} blocks \
				 (~{guard_secs} s); state file {}",
				last.counter,
				path.display()
			)));
		}
	}
	let step = state::constant_u128(metadata, REGISTRY, "MaxHeartbeatCounterStep")
		.and_then(|s| u64::try_from(s).ok())
		.unwrap_or(u64::MAX);
	let counter = next_counter(chain_counter, last.map(|l| l.counter), step)
		.ok_or_else(|| CliError::Other("heartbeat counter exhausted".into()))?;
	// A chain of `liveness_chain` proofs, its seed from the secret beside the state file.
	let liveness = if liveness_chain == 0 {
		None
	} else {
		let secret =
			liveness::load_or_create_secret(&liveness::secret_path(state_dir, provider, &genesis))?;
		let key_hash = key.key_hash();
		let origin =
			liveness::ChainOrigin { genesis: &genesis, provider, key_hash: &key_hash, counter };
		Some(liveness::commitment(&secret, origin, liveness_chain))
	};
	let heartbeat =
		Heartbeat { provider: *provider, counter, timestamp: now, attest_hash, report, liveness };
	Ok(Prepared { at, record, heartbeat, key, path, min_blocks })
}

/// Check `signature` over `prepared`'s heartbeat under the provider's key, record it in the
/// state file and send it. Returns what was sent.
pub async fn submit_prepared(
	chain: &Chain,
	prepared: Prepared,
	signature: &[u8],
	wait: Wait,
	quiet: bool,
) -> Result<serde_json::Value> {
	let Prepared { at, record, heartbeat, key, path, min_blocks } = prepared;
	if key.verify(&heartbeat.payload(chain.genesis()).encode(), signature).is_err() {
		return Err(CliError::Input(format!(
			"the signature does not verify under {}'s current registry key for this chain",
			heartbeat.provider
		)));
	}
	let signature: aicf_primitives::crypto::SignatureBytes =
		signature.to_vec().try_into().map_err(|_| CliError::Input("signature too long".into()))?;
	let call = heartbeat_call(at.metadata_ref(), &heartbeat, &signature)?;
	let (provider, counter, now) = (heartbeat.provider, heartbeat.counter, heartbeat.timestamp);
	let outcome = submission::submit_bare(chain, &at, &call, wait, quiet, || {
		write_state(&path, &provider, LastSent { counter, sent_at: now })
	})
	.await
	.map_err(|e| match e {
		CliError::TooEarly(m) => {
			let last_block = state::field(&record, "last_heartbeat")
				.and_then(state::option_of)
				.and_then(|v| v.as_u128());
			match last_block {
				Some(b) => CliError::TooEarly(format!(
					"{m}; last heartbeat at block #{b}, next from block #{}",
					b.saturating_add(u128::from(min_blocks))
				)),
				None => CliError::TooEarly(m),
			}
		},
		other => other,
	})?;
	let mut out = outcome.to_json();
	json::insert_field(&mut out, "provider_id", serde_json::json!(provider.to_string()));
	json::insert_field(&mut out, "counter", serde_json::json!(counter));
	json::insert_field(&mut out, "timestamp", serde_json::json!(now));
	json::insert_field(
		&mut out,
		"attest_hash",
		serde_json::json!(format!("0x{}", hex::encode(heartbeat.attest_hash))),
	);
	if let Some(c) = heartbeat.liveness {
		json::insert_field(&mut out, "liveness_chain", serde_json::json!(c.length));
	}
	Ok(out)
}

/// What a heartbeat keeps on the sending machine: the state directory (the state file, the
/// liveness secret) and the length of the liveness chain it commits to (0: none).
#[derive(Clone, Copy, Debug)]
pub struct Local<'a> {
	/// The state directory.
	pub state_dir: &'a Path,
	/// Proofs in the liveness chain the heartbeat commits to (0: no commitment).
	pub liveness_chain: u32,
}

/// Send one heartbeat of `provider` signed with `key`, reporting `report`, committing to a
/// liveness chain as `local` says. Returns what was sent.
pub async fn send(
	chain: &Chain,
	provider: &ProviderId,
	key: &Path,
	report: HeartbeatReport,
	local: Local<'_>,
	wait: Wait,
	quiet: bool,
) -> Result<serde_json::Value> {
	let kp = offline::load_key(key)?;
	let prepared = prepare(chain, provider, report, local.state_dir, local.liveness_chain).await?;
	if prepared.key != kp.public() {
		return Err(CliError::Input(format!(
			"{} is not the current registry key of {provider}",
			key.display()
		)));
	}
	let signature = kp
		.sign(&prepared.heartbeat.payload(chain.genesis()).encode())
		.map_err(|e| CliError::Input(e.to_string()))?;
	submit_prepared(chain, prepared, &signature, wait, quiet).await
}

/// The registry's `heartbeat` call with its signature.
fn heartbeat_call(
	metadata: &subxt::Metadata,
	heartbeat: &Heartbeat,
	signature: &aicf_primitives::crypto::SignatureBytes,
) -> Result<calls::Call> {
	calls::build(
		metadata,
		REGISTRY,
		"heartbeat",
		vec![("heartbeat", Arg::scale(heartbeat)), ("signature", Arg::scale(signature))],
	)
}

/// The last accepted heartbeat counter of `provider` and the hash it attests with (the `ai`
/// attestation first; zero when it has none). A deregistered provider is a rejection.
fn heartbeat_state(
	record: &subxt::dynamic::Value,
	provider: &ProviderId,
) -> Result<(u64, [u8; 32])> {
	let status = state::field(record, "status").map(json::value_json);
	if status.as_ref().and_then(|s| s.as_str()) == Some("Deregistered") {
		return Err(CliError::Rejected(format!("{provider} has deregistered")));
	}
	let chain_counter = state::field(record, "heartbeat.counter")
		.and_then(|v| v.as_u128())
		.and_then(|v| u64::try_from(v).ok())
		.ok_or_else(|| {
			CliError::Unsupported("the provider record has no heartbeat.counter".into())
		})?;
	let attest_hash: [u8; 32] = ["attestations.ai", "attestations.quantum"]
		.into_iter()
		.find_map(|slot| {
			state::field(record, slot)
				.and_then(state::option_of)
				.and_then(|a| state::field(a, "evidence_hash"))
				.and_then(state::bytes_of)
				.and_then(|b| b.try_into().ok())
		})
		.unwrap_or([0; 32]);
	Ok((chain_counter, attest_hash))
}

/// `aicf signing-inputs`: what a machine holding the registry key offline needs to sign for
/// this chain — the genesis hash and, for a provider, the next heartbeat counter and the
/// attestation hash to report.
pub async fn signing_inputs(
	chain: &Chain,
	provider: Option<&ProviderId>,
) -> Result<serde_json::Value> {
	let mut out = serde_json::json!({ "genesis": format!("0x{}", hex::encode(chain.genesis())) });
	if let Some(provider) = provider {
		let at = chain.at_best().await?;
		let record = provider::record(chain, &at, provider).await?;
		let (counter, attest_hash) = heartbeat_state(&record, provider)?;
		json::insert_field(&mut out, "provider_id", serde_json::json!(provider.to_string()));
		json::insert_field(&mut out, "next_counter", serde_json::json!(counter.saturating_add(1)));
		json::insert_field(
			&mut out,
			"attest_hash",
			serde_json::json!(format!("0x{}", hex::encode(attest_hash))),
		);
		let nonce = state::field(&record, "key_nonce")
			.and_then(|v| v.as_u128())
			.and_then(|n| u64::try_from(n).ok());
		json::insert_field(&mut out, "key_nonce", serde_json::json!(nonce));
	}
	Ok(out)
}

/// `aicf submit`: send a heartbeat signed elsewhere (the JSON `aicf sign heartbeat` prints).
/// The signature is checked here against the provider's current key and this chain's genesis,
/// so a heartbeat signed for another chain or key, or edited after signing, is named before
/// anything is sent; the pool's dry run then names every other refusal (counter, timestamp,
/// interval). Exit codes as `provider heartbeat`.
pub async fn submit_signed(
	chain: &Chain,
	file: &Path,
	wait: Wait,
	quiet: bool,
) -> Result<serde_json::Value> {
	let text = std::fs::read_to_string(file)
		.map_err(|e| CliError::Input(format!("cannot read {}: {e}", file.display())))?;
	let view: aicf_primitives::view::HeartbeatView = serde_json::from_str(&text).map_err(|e| {
		CliError::Input(format!("{}: not a signed heartbeat ({e})", file.display()))
	})?;
	let (heartbeat, signature) =
		view.to_signed().map_err(|e| CliError::Input(format!("{}: {e}", file.display())))?;
	let provider = heartbeat.provider;
	let at = chain.at_best().await?;
	let metadata = at.metadata_ref();
	if !calls::has_call(metadata, REGISTRY, "heartbeat") {
		return Err(CliError::Unsupported(format!("the runtime has no {REGISTRY}.heartbeat")));
	}
	let record = match provider::record(chain, &at, &provider).await {
		Ok(r) => r,
		Err(CliError::NotFound(m)) => return Err(CliError::Rejected(m)),
		Err(e) => return Err(e),
	};
	heartbeat_state(&record, &provider)?;
	let pk = provider::current_key(&record)?;
	if pk.verify(&heartbeat.payload(chain.genesis()).encode(), &signature).is_err() {
		return Err(CliError::Input(format!(
			"{}: the signature does not verify under {provider}'s current registry key for this \
			 chain (genesis 0x{}): signed with another key or for another chain, or edited after \
			 signing",
			file.display(),
			hex::encode(chain.genesis())
		)));
	}
	let signature: aicf_primitives::crypto::SignatureBytes = signature
		.try_into()
		.map_err(|_| CliError::Input(format!("{}: `signature` too long", file.display())))?;
	let call = heartbeat_call(metadata, &heartbeat, &signature)?;
	let outcome = submission::submit_bare(chain, &at, &call, wait, quiet, || Ok(())).await?;
	let mut out = outcome.to_json();
	json::insert_field(&mut out, "provider_id", serde_json::json!(provider.to_string()));
	json::insert_field(&mut out, "counter", serde_json::json!(heartbeat.counter));
	Ok(out)
}

/// The counter of the next heartbeat: one above both the chain's last accepted counter and the
/// one recorded in the state file (a heartbeat that may still wait in the pool), unless the
/// recorded one is a whole `step` ahead of the chain — it then predates a key rotation, which
/// restarts the chain's counter, and only the chain's counts.
pub fn next_counter(chain: u64, recorded: Option<u64>, step: u64) -> Option<u64> {
	let recorded = recorded.filter(|r| r.saturating_sub(chain) < step).unwrap_or(0);
	chain.max(recorded).checked_add(1)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn next_counter_skips_a_pending_heartbeat_and_forgets_one_from_before_a_rotation() {
		assert_eq!(next_counter(0, None, 1_000), Some(1));
		assert_eq!(next_counter(41, Some(41), 1_000), Some(42));
		// The last one sent may still be in the pool: never reuse its counter.
		assert_eq!(next_counter(41, Some(42), 1_000), Some(43));
		// After a rotation the chain restarts at 0; the old state file is far ahead of it.
		assert_eq!(next_counter(0, Some(5_000), 1_000), Some(1));
		assert_eq!(next_counter(0, Some(999), 1_000), Some(1_000));
		assert_eq!(next_counter(u64::MAX, None, 1_000), None);
	}

	#[test]
	fn state_file_round_trips_and_refuses_garbage() {
		let dir = std::env::temp_dir().join(format!("aicf-hb-state-{}", std::process::id()));
		let id = ProviderId([7; 12]);
		let path = state_path(&dir, &id, &[9; 32]);
		assert_eq!(read_state(&path), Ok(None));
		let last = LastSent { counter: 41, sent_at: 1_750_000_000 };
		write_state(&path, &id, last).unwrap();
		assert_eq!(read_state(&path), Ok(Some(last)));
		std::fs::write(&path, "{}").unwrap();
		assert!(matches!(read_state(&path), Err(CliError::Input(m)) if m.contains("remove it")));
		std::fs::write(&path, "not json").unwrap();
		assert!(matches!(read_state(&path), Err(CliError::Input(_))));
		std::fs::remove_dir_all(&dir).unwrap();
	}
}
