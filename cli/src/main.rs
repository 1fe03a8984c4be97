//! # `aicf` — the operator tool
//!
//! Everything a provider operator does, offline and against a node:
//!
//! ```text
//! # offline: keys and signatures
//! aicf key generate --alg ml-dsa-65 --out key.pem
//! aicf key public key.pem --out pub.pem
//! aicf key inspect key.pem
//! aicf sign register  --key key.pem --controller <SS58> --genesis 0x…
//! aicf sign heartbeat --key key.pem --genesis 0x… --counter 7 [--metrics-file m.json] > hb.json
//!
//! # online (subxt; --url ws://127.0.0.1:9944, controller from --suri/--suri-file/AICF_SURI)
//! aicf signing-inputs [--provider provider:…]     # genesis, next counter, attestation hash
//! aicf submit hb.json                              # a heartbeat signed offline
//! aicf provider register --pubkey pub.pem --pop pop.json --region …   # key kept offline
//! aicf provider register --key key.pem --region us-west-2 --endpoint https://… --contact … \
//!      --ai-models llama3-8b,mixtral-8x7b --throughput-tps 2.5
//! aicf provider stake --provider provider:… --amount 100AICF
//! aicf provider unstake|pay-liability --provider … --amount …
//! aicf provider rebond|withdraw|unjail|deregister --provider …
//! aicf provider rotate-key --provider … --key old.pem --new-key new.pem
//! aicf provider update --provider … --key key.pem [--region …] [--endpoint …] [--contact …] [capabilities]
//! aicf provider heartbeat --provider … --key key.pem [--metrics-file metrics.json]
//! aicf provider get provider:…        aicf providers list [--status ACTIVE …]
//! aicf balance provider:…
//! aicf attest submit --provider … --kind tdx-dcap --challenge-block N --evidence quote.bin
//! aicf collateral upload --file collateral.json
//! aicf attest challenge --provider … --key provider.pem          # the binding fresh evidence needs
//! aicf attest dev-quantum-cert --provider … --binding 0x… --out cert.der   # development chains only
//! aicf attest dev-cca-token --provider … --binding 0x… --out token.cbor    # development chains only
//! ```
//!
//! Secrets (registry keys, the controller's secret URI) are never printed or logged. Exit codes
//! are listed in [`error`] and in `aicf --help`.

use aicf_cli::{
	amount, attest,
	chain::{
		connection::Chain,
		json::lookup,
		submission::{Controller, TxContext, Wait},
	},
	daemon,
	error::{self, CliError, Result},
	heartbeat, liveness, offline,
	provider::{self, CapabilityArgs, ProviderCall, RegisterKey},
	views,
};
use aicf_primitives::{KeyAlgorithm, ProviderId};
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::Value;
use std::{io::Write, path::PathBuf, process::ExitCode};

const EXIT_CODES: &str = "\
Exit codes:
  0  success (provider heartbeat: sent)
  1  the transaction failed: in a block, or not sent because the chain's state shows it would
     (no fee); the module error is printed with its documentation
  2  bad input: arguments, files, keys, amounts
  3  node unreachable
  4  rejected by the node: the transaction pool refused it, or a JSON-RPC error
  5  provider heartbeat: too early (chain minimum interval or local state file)
  6  the node's runtime lacks the pallet or call (e.g. attestation not deployed)
  7  not found (no such provider)
  8  unexpected answer from the node

Amounts: a bare integer is plancks (1 AICF = 10^12 plancks, underscores allowed:
100_000_000_000_000); a number with the unit is tokens (100AICF, 2.5AICF).";

#[derive(Parser)]
#[command(
	name = "aicf",
	version,
	about = "AICF provider registry operator tool",
	after_help = EXIT_CODES
)]
struct Cli {
	#[command(flatten)]
	global: GlobalArgs,
	#[command(subcommand)]
	command: Command,
}

#[derive(Args)]
struct GlobalArgs {
	/// Node WebSocket URL.
	#[arg(long, global = true, env = "AICF_URL", default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// Controller secret URI (e.g. //Alice on a dev chain, a mnemonic, or 0x + seed). Prefer
	/// --suri-file or the AICF_SURI variable: command lines are visible to other users.
	#[arg(long, global = true, env = "AICF_SURI", hide_env_values = true)]
	suri: Option<String>,
	/// File holding the controller secret URI (one line). Takes precedence over AICF_SURI;
	/// not to be combined with --suri.
	#[arg(long, global = true)]
	suri_file: Option<PathBuf>,
	/// How far to follow a transaction before returning.
	#[arg(long, global = true, value_enum, default_value = "in-block")]
	wait: Wait,
	/// Send controller-signed transactions without applying them to the chain's state first
	/// (by default one the state dooms is refused before it is sent, with the module error).
	#[arg(long, global = true)]
	no_check: bool,
	/// Print machine-readable JSON on stdout.
	#[arg(long, global = true)]
	json: bool,
	/// No progress on stderr.
	#[arg(long, short, global = true)]
	quiet: bool,
}

#[derive(Subcommand)]
enum Command {
	/// Registry keys (offline).
	#[command(subcommand)]
	Key(KeyCommand),
	/// Sign a canonical payload with a registry key; prints JSON with hex fields (offline).
	#[command(subcommand)]
	Sign(SignCommand),
	/// Provider transactions and queries.
	#[command(subcommand)]
	Provider(ProviderCommand),
	/// List providers (aicf_listProviders).
	#[command(subcommand)]
	Providers(ProvidersCommand),
	/// Where a provider's funds are (aicf_getBalance).
	Balance {
		/// Provider id (provider:…).
		provider: String,
	},
	/// Attestations (attestation pallet).
	#[command(subcommand)]
	Attest(AttestCommand),
	/// Attestation collateral (attestation pallet).
	#[command(subcommand)]
	Collateral(CollateralCommand),
	/// Send a heartbeat signed offline: the JSON of `aicf sign heartbeat` (exit codes as
	/// `provider heartbeat`).
	Submit {
		/// What `aicf sign heartbeat`, `sign update` or `sign rotate` printed. Updates and
		/// rotations are signed by the controller (--suri-file or AICF_SURI).
		file: PathBuf,
	},
	/// What an offline signer needs from this chain: the genesis hash and, for a provider,
	/// the next heartbeat counter and the attestation hash to report.
	SigningInputs {
		/// Provider id (provider:…).
		#[arg(long)]
		provider: Option<String>,
	},
}

