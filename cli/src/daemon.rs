//! `provider run`: the daemon an operator leaves running beside a provider.
//!
//! - **Heartbeats on the chain's schedule.** The interval, grace and minimum interval are read
//!   from the chain (the registry's governance parameters, else the runtime's constants) every
//!   round, never configured. Each heartbeat goes out at the interval after the last one the
//!   chain accepted, early by a jitter of 0 to `grace` blocks drawn from the provider and the
//!   counter, so providers spread over blocks and the whole grace stays for a slow inclusion or
//!   a node restart.
//! - **Metrics** come from a file or a command's standard output, in the spec §10.2 shape
//!   (`metrics` and `load` objects) or the flat one ([`crate::offline::metrics_of`]); a
//!   malformed report is refused with the offending field named and nothing is sent for it.
//! - **Counters** are [`heartbeat::send`]'s: read back from the chain and the local state file
//!   on every heartbeat, so a restart of the daemon or the node never reuses or skips one.
//! - **Re-attestation** before the attestation lapses: when fewer than `--reattest-before`
//!   blocks are left (default six intervals, the challenge window), the evidence command runs
//!   with the fresh challenge in its environment and its evidence is submitted, signed by the
//!   controller.
//! - **Reconnects** with exponential backoff (1 s doubling to 60 s) when the node goes away.
//! - **Logs** one JSON object a line on stderr (`ts` in Unix milliseconds, `level`, `event`,
//!   and the event's fields).
//! - **Prometheus metrics** on `--prometheus-listen` ([`Metrics`]).
//! - **SIGTERM or SIGINT** stops it between two steps or in the middle of one (a heartbeat
//!   already handed to the node is then in the state file); exit 0.

use crate::{
	attest,
	chain::{
		connection::Chain,
		json, state,
		submission::{Controller, TxContext, Wait},
	},
	error::{CliError, Result},
	heartbeat, liveness, offline,
	provider::{self, REGISTRY},
	views,
};
use aicf_primitives::{payload::HeartbeatReport, ProviderId};
use prometheus_endpoint::{
	register, Counter, CounterVec, Gauge, GaugeVec, Opts, PrometheusError, Registry, F64, I64, U64,
};
use std::{
	future::Future,
	net::SocketAddr,
	path::{Path, PathBuf},
	time::Duration,
};

/// Where the heartbeat's metrics come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricsSource {
	/// Full availability and no load.
	Default,
	/// A JSON file, read before every heartbeat.
	File(PathBuf),
	/// A shell command whose standard output is the JSON, run before every heartbeat.
	Command(String),
}

/// Re-attestation: the evidence kind, the command that produces evidence for a challenge, how
/// many blocks before the expiry to start, and the controller that signs the submission.
pub struct Reattest {
	/// The evidence kind the command produces.
	pub kind: attest::Kind,
	/// Shell command; see [`run_evidence_command`] for its environment.
	pub command: String,
	/// Blocks before `expires_height` from which to re-attest (default: six intervals).
	pub before: Option<u64>,
	/// Signs `submit_attestation`.
	pub controller: Controller,
}

/// What signs the heartbeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signer {
	/// The private registry key, in this file.
	Key(PathBuf),
	/// A shell command that signs elsewhere (a machine or device holding the key offline):
	/// see [`sign_elsewhere`].
	Command(String),
}

/// Everything the daemon runs on.
pub struct Config {
	/// Node WebSocket URL.
	pub url: String,
	/// The provider.
	pub provider: ProviderId,
	/// What signs its heartbeats.
	pub signer: Signer,
	/// Where the metrics come from.
	pub metrics: MetricsSource,
	/// Re-attestation, if configured.
	pub reattest: Option<Reattest>,
	/// The heartbeat state directory ([`heartbeat::send`]), where the liveness secret is kept.
	pub state_dir: PathBuf,
	/// Proofs per liveness chain each signed heartbeat commits to; `None`: the runtime's
	/// `MaxLivenessChain`; 0: signed heartbeats only.
	pub liveness_chain: Option<u32>,
	/// Where to serve Prometheus metrics.
	pub prometheus: Option<SocketAddr>,
	/// Apply controller-signed transactions to the chain's state before sending them.
	pub check: bool,
}

/// The daemon's Prometheus metrics (prefix `aicf_daemon_`).
#[derive(Clone)]
pub struct Metrics {
	sent: Counter<U64>,
	included: Counter<U64>,
	failed: Counter<U64>,
	metrics_errors: Counter<U64>,
	proofs: CounterVec<U64>,
	reattestations: CounterVec<U64>,
	since_inclusion: Gauge<F64>,
	last_inclusion: Gauge<F64>,
	expires_height: Gauge<I64>,
	expires_in: Gauge<I64>,
	health: Gauge<F64>,
	status: GaugeVec<I64>,
	best: Gauge<I64>,
	connected: Gauge<I64>,
}

/// The statuses [`Metrics`] labels.
const STATUSES: [&str; 5] = ["REGISTERED", "ACTIVE", "JAILED", "UNSTAKING", "DEREGISTERED"];

