//! The offline commands: registry keys in PEM files and signatures over the canonical payloads.
//! Nothing here talks to a node; secrets never leave the key file and are never printed.

use crate::chain::json::insert_field;
use aicf_primitives::{
	keys::{public_key_from_spki_pem, public_key_to_spki_pem, RegistryKeypair},
	payload::{HeartbeatReport, RegistrationPayload, MAX_AVAILABILITY_BPS},
	view::HeartbeatView,
	Heartbeat, KeyAlgorithm, ProviderId, RegistryPublicKey,
};
use serde_json::json;
use sp_core::crypto::{AccountId32, Ss58Codec};
use std::{
	fs,
	io::Write,
	path::{Path, PathBuf},
};

/// Result of an offline step; the error is the operator's one line.
pub type Result<T> = std::result::Result<T, String>;

/// Read a text file.
pub fn read(path: &Path) -> Result<String> {
	fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Load a private registry key (PKCS#8 PEM).
pub fn load_key(path: &Path) -> Result<RegistryKeypair> {
	RegistryKeypair::from_pkcs8_pem(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parse `0x` + 64 hex characters.
pub fn hex32(s: &str, what: &str) -> Result<[u8; 32]> {
	let bytes = hex::decode(s.trim_start_matches("0x")).map_err(|_| format!("{what}: not hex"))?;
	bytes.try_into().map_err(|_| format!("{what}: expected 32 bytes (64 hex characters)"))
}

/// Algorithm, id and public key of `pk` as JSON.
pub fn public_json(pk: &RegistryPublicKey) -> serde_json::Value {
	json!({
		"alg": pk.alg.name(),
		"alg_id": pk.alg.id(),
		"provider_id": pk.provider_id().to_string(),
		"public_key": format!("0x{}", hex::encode(&pk.bytes)),
	})
}

fn write_private(path: &Path, pem: &str) -> Result<()> {
	use std::os::unix::fs::OpenOptionsExt;
	let mut f = fs::OpenOptions::new()
		.write(true)
		.create_new(true)
		.mode(0o600)
		.open(path)
		.map_err(|e| format!("cannot create {}: {e}", path.display()))?;
	f.write_all(pem.as_bytes()).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The heartbeat report of a metrics file, in either shape:
/// - spec §10.2: `{"metrics": {"rtt_ms_p50", "availability"}, "load": {"leases_active",
///   "leases_capacity"}}` (a whole heartbeat JSON qualifies; its other fields are ignored);
/// - flat: `{"rtt_ms_p50", "availability", "leases_active", "leases_capacity"}`.
///
/// Availability is a fraction (0.9992), rounded to the basis point. Without a file: full
/// availability and no load. The error names the offending field.
pub fn metrics(path: Option<&Path>) -> Result<HeartbeatReport> {
	let Some(path) = path else {
		return Ok(HeartbeatReport {
			availability_bps: MAX_AVAILABILITY_BPS,
			..Default::default()
		});
	};
	let text = if path.as_os_str() == "-" {
		let mut text = String::new();
		std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
			.map_err(|e| format!("standard input: {e}"))?;
		text
	} else {
		read(path)?
	};
	let v: serde_json::Value =
		serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
	metrics_of(&v).map_err(|e| format!("{}: {e}", path.display()))
}

/// [`metrics`] of parsed JSON.
pub fn metrics_of(v: &serde_json::Value) -> Result<HeartbeatReport> {
	if !v.is_object() {
		return Err("expected a JSON object".into());
	}
	let nested = v.get("metrics").is_some() || v.get("load").is_some();
	let field = |group: &str, name: &str| -> (String, Option<&serde_json::Value>) {
		if nested {
			(format!("{group}.{name}"), v.get(group).and_then(|g| g.get(name)))
		} else {
			(name.to_string(), v.get(name))
		}
	};
	let u32_field = |group: &str, name: &str| -> Result<u32> {
		let (path, x) = field(group, name);
		x.and_then(|x| x.as_u64())
			.and_then(|x| u32::try_from(x).ok())
			.ok_or_else(|| format!("`{path}` must be an integer from 0 to {}", u32::MAX))
	};
	let (path, availability) = field("metrics", "availability");
	let availability_bps = availability
		.and_then(|x| x.as_f64())
		.filter(|a| (0.0..=1.0).contains(a))
		// In 0..=10_000 after the range check.
		.map(|a| (a * 10_000.0).round() as u16)
		.ok_or_else(|| format!("`{path}` must be a number from 0 to 1"))?;
	Ok(HeartbeatReport {
		rtt_ms_p50: u32_field("metrics", "rtt_ms_p50")?,
		availability_bps,
		leases_active: u32_field("load", "leases_active")?,
		leases_capacity: u32_field("load", "leases_capacity")?,
	})
}

/// Unix seconds now.
pub fn now_secs() -> Result<u64> {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_secs())
		.map_err(|e| e.to_string())
}

/// `aicf key generate`.
pub fn key_generate(alg: KeyAlgorithm, out: &Path) -> Result<serde_json::Value> {
	let kp = RegistryKeypair::generate(alg).map_err(|e| e.to_string())?;
	write_private(out, &kp.to_pkcs8_pem().map_err(|e| e.to_string())?)?;
	Ok(public_json(&kp.public()))
}

/// `aicf key public`.
pub fn key_public(key: &Path, out: Option<&PathBuf>) -> Result<serde_json::Value> {
	let pem = public_key_to_spki_pem(&load_key(key)?.public()).map_err(|e| e.to_string())?;
	match out {
		Some(path) => {
			fs::write(path, pem).map_err(|e| format!("cannot write {}: {e}", path.display()))?
		},
		None => print!("{pem}"),
	}
	Ok(serde_json::Value::Null)
}

/// The public key of a private (PKCS#8 PEM) or public (SPKI PEM) key file.
pub fn load_public_key(file: &Path) -> Result<RegistryPublicKey> {
	let text = read(file)?;
	if text.contains("PRIVATE KEY") {
		Ok(RegistryKeypair::from_pkcs8_pem(&text)
			.map_err(|e| format!("{}: {e}", file.display()))?
			.public())
	} else {
		public_key_from_spki_pem(&text).map_err(|e| format!("{}: {e}", file.display()))
	}
}

/// `aicf key inspect`.
pub fn key_inspect(file: &Path) -> Result<serde_json::Value> {
	Ok(public_json(&load_public_key(file)?))
}

/// The registration proof of possession of `kp` for `controller` (32-byte account) on the
/// chain with `genesis`.
pub fn proof_of_possession(
	kp: &RegistryKeypair,
	controller: &[u8; 32],
	genesis: [u8; 32],
) -> Result<(Vec<u8>, Vec<u8>)> {
	let pk = kp.public();
	let payload = RegistrationPayload {
		genesis,
		provider: pk.provider_id(),
		controller: controller.to_vec(),
		alg: pk.alg.id(),
	}
	.encode();
	let sig = kp.sign(&payload).map_err(|e| e.to_string())?;
	Ok((payload, sig.into_inner()))
}

/// `aicf sign register`.
pub fn sign_register(key: &Path, controller: &str, genesis: &str) -> Result<serde_json::Value> {
	let kp = load_key(key)?;
	let account = AccountId32::from_ss58check(controller)
		.map_err(|e| format!("controller {controller:?}: not an SS58 address ({e:?})"))?;
	let (payload, sig) = proof_of_possession(&kp, account.as_ref(), hex32(genesis, "genesis")?)?;
	let mut out = public_json(&kp.public());
	insert_field(&mut out, "payload", json!(format!("0x{}", hex::encode(&payload))));
	insert_field(&mut out, "pop_signature", json!(format!("0x{}", hex::encode(&sig))));
	Ok(out)
}

/// What `aicf sign heartbeat` signs besides the key, provider and chain.
#[derive(Clone, Copy, Debug, Default)]
pub struct HeartbeatFields<'a> {
	/// The counter.
	pub counter: u64,
	/// Unix seconds (default: now).
	pub timestamp: Option<u64>,
	/// `0x` + 64 hex (default: zero).
	pub attest_hash: Option<&'a str>,
	/// The metrics file (`-`: standard input; default: availability 1, no load).
	pub metrics_file: Option<&'a Path>,
	/// The liveness commitment: anchor (`0x` + 64 hex) and length.
	pub liveness: Option<(&'a str, u32)>,
}

/// `aicf sign heartbeat`.
pub fn sign_heartbeat(
	key: &Path,
	provider: Option<ProviderId>,
	genesis: &str,
	fields: HeartbeatFields<'_>,
) -> Result<serde_json::Value> {
	let HeartbeatFields { counter, timestamp, attest_hash, metrics_file, liveness } = fields;
	let kp = load_key(key)?;
	let timestamp = match timestamp {
		Some(t) => t,
		None => now_secs()?,
	};
	let attest_hash = match attest_hash {
		Some(h) => hex32(h, "attest-hash")?,
		None => [0; 32],
	};
	let report = metrics(metrics_file)?;
	let genesis = hex32(genesis, "genesis")?;
	let provider = provider.unwrap_or_else(|| kp.public().provider_id());
	let liveness = match liveness {
		Some((anchor, length)) => Some(aicf_primitives::liveness::LivenessCommitment {
			anchor: hex32(anchor, "liveness-anchor")?,
			length,
		}),
		None => None,
	};
	let heartbeat = Heartbeat { provider, counter, timestamp, attest_hash, report, liveness };
	let sig = kp.sign(&heartbeat.payload(genesis).encode()).map_err(|e| e.to_string())?;
	serde_json::to_value(HeartbeatView::from_signed(&heartbeat, &sig)).map_err(|e| e.to_string())
}

/// One kind of change of `aicf sign update`: each is its own call on chain, signed over an
/// update payload carrying that change alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateChange {
	/// `update_capabilities`.
	Capabilities(aicf_primitives::Capabilities),
	/// `update_region`.
	Region(Vec<u8>),
	/// `update_endpoint`: the endpoint (kept or new) and, if it changes, the contact.
	Endpoint {
		/// The endpoint after the update.
		endpoint: Vec<u8>,
		/// The new contact, if it changes.
		contact: Option<Vec<u8>>,
	},
}

/// The update payload of `change` for `provider` at key nonce `nonce` on chain `genesis`.
pub fn update_payload(
	genesis: [u8; 32],
	provider: ProviderId,
	nonce: u64,
	change: &UpdateChange,
) -> aicf_primitives::payload::UpdatePayload {
	let mut p = aicf_primitives::payload::UpdatePayload {
		genesis,
		provider,
		nonce,
		capabilities: None,
		region: None,
		endpoint: None,
		contact: None,
	};
	match change {
		UpdateChange::Capabilities(c) => p.capabilities = Some(c.clone()),
		UpdateChange::Region(r) => p.region = Some(r.clone()),
		UpdateChange::Endpoint { endpoint, contact } => {
			p.endpoint = Some(endpoint.clone());
			p.contact = contact.clone();
		},
	}
	p
}

fn text_of(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

/// `aicf sign update`: the registry key's signature over one change, for `aicf submit` on an
/// online machine: `{kind: "update", provider_id, nonce, capabilities (SCALE, 0x hex) |
/// region | endpoint and contact, signature}`.
pub fn sign_update(
	key: &Path,
	provider: ProviderId,
	genesis: &str,
	nonce: u64,
	change: &UpdateChange,
) -> Result<serde_json::Value> {
	use codec::Encode as _;
	let kp = load_key(key)?;
	let payload = update_payload(hex32(genesis, "genesis")?, provider, nonce, change);
	let sig = kp.sign(&payload.encode()).map_err(|e| e.to_string())?;
	let mut out = json!({ "kind": "update", "provider_id": provider.to_string(), "nonce": nonce });
	match change {
		UpdateChange::Capabilities(c) => {
			insert_field(&mut out, "capabilities", json!(format!("0x{}", hex::encode(c.encode()))))
		},
		UpdateChange::Region(r) => insert_field(&mut out, "region", json!(text_of(r))),
		UpdateChange::Endpoint { endpoint, contact } => {
			insert_field(&mut out, "endpoint", json!(text_of(endpoint)));
			insert_field(&mut out, "contact", json!(contact.as_deref().map(text_of)));
		},
	}
	insert_field(&mut out, "signature", json!(format!("0x{}", hex::encode(&sig))));
	Ok(out)
}

/// The rotation payload of `provider` moving to `new` at key nonce `nonce`.
pub fn rotation_payload(
	genesis: [u8; 32],
	provider: ProviderId,
	nonce: u64,
	new: &RegistryPublicKey,
) -> Vec<u8> {
	aicf_primitives::payload::RotationPayload {
		genesis,
		provider,
		nonce,
		new_alg: new.alg.id(),
		new_public_key: new.bytes.to_vec(),
	}
	.encode()
}

/// `aicf sign rotate`: both keys' signatures over the rotation payload, for `aicf submit`:
/// `{kind: "rotate", provider_id, nonce, new_key {alg, public_key}, signature_by_old,
/// signature_by_new}`.
pub fn sign_rotate(
	old_key: &Path,
	new_key: &Path,
	provider: ProviderId,
	genesis: &str,
	nonce: u64,
) -> Result<serde_json::Value> {
	let (old, new) = (load_key(old_key)?, load_key(new_key)?);
	let new_pk = new.public();
	let message = rotation_payload(hex32(genesis, "genesis")?, provider, nonce, &new_pk);
	let by_old = old.sign(&message).map_err(|e| e.to_string())?;
	let by_new = new.sign(&message).map_err(|e| e.to_string())?;
	Ok(json!({
		"kind": "rotate",
		"provider_id": provider.to_string(),
		"nonce": nonce,
		"new_key": { "alg": new_pk.alg.name(), "public_key": format!("0x{}", hex::encode(&new_pk.bytes)) },
		"signature_by_old": format!("0x{}", hex::encode(&by_old)),
		"signature_by_new": format!("0x{}", hex::encode(&by_new)),
	}))
}