#[derive(Clone, Copy, ValueEnum)]
enum AlgorithmArg {
	#[value(name = "ml-dsa-65")]
	MlDsa65,
	#[value(name = "slh-dsa-sha2-128s")]
	SlhDsaSha2_128s,
}

#[derive(Subcommand)]
enum KeyCommand {
	/// Generate a key pair and write the private key (PKCS#8 PEM, mode 0600).
	Generate {
		/// Algorithm.
		#[arg(long, value_enum, default_value = "ml-dsa-65")]
		alg: AlgorithmArg,
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
	/// Show algorithm and provider id of a private or public key file. `provider_id` is the id
	/// the key derives (the one it registers as); after a rotation the provider keeps its first
	/// key's id: `--on-chain` asks the node which provider holds the key.
	Inspect {
		/// PEM file.
		file: PathBuf,
		/// Also look the key up at the node (--url): `on_chain` is `{provider_id, current}`
		/// (`current` false for a key rotated away) or null when no provider ever held it.
		#[arg(long)]
		on_chain: bool,
	},
}

#[derive(Subcommand)]
enum SignCommand {
	/// The registry key's signature over one change of the provider (capabilities, region, or
	/// endpoint and contact), for `aicf submit` on an online machine (the controller signs
	/// the transaction there). Each change is its own transaction and moves the key nonce.
	Update {
		/// Current private registry key.
		#[arg(long)]
		key: PathBuf,
		/// Chain genesis hash (0x…; `aicf signing-inputs`).
		#[arg(long)]
		genesis: String,
		/// Provider id (provider:…).
		#[arg(long)]
		provider: String,
		/// The provider's current key nonce (`key_nonce` of `aicf signing-inputs`).
		#[arg(long)]
		nonce: u64,
		/// New region.
		#[arg(long, conflicts_with_all = ["endpoint", "contact"])]
		region: Option<String>,
		/// New endpoint (also give it, unchanged, to change the contact alone).
		#[arg(long)]
		endpoint: Option<String>,
		/// New contact (with --endpoint).
		#[arg(long, requires = "endpoint")]
		contact: Option<String>,
		#[command(flatten)]
		caps: CapabilityArgs,
	},
	/// Both keys' signatures over a key rotation, for `aicf submit` on an online machine.
	Rotate {
		/// Current private registry key.
		#[arg(long)]
		key: PathBuf,
		/// New private registry key.
		#[arg(long)]
		new_key: PathBuf,
		/// Chain genesis hash (0x…).
		#[arg(long)]
		genesis: String,
		/// Provider id (provider:…).
		#[arg(long)]
		provider: String,
		/// The provider's current key nonce.
		#[arg(long)]
		nonce: u64,
	},
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
		/// Provider id (provider:…); default: the key's own id (after a key rotation, pass the
		/// provider's id: it is the first key's).
		#[arg(long)]
		provider: Option<String>,
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
		/// (availability as a fraction, e.g. 0.9992), or the spec §10.2 shape; `-` reads it
		/// from standard input.
		#[arg(long)]
		metrics_file: Option<PathBuf>,
		/// Liveness chain the heartbeat commits to: its anchor (0x + 64 hex; the daemon's
		/// signer command gets it in AICF_LIVENESS_ANCHOR).
		#[arg(long, env = "AICF_LIVENESS_ANCHOR", requires = "liveness_length")]
		liveness_anchor: Option<String>,
		/// The chain's length (AICF_LIVENESS_LENGTH).
		#[arg(long, env = "AICF_LIVENESS_LENGTH", requires = "liveness_anchor")]
		liveness_length: Option<u32>,
	},
}

#[derive(Args)]
struct ProviderArg {
	/// Provider id (provider:…).
	#[arg(long)]
	provider: String,
}

#[derive(Args)]
struct AmountArgs {
	/// Provider id (provider:…).
	#[arg(long)]
	provider: String,
	/// Amount: plancks as an integer (100_000_000_000_000) or tokens with the unit (100AICF).
	#[arg(long)]
	amount: String,
}

#[derive(Subcommand)]
enum ProviderCommand {
	/// Register a provider; the controller signs, the registry key proves possession: give
	/// the private key (--key), or keep it offline and give its public key and the proof made
	/// with `aicf sign register` (--pubkey and --pop).
	Register {
		/// Private registry key.
		#[arg(long, required_unless_present = "pubkey", conflicts_with_all = ["pubkey", "pop"])]
		key: Option<PathBuf>,
		/// Public registry key (SPKI PEM, from `aicf key public`).
		#[arg(long, requires = "pop")]
		pubkey: Option<PathBuf>,
		/// Proof of possession: the JSON `aicf sign register` prints, or the raw signature.
		#[arg(long, requires = "pubkey")]
		pop: Option<PathBuf>,
		/// Region (a-z 0-9 -), e.g. us-west-2.
		#[arg(long)]
		region: String,
		/// Public https:// endpoint.
		#[arg(long)]
		endpoint: String,
		/// Public operator contact (e-mail or URL).
		#[arg(long)]
		contact: String,
		#[command(flatten)]
		caps: CapabilityArgs,
	},
	/// Bond stake (first stake or top-up); resets the lock.
	Stake(AmountArgs),
	/// Request to unstake: UNSTAKING, unlocking linearly after the lock.
	Unstake(AmountArgs),
	/// Cancel pending unstakes.
	Rebond(ProviderArg),
	/// Release what has unlocked.
	Withdraw(ProviderArg),
	/// Leave jail after the cooldown.
	Unjail(ProviderArg),
	/// Deregister (nothing bonded, no leases, no liabilities).
	Deregister(ProviderArg),
	/// Pay slash liabilities from the controller's free balance.
	PayLiability(AmountArgs),
	/// Rotate the registry key; the id stays.
	RotateKey {
		/// Provider id (provider:…).
		#[arg(long)]
		provider: String,
		/// Current private registry key.
		#[arg(long)]
		key: PathBuf,
		/// New private registry key.
		#[arg(long)]
		new_key: PathBuf,
	},
	/// Update capabilities, endpoint/contact or region (signed by the registry key).
	Update {
		/// Provider id (provider:…).
		#[arg(long)]
		provider: String,
		/// Current private registry key.
		#[arg(long)]
		key: PathBuf,
		/// New region.
		#[arg(long)]
		region: Option<String>,
		/// New endpoint.
		#[arg(long)]
		endpoint: Option<String>,
		/// New contact.
		#[arg(long)]
		contact: Option<String>,
		#[command(flatten)]
		caps: CapabilityArgs,
	},
	/// Send one heartbeat (for cron: quiet on success; exit 0 sent, 5 too early, 4 rejected,
	/// 3 node unreachable).
	Heartbeat {
		/// Provider id (provider:…).
		#[arg(long)]
		provider: String,
		/// Current private registry key.
		#[arg(long)]
		key: PathBuf,
		/// JSON file `{"rtt_ms_p50", "availability", "leases_active", "leases_capacity"}`.
		#[arg(long)]
		metrics_file: Option<PathBuf>,
		/// Directory of the state file that prevents double sends (default
		/// $XDG_STATE_HOME/aicf or ~/.local/state/aicf).
		#[arg(long, env = "AICF_STATE_DIR")]
		state_dir: Option<PathBuf>,
		/// Commit to a liveness hash chain of this many proofs (at most the runtime's
		/// MaxLivenessChain; 0: none), its secret kept in the state directory; `provider
		/// prove` then sends one proof an interval in place of a signed heartbeat.
		#[arg(long, default_value_t = 0)]
		liveness_chain: u32,
		/// Show progress and what was sent.
		#[arg(long, short)]
		verbose: bool,
	},
	/// Send the provider's next liveness proof (36 bytes in place of a signed heartbeat; for
	/// cron between signed heartbeats committing a chain: exit 0 sent, 5 too early, 4
	/// rejected — no chain or used up: send a signed heartbeat —, 3 node unreachable).
	Prove {
		/// Provider id (provider:…).
		#[arg(long)]
		provider: String,
		/// Directory of the liveness secret (as for `provider heartbeat`).
		#[arg(long, env = "AICF_STATE_DIR")]
		state_dir: Option<PathBuf>,
		/// Show progress and what was sent.
		#[arg(long, short)]
		verbose: bool,
	},
	/// Keep the provider ACTIVE: heartbeat on the chain's schedule, re-attest before the
	/// attestation lapses, reconnect when the node goes away; structured logs on stderr,
	/// Prometheus metrics, SIGTERM stops it (docs/operator-guide.md, "The daemon").
	Run(RunArgs),
	/// Show a provider (aicf_getProvider).
	Get {
		/// Provider id (provider:…).
		provider: String,
	},
}