impl Metrics {
	/// Register every metric in `registry`.
	pub fn register(registry: &Registry) -> std::result::Result<Self, PrometheusError> {
		let counter = |name: &str, help: &str| -> std::result::Result<Counter<U64>, _> {
			register(Counter::new(format!("aicf_daemon_{name}"), help)?, registry)
		};
		let gauge_f = |name: &str, help: &str| -> std::result::Result<Gauge<F64>, _> {
			register(Gauge::new(format!("aicf_daemon_{name}"), help)?, registry)
		};
		let gauge_i = |name: &str, help: &str| -> std::result::Result<Gauge<I64>, _> {
			register(Gauge::new(format!("aicf_daemon_{name}"), help)?, registry)
		};
		Ok(Self {
			sent: counter("heartbeats_sent_total", "Heartbeats handed to the node")?,
			included: counter("heartbeats_included_total", "Heartbeats included in a block")?,
			failed: counter(
				"heartbeats_failed_total",
				"Heartbeats refused by the node or failed in a block",
			)?,
			metrics_errors: counter(
				"metrics_errors_total",
				"Heartbeats not sent because the metrics file or command gave no valid report",
			)?,
			proofs: register(
				CounterVec::new(
					Opts::new(
						"aicf_daemon_liveness_proofs_total",
						"Liveness proofs sent in place of a heartbeat, by result",
					),
					&["result"],
				)?,
				registry,
			)?,
			reattestations: register(
				CounterVec::new(
					Opts::new("aicf_daemon_reattestations_total", "Re-attestations by result"),
					&["result"],
				)?,
				registry,
			)?,
			since_inclusion: gauge_f(
				"seconds_since_last_inclusion",
				"Seconds since this daemon's last heartbeat was included (-1 before the first)",
			)?,
			last_inclusion: gauge_f(
				"last_inclusion_timestamp_seconds",
				"Unix time of this daemon's last included heartbeat (0 before the first)",
			)?,
			expires_height: gauge_i(
				"attestation_expires_height",
				"Block at which the attestation stops counting (-1: none)",
			)?,
			expires_in: gauge_i(
				"attestation_expires_in_blocks",
				"Blocks left until the attestation stops counting (-1: none)",
			)?,
			health: gauge_f("health_score", "Health score as the chain sees it now (0 to 1)")?,
			status: register(
				GaugeVec::new(
					Opts::new(
						"aicf_daemon_provider_status",
						"1 for the provider's status at the best block, as the chain sees it",
					),
					&["status"],
				)?,
				registry,
			)?,
			best: gauge_i("best_block", "The node's best block number")?,
			connected: gauge_i("node_connected", "1 while connected to the node")?,
		})
	}

	fn view(&self, view: &serde_json::Value, best: u64) {
		let status = json::lookup(view, "/status").as_str().unwrap_or_default();
		for s in STATUSES {
			self.status.with_label_values(&[s]).set(i64::from(s == status));
		}
		if let Some(score) = json::lookup(view, "/health/score").as_f64() {
			self.health.set(score);
		}
		match json::lookup(view, "/attest/expires_height").as_u64() {
			Some(h) => {
				self.expires_height.set(i64::try_from(h).unwrap_or(i64::MAX));
				let left = i128::from(h).saturating_sub(i128::from(best));
				self.expires_in.set(i64::try_from(left).unwrap_or(i64::MAX));
			},
			None => {
				self.expires_height.set(-1);
				self.expires_in.set(-1);
			},
		}
	}
}

/// One structured log line on stderr: `{"ts": <Unix ms>, "level", "event", …fields}`.
pub fn log(level: &str, event: &str, fields: serde_json::Value) {
	let ts = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_millis())
		.unwrap_or(0);
	let mut line = serde_json::json!({ "ts": ts, "level": level, "event": event });
	if let (Some(line), Some(fields)) = (line.as_object_mut(), fields.as_object()) {
		for (k, v) in fields {
			line.insert(k.clone(), v.clone());
		}
	}
	eprintln!("{line}");
}

/// The chain's heartbeat schedule, in blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
	/// `HeartbeatInterval`.
	pub interval: u64,
	/// `HeartbeatGrace`: a heartbeat within interval + grace of the last is never a miss.
	pub grace: u64,
	/// `MinHeartbeatInterval`: one sooner is refused.
	pub min_interval: u64,
}

impl Schedule {
	/// The block at which to send the heartbeat with `counter`, the last one having been
	/// accepted at block `last` (`None`: never — at once). The interval after `last`, early by
	/// a jitter of 0 to `grace` blocks drawn from the provider and the counter, and never
	/// before the minimum interval.
	pub fn due(&self, provider: &ProviderId, counter: u64, last: Option<u64>) -> Option<u64> {
		let last = last?;
		let jitter = jitter(provider, counter, self.grace.min(self.interval));
		let due = last.saturating_add(self.interval).saturating_sub(jitter);
		Some(due.max(last.saturating_add(self.min_interval)))
	}
}

/// A number from 0 to `max` inclusive, the same for the same provider and counter and spread
/// evenly over providers.
pub fn jitter(provider: &ProviderId, counter: u64, max: u64) -> u64 {
	use sha2::Digest as _;
	let digest = sha2::Sha256::new()
		.chain_update(b"aicf-heartbeat-jitter")
		.chain_update(provider.0)
		.chain_update(counter.to_le_bytes())
		.finalize();
	let mut first = [0u8; 8];
	first.copy_from_slice(digest.get(..8).unwrap_or(&[0; 8]));
	u64::from_le_bytes(first).checked_rem(max.saturating_add(1)).unwrap_or(0)
}

/// Whether to re-attest at block `best`: an attestation lapsing at `expires` has at most
/// `before` blocks left (or there is none).
pub fn reattest_due(expires: Option<u64>, best: u64, before: u64) -> bool {
	expires.is_none_or(|e| e.saturating_sub(best) <= before)
}

