//! # `aicf` — the operator tool
//!
//! Offline half of operating a provider: registry keys in PEM files, provider ids, and
//! signatures over the registry's canonical payloads, ready to paste into polkadot-js (or any
//! client) as call arguments. Nothing here talks to a node; secrets never leave the key file
//! and are never printed.
//!
//! ```text
//! aicf key generate --alg ml-dsa-65 --out key.pem
//! aicf key public key.pem --out pub.pem
//! aicf key inspect key.pem
//! aicf sign register  --key key.pem --controller <SS58> --genesis 0x…
//! aicf sign heartbeat --key key.pem --genesis 0x… --counter 7 [--timestamp …] [--attest-hash 0x…] [--metrics-file m.json]
//! ```

use aicf_primitives::{
	keys::{public_key_from_spki_pem, public_key_to_spki_pem, RegistryKeypair},
	payload::{HeartbeatPayload, HeartbeatReport, RegistrationPayload, MAX_AVAILABILITY_BPS},
	KeyAlgorithm, RegistryPublicKey,
};
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::json;
use sp_core::crypto::{AccountId32, Ss58Codec};
use std::{fs, io::Write, path::PathBuf, process::ExitCode};

/// Exit code for a usage or input error (bad file, bad argument).
const EXIT_INPUT: u8 = 2;

#[derive(Parser)]
#[command(name = "aicf", version, about = "AICF provider registry operator tool")]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Registry keys.
	#[command(subcommand)]
	Key(KeyCmd),
	/// Sign a canonical payload with a registry key; prints JSON with hex fields.
	#[command(subcommand)]
	Sign(SignCmd),
}

#[derive(Clone, Copy, ValueEnum)]
enum Alg {
	#[value(name = "ml-dsa-65")]
	MlDsa65,
	#[value(name = "slh-dsa-sha2-128s")]
	SlhDsaSha2_128s,
}

#[derive(Subcommand)]
enum KeyCmd {
	/// Generate a key pair and write the private key (PKCS#8 PEM, mode 0600).
	Generate {
		/// Algorithm.
		#[arg(long, value_enum, default_value = "ml-dsa-65")]
		alg: Alg,
		/// Output file; refused if it exists.
		#[arg(long)]
		out: PathBuf,
	},
	/// Write the public key (SPKI PEM) of a private key.
	Public {
		/// Private key file.
		key: PathBuf,
		/// Output file (stdout if absent).
		#[arg(long)]
		out: Option<PathBuf>,
	},
	/// Show algorithm and provider id of a private or public key file.
	Inspect {
		/// PEM file.
		file: PathBuf,
	},
}

#[derive(Subcommand)]
enum SignCmd {
	/// Proof of possession for `register`: binds the key to a controller on one chain.
	Register {
		/// Private key file.
		#[arg(long)]
		key: PathBuf,
		/// Controller account (SS58).
		#[arg(long)]
		controller: String,
		/// Genesis hash of the chain (0x + 64 hex), e.g. from `chain_getBlockHash(0)`.
		#[arg(long)]
		genesis: String,
	},
	/// A heartbeat's signature.
	Heartbeat {
		/// Private key file.
		#[arg(long)]
		key: PathBuf,
		/// Genesis hash of the chain.
		#[arg(long)]
		genesis: String,
		/// Counter, greater than the last accepted one.
		#[arg(long)]
		counter: u64,
		/// Unix seconds (default: now).
		#[arg(long)]
		timestamp: Option<u64>,
		/// Current attestation hash (default: zero, no attestation).
		#[arg(long)]
		attest_hash: Option<String>,
		/// JSON file `{"rtt_ms_p50", "availability", "leases_active", "leases_capacity"}`
		/// (availability as a fraction, e.g. 0.9992).
		#[arg(long)]
		metrics_file: Option<PathBuf>,
	},
}

type Result<T> = std::result::Result<T, String>;

fn read(path: &PathBuf) -> Result<String> {
	fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn load_key(path: &PathBuf) -> Result<RegistryKeypair> {
	RegistryKeypair::from_pkcs8_pem(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))
}

fn hex32(s: &str, what: &str) -> Result<[u8; 32]> {
	let bytes = hex::decode(s.trim_start_matches("0x")).map_err(|_| format!("{what}: not hex"))?;
	bytes.try_into().map_err(|_| format!("{what}: expected 32 bytes (64 hex characters)"))
}

fn public_json(pk: &RegistryPublicKey) -> serde_json::Value {
	json!({
		"alg": pk.alg.name(),
		"alg_id": pk.alg.id(),
		"provider_id": pk.provider_id().to_string(),
		"public_key": format!("0x{}", hex::encode(&pk.bytes)),
	})
}