/// `provider run`.
#[derive(Args)]
struct RunArgs {
	/// Provider id (provider:…).
	#[arg(long)]
	provider: String,
	/// Current private registry key (or keep it elsewhere: --sign-command).
	#[arg(long, required_unless_present = "sign_command", conflicts_with = "sign_command")]
	key: Option<PathBuf>,
	/// Shell command that signs each heartbeat where the key is kept (another machine, a
	/// device): it gets AICF_PROVIDER, AICF_GENESIS, AICF_COUNTER, AICF_TIMESTAMP,
	/// AICF_ATTEST_HASH and AICF_METRICS (also on its standard input) and prints what `aicf
	/// sign heartbeat` prints.
	#[arg(long)]
	sign_command: Option<String>,
	/// JSON metrics file (spec §10.2 `metrics`/`load`, or flat), read before every heartbeat.
	#[arg(long, conflicts_with = "metrics_command")]
	metrics_file: Option<PathBuf>,
	/// Shell command printing the metrics JSON, run before every heartbeat.
	#[arg(long)]
	metrics_command: Option<String>,
	/// Evidence kind the evidence command produces; with it the daemon re-attests (signed by
	/// the controller: --suri-file or AICF_SURI).
	#[arg(long, value_enum, requires = "evidence_command")]
	evidence_kind: Option<attest::Kind>,
	/// Shell command producing evidence for the challenge in its environment (AICF_BINDING,
	/// AICF_CHALLENGE_BLOCK, …) into $AICF_EVIDENCE_OUT or on its standard output.
	#[arg(long, requires = "evidence_kind")]
	evidence_command: Option<String>,
	/// Re-attest when at most this many blocks are left before the attestation lapses
	/// (default: six heartbeat intervals).
	#[arg(long, requires = "evidence_kind")]
	reattest_before: Option<u64>,
	/// Serve Prometheus metrics at this address (e.g. 127.0.0.1:9616).
	#[arg(long)]
	prometheus_listen: Option<std::net::SocketAddr>,
	/// Directory of the heartbeat state file (default $XDG_STATE_HOME/aicf or
	/// ~/.local/state/aicf).
	#[arg(long, env = "AICF_STATE_DIR")]
	state_dir: Option<PathBuf>,
	/// Liveness hash chains: each signed heartbeat commits to a chain of this many proofs and
	/// a 36-byte proof goes out in place of the next heartbeats (default: the runtime's
	/// MaxLivenessChain; 0: signed heartbeats only).
	#[arg(long)]
	liveness_chain: Option<u32>,
}

#[derive(Subcommand)]
enum ProvidersCommand {
	/// One page of providers matching the filters.
	List(views::ListArgs),
}