/// The schedule at the best block and where it was read: the registry's governance parameters
/// (`Parameters.Parameters`, "governance"), else the runtime's constants ("constants").
async fn schedule(chain: &Chain) -> Result<(Schedule, &'static str)> {
	let at = chain.at_best().await?;
	let metadata = at.metadata_ref();
	let constant = |name: &str| {
		state::constant_u128(metadata, REGISTRY, name).and_then(|v| u64::try_from(v).ok())
	};
	let mut s = Schedule {
		interval: constant("HeartbeatInterval").ok_or_else(|| {
			CliError::Unsupported(format!("the runtime has no {REGISTRY}.HeartbeatInterval"))
		})?,
		grace: constant("HeartbeatGrace").unwrap_or(0),
		min_interval: constant("MinHeartbeatInterval").unwrap_or(1),
	};
	let mut source = "constants";
	if let Some(params) = governance_params(chain, &at).await {
		let field = |name: &str| {
			state::field(&params, name)
				.and_then(|v| v.as_u128())
				.and_then(|v| u64::try_from(v).ok())
		};
		if let (Some(i), Some(g), Some(m)) =
			(field("heartbeat_interval"), field("heartbeat_grace"), field("min_heartbeat_interval"))
		{
			(s.interval, s.grace, s.min_interval, source) = (i, g, m, "governance");
		}
	}
	s.interval = s.interval.max(1);
	Ok((s, source))
}

/// The registry's parameters as governance last set them, if the runtime keeps them in
/// pallet-parameters (key `Registry(Params)`); the metadata's constants are only refreshed
/// with a runtime upgrade.
async fn governance_params(
	chain: &Chain,
	at: &crate::chain::connection::ClientAtBlock,
) -> Option<subxt::dynamic::Value> {
	use subxt::dynamic::Value;
	let key = Value::unnamed_variant(
		"Registry",
		[Value::unnamed_variant("Params", [Value::unnamed_composite([])])],
	);
	let value = state::storage(chain, at, "Parameters", "Parameters", vec![key]).await.ok()??;
	// Registry(Params(RegistryParams { … })): the struct two variants down.
	let inner = |v: &Value| match &v.value {
		subxt::ext::scale_value::ValueDef::Variant(var) => var.values.values().next().cloned(),
		_ => None,
	};
	inner(&inner(&value)?)
}

/// Run `command` with `sh -c` and the extra environment `env`, at most `timeout` (then it is
/// killed, as it is when the daemon stops meanwhile); its standard output.
async fn run_command(
	command: &str,
	env: &[(&str, String)],
	stdin: Option<Vec<u8>>,
	timeout: Duration,
	what: &str,
) -> Result<Vec<u8>> {
	use std::process::{Command, Stdio};
	/// Kills the child's whole process group (a pipeline's commands too) unless it finished.
	/// The child is not reaped before, so its id is still its own.
	struct KillOnDrop(u32, bool);
	impl Drop for KillOnDrop {
		fn drop(&mut self) {
			if !self.1 {
				let group = format!("-{}", self.0);
				let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
			}
		}
	}
	let mut cmd = Command::new("sh");
	std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
	cmd.arg("-c")
		.arg(command)
		.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
		.stdout(Stdio::piped())
		.stderr(Stdio::piped());
	for (k, v) in env {
		cmd.env(k, v);
	}
	let mut child = cmd.spawn().map_err(|e| CliError::Input(format!("cannot run {what}: {e}")))?;
	let input = child.stdin.take().zip(stdin);
	let mut guard = KillOnDrop(child.id(), false);
	let waited = tokio::time::timeout(
		timeout,
		tokio::task::spawn_blocking(move || {
			if let Some((mut pipe, bytes)) = input {
				use std::io::Write as _;
				// A command that does not read its input is not an error.
				let _ = pipe.write_all(&bytes);
			}
			child.wait_with_output()
		}),
	)
	.await
	.map_err(|_| {
		CliError::Input(format!("{what} did not finish within {} s", timeout.as_secs()))
	})?;
	guard.1 = true;
	let out = waited
		.map_err(|e| CliError::Other(format!("{what}: {e}")))?
		.map_err(|e| CliError::Input(format!("cannot run {what}: {e}")))?;
	if !out.status.success() {
		let stderr = String::from_utf8_lossy(&out.stderr);
		return Err(CliError::Input(format!(
			"{what} failed ({}): {}",
			out.status,
			stderr.trim().lines().last().unwrap_or_default()
		)));
	}
	Ok(out.stdout)
}

/// The report to send now, from `source`. The error names the offending field.
async fn read_metrics(source: &MetricsSource) -> Result<HeartbeatReport> {
	match source {
		MetricsSource::Default => offline::metrics(None).map_err(CliError::Input),
		MetricsSource::File(path) => offline::metrics(Some(path)).map_err(CliError::Input),
		MetricsSource::Command(command) => {
			let out =
				run_command(command, &[], None, Duration::from_secs(30), "the metrics command")
					.await?;
			let v: serde_json::Value = serde_json::from_slice(&out).map_err(|e| {
				CliError::Input(format!("the metrics command printed no JSON object ({e})"))
			})?;
			offline::metrics_of(&v)
				.map_err(|e| CliError::Input(format!("the metrics command: {e}")))
		},
	}
}

