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
//! aicf sign heartbeat --key key.pem --genesis 0x… --counter 7 [--metrics-file m.json]
//!
//! # online (subxt; --url ws://127.0.0.1:9944, controller from --suri/--suri-file/AICF_SURI)
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
//! aicf attest submit --provider … --kind tdx-dcap --evidence quote.bin
//! aicf collateral upload --file collateral.json
//! aicf attest dev-quantum-cert --provider … --out cert.der      # development chains only
//! ```
//!
//! Secrets (registry keys, the controller's secret URI) are never printed or logged. Exit codes
//! are listed in [`error`] and in `aicf --help`.

use aicf_cli::{amount, attest, chain, error, heartbeat, offline, provider, views};

use aicf_primitives::{KeyAlgorithm, ProviderId};
use chain::{Chain, Controller, Wait};
use clap::{Args, Parser, Subcommand, ValueEnum};
use error::{CliError, Result};
use provider::{CapabilityArgs, Simple, TxContext};
use std::{io::Write, path::PathBuf, process::ExitCode};

const EXIT_CODES: &str = "\
Exit codes:
  0  success (provider heartbeat: sent)
  1  the transaction was included but failed (the module error is printed with its documentation)
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
	global: Global,
	#[command(subcommand)]
	command: Command,
}

#[derive(Args)]
struct Global {
	/// Node WebSocket URL.
	#[arg(long, global = true, env = "AICF_URL", default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// Controller secret URI (e.g. //Alice on a dev chain, a mnemonic, or 0x + seed). Prefer
	/// --suri-file or the AICF_SURI variable: command lines are visible to other users.
	#[arg(long, global = true, env = "AICF_SURI", hide_env_values = true)]
	suri: Option<String>,
	/// File holding the controller secret URI (one line).
	#[arg(long, global = true, conflicts_with = "suri")]
	suri_file: Option<PathBuf>,
	/// How far to follow a transaction before returning.
	#[arg(long, global = true, value_enum, default_value = "in-block")]
	wait: Wait,
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
	Key(KeyCmd),
	/// Sign a canonical payload with a registry key; prints JSON with hex fields (offline).
	#[command(subcommand)]
	Sign(SignCmd),
	/// Provider transactions and queries.
	#[command(subcommand)]
	Provider(ProviderCmd),
	/// List providers (aicf_listProviders).
	#[command(subcommand)]
	Providers(ProvidersCmd),
	/// Where a provider's funds are (aicf_getBalance).
	Balance {
		/// Provider id (provider:…).
		provider: String,
	},
	/// Attestations (attestation pallet).
	#[command(subcommand)]
	Attest(AttestCmd),
	/// Attestation collateral (attestation pallet).
	#[command(subcommand)]
	Collateral(CollateralCmd),
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
enum ProviderCmd {
	/// Register a provider; the controller signs, the registry key proves possession.
	Register {
		/// Private registry key.
		#[arg(long)]
		key: PathBuf,
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
		/// Show progress and what was sent.
		#[arg(long, short)]
		verbose: bool,
	},
	/// Show a provider (aicf_getProvider).
	Get {
		/// Provider id (provider:…).
		provider: String,
	},
}

#[derive(Subcommand)]
enum ProvidersCmd {
	/// One page of providers matching the filters.
	List(views::ListArgs),
}

#[derive(Subcommand)]
enum AttestCmd {
	/// Submit attestation evidence for a provider.
	Submit {
		/// Provider id (provider:…).
		#[arg(long)]
		provider: String,
		/// Evidence kind.
		#[arg(long, value_enum)]
		kind: attest::Kind,
		/// Evidence file (quote, report, token or certificate), raw bytes.
		#[arg(long)]
		evidence: PathBuf,
	},
	/// Issue a quantum identity certificate from the development facility (offline). Only
	/// development chains pin that facility's root: never use it where value is at stake.
	DevQuantumCert {
		/// Provider id (provider:…) the certificate is bound to.
		#[arg(long)]
		provider: String,
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
}

#[derive(Subcommand)]
enum CollateralCmd {
	/// Upload verification collateral (TCB info, QE identity, CRLs, …).
	Upload {
		/// Collateral kind, for runtimes whose upload call takes one (e.g. tcb-info).
		#[arg(long)]
		kind: Option<String>,
		/// Collateral file, raw bytes.
		#[arg(long)]
		file: PathBuf,
	},
}

fn provider_id(s: &str) -> Result<ProviderId> {
	s.trim()
		.parse()
		.map_err(|_| CliError::Input(format!("{s:?} is not a provider id (provider: + 24 hex)")))
}

fn amount(s: &str) -> Result<u128> {
	amount::parse(s).map_err(CliError::Input)
}

fn controller(g: &Global) -> Result<Controller> {
	let suri = match (&g.suri, &g.suri_file) {
		(Some(s), _) => zeroize::Zeroizing::new(s.clone()),
		(None, Some(path)) => zeroize::Zeroizing::new(
			std::fs::read_to_string(path)
				.map_err(|e| CliError::Input(format!("cannot read {}: {e}", path.display())))?,
		),
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

/// What a command prints: a JSON value and, for people, a text form.
struct Output {
	json: serde_json::Value,
	text: Option<String>,
}

impl From<serde_json::Value> for Output {
	fn from(json: serde_json::Value) -> Self {
		Self { json, text: None }
	}
}

fn offline_out(r: offline::Result<serde_json::Value>) -> Result<Output> {
	r.map(Output::from).map_err(CliError::Input)
}

/// Human summary of a transaction: its registry and attestation events, one a line.
fn tx_text(out: &serde_json::Value) -> String {
	let mut text = String::new();
	let mut push = |o: &serde_json::Value| {
		for e in chain::j(o, "/events").as_array().into_iter().flatten() {
			let pallet = chain::j(e, "/pallet").as_str().unwrap_or_default();
			if matches!(pallet, "System" | "TransactionPayment" | "Balances") {
				continue;
			}
			text.push_str(&format!(
				"{pallet}.{} {}\n",
				chain::j(e, "/event").as_str().unwrap_or_default(),
				chain::j(e, "/fields")
			));
		}
	};
	match chain::j(out, "/transactions").as_array() {
		Some(txs) => txs.iter().for_each(&mut push),
		None => push(out),
	}
	if let Some(id) = chain::j(out, "/provider_id").as_str() {
		if chain::j(out, "/counter").is_null() {
			text.push_str(&format!("provider {id}\n"));
		}
	}
	text
}

async fn online(cli: Cli) -> Result<Output> {
	let g = &cli.global;
	let command = cli.command;
	// Check input before connecting.
	let needs_signer = matches!(
		&command,
		Command::Provider(
			ProviderCmd::Register { .. }
				| ProviderCmd::Stake(_)
				| ProviderCmd::Unstake(_)
				| ProviderCmd::Rebond(_)
				| ProviderCmd::Withdraw(_)
				| ProviderCmd::Unjail(_)
				| ProviderCmd::Deregister(_)
				| ProviderCmd::PayLiability(_)
				| ProviderCmd::RotateKey { .. }
				| ProviderCmd::Update { .. }
		) | Command::Attest(_)
			| Command::Collateral(_)
	);
	let signer = if needs_signer { Some(controller(g)?) } else { None };
	let simple =
		|which: Simple, p: &str, a: Option<&str>| -> Result<(Simple, ProviderId, Option<u128>)> {
			Ok((which, provider_id(p)?, a.map(amount).transpose()?))
		};
	let simple_args = match &command {
		Command::Provider(ProviderCmd::Stake(a)) => {
			Some(simple(Simple::Stake, &a.provider, Some(&a.amount))?)
		},
		Command::Provider(ProviderCmd::Unstake(a)) => {
			Some(simple(Simple::Unstake, &a.provider, Some(&a.amount))?)
		},
		Command::Provider(ProviderCmd::PayLiability(a)) => {
			Some(simple(Simple::PayLiability, &a.provider, Some(&a.amount))?)
		},
		Command::Provider(ProviderCmd::Rebond(p)) => {
			Some(simple(Simple::Rebond, &p.provider, None)?)
		},
		Command::Provider(ProviderCmd::Withdraw(p)) => {
			Some(simple(Simple::Withdraw, &p.provider, None)?)
		},
		Command::Provider(ProviderCmd::Unjail(p)) => {
			Some(simple(Simple::Unjail, &p.provider, None)?)
		},
		Command::Provider(ProviderCmd::Deregister(p)) => {
			Some(simple(Simple::Deregister, &p.provider, None)?)
		},
		_ => None,
	};

	let chain = Chain::connect(&g.url).await?;
	let quiet = g.quiet || g.json;
	let ctx =
		signer.as_ref().map(|signer| TxContext { chain: &chain, signer, wait: g.wait, quiet });
	let ctx = || ctx.as_ref().ok_or_else(|| CliError::Other("no controller".into()));

	if let Some((which, id, amount)) = simple_args {
		let out = provider::simple(ctx()?, which, &id, amount).await?;
		if matches!(which, Simple::Stake | Simple::Unstake) && !quiet && g.wait != Wait::Submitted {
			// Any amount may be bonded; only the minimum makes the provider eligible.
			if let Ok(view) = views::get(&chain, &id).await {
				if let Some(note) = views::stake_note(&view) {
					eprintln!("{note}");
				}
			}
		}
		let text = tx_text(&out);
		return Ok(Output { json: out, text: Some(text) });
	}
	let out = match command {
		Command::Provider(ProviderCmd::Register { key, region, endpoint, contact, caps }) => {
			let out = provider::register(ctx()?, &key, &caps, &region, &endpoint, &contact).await?;
			let text = tx_text(&out);
			Output { json: out, text: Some(text) }
		},
		Command::Provider(ProviderCmd::RotateKey { provider, key, new_key }) => {
			let out =
				provider::rotate_key(ctx()?, &provider_id(&provider)?, &key, &new_key).await?;
			let text = tx_text(&out);
			Output { json: out, text: Some(text) }
		},
		Command::Provider(ProviderCmd::Update {
			provider,
			key,
			region,
			endpoint,
			contact,
			caps,
		}) => {
			let out = provider::update(
				ctx()?,
				&provider_id(&provider)?,
				&key,
				&caps,
				region.as_deref(),
				endpoint.as_deref(),
				contact.as_deref(),
			)
			.await?;
			let text = tx_text(&out);
			Output { json: out, text: Some(text) }
		},
		Command::Provider(ProviderCmd::Heartbeat {
			provider,
			key,
			metrics_file,
			state_dir,
			verbose,
		}) => {
			let state_dir = state_dir.or_else(heartbeat::default_state_dir).ok_or_else(|| {
				CliError::Input("no state directory: give --state-dir or set HOME".into())
			})?;
			let out = heartbeat::send(
				&chain,
				&provider_id(&provider)?,
				&key,
				metrics_file.as_deref(),
				&state_dir,
				g.wait,
				!verbose || g.json,
			)
			.await?;
			let text = verbose.then(|| {
				format!(
					"heartbeat {} sent for {}\n",
					chain::j(&out, "/counter"),
					chain::j(&out, "/provider_id").as_str().unwrap_or_default()
				)
			});
			// Quiet on success unless asked.
			if g.json || verbose {
				Output { json: out, text: Some(text.unwrap_or_default()) }
			} else {
				Output { json: serde_json::Value::Null, text: None }
			}
		},
		Command::Provider(ProviderCmd::Get { provider }) => {
			let v = views::get(&chain, &provider_id(&provider)?).await?;
			let text = views::provider_text(&v);
			Output { json: v, text: Some(text) }
		},
		Command::Providers(ProvidersCmd::List(args)) => {
			let v = views::list(&chain, &args).await?;
			let text = views::list_table(&v);
			Output { json: v, text: Some(text) }
		},
		Command::Balance { provider } => {
			let v = views::balance(&chain, &provider_id(&provider)?).await?;
			let text = views::balance_text(&v);
			Output { json: v, text: Some(text) }
		},
		Command::Attest(AttestCmd::Submit { provider, kind, evidence }) => {
			let out = attest::submit(ctx()?, &provider_id(&provider)?, kind, &evidence).await?;
			let text = tx_text(&out);
			Output { json: out, text: Some(text) }
		},
		Command::Collateral(CollateralCmd::Upload { kind, file }) => {
			let out = attest::upload_collateral(ctx()?, kind.as_deref(), &file).await?;
			let text = tx_text(&out);
			Output { json: out, text: Some(text) }
		},
		_ => return Err(CliError::Other("unhandled command".into())),
	};
	Ok(out)
}

fn run(cli: Cli) -> Result<Output> {
	match cli.command {
		Command::Key(KeyCmd::Generate { alg, out }) => {
			let alg = match alg {
				Alg::MlDsa65 => KeyAlgorithm::MlDsa65,
				Alg::SlhDsaSha2_128s => KeyAlgorithm::SlhDsaSha2_128s,
			};
			offline_out(offline::key_generate(alg, &out))
		},
		Command::Key(KeyCmd::Public { key, out }) => {
			offline_out(offline::key_public(&key, out.as_ref()))
		},
		Command::Key(KeyCmd::Inspect { file }) => offline_out(offline::key_inspect(&file)),
		Command::Sign(SignCmd::Register { key, controller, genesis }) => {
			offline_out(offline::sign_register(&key, &controller, &genesis))
		},
		Command::Sign(SignCmd::Heartbeat {
			key,
			genesis,
			counter,
			timestamp,
			attest_hash,
			metrics_file,
		}) => offline_out(offline::sign_heartbeat(
			&key,
			&genesis,
			counter,
			timestamp,
			attest_hash.as_deref(),
			metrics_file.as_deref(),
		)),
		Command::Attest(AttestCmd::DevQuantumCert {
			provider,
			traps,
			facility_name,
			days,
			out,
		}) => attest::dev_quantum_cert(&provider_id(&provider)?, &traps, &facility_name, days, &out)
			.map(Output::from),
		_ => {
			let runtime = tokio::runtime::Builder::new_current_thread()
				.enable_all()
				.build()
				.map_err(|e| CliError::Other(format!("cannot start the async runtime: {e}")))?;
			runtime.block_on(online(cli))
		},
	}
}

fn main() -> ExitCode {
	let cli = Cli::parse();
	let json = cli.global.json;
	match run(cli) {
		Ok(out) => {
			let mut stdout = std::io::stdout().lock();
			let printed = match (&out.json, &out.text) {
				(serde_json::Value::Null, None) => Ok(()),
				(v, Some(text)) if !json => {
					let _ = v;
					write!(stdout, "{text}")
				},
				(v, _) => {
					writeln!(stdout, "{}", serde_json::to_string_pretty(v).unwrap_or_default())
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