#[derive(Subcommand)]
enum AttestCommand {
	/// Submit attestation evidence for a provider.
	Submit {
		/// Provider id (provider:…).
		#[arg(long)]
		provider: String,
		/// Evidence kind.
		#[arg(long, value_enum)]
		kind: attest::Kind,
		/// The block whose hash the evidence binds (`challenge_block` of `attest challenge`).
		#[arg(long)]
		challenge_block: u32,
		/// Evidence file (quote, report, token or certificate), raw bytes.
		#[arg(long)]
		evidence: PathBuf,
	},
	/// The challenge fresh evidence binds now: the best block and its hash, the registry key
	/// hash, and the 32 bytes the evidence's report data must start with (`binding`). Submit
	/// the evidence with `--challenge-block` before `submit_by_block`.
	Challenge {
		/// Provider id (provider:…).
		#[arg(long)]
		provider: String,
		/// The provider's current registry key: a private key (PKCS#8 PEM) or its public key
		/// (SPKI PEM).
		#[arg(long)]
		key: PathBuf,
	},
	/// Issue a quantum identity certificate from the development facility (offline). Only
	/// development chains pin that facility's root: never use it where value is at stake.
	DevQuantumCert {
		/// Provider id (provider:…) the certificate is bound to.
		#[arg(long)]
		provider: String,
		/// The binding from `attest challenge` (0x + 64 hex characters).
		#[arg(long)]
		binding: String,
		/// Trap families the facility vouches for, comma-separated.
		#[arg(long, value_delimiter = ',', default_value = "clifford")]
		traps: Vec<String>,
		/// Facility name in the certificate.
		#[arg(long, default_value = "AICF development facility")]
		facility_name: String,
		/// Validity in days from now.
		#[arg(long, default_value_t = 30)]
		days: u64,
		/// Output file (DER).
		#[arg(long)]
		out: PathBuf,
	},
	/// Make the trust anchor governance pins for an Arm CCA platform (offline): its instance
	/// ID (platform claim 256) and its attestation key (PEM or DER SubjectPublicKeyInfo,
	/// P-256, P-384 or P-521). Writes the DER `CcaTrustAnchor` for `add_root(ArmCcaPlatform, …)`.
	CcaAnchor {
		/// The platform's instance ID (hex, 0x optional).
		#[arg(long)]
		instance_id: String,
		/// The platform attestation key (CPAK) file.
		#[arg(long)]
		cpak: PathBuf,
		/// Output file (DER).
		#[arg(long)]
		out: PathBuf,
	},
	/// Verify a provider's stored attestation again, from the evidence it was accepted on
	/// (the submission's `evidence` bytes), against today's roots, policy, collateral and
	/// revocation lists: revoked (free of charge) if it no longer verifies, `StillValid` (fee
	/// paid) if it does.
	Recheck {
		/// Provider id (provider:…).
		#[arg(long)]
		provider: String,
		/// The attested capability.
		#[arg(long, value_enum)]
		capability: attest::Capability,
		/// The evidence file the attestation was accepted on.
		#[arg(long)]
		evidence: PathBuf,
	},
	/// Read the workload registers of a piece of evidence (offline, nothing verified) and
	/// print them with the workload rule that admits exactly that runner image, in the JSON
	/// shape `AicfAttestation.setPolicy` takes for an entry of `workloads`. Run the image once
	/// in its TEE, collect evidence, and pin what this prints.
	Workload {
		/// Evidence kind.
		#[arg(long, value_enum)]
		kind: attest::Kind,
		/// Evidence file (for sev-snp: report, VCEK and ASK concatenated, as submitted).
		#[arg(long)]
		evidence: PathBuf,
	},
	/// Make a CCA token from the development Arm CCA platform (offline): a secured platform
	/// and a realm bound to `--binding`. Only development chains pin that platform's key:
	/// never use it where value is at stake.
	DevCcaToken {
		/// Provider id (provider:…).
		#[arg(long)]
		provider: String,
		/// The binding from `attest challenge` (0x + 64 hex characters).
		#[arg(long)]
		binding: String,
		/// The platform token's algorithm: es256, es384 or es512 (the development platform
		/// has a key on each curve).
		#[arg(long, default_value = "es384")]
		alg: String,
		/// Output file (CBOR).
		#[arg(long)]
		out: PathBuf,
	},
}

#[derive(Subcommand)]
enum CollateralCommand {
	/// Upload verification collateral (TCB info, QE identity, CRLs, …).
	Upload {
		/// Collateral file, raw bytes.
		#[arg(long)]
		file: PathBuf,
	},
	/// Upload an AMD CRL (ARK-signed list of revoked ASKs, from
	/// https://kdsintf.amd.com/vcek/v1/{Milan,Genoa,Turin}/crl), DER or PEM.
	AmdCrl {
		/// CRL file.
		#[arg(long)]
		file: PathBuf,
	},
}

impl Command {
	/// Whether the command sends a transaction signed by the controller account: its secret
	/// is then read before anything else, so a missing one is reported before connecting.
	fn needs_signer(&self) -> bool {
		match self {
			Self::Key(_)
			| Self::Sign(_)
			| Self::Providers(_)
			| Self::Balance { .. }
			| Self::Submit { .. }
			| Self::SigningInputs { .. } => false,
			Self::Provider(command) => command.needs_signer(),
			Self::Attest(AttestCommand::Submit { .. } | AttestCommand::Recheck { .. }) => true,
			Self::Attest(
				AttestCommand::Challenge { .. }
				| AttestCommand::DevQuantumCert { .. }
				| AttestCommand::DevCcaToken { .. }
				| AttestCommand::Workload { .. }
				| AttestCommand::CcaAnchor { .. },
			) => false,
			Self::Collateral(
				CollateralCommand::Upload { .. } | CollateralCommand::AmdCrl { .. },
			) => true,
		}
	}
}

impl ProviderCommand {
	/// Whether the command sends a transaction signed by the controller account.
	fn needs_signer(&self) -> bool {
		match self {
			Self::Register { .. }
			| Self::Stake(_)
			| Self::Unstake(_)
			| Self::Rebond(_)
			| Self::Withdraw(_)
			| Self::Unjail(_)
			| Self::Deregister(_)
			| Self::PayLiability(_)
			| Self::RotateKey { .. }
			| Self::Update { .. } => true,
			// Re-attestation is signed by the controller.
			Self::Run(args) => args.evidence_kind.is_some(),
			// Signed by the registry key alone; unsigned (a liveness proof); a view.
			Self::Heartbeat { .. } | Self::Prove { .. } | Self::Get { .. } => false,
		}
	}
}

impl From<AlgorithmArg> for KeyAlgorithm {
	fn from(alg: AlgorithmArg) -> Self {
		match alg {
			AlgorithmArg::MlDsa65 => KeyAlgorithm::MlDsa65,
			AlgorithmArg::SlhDsaSha2_128s => KeyAlgorithm::SlhDsaSha2_128s,
		}
	}
}

fn provider_id(s: &str) -> Result<ProviderId> {
	s.trim()
		.parse()
		.map_err(|_| CliError::Input(format!("{s:?} is not a provider id (provider: + 24 hex)")))
}

fn parse_amount(s: &str) -> Result<u128> {
	amount::parse(s).map_err(CliError::Input)
}

fn controller(global: &GlobalArgs) -> Result<Controller> {
	// AICF_SURI fills `suri` as well: an explicit --suri-file wins over the environment, while
	// --suri and --suri-file both on the command line are refused.
	let from_env = zeroize::Zeroizing::new(std::env::var("AICF_SURI").ok());
	let suri_flag = global.suri.is_some() && global.suri != *from_env;
	let suri = match (&global.suri, &global.suri_file) {
		(Some(_), Some(_)) if suri_flag => {
			return Err(CliError::Input(
				"--suri and --suri-file both give the controller secret: give one".into(),
			))
		},
		(_, Some(path)) => zeroize::Zeroizing::new(
			std::fs::read_to_string(path)
				.map_err(|e| CliError::Input(format!("cannot read {}: {e}", path.display())))?,
		),
		(Some(s), None) => zeroize::Zeroizing::new(s.clone()),
		(None, None) => {
			return Err(CliError::Input(
				"this command is signed by the controller account: give --suri-file FILE, \
				 AICF_SURI or --suri"
					.into(),
			))
		},
	};
	Controller::from_suri(&suri)
}