/// Produce evidence for a fresh challenge with the evidence command and submit it. The command
/// runs with `AICF_PROVIDER`, `AICF_CHALLENGE_BLOCK`, `AICF_CHALLENGE_HASH`, `AICF_KEY_HASH`,
/// `AICF_BINDING` (the 32 bytes the evidence's report data must start with, 0x-hex) and
/// `AICF_EVIDENCE_OUT` (a path): the evidence is that file if the command wrote it, else its
/// standard output. Returns the submission's outcome.
async fn run_evidence_command(
	chain: &Chain,
	config: &Config,
	re: &Reattest,
	block_secs: u64,
) -> Result<serde_json::Value> {
	// The key evidence binds is the provider's key on chain (which the signer holds).
	let at = chain.at_best().await?;
	let key = provider::current_key(&provider::record(chain, &at, &config.provider).await?)?;
	let challenge = attest::challenge(chain, &config.provider, &key).await?;
	let field = |name: &str| {
		let v = json::lookup(&challenge, &format!("/{name}"));
		v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string())
	};
	let challenge_block = json::lookup(&challenge, "/challenge_block")
		.as_u64()
		.and_then(|b| u32::try_from(b).ok())
		.ok_or_else(|| CliError::Other("the challenge has no block number".into()))?;
	let window = json::lookup(&challenge, "/submit_by_block")
		.as_u64()
		.map_or(60, |by| by.saturating_sub(u64::from(challenge_block)));
	let out = evidence_path(&config.state_dir, &config.provider);
	std::fs::create_dir_all(&config.state_dir).map_err(|e| {
		CliError::Input(format!("cannot create {}: {e}", config.state_dir.display()))
	})?;
	let _ = std::fs::remove_file(&out);
	let env = [
		("AICF_PROVIDER", config.provider.to_string()),
		("AICF_CHALLENGE_BLOCK", challenge_block.to_string()),
		("AICF_CHALLENGE_HASH", field("challenge_hash")),
		("AICF_KEY_HASH", field("key_hash")),
		("AICF_BINDING", field("binding")),
		("AICF_EVIDENCE_OUT", out.display().to_string()),
	];
	// Half the challenge window: the other half is for the submission to get in.
	let timeout = Duration::from_secs(window.saturating_mul(block_secs).max(2) / 2);
	let stdout = run_command(&re.command, &env, None, timeout, "the evidence command").await?;
	let evidence = match std::fs::read(&out) {
		Ok(bytes) => bytes,
		Err(_) => stdout,
	};
	if evidence.is_empty() {
		return Err(CliError::Input(
			"the evidence command wrote nothing to $AICF_EVIDENCE_OUT or its output".into(),
		));
	}
	let at = chain.at_best().await?;
	let call = attest::submit_call(
		at.metadata_ref(),
		&config.provider,
		re.kind,
		challenge_block,
		&evidence,
	)?;
	let ctx = TxContext {
		chain,
		signer: &re.controller,
		wait: Wait::InBlock,
		quiet: true,
		check: config.check,
	};
	Ok(ctx.sign_and_submit(&call).await?.to_json())
}

/// One heartbeat signed by `command` (the key kept elsewhere), checked and sent. The command
/// runs with `sh -c`, at most 60 s, with `AICF_PROVIDER`, `AICF_GENESIS`, `AICF_COUNTER`,
/// `AICF_TIMESTAMP`, `AICF_ATTEST_HASH` and `AICF_METRICS` (the report, spec §10.2 JSON, also
/// on its standard input) — what `aicf sign heartbeat … --metrics-file -` takes — and prints
/// the signed heartbeat JSON. What it signed must be that heartbeat, under the provider's key.
pub async fn sign_elsewhere(
	chain: &Chain,
	provider: &ProviderId,
	command: &str,
	report: HeartbeatReport,
	state_dir: &Path,
	liveness_chain: u32,
) -> Result<serde_json::Value> {
	let mut prepared =
		heartbeat::prepare(chain, provider, report, state_dir, liveness_chain).await?;
	let hb = &prepared.heartbeat;
	let metrics = serde_json::json!({
		"metrics": {
			"rtt_ms_p50": hb.report.rtt_ms_p50,
			"availability": f64::from(hb.report.availability_bps) / 10_000.0,
		},
		"load": {
			"leases_active": hb.report.leases_active,
			"leases_capacity": hb.report.leases_capacity,
		},
	})
	.to_string();
	let env = [
		("AICF_PROVIDER", provider.to_string()),
		("AICF_GENESIS", format!("0x{}", hex::encode(chain.genesis()))),
		("AICF_COUNTER", hb.counter.to_string()),
		("AICF_TIMESTAMP", hb.timestamp.to_string()),
		("AICF_ATTEST_HASH", format!("0x{}", hex::encode(hb.attest_hash))),
		("AICF_METRICS", metrics.clone()),
	];
	// The chain's commitment, for `aicf sign heartbeat` (its --liveness-* options read these).
	let committed = hb.liveness.map(|c| {
		[
			("AICF_LIVENESS_ANCHOR", format!("0x{}", hex::encode(c.anchor))),
			("AICF_LIVENESS_LENGTH", c.length.to_string()),
		]
	});
	let env: Vec<(&str, String)> = env.into_iter().chain(committed.into_iter().flatten()).collect();
	let out = run_command(
		command,
		&env,
		Some(metrics.into_bytes()),
		Duration::from_secs(60),
		"the signer command",
	)
	.await
	.map_err(signer_failed)?;
	let view: aicf_primitives::view::HeartbeatView = serde_json::from_slice(&out).map_err(|e| {
		signer_failed(CliError::Input(format!("it printed no signed heartbeat ({e})")))
	})?;
	let (signed, signature) = view.to_signed().map_err(|e| signer_failed(CliError::Input(e)))?;
	// A signer that does not know liveness chains signs the heartbeat without the
	// commitment: valid, and sent as signed (no chain follows it).
	let hb = if signed.liveness.is_none() && hb.liveness.is_some() {
		prepared.heartbeat.liveness = None;
		&prepared.heartbeat
	} else {
		hb
	};
	if &signed != hb {
		return Err(signer_failed(CliError::Input(format!(
			"it signed another heartbeat (counter {}, timestamp {}) than the one asked for \
			 (counter {}, timestamp {})",
			signed.counter, signed.timestamp, hb.counter, hb.timestamp
		))));
	}
	heartbeat::submit_prepared(chain, prepared, &signature, Wait::InBlock, true).await.map_err(
		|e| match e {
			// A signature that does not verify is the signer's failure (a rotated-away key it
			// still holds), retried; a state file that cannot be written is not.
			CliError::Input(m) if m.contains("does not verify") => {
				signer_failed(CliError::Input(m))
			},
			other => other,
		},
	)
}