fn write_private(path: &PathBuf, pem: &str) -> Result<()> {
	use std::os::unix::fs::OpenOptionsExt;
	let mut f = fs::OpenOptions::new()
		.write(true)
		.create_new(true)
		.mode(0o600)
		.open(path)
		.map_err(|e| format!("cannot create {}: {e}", path.display()))?;
	f.write_all(pem.as_bytes()).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn metrics(path: &Option<PathBuf>) -> Result<HeartbeatReport> {
	let Some(path) = path else {
		return Ok(HeartbeatReport {
			availability_bps: MAX_AVAILABILITY_BPS,
			..Default::default()
		});
	};
	let v: serde_json::Value =
		serde_json::from_str(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))?;
	let u32_field = |name: &str| -> Result<u32> {
		v.get(name)
			.and_then(|x| x.as_u64())
			.and_then(|x| u32::try_from(x).ok())
			.ok_or_else(|| format!("{}: `{name}` must be a non-negative integer", path.display()))
	};
	let availability = v
		.get("availability")
		.and_then(|x| x.as_f64())
		.filter(|a| (0.0..=1.0).contains(a))
		.ok_or_else(|| {
			format!("{}: `availability` must be a number from 0 to 1", path.display())
		})?;
	Ok(HeartbeatReport {
		rtt_ms_p50: u32_field("rtt_ms_p50")?,
		availability_bps: (availability * 10_000.0).round() as u16,
		leases_active: u32_field("leases_active")?,
		leases_capacity: u32_field("leases_capacity")?,
	})
}

fn run(cli: Cli) -> Result<serde_json::Value> {
	match cli.command {
		Command::Key(KeyCmd::Generate { alg, out }) => {
			let alg = match alg {
				Alg::MlDsa65 => KeyAlgorithm::MlDsa65,
				Alg::SlhDsaSha2_128s => KeyAlgorithm::SlhDsaSha2_128s,
			};
			let kp = RegistryKeypair::generate(alg).map_err(|e| e.to_string())?;
			write_private(&out, &kp.to_pkcs8_pem().map_err(|e| e.to_string())?)?;
			Ok(public_json(&kp.public()))
		},
		Command::Key(KeyCmd::Public { key, out }) => {
			let pem =
				public_key_to_spki_pem(&load_key(&key)?.public()).map_err(|e| e.to_string())?;
			match out {
				Some(path) => fs::write(&path, pem)
					.map_err(|e| format!("cannot write {}: {e}", path.display()))?,
				None => print!("{pem}"),
			}
			Ok(serde_json::Value::Null)
		},
		Command::Key(KeyCmd::Inspect { file }) => {
			let text = read(&file)?;
			let pk = if text.contains("PRIVATE KEY") {
				RegistryKeypair::from_pkcs8_pem(&text).map_err(|e| e.to_string())?.public()
			} else {
				public_key_from_spki_pem(&text).map_err(|e| e.to_string())?
			};
			Ok(public_json(&pk))
		},
		Command::Sign(SignCmd::Register { key, controller, genesis }) => {
			let kp = load_key(&key)?;
			let account = AccountId32::from_ss58check(&controller)
				.map_err(|e| format!("controller {controller:?}: not an SS58 address ({e:?})"))?;
			let pk = kp.public();
			let payload = RegistrationPayload {
				genesis: hex32(&genesis, "genesis")?,
				provider: pk.provider_id(),
				controller: AsRef::<[u8]>::as_ref(&account).to_vec(),
				alg: pk.alg.id(),
			}
			.encode();
			let sig = kp.sign(&payload).map_err(|e| e.to_string())?;
			let mut out = public_json(&pk);
			out["payload"] = json!(format!("0x{}", hex::encode(&payload)));
			out["pop_signature"] = json!(format!("0x{}", hex::encode(&sig)));
			Ok(out)
		},
		Command::Sign(SignCmd::Heartbeat {
			key,
			genesis,
			counter,
			timestamp,
			attest_hash,
			metrics_file,
		}) => {
			let kp = load_key(&key)?;
			let timestamp = match timestamp {
				Some(t) => t,
				None => std::time::SystemTime::now()
					.duration_since(std::time::UNIX_EPOCH)
					.map_err(|e| e.to_string())?
					.as_secs(),
			};
			let attest_hash = match attest_hash {
				Some(h) => hex32(&h, "attest-hash")?,
				None => [0; 32],
			};
			let report = metrics(&metrics_file)?;
			let payload = HeartbeatPayload {
				genesis: hex32(&genesis, "genesis")?,
				provider: kp.public().provider_id(),
				counter,
				timestamp,
				attest_hash,
				report,
			};
			let sig = kp.sign(&payload.encode()).map_err(|e| e.to_string())?;
			Ok(json!({
				"heartbeat": {
					"provider": payload.provider.to_string(),
					"counter": counter,
					"timestamp": timestamp,
					"attest_hash": format!("0x{}", hex::encode(attest_hash)),
					"report": {
						"rtt_ms_p50": report.rtt_ms_p50,
						"availability_bps": report.availability_bps,
						"leases_active": report.leases_active,
						"leases_capacity": report.leases_capacity,
					},
				},
				"signature": format!("0x{}", hex::encode(&sig)),
			}))
		},
	}
}

fn main() -> ExitCode {
	match run(Cli::parse()) {
		Ok(serde_json::Value::Null) => ExitCode::SUCCESS,
		Ok(v) => {
			println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
			ExitCode::SUCCESS
		},
		Err(e) => {
			eprintln!("aicf: {e}");
			ExitCode::from(EXIT_INPUT)
		},
	}
}