/// What a command prints on stdout.
enum Output {
	/// Nothing (a heartbeat sent, for cron).
	Nothing,
	/// JSON, with or without `--json`.
	Json(Value),
	/// JSON with `--json`, else the text form for people.
	Report {
		/// The machine-readable form.
		json: Value,
		/// The text form.
		text: String,
	},
}

impl Output {
	/// `json` with the text `text_of` makes of it.
	fn report(json: Value, text_of: impl FnOnce(&Value) -> String) -> Self {
		let text = text_of(&json);
		Self::Report { json, text }
	}
}

fn offline_output(result: offline::Result<Value>) -> Result<Output> {
	result.map(Output::Json).map_err(CliError::Input)
}

/// A transaction's output: its JSON, and for people its registry and attestation events, one
/// a line (and the new provider's id after `register`).
fn transaction_output(json: Value) -> Output {
	Output::report(json, transaction_text)
}

fn transaction_text(out: &Value) -> String {
	let mut text = String::new();
	let mut push = |outcome: &Value| {
		for e in lookup(outcome, "/events").as_array().into_iter().flatten() {
			let pallet = lookup(e, "/pallet").as_str().unwrap_or_default();
			if matches!(pallet, "System" | "TransactionPayment" | "Balances") {
				continue;
			}
			text.push_str(&format!(
				"{pallet}.{} {}\n",
				lookup(e, "/event").as_str().unwrap_or_default(),
				lookup(e, "/fields")
			));
		}
	};
	match lookup(out, "/transactions").as_array() {
		Some(txs) => txs.iter().for_each(&mut push),
		None => push(out),
	}
	if let Some(id) = lookup(out, "/provider_id").as_str() {
		if lookup(out, "/counter").is_null() {
			text.push_str(&format!("provider {id}\n"));
		}
	}
	text
}

/// An online command before it connects: the global options and, if it signs, the controller.
struct OnlineArgs<'a> {
	global: &'a GlobalArgs,
	signer: Option<Controller>,
}

impl<'a> OnlineArgs<'a> {
	/// Connect to the node.
	async fn connect(self) -> Result<Session<'a>> {
		let chain = Chain::connect(&self.global.url).await?;
		Ok(Session { global: self.global, chain, signer: self.signer })
	}
}

/// An online command's connection to the node.
struct Session<'a> {
	global: &'a GlobalArgs,
	chain: Chain,
	signer: Option<Controller>,
}

impl Session<'_> {
	/// No progress on stderr (asked for, or implied by `--json`).
	fn quiet(&self) -> bool {
		self.global.quiet || self.global.json
	}

	/// The context of a transaction signed by the controller (read when
	/// [`Command::needs_signer`]).
	fn tx(&self) -> Result<TxContext<'_>> {
		let signer = self.signer.as_ref().ok_or_else(|| {
			CliError::Other("internal: this command has no controller account".into())
		})?;
		Ok(TxContext {
			chain: &self.chain,
			signer,
			wait: self.global.wait,
			quiet: self.quiet(),
			check: !self.global.no_check,
		})
	}
}

fn key_command(command: KeyCommand) -> Result<Output> {
	match command {
		KeyCommand::Generate { alg, out } => {
			offline_output(offline::key_generate(alg.into(), &out))
		},
		KeyCommand::Public { key, out } => offline_output(offline::key_public(&key, out.as_ref())),
		KeyCommand::Inspect { file, .. } => offline_output(offline::key_inspect(&file)),
	}
}

fn sign_command(command: SignCommand) -> Result<Output> {
	match command {
		SignCommand::Register { key, controller, genesis } => {
			offline_output(offline::sign_register(&key, &controller, &genesis))
		},
		SignCommand::Update { key, genesis, provider, nonce, region, endpoint, contact, caps } => {
			let id = provider_id(&provider)?;
			let mut changes = Vec::new();
			if caps.any() {
				changes.push(offline::UpdateChange::Capabilities(caps.build()?));
			}
			if let Some(r) = region {
				changes.push(offline::UpdateChange::Region(provider::region(&r)?.to_vec()));
			}
			if let Some(e) = endpoint {
				changes.push(offline::UpdateChange::Endpoint {
					endpoint: provider::endpoint(&e)?.to_vec(),
					contact: contact
						.map(|c| provider::contact(&c))
						.transpose()?
						.map(|c| c.to_vec()),
				});
			}
			match changes.as_slice() {
				[change] => offline_output(offline::sign_update(&key, id, &genesis, nonce, change)),
				[] => Err(CliError::Input(
					"nothing to sign: give capabilities, --region, or --endpoint [--contact]".into(),
				)),
				_ => Err(CliError::Input(
					"one change a signature: capabilities, region, and endpoint/contact are 					 separate transactions, each at the next key nonce — sign them one by one"
						.into(),
				)),
			}
		},
		SignCommand::Rotate { key, new_key, genesis, provider, nonce } => {
			let id = provider_id(&provider)?;
			offline_output(offline::sign_rotate(&key, &new_key, id, &genesis, nonce))
		},
		SignCommand::Heartbeat {
			key,
			provider,
			genesis,
			counter,
			timestamp,
			attest_hash,
			metrics_file,
			liveness_anchor,
			liveness_length,
		} => {
			let provider = provider.as_deref().map(provider_id).transpose()?;
			offline_output(offline::sign_heartbeat(
				&key,
				provider,
				&genesis,
				offline::HeartbeatFields {
					counter,
					timestamp,
					attest_hash: attest_hash.as_deref(),
					metrics_file: metrics_file.as_deref(),
					liveness: liveness_anchor.as_deref().zip(liveness_length),
				},
			))
		},
	}
}