/// A failure of the signer command (unreachable, a wrong answer): retried a few blocks later
/// rather than fatal.
fn signer_failed(e: CliError) -> CliError {
	match e {
		CliError::Input(m) => CliError::Other(format!("signer: {m}")),
		other => other,
	}
}

/// Resolves when SIGTERM or SIGINT arrives.
async fn stop_signal() {
	use tokio::signal::unix::{signal, SignalKind};
	match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
		(Ok(mut term), Ok(mut int)) => {
			tokio::select! {
				_ = term.recv() => {},
				_ = int.recv() => {},
			}
		},
		_ => std::future::pending().await,
	}
}

/// What ended a connection's rounds.
enum Ended {
	/// A stop signal.
	Stopped,
	/// The node went away: reconnect.
	Disconnected(CliError),
}

/// Await `fut` unless `stop` resolves first.
async fn or_stop<T>(
	stop: &mut std::pin::Pin<Box<impl Future<Output = ()>>>,
	fut: impl Future<Output = T>,
) -> Option<T> {
	tokio::select! {
		_ = stop.as_mut() => None,
		v = fut => Some(v),
	}
}

/// The best block's number.
async fn best_number(chain: &Chain) -> Result<u64> {
	let header = chain.request("chain_getHeader", vec![]).await?;
	json::lookup(&header, "/number")
		.as_str()
		.and_then(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16).ok())
		.ok_or_else(|| CliError::Other("chain_getHeader: no block number".into()))
}

/// The daemon's state across connections.
struct Daemon<'a> {
	config: &'a Config,
	metrics: Metrics,
	last_inclusion: Option<std::time::Instant>,
	/// No new try before this block after a failure (heartbeat, re-attestation).
	heartbeat_retry_at: u64,
	attest_retry_at: u64,
	/// The schedule last logged.
	schedule: Option<Schedule>,
	/// Whether the provider was ever found on chain.
	seen: bool,
	/// Whether a round completed since the last reconnection (resets the backoff).
	good_round: bool,
	/// The chain first connected to: a node serving another chain later is refused.
	genesis: Option<[u8; 32]>,
	/// The metrics error last logged (until metrics are read again).
	metrics_error: Option<String>,
	/// Proofs per chain the next signed heartbeat commits to (0: none).
	liveness_chain: u32,
	/// No liveness proof before this block after a proof came too early.
	proof_retry_at: u64,
	/// The longest wait between two connection attempts: half the grace (at most 60 s), so
	/// a node back within the grace is found in time.
	max_backoff: Duration,
}

impl Daemon<'_> {
	fn tick_gauges(&self) {
		if let Some(t) = self.last_inclusion {
			self.metrics.since_inclusion.set(t.elapsed().as_secs_f64());
		}
	}

	/// One connection's rounds, until a stop signal or a disconnection. Errors are fatal
	/// (a bad key, a provider the chain does not know).
	async fn rounds(
		&mut self,
		chain: &Chain,
		stop: &mut std::pin::Pin<Box<impl Future<Output = ()>>>,
	) -> Result<Ended> {
		let block_secs = match chain.at_best().await {
			Ok(at) => heartbeat::block_secs(at.metadata_ref()),
			Err(e) => return Ok(Ended::Disconnected(e)),
		};
		let poll = Duration::from_millis(block_secs.saturating_mul(500).max(500));
		let provider = self.config.provider;
		loop {
			self.tick_gauges();
			let round = async {
				let best = best_number(chain).await?;
				let (schedule, source) = schedule(chain).await?;
				if self.schedule != Some(schedule) {
					self.schedule = Some(schedule);
					log(
						"info",
						"schedule",
						serde_json::json!({
							"interval": schedule.interval, "grace": schedule.grace,
							"min_interval": schedule.min_interval, "block_secs": block_secs,
							"source": source,
						}),
					);
				}
				self.max_backoff = Duration::from_secs(
					schedule.grace.saturating_mul(block_secs).div_euclid(2).clamp(1, 60),
				);
				let at = chain.at_best().await?;
				let record = provider::record(chain, &at, &provider).await?;
				let proofs = liveness::on_chain(chain, &at, &provider).await?;
				let max_chain =
					state::constant_u128(at.metadata_ref(), REGISTRY, "MaxLivenessChain")
						.and_then(|n| u32::try_from(n).ok())
						.unwrap_or(0);
				let view = views::get(chain, &provider).await?;
				Ok::<_, CliError>((best, schedule, record, view, proofs, max_chain))
			};
			let (best, schedule, record, view, on_chain, max_chain) = match or_stop(stop, round)
				.await
			{
				None => return Ok(Ended::Stopped),
				Some(Ok(r)) => r,
				// A provider never seen on this chain is a wrong id; one seen before and missing
				// now is a node behind (resyncing): wait for it.
				Some(Err(e @ CliError::NotFound(_))) if !self.seen => return Err(e),
				Some(Err(e @ (CliError::Input(_) | CliError::Unsupported(_)))) => return Err(e),
				Some(Err(e)) => return Ok(Ended::Disconnected(e)),
			};
			self.seen = true;
			self.good_round = true;
			self.metrics.best.set(i64::try_from(best).unwrap_or(i64::MAX));
			self.metrics.view(&view, best);
			if json::lookup(&view, "/status").as_str() == Some("DEREGISTERED") {
				return Err(CliError::Rejected(format!("{provider} has deregistered")));
			}

			if let Some(re) = &self.config.reattest {
				let expires = json::lookup(&view, "/attest/expires_height").as_u64();
				let before = re.before.unwrap_or(schedule.interval.saturating_mul(6));
				if best >= self.attest_retry_at && reattest_due(expires, best, before) {
					log(
						"info",
						"reattest_start",
						serde_json::json!({
							"provider": provider.to_string(), "best": best, "expires_height": expires,
						}),
					);
					match or_stop(stop, run_evidence_command(chain, self.config, re, block_secs))
						.await
					{
						None => return Ok(Ended::Stopped),
						Some(Ok(out)) => {
							self.metrics.reattestations.with_label_values(&["ok"]).inc();
							// At most one a heartbeat interval: an expiry bounded by the
							// evidence's own validity (or a margin wider than an attestation
							// lives) would otherwise re-attest every block and starve the
							// heartbeats.
							self.attest_retry_at = best.saturating_add(schedule.interval);
							log(
								"info",
								"reattested",
								serde_json::json!({
									"provider": provider.to_string(),
									"block": json::lookup(&out, "/block_number"),
								}),
							);
							continue;
						},
						Some(Err(e @ CliError::Unreachable(_))) => {
							return Ok(Ended::Disconnected(e))
						},
						Some(Err(e)) => {
							self.metrics.reattestations.with_label_values(&["failed"]).inc();
							self.attest_retry_at = best.saturating_add(schedule.interval);
							log(
								"error",
								"reattest_failed",
								serde_json::json!({
									"provider": provider.to_string(), "error": e.to_string(),
									"retry_at": self.attest_retry_at,
								}),
							);
						},
					}
				}
			}

			let last = state::field(&record, "last_heartbeat")
				.and_then(state::option_of)
				.and_then(|v| v.as_u128())
				.and_then(|v| u64::try_from(v).ok());
			let counter = state::field(&record, "heartbeat.counter")
				.and_then(|v| v.as_u128())
				.and_then(|v| u64::try_from(v).ok())
				.unwrap_or(0);
			// A liveness proof counts as the provider seen, as a heartbeat does.
			let last = last.max(on_chain.map(|c| c.last_seen));
			self.liveness_chain = self.config.liveness_chain.unwrap_or(max_chain).min(max_chain);
			let due = schedule
				.due(&provider, counter.saturating_add(1), last)
				.unwrap_or(best)
				.max(self.heartbeat_retry_at);
			if best >= due {
				// A proof from the chain the last heartbeat committed, if one is left; else a
				// signed heartbeat (committing the next chain).
				if self.liveness_chain > 0 && on_chain.is_some() && best >= self.proof_retry_at {
					match or_stop(stop, self.prove(chain, best)).await {
						None => return Ok(Ended::Stopped),
						Some(Err(e @ CliError::Unreachable(_))) => {
							return Ok(Ended::Disconnected(e))
						},
						Some(Err(e)) => return Err(e),
						Some(Ok(true)) => continue,
						Some(Ok(false)) => {},
					}
				}
				match or_stop(stop, self.heartbeat(chain, best, &schedule)).await {
					None => return Ok(Ended::Stopped),
					Some(Err(e @ CliError::Unreachable(_))) => return Ok(Ended::Disconnected(e)),
					// A key that is not the provider's, a provider gone: no retry mends it.
					Some(Err(e)) => return Err(e),
					Some(Ok(())) => {},
				}
				continue;
			}
			let wait =
				poll.min(Duration::from_secs(due.saturating_sub(best).saturating_mul(block_secs)));
			if or_stop(stop, tokio::time::sleep(wait.max(Duration::from_millis(200))))
				.await
				.is_none()
			{
				return Ok(Ended::Stopped);
			}
		}
	}

	/// Send the next liveness proof. `Ok(true)`: included, or another sender's proof made it
	/// too early (retried next block); `Ok(false)`: none to send or refused (logged) — a
	/// signed heartbeat goes out instead. The error is what no retry
	/// mends (and `Unreachable`, to reconnect).
	async fn prove(&mut self, chain: &Chain, best: u64) -> Result<bool> {
		let provider = self.config.provider.to_string();
		match liveness::prove(
			chain,
			&self.config.provider,
			&self.config.state_dir,
			Wait::InBlock,
			true,
		)
		.await
		{
			Ok(out) => {
				self.metrics.proofs.with_label_values(&["included"]).inc();
				self.last_inclusion = Some(std::time::Instant::now());
				let now = offline::now_secs().unwrap_or(0);
				self.metrics.last_inclusion.set(now as f64);
				self.tick_gauges();
				log(
					"info",
					"proof_included",
					serde_json::json!({
						"provider": provider,
						"block": json::lookup(&out, "/block_number"),
						"remaining": json::lookup(&out, "/remaining"),
					}),
				);
				Ok(true)
			},
			Err(e @ (CliError::Unreachable(_) | CliError::Input(_))) => Err(e),
			Err(CliError::Rejected(m)) if m == liveness::NO_PROOF => Ok(false),
			Err(CliError::TooEarly(m)) => {
				// Another sender got there first (a relayer, a cron job): nothing is due now,
				// and a signed heartbeat would only end the chain that proof extended.
				self.proof_retry_at = best.saturating_add(1);
				log(
					"warn",
					"proof_too_early",
					serde_json::json!({ "provider": provider, "reason": m }),
				);
				Ok(true)
			},
			Err(e) => {
				// Refused (lapsed, another sender's proof in flight) or failed: the signed
				// heartbeat that follows starts a new chain.
				self.metrics.proofs.with_label_values(&["failed"]).inc();
				log(
					"warn",
					"proof_failed",
					serde_json::json!({ "provider": provider, "error": e.to_string() }),
				);
				Ok(false)
			},
		}
	}

	/// Read the metrics and send one heartbeat; count and log the outcome. Bad metrics and a
	/// refusal are logged and retried later; the error is what no retry mends (and
	/// `Unreachable`, to reconnect).
	async fn heartbeat(&mut self, chain: &Chain, best: u64, schedule: &Schedule) -> Result<()> {
		let provider = self.config.provider.to_string();
		let report = match read_metrics(&self.config.metrics).await {
			Ok(r) => {
				self.metrics_error = None;
				r
			},
			Err(e) => {
				self.metrics.metrics_errors.inc();
				self.heartbeat_retry_at = best.saturating_add(1);
				// Once per distinct error: a file left broken is retried every block.
				let error = e.to_string();
				if self.metrics_error.as_deref() != Some(error.as_str()) {
					log(
						"error",
						"metrics_invalid",
						serde_json::json!({ "provider": provider, "error": error }),
					);
					self.metrics_error = Some(error);
				}
				return Ok(());
			},
		};
		self.metrics.sent.inc();
		let sent = match &self.config.signer {
			Signer::Key(key) => {
				heartbeat::send(
					chain,
					&self.config.provider,
					key,
					report,
					heartbeat::Local {
						state_dir: &self.config.state_dir,
						liveness_chain: self.liveness_chain,
					},
					Wait::InBlock,
					true,
				)
				.await
			},
			// A signer that fails or answers wrongly (an unreachable signing machine) is retried,
			// not fatal.
			Signer::Command(command) => {
				sign_elsewhere(
					chain,
					&self.config.provider,
					command,
					report,
					&self.config.state_dir,
					self.liveness_chain,
				)
				.await
			},
		};
		match sent {
			Ok(out) => {
				self.metrics.included.inc();
				self.last_inclusion = Some(std::time::Instant::now());
				let now = offline::now_secs().unwrap_or(0);
				self.metrics.last_inclusion.set(now as f64);
				self.tick_gauges();
				log(
					"info",
					"heartbeat_included",
					serde_json::json!({
						"provider": provider,
						"counter": json::lookup(&out, "/counter"),
						"block": json::lookup(&out, "/block_number"),
						"availability": f64::from(report.availability_bps) / 10_000.0,
						"rtt_ms_p50": report.rtt_ms_p50,
					}),
				);
				Ok(())
			},
			Err(CliError::TooEarly(m)) => {
				// Another sender (cron, a second daemon) got there first: wait a block.
				self.heartbeat_retry_at = best.saturating_add(1);
				log(
					"warn",
					"heartbeat_too_early",
					serde_json::json!({ "provider": provider, "reason": m }),
				);
				Ok(())
			},
			Err(e @ CliError::Unreachable(_)) => {
				self.metrics.failed.inc();
				log(
					"warn",
					"heartbeat_unsent",
					serde_json::json!({ "provider": provider, "error": e.to_string() }),
				);
				Err(e)
			},
			Err(e @ (CliError::Input(_) | CliError::NotFound(_))) => Err(e),
			Err(e) => {
				self.metrics.failed.inc();
				// Refused or failed: try again after a few blocks, well inside the grace.
				self.heartbeat_retry_at = best.saturating_add((schedule.grace / 5).clamp(1, 10));
				log(
					"error",
					"heartbeat_failed",
					serde_json::json!({
						"provider": provider, "error": e.to_string(), "retry_at": self.heartbeat_retry_at,
					}),
				);
				Ok(())
			},
		}
	}
}