/// A [`ProviderCall`] for `provider` (and `amount`); after a stake or unstake, a note on stderr
/// when the bond is below the minimum for ACTIVE.
async fn provider_call(
	online: OnlineArgs<'_>,
	which: ProviderCall,
	provider: &str,
	amount: Option<&str>,
) -> Result<Output> {
	let id = provider_id(provider)?;
	let amount = amount.map(parse_amount).transpose()?;
	let session = online.connect().await?;
	let out = provider::provider_call(&session.tx()?, which, &id, amount).await?;
	let followed = session.global.wait != Wait::Submitted;
	if matches!(which, ProviderCall::Stake | ProviderCall::Unstake) && !session.quiet() && followed
	{
		// Any amount may be bonded; only the minimum makes the provider eligible.
		if let Ok(view) = views::get(&session.chain, &id).await {
			if let Some(note) = views::stake_note(&view) {
				eprintln!("{note}");
			}
		}
	}
	Ok(transaction_output(out))
}

async fn provider_command(online: OnlineArgs<'_>, command: ProviderCommand) -> Result<Output> {
	match command {
		ProviderCommand::Register { key, pubkey, pop, region, endpoint, contact, caps } => {
			let key = match (&key, &pubkey, &pop) {
				(Some(key), _, _) => RegisterKey::Private(key),
				(None, Some(pubkey), Some(pop)) => RegisterKey::Offline { pubkey, pop },
				// clap requires --key or both of --pubkey and --pop.
				_ => return Err(CliError::Input("give --key, or --pubkey and --pop".into())),
			};
			let session = online.connect().await?;
			let out = provider::register(&session.tx()?, key, &caps, &region, &endpoint, &contact)
				.await?;
			Ok(transaction_output(out))
		},
		ProviderCommand::Stake(args) => {
			provider_call(online, ProviderCall::Stake, &args.provider, Some(&args.amount)).await
		},
		ProviderCommand::Unstake(args) => {
			provider_call(online, ProviderCall::Unstake, &args.provider, Some(&args.amount)).await
		},
		ProviderCommand::PayLiability(args) => {
			let amount = Some(args.amount.as_str());
			provider_call(online, ProviderCall::PayLiability, &args.provider, amount).await
		},
		ProviderCommand::Rebond(args) => {
			provider_call(online, ProviderCall::Rebond, &args.provider, None).await
		},
		ProviderCommand::Withdraw(args) => {
			provider_call(online, ProviderCall::Withdraw, &args.provider, None).await
		},
		ProviderCommand::Unjail(args) => {
			provider_call(online, ProviderCall::Unjail, &args.provider, None).await
		},
		ProviderCommand::Deregister(args) => {
			provider_call(online, ProviderCall::Deregister, &args.provider, None).await
		},
		ProviderCommand::RotateKey { provider, key, new_key } => {
			let id = provider_id(&provider)?;
			let session = online.connect().await?;
			let out = provider::rotate_key(&session.tx()?, &id, &key, &new_key).await?;
			Ok(transaction_output(out))
		},
		ProviderCommand::Update { provider, key, region, endpoint, contact, caps } => {
			let id = provider_id(&provider)?;
			let session = online.connect().await?;
			let out = provider::update(
				&session.tx()?,
				&id,
				&key,
				&caps,
				region.as_deref(),
				endpoint.as_deref(),
				contact.as_deref(),
			)
			.await?;
			Ok(transaction_output(out))
		},
		ProviderCommand::Prove { provider, state_dir, verbose } => {
			let id = provider_id(&provider)?;
			let state_dir = state_dir.or_else(heartbeat::default_state_dir).ok_or_else(|| {
				CliError::Input("no state directory: give --state-dir or set HOME".into())
			})?;
			let session = online.connect().await?;
			let json = session.global.json;
			let out = liveness::prove(
				&session.chain,
				&id,
				&state_dir,
				session.global.wait,
				!verbose || json,
			)
			.await?;
			Ok(match (json, verbose) {
				(false, false) => Output::Nothing,
				(true, _) => Output::Json(out),
				(false, true) => Output::report(out, |out| {
					format!(
						"liveness proof sent for {} ({} left in the chain)\n",
						lookup(out, "/provider_id").as_str().unwrap_or_default(),
						lookup(out, "/remaining")
					)
				}),
			})
		},
		ProviderCommand::Heartbeat {
			provider,
			key,
			metrics_file,
			state_dir,
			liveness_chain,
			verbose,
		} => {
			let id = provider_id(&provider)?;
			let state_dir = state_dir.or_else(heartbeat::default_state_dir).ok_or_else(|| {
				CliError::Input("no state directory: give --state-dir or set HOME".into())
			})?;
			let report = offline::metrics(metrics_file.as_deref())?;
			let session = online.connect().await?;
			let json = session.global.json;
			let out = heartbeat::send(
				&session.chain,
				&id,
				&key,
				report,
				heartbeat::Local { state_dir: &state_dir, liveness_chain },
				session.global.wait,
				!verbose || json,
			)
			.await?;
			// Quiet on success unless asked.
			Ok(match (json, verbose) {
				(false, false) => Output::Nothing,
				(true, _) => Output::Json(out),
				(false, true) => Output::report(out, |out| {
					format!(
						"heartbeat {} sent for {}\n",
						lookup(out, "/counter"),
						lookup(out, "/provider_id").as_str().unwrap_or_default()
					)
				}),
			})
		},
		ProviderCommand::Run(args) => {
			let metrics = match (args.metrics_file, args.metrics_command) {
				(Some(f), _) => daemon::MetricsSource::File(f),
				(None, Some(c)) => daemon::MetricsSource::Command(c),
				(None, None) => daemon::MetricsSource::Default,
			};
			let reattest = match (args.evidence_kind, args.evidence_command, online.signer) {
				(Some(kind), Some(command), Some(controller)) => Some(daemon::Reattest {
					kind,
					command,
					before: args.reattest_before,
					controller,
				}),
				_ => None,
			};
			daemon::run(daemon::Config {
				url: online.global.url.clone(),
				provider: provider_id(&args.provider)?,
				signer: match (args.key, args.sign_command) {
					(Some(key), _) => daemon::Signer::Key(key),
					(None, Some(command)) => daemon::Signer::Command(command),
					(None, None) => {
						return Err(CliError::Input("give --key or --sign-command".into()))
					},
				},
				metrics,
				reattest,
				state_dir: daemon::state_dir(args.state_dir)?,
				liveness_chain: args.liveness_chain,
				prometheus: args.prometheus_listen,
				check: !online.global.no_check,
			})
			.await?;
			Ok(Output::Nothing)
		},
		ProviderCommand::Get { provider } => {
			let id = provider_id(&provider)?;
			let session = online.connect().await?;
			let view = views::get(&session.chain, &id).await?;
			Ok(Output::report(view, views::provider_text))
		},
	}
}