/// Run the daemon until SIGTERM or SIGINT (`Ok`), or a fatal error: an unreadable key, a
/// provider the chain does not know or that has deregistered, a Prometheus port in use.
pub async fn run(config: Config) -> Result<()> {
	// Fail before the first connection on what no reconnection mends.
	let key_hash = match &config.signer {
		Signer::Key(path) => {
			Some(format!("0x{}", hex::encode(offline::load_key(path)?.public().key_hash())))
		},
		Signer::Command(_) => None,
	};
	if let MetricsSource::File(path) = &config.metrics {
		offline::metrics(Some(path)).map_err(CliError::Input)?;
	}
	let registry = Registry::new();
	let metrics = Metrics::register(&registry)
		.map_err(|e| CliError::Other(format!("prometheus metrics: {e}")))?;
	if let Some(addr) = config.prometheus {
		let listener = tokio::net::TcpListener::bind(addr)
			.await
			.map_err(|e| CliError::Input(format!("--prometheus-listen {addr}: {e}")))?;
		drop(listener);
		tokio::spawn(async move {
			if let Err(e) = prometheus_endpoint::init_prometheus(addr, registry).await {
				log("error", "prometheus_failed", serde_json::json!({ "error": e.to_string() }));
			}
		});
	}
	log(
		"info",
		"started",
		serde_json::json!({
			"provider": config.provider.to_string(),
			"url": config.url,
			"key_hash": key_hash,
			"signer": match &config.signer { Signer::Key(_) => "key", Signer::Command(_) => "command" },
			"prometheus": config.prometheus.map(|a| a.to_string()),
			"reattest": config.reattest.as_ref().map(|r| format!("{:?}", r.kind)),
		}),
	);
	let mut daemon = Daemon {
		config: &config,
		metrics,
		last_inclusion: None,
		heartbeat_retry_at: 0,
		attest_retry_at: 0,
		schedule: None,
		seen: false,
		good_round: false,
		genesis: None,
		metrics_error: None,
		max_backoff: Duration::from_secs(60),
		liveness_chain: 0,
		proof_retry_at: 0,
	};
	daemon.metrics.since_inclusion.set(-1.0);
	let mut stop = Box::pin(stop_signal());
	let mut backoff = Duration::from_secs(1);
	loop {
		let chain = match or_stop(&mut stop, Chain::connect(&config.url)).await {
			None => break,
			Some(Ok(chain)) => chain,
			Some(Err(e @ CliError::Input(_))) => return Err(e),
			Some(Err(e)) => {
				daemon.metrics.connected.set(0);
				log(
					"warn",
					"node_unreachable",
					serde_json::json!({
						"url": config.url, "error": e.to_string(), "retry_in_s": backoff.as_secs(),
					}),
				);
				if or_stop(&mut stop, tokio::time::sleep(backoff)).await.is_none() {
					break;
				}
				backoff = backoff.saturating_mul(2).min(daemon.max_backoff);
				continue;
			},
		};
		// Heartbeats signed for one chain stay on it: a node that now serves another is refused.
		let genesis = chain.genesis();
		if *daemon.genesis.get_or_insert(genesis) != genesis {
			let e = CliError::Input(format!(
				"{} now serves another chain (genesis 0x{}) than when the daemon started",
				config.url,
				hex::encode(genesis)
			));
			log("error", "fatal", serde_json::json!({ "error": e.to_string() }));
			return Err(e);
		}
		daemon.metrics.connected.set(1);
		log(
			"info",
			"connected",
			serde_json::json!({ "url": config.url, "genesis": format!("0x{}", hex::encode(genesis)) }),
		);
		match daemon.rounds(&chain, &mut stop).await {
			Ok(Ended::Stopped) => break,
			Ok(Ended::Disconnected(e)) => {
				daemon.metrics.connected.set(0);
				// The backoff starts again only after a round went through, so a node that
				// accepts connections and then fails every round is not hammered.
				if std::mem::take(&mut daemon.good_round) {
					backoff = Duration::from_secs(1);
				}
				log(
					"warn",
					"disconnected",
					serde_json::json!({
						"url": config.url, "error": e.to_string(), "retry_in_s": backoff.as_secs(),
					}),
				);
				if or_stop(&mut stop, tokio::time::sleep(backoff)).await.is_none() {
					break;
				}
				backoff = backoff.saturating_mul(2).min(daemon.max_backoff);
			},
			Err(e) => {
				log("error", "fatal", serde_json::json!({ "error": e.to_string() }));
				return Err(e);
			},
		}
	}
	log("info", "stopped", serde_json::json!({ "provider": config.provider.to_string() }));
	Ok(())
}

/// The state directory given, or the default one.
pub fn state_dir(given: Option<PathBuf>) -> Result<PathBuf> {
	given
		.or_else(heartbeat::default_state_dir)
		.ok_or_else(|| CliError::Input("no state directory: give --state-dir or set HOME".into()))
}

/// Where the evidence command is asked to write its evidence (`AICF_EVIDENCE_OUT`).
pub fn evidence_path(state_dir: &Path, provider: &ProviderId) -> PathBuf {
	state_dir.join(format!("evidence-{}.bin", hex::encode(provider.0)))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn heartbeats_go_out_before_the_deadline_spread_over_the_grace() {
		let s = Schedule { interval: 100, grace: 50, min_interval: 10 };
		assert_eq!(s.due(&ProviderId([1; 12]), 1, None), None, "never heartbeated: at once");
		let mut seen = std::collections::BTreeSet::new();
		for p in 0..200u8 {
			for counter in 1..20 {
				let due = s.due(&ProviderId([p; 12]), counter, Some(1_000)).unwrap();
				// Never late, never sooner than the grace allows to absorb delays.
				assert!((1_050..=1_100).contains(&due), "{due}");
				seen.insert(due);
			}
		}
		assert_eq!(seen.len(), 51, "every block of the grace is used");
		// The same provider and counter always draw the same block (a restart changes nothing).
		let a = s.due(&ProviderId([9; 12]), 7, Some(0));
		assert_eq!(a, s.due(&ProviderId([9; 12]), 7, Some(0)));
		// A grace wider than the interval never schedules sooner than the minimum interval.
		let wide = Schedule { interval: 10, grace: 50, min_interval: 4 };
		for c in 0..100 {
			assert!(wide.due(&ProviderId([3; 12]), c, Some(0)).unwrap() >= 4);
		}
	}

	#[test]
	fn reattestation_starts_within_the_margin_or_without_an_attestation() {
		assert!(reattest_due(None, 5, 60));
		assert!(!reattest_due(Some(1_000), 939, 60));
		assert!(reattest_due(Some(1_000), 940, 60));
		assert!(reattest_due(Some(1_000), 2_000, 60), "already lapsed");
	}

	#[test]
	fn metrics_register_once_with_their_documented_names() {
		let registry = Registry::new();
		let m = Metrics::register(&registry).unwrap();
		m.view(
			&serde_json::json!({
				"status": "ACTIVE", "health": { "score": 0.97 },
				"attest": { "expires_height": 1_500 }
			}),
			1_000,
		);
		m.proofs.with_label_values(&["included"]).inc();
		let names: Vec<String> =
			registry.gather().iter().map(|f| f.get_name().to_owned()).collect();
		for name in [
			"aicf_daemon_liveness_proofs_total",
			"aicf_daemon_heartbeats_sent_total",
			"aicf_daemon_heartbeats_included_total",
			"aicf_daemon_heartbeats_failed_total",
			"aicf_daemon_seconds_since_last_inclusion",
			"aicf_daemon_attestation_expires_in_blocks",
			"aicf_daemon_health_score",
			"aicf_daemon_provider_status",
		] {
			assert!(names.iter().any(|n| n == name), "{name} missing from {names:?}");
		}
		assert_eq!(m.expires_in.get(), 500);
		assert_eq!(m.status.with_label_values(&["ACTIVE"]).get(), 1);
		assert_eq!(m.status.with_label_values(&["JAILED"]).get(), 0);
		// A second registration in the same registry is refused, not duplicated.
		assert!(Metrics::register(&registry).is_err());
	}
}