/// Run a command: offline ones at once; online ones check their input, connect, then act.
async fn run(cli: Cli) -> Result<Output> {
	let Cli { global, command } = cli;
	let signer = if command.needs_signer() { Some(controller(&global)?) } else { None };
	let online = OnlineArgs { global: &global, signer };
	match command {
		Command::Key(KeyCommand::Inspect { file, on_chain: true }) => {
			let mut out = offline::key_inspect(&file).map_err(CliError::Input)?;
			let pk = offline::load_public_key(&file).map_err(CliError::Input)?;
			let session = online.connect().await?;
			let holder = provider::key_holder(&session.chain, &pk).await?;
			aicf_cli::chain::json::insert_field(&mut out, "on_chain", holder);
			Ok(Output::Json(out))
		},
		Command::Key(command) => key_command(command),
		Command::Sign(command) => sign_command(command),
		Command::Submit { file } => {
			let text = std::fs::read_to_string(&file)
				.map_err(|e| CliError::Input(format!("cannot read {}: {e}", file.display())))?;
			let v: Value = serde_json::from_str(&text).map_err(|e| {
				CliError::Input(format!("{}: not a signed file ({e})", file.display()))
			})?;
			let kind = lookup(&v, "/kind").as_str().map(str::to_owned);
			let name = file.display().to_string();
			if matches!(kind.as_deref(), Some("update" | "rotate")) {
				let signer = controller(online.global)?;
				let session = online.connect().await?;
				let ctx = TxContext {
					chain: &session.chain,
					signer: &signer,
					wait: session.global.wait,
					quiet: session.quiet(),
					check: !session.global.no_check,
				};
				let out = if kind.as_deref() == Some("update") {
					provider::submit_update(&ctx, &v, &name).await?
				} else {
					provider::submit_rotation(&ctx, &v, &name).await?
				};
				return Ok(transaction_output(out));
			}
			let session = online.connect().await?;
			let quiet = session.global.quiet || session.global.json;
			let out =
				heartbeat::submit_signed(&session.chain, &file, session.global.wait, quiet).await?;
			Ok(transaction_output(out))
		},
		Command::SigningInputs { provider } => {
			let id = provider.as_deref().map(provider_id).transpose()?;
			let session = online.connect().await?;
			let out = heartbeat::signing_inputs(&session.chain, id.as_ref()).await?;
			Ok(Output::Json(out))
		},
		Command::Provider(command) => provider_command(online, command).await,
		Command::Providers(ProvidersCommand::List(args)) => {
			let session = online.connect().await?;
			let page = views::list(&session.chain, &args).await?;
			Ok(Output::report(page, views::list_table))
		},
		Command::Balance { provider } => {
			let id = provider_id(&provider)?;
			let session = online.connect().await?;
			let balance = views::balance(&session.chain, &id).await?;
			Ok(Output::report(balance, views::balance_text))
		},
		Command::Attest(AttestCommand::Submit { provider, kind, challenge_block, evidence }) => {
			let id = provider_id(&provider)?;
			let session = online.connect().await?;
			let out = attest::submit(&session.tx()?, &id, kind, challenge_block, &evidence).await?;
			Ok(transaction_output(out))
		},
		Command::Attest(AttestCommand::Challenge { provider, key }) => {
			let id = provider_id(&provider)?;
			let public = offline::load_public_key(&key).map_err(CliError::Input)?;
			let session = online.connect().await?;
			attest::challenge(&session.chain, &id, &public).await.map(Output::Json)
		},
		Command::Attest(AttestCommand::DevQuantumCert {
			provider,
			binding,
			traps,
			facility_name,
			days,
			out,
		}) => attest::dev_quantum_cert(
			&provider_id(&provider)?,
			offline::hex32(&binding, "--binding").map_err(CliError::Input)?,
			&traps,
			&facility_name,
			days,
			&out,
		)
		.map(Output::Json),
		Command::Attest(AttestCommand::Workload { kind, evidence }) => {
			attest::workload(kind, &evidence).map(Output::Json)
		},
		Command::Attest(AttestCommand::CcaAnchor { instance_id, cpak, out }) => {
			attest::cca_anchor(&instance_id, &cpak, &out).map(Output::Json)
		},
		Command::Attest(AttestCommand::DevCcaToken { provider, binding, alg, out }) => {
			attest::dev_cca_token(
				&provider_id(&provider)?,
				offline::hex32(&binding, "--binding").map_err(CliError::Input)?,
				attest::platform_alg(&alg)?,
				&out,
			)
			.map(Output::Json)
		},
		Command::Collateral(CollateralCommand::Upload { file }) => {
			let session = online.connect().await?;
			let out = attest::upload_collateral(&session.tx()?, &file).await?;
			Ok(transaction_output(out))
		},
		Command::Collateral(CollateralCommand::AmdCrl { file }) => {
			let session = online.connect().await?;
			let out = attest::upload_amd_crl(&session.tx()?, &file).await?;
			Ok(transaction_output(out))
		},
		Command::Attest(AttestCommand::Recheck { provider, capability, evidence }) => {
			let id = provider_id(&provider)?;
			let session = online.connect().await?;
			let out = attest::recheck(&session.tx()?, &id, capability, &evidence).await?;
			Ok(transaction_output(out))
		},
	}
}

fn main() -> ExitCode {
	let cli = Cli::parse();
	let json = cli.global.json;
	let result = tokio::runtime::Builder::new_current_thread()
		.enable_all()
		.build()
		.map_err(|e| CliError::Other(format!("cannot start the async runtime: {e}")))
		.and_then(|runtime| runtime.block_on(run(cli)));
	match result {
		Ok(output) => {
			let mut stdout = std::io::stdout().lock();
			let printed = match output {
				Output::Nothing => Ok(()),
				Output::Report { text, .. } if !json => write!(stdout, "{text}"),
				Output::Json(value) | Output::Report { json: value, .. } => {
					writeln!(stdout, "{}", serde_json::to_string_pretty(&value).unwrap_or_default())
				},
			};
			match printed {
				Ok(()) => ExitCode::SUCCESS,
				Err(_) => ExitCode::from(error::EXIT_OTHER),
			}
		},
		Err(e) => {
			eprintln!("aicf: {e}");
			ExitCode::from(e.exit_code())
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use clap::CommandFactory;

	#[test]
	fn the_command_line_definition_is_consistent() {
		Cli::command().debug_assert();
	}

	#[test]
	fn exactly_the_controller_signed_transactions_need_the_controller() {
		let p = "provider:000000000000000000000001";
		let cases: [(&[&str], bool); 33] = [
			(&["key", "generate", "--out", "k.pem"], false),
			(&["key", "public", "k.pem"], false),
			(&["key", "inspect", "k.pem"], false),
			(&["sign", "register", "--key", "k", "--controller", "c", "--genesis", "g"], false),
			(&["sign", "heartbeat", "--key", "k", "--genesis", "g", "--counter", "1"], false),
			(
				&[
					"provider",
					"register",
					"--key",
					"k",
					"--region",
					"r",
					"--endpoint",
					"e",
					"--contact",
					"c",
				],
				true,
			),
			(&["provider", "stake", "--provider", p, "--amount", "1"], true),
			(&["provider", "unstake", "--provider", p, "--amount", "1"], true),
			(&["provider", "pay-liability", "--provider", p, "--amount", "1"], true),
			(&["provider", "rebond", "--provider", p], true),
			(&["provider", "withdraw", "--provider", p], true),
			(&["provider", "unjail", "--provider", p], true),
			(&["provider", "deregister", "--provider", p], true),
			(&["provider", "rotate-key", "--provider", p, "--key", "k", "--new-key", "n"], true),
			(&["provider", "update", "--provider", p, "--key", "k", "--region", "r"], true),
			(&["provider", "heartbeat", "--provider", p, "--key", "k"], false),
			(&["provider", "get", p], false),
			(&["provider", "run", "--provider", p, "--key", "k"], false),
			// Re-attestation submits evidence signed by the controller.
			(
				&[
					"provider",
					"run",
					"--provider",
					p,
					"--key",
					"k",
					"--evidence-kind",
					"cca",
					"--evidence-command",
					"true",
				],
				true,
			),
			(&["key", "inspect", "k.pem", "--on-chain"], false),
			(
				&[
					"sign",
					"update",
					"--key",
					"k",
					"--genesis",
					"g",
					"--provider",
					p,
					"--nonce",
					"0",
					"--region",
					"r",
				],
				false,
			),
			(
				&[
					"sign",
					"rotate",
					"--key",
					"k",
					"--new-key",
					"n",
					"--genesis",
					"g",
					"--provider",
					p,
					"--nonce",
					"0",
				],
				false,
			),
			(&["providers", "list"], false),
			(&["balance", p], false),
			(
				&[
					"attest",
					"submit",
					"--provider",
					p,
					"--kind",
					"quantum",
					"--challenge-block",
					"7",
					"--evidence",
					"e",
				],
				true,
			),
			(&["attest", "challenge", "--provider", p, "--key", "k.pem"], false),
			(
				&["attest", "dev-quantum-cert", "--provider", p, "--binding", "0x00", "--out", "c"],
				false,
			),
			(
				&["attest", "dev-cca-token", "--provider", p, "--binding", "0x00", "--out", "c"],
				false,
			),
			(&["collateral", "upload", "--file", "c.json"], true),
			(
				&[
					"provider",
					"register",
					"--pubkey",
					"p.pem",
					"--pop",
					"pop.json",
					"--region",
					"r",
					"--endpoint",
					"e",
					"--contact",
					"c",
				],
				true,
			),
			(&["submit", "hb.json"], false),
			(&["signing-inputs"], false),
			(&["signing-inputs", "--provider", p], false),
		];
		for (args, signs) in cases {
			let cli = Cli::try_parse_from(std::iter::once("aicf").chain(args.iter().copied()))
				.unwrap_or_else(|e| panic!("{args:?}: {e}"));
			assert_eq!(cli.command.needs_signer(), signs, "{args:?}");
		}
	}

	/// `provider register` takes the private key, or the public key with a proof made
	/// offline: never both, never one half of the offline pair.
	#[test]
	fn register_takes_a_private_key_or_a_public_key_and_its_proof() {
		let base =
			["aicf", "provider", "register", "--region", "r", "--endpoint", "e", "--contact", "c"];
		let parse = |extra: &[&str]| Cli::try_parse_from(base.iter().chain(extra).copied());
		assert!(parse(&["--key", "k.pem"]).is_ok());
		assert!(parse(&["--pubkey", "p.pem", "--pop", "pop.json"]).is_ok());
		for bad in [
			&[][..],
			&["--pubkey", "p.pem"],
			&["--pop", "pop.json"],
			&["--key", "k.pem", "--pubkey", "p.pem", "--pop", "pop.json"],
			&["--key", "k.pem", "--pop", "pop.json"],
		] {
			assert!(parse(bad).is_err(), "{bad:?}");
		}
		// A negative throughput reaches the registry's rule, not the argument parser.
		let cli = parse(&["--key", "k", "--ai-models", "m", "--throughput-tps", "-1"]).unwrap();
		let Command::Provider(ProviderCommand::Register { caps, .. }) = cli.command else {
			panic!("register")
		};
		let err = caps.build().unwrap_err().to_string();
		assert!(err.contains("--throughput-tps -1: expected a positive number"), "{err}");
	}

	#[test]
	fn collateral_upload_takes_only_the_file() {
		let parsed = Cli::try_parse_from([
			"aicf",
			"collateral",
			"upload",
			"--kind",
			"tcb-info",
			"--file",
			"c",
		]);
		assert!(parsed.is_err(), "--kind is not an option of collateral upload");
	}

	#[test]
	fn transaction_text_lists_registry_events_and_the_new_provider() {
		let out = serde_json::json!({
			"events": [
				{ "pallet": "Balances", "event": "Withdraw", "fields": {} },
				{ "pallet": "AicfRegistry", "event": "Registered", "fields": { "alg": "MlDsa65" } },
			],
			"provider_id": "provider:000000000000000000000001",
		});
		assert_eq!(
			transaction_text(&out),
			"AicfRegistry.Registered {\"alg\":\"MlDsa65\"}\nprovider provider:000000000000000000000001\n"
		);
		let update = serde_json::json!({ "transactions": [
			{ "events": [{ "pallet": "AicfRegistry", "event": "RegionUpdated", "fields": null }] },
			{ "events": [{ "pallet": "AicfRegistry", "event": "EndpointUpdated", "fields": null }] },
		]});
		assert_eq!(
			transaction_text(&update),
			"AicfRegistry.RegionUpdated null\nAicfRegistry.EndpointUpdated null\n"
		);
	}
}
