//! The `aicf` binary against a real `aicf-node --dev`: every online command, the chain state it
//! leaves, and the documented failures with their exit codes.
//!
//! One node serves every test of this file, one test at a time. The node binary is the
//! `aicf-node` built next to `aicf` in the same target directory (`scripts/test.sh` builds
//! both), or `$AICF_NODE`.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use serde_json::Value;
use std::{
	io::{BufRead, BufReader},
	net::TcpListener,
	path::PathBuf,
	process::{Command, Stdio},
	sync::{
		atomic::{AtomicUsize, Ordering},
		Mutex, MutexGuard, OnceLock,
	},
	time::{Duration, Instant},
};

/// Number of `#[test]`s below (each opens one `session()`): the last one to finish stops the
/// node. `every_test_counts_towards_stopping_the_node` keeps it in step with this file.
const TESTS: usize = 9;

struct Node {
	port: u16,
	pid: u32,
}

static NODE: OnceLock<Result<Node, String>> = OnceLock::new();
static SERIAL: Mutex<()> = Mutex::new(());
static FINISHED: AtomicUsize = AtomicUsize::new(0);

fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn node_binary() -> PathBuf {
	if let Some(p) = std::env::var_os("AICF_NODE") {
		return PathBuf::from(p);
	}
	PathBuf::from(env!("CARGO_BIN_EXE_aicf")).with_file_name("aicf-node")
}

fn tmp(name: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("aicf-online-test-{}", std::process::id()));
	std::fs::create_dir_all(&dir).unwrap();
	dir.join(name)
}

fn start_node() -> Result<Node, String> {
	let bin = node_binary();
	if !bin.exists() {
		return Err(format!(
			"aicf-node not found at {}: build it in the same target directory \
			 (`cargo build --release -p aicf-node`; scripts/test.sh does) or set AICF_NODE",
			bin.display()
		));
	}
	let (port, p2p) = (free_port(), free_port());
	let log = tmp("node.log");
	// The shell stops the node when this test process is gone, however it ends.
	let script = format!(
		"'{}' --dev --tmp --rpc-port {port} --port {p2p} --no-telemetry --no-prometheus \
		 --no-mdns >'{}' 2>&1 & child=$!; echo $child; \
		 while kill -0 {} 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done; \
		 kill $child 2>/dev/null",
		bin.display(),
		log.display(),
		std::process::id()
	);
	let mut sh = Command::new("sh")
		.arg("-c")
		.arg(script)
		.stdout(Stdio::piped())
		.stderr(Stdio::null())
		.spawn()
		.map_err(|e| format!("cannot start sh: {e}"))?;
	let mut line = String::new();
	BufReader::new(sh.stdout.take().unwrap()).read_line(&mut line).unwrap();
	let pid: u32 = line.trim().parse().map_err(|_| format!("no node pid: {line:?}"))?;
	// Ready when the node has imported a block and serves the aicf RPC.
	let deadline = Instant::now() + Duration::from_secs(120);
	let url = format!("ws://127.0.0.1:{port}");
	while Instant::now() < deadline {
		std::thread::sleep(Duration::from_millis(500));
		let (code, out, _) = run(&["--url", &url, "--json", "providers", "list"], &[]);
		if code == 0 && out.contains("providers") {
			// One more block so the first transactions are not built on genesis.
			std::thread::sleep(Duration::from_secs(6));
			return Ok(Node { port, pid });
		}
	}
	let tail = std::fs::read_to_string(&log).unwrap_or_default();
	let tail: Vec<&str> = tail.lines().rev().take(5).collect();
	Err(format!("aicf-node did not come up within 120 s; last log lines: {tail:?}"))
}

/// Holds the node for one test; the last test to finish stops it.
struct Session {
	_serial: MutexGuard<'static, ()>,
	url: String,
}

impl Drop for Session {
	fn drop(&mut self) {
		if FINISHED.fetch_add(1, Ordering::SeqCst) + 1 == TESTS {
			if let Some(Ok(node)) = NODE.get() {
				let _ = Command::new("kill").arg(node.pid.to_string()).status();
			}
		}
	}
}

fn session() -> Session {
	let serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
	let node = NODE.get_or_init(start_node);
	let url = match node {
		Ok(n) => format!("ws://127.0.0.1:{}", n.port),
		Err(e) => panic!("{e}"),
	};
	Session { _serial: serial, url }
}

fn run(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
	let mut cmd = Command::new(env!("CARGO_BIN_EXE_aicf"));
	cmd.args(args).env_remove("AICF_SURI").env_remove("AICF_URL");
	for (k, v) in env {
		cmd.env(k, v);
	}
	let out = cmd.output().unwrap();
	(
		out.status.code().unwrap_or(-1),
		String::from_utf8(out.stdout).unwrap(),
		String::from_utf8(out.stderr).unwrap(),
	)
}

impl Session {
	/// `aicf --url <node> args…` signed by `suri` (through AICF_SURI, never on the command line).
	fn aicf(&self, suri: &str, args: &[&str]) -> (i32, String, String) {
		let mut all = vec!["--url", self.url.as_str()];
		all.extend_from_slice(args);
		let state = tmp("state");
		run(&all, &[("AICF_SURI", suri), ("AICF_STATE_DIR", state.to_str().unwrap())])
	}

	fn ok(&self, suri: &str, args: &[&str]) -> String {
		let (code, out, err) = self.aicf(suri, args);
		assert_eq!(code, 0, "aicf {args:?}: {err}");
		out
	}

	fn json(&self, args: &[&str]) -> Value {
		let mut all = vec!["--json"];
		all.extend_from_slice(args);
		serde_json::from_str(&self.ok("//Alice", &all)).unwrap()
	}

	fn provider(&self, id: &str) -> Value {
		self.json(&["provider", "get", id])
	}

	/// A new key registered by `suri` as an AI provider in us-west-2; returns (key file, id).
	fn register(&self, suri: &str, name: &str) -> (PathBuf, String) {
		let key = tmp(&format!("{name}.pem"));
		let (code, out, err) = run(&["key", "generate", "--out", key.to_str().unwrap()], &[]);
		assert_eq!(code, 0, "{err}");
		let id = serde_json::from_str::<Value>(&out).unwrap()["provider_id"]
			.as_str()
			.unwrap()
			.to_string();
		let out = self.ok(
			suri,
			&[
				"provider",
				"register",
				"--key",
				key.to_str().unwrap(),
				"--region",
				"us-west-2",
				"--endpoint",
				"https://api.provider.example",
				"--contact",
				"ops@provider.example",
				"--ai-models",
				"llama3-8b,mixtral-8x7b",
				"--throughput-tps",
				"2.5",
			],
		);
		assert!(out.contains(&format!("provider {id}")), "{out}");
		assert!(out.contains("AicfRegistry.Registered"), "{out}");
		(key, id)
	}
}

#[test]
fn register_stake_update_rotate_and_unstake_change_chain_state() {
	let s = session();
	let (key, id) = s.register("//Alice", "lifecycle");
	let view = s.provider(&id);
	assert_eq!(view["status"], "REGISTERED");
	assert_eq!(view["region"], "us-west-2");
	assert_eq!(
		view["capabilities"]["ai"]["models"],
		serde_json::json!(["llama3-8b", "mixtral-8x7b"])
	);
	assert_eq!(view["capabilities"]["ai"]["throughput_tps"], 2.5);
	assert_eq!(view["stake"]["min_required"], "100000000000000");

	// Tokens with the unit; then a top-up in plancks with separators, waiting for finality.
	let (code, out, err) =
		s.aicf("//Alice", &["provider", "stake", "--provider", &id, "--amount", "100AICF"]);
	assert_eq!(code, 0, "{err}");
	assert!(out.contains("AicfRegistry.Staked"), "{out}");
	assert!(err.contains("submitted 0x") && err.contains("in block 0x"), "progress: {err}");
	let (code, _, err) = s.aicf(
		"//Alice",
		&[
			"--wait",
			"finalized",
			"provider",
			"stake",
			"--provider",
			&id,
			"--amount",
			"1_000_000_000",
		],
	);
	assert_eq!(code, 0, "{err}");
	assert!(err.contains("finalized in block"), "{err}");
	let balance = s.json(&["balance", &id]);
	assert_eq!(balance["bonded"], "100001000000000");
	assert_eq!(balance["controller"], "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
	let table = s.ok("//Alice", &["balance", &id]);
	assert!(table.contains("100.001 AICF"), "{table}");

	// Listed with its filters, as a table and as JSON.
	let page = s.json(&[
		"providers",
		"list",
		"--status",
		"registered",
		"--capability",
		"ai",
		"--limit",
		"100",
	]);
	let ids: Vec<&str> = page["providers"]
		.as_array()
		.unwrap()
		.iter()
		.map(|p| p["provider_id"].as_str().unwrap())
		.collect();
	assert!(ids.contains(&id.as_str()), "{page}");
	let none = s.json(&["providers", "list", "--region", "nowhere-1"]);
	assert_eq!(none["providers"], serde_json::json!([]));
	let table = s.ok("//Alice", &["providers", "list", "--status", "REGISTERED"]);
	assert!(table.starts_with("PROVIDER") && table.contains(&id), "{table}");

	// Updates are signed by the registry key with the chain's key nonce.
	s.ok(
		"//Alice",
		&[
			"provider",
			"update",
			"--provider",
			&id,
			"--key",
			key.to_str().unwrap(),
			"--region",
			"eu-west-1",
			"--contact",
			"noc@provider.example",
			"--quantum-traps",
			"clifford",
			"--max-depth",
			"64",
			"--max-width",
			"20",
			"--shots-per-sec",
			"80",
		],
	);
	let view = s.provider(&id);
	assert_eq!(view["region"], "eu-west-1");
	assert_eq!(view["metadata"]["contact"], "noc@provider.example");
	assert_eq!(view["metadata"]["endpoint"], "https://api.provider.example");
	assert_eq!(view["capabilities"]["quantum"]["trap_families"], serde_json::json!(["clifford"]));
	assert!(view["capabilities"].get("ai").is_none(), "capabilities are replaced: {view}");

	// Key rotation keeps the id; the old key can no longer sign updates.
	let new_key = tmp("lifecycle-new.pem");
	run(
		&["key", "generate", "--alg", "slh-dsa-sha2-128s", "--out", new_key.to_str().unwrap()],
		&[],
	);
	s.ok(
		"//Alice",
		&[
			"provider",
			"rotate-key",
			"--provider",
			&id,
			"--key",
			key.to_str().unwrap(),
			"--new-key",
			new_key.to_str().unwrap(),
		],
	);
	let (code, _, err) = s.aicf(
		"//Alice",
		&[
			"provider",
			"update",
			"--provider",
			&id,
			"--key",
			key.to_str().unwrap(),
			"--region",
			"us-east-1",
		],
	);
	assert_eq!(code, 1, "{err}");
	assert!(err.contains("AicfRegistry.BadSignature"), "{err}");
	s.ok(
		"//Alice",
		&[
			"provider",
			"update",
			"--provider",
			&id,
			"--key",
			new_key.to_str().unwrap(),
			"--region",
			"us-east-1",
		],
	);
	assert_eq!(s.provider(&id)["region"], "us-east-1");

	// Unstake puts it in UNSTAKING; rebond cancels.
	s.ok("//Alice", &["provider", "unstake", "--provider", &id, "--amount", "40AICF"]);
	let view = s.provider(&id);
	assert_eq!(view["status"], "UNSTAKING");
	assert_eq!(view["stake"]["status"], "UNBONDING");
	assert_eq!(view["stake"]["bonded"], "60001000000000");
	s.ok("//Alice", &["provider", "rebond", "--provider", &id]);
	let view = s.provider(&id);
	assert_eq!(view["stake"]["status"], "BONDED");
	assert_eq!(view["stake"]["bonded"], "100001000000000");
}

#[test]
fn a_provider_that_never_staked_deregisters_and_stays_for_audit() {
	let s = session();
	let (_, id) = s.register("//Charlie", "leaver");
	let out = s.ok("//Charlie", &["provider", "deregister", "--provider", &id]);
	assert!(out.contains("AicfRegistry.Deregistered"), "{out}");
	assert_eq!(s.provider(&id)["status"], "DEREGISTERED");
	let (code, _, err) =
		s.aicf("//Charlie", &["provider", "stake", "--provider", &id, "--amount", "1AICF"]);
	assert_eq!(code, 1);
	assert!(
		err.contains("AicfRegistry.ProviderDeregistered: The provider has deregistered"),
		"{err}"
	);
}

#[test]
fn failed_transactions_exit_1_with_the_module_error_and_its_documentation() {
	let s = session();
	let (key, id) = s.register("//Bob", "failures");
	let cases: [(&str, &[&str], &str); 6] = [
		("//Bob", &["provider", "stake", "--provider", &id, "--amount", "0"], "AicfRegistry.ZeroAmount: The amount is zero."),
		(
			"//Bob",
			&["provider", "stake", "--provider", &id, "--amount", "5000000AICF"],
			"AicfRegistry.InsufficientBalance: The controller's free balance cannot cover the stake.",
		),
		("//Dave", &["provider", "stake", "--provider", &id, "--amount", "1AICF"], "AicfRegistry.NotController"),
		("//Bob", &["provider", "unjail", "--provider", &id], "AicfRegistry.NotJailed: The provider is not jailed."),
		("//Bob", &["provider", "withdraw", "--provider", &id], "AicfRegistry.NothingToWithdraw"),
		("//Bob", &["provider", "rebond", "--provider", &id], "AicfRegistry.NothingToRebond"),
	];
	// Each is doomed by the chain's state: applied to the best block's state first, it is
	// not sent, and no fee is charged to anyone.
	// Bob is the controller: `aicf balance` shows his free balance.
	let bob_free = || s.json(&["balance", &id])["free"].clone();
	let bob_before = bob_free();
	for (suri, args, expected) in cases {
		let (code, out, err) = s.aicf(suri, args);
		assert_eq!(code, 1, "{args:?}: {err}");
		assert!(out.is_empty(), "{out}");
		let last = err.lines().last().unwrap();
		assert!(
			last.starts_with("aicf: not sent, it would fail (no fee charged): ")
				&& last.contains(expected),
			"{args:?}: {err}"
		);
		assert!(!err.contains("submitted"), "nothing was submitted: {err}");
	}
	assert_eq!(bob_free(), bob_before, "no fee was charged");
	// `--no-check` sends it anyway: it fails in the block, and the fee is paid.
	let (code, _, err) =
		s.aicf("//Bob", &["--no-check", "provider", "withdraw", "--provider", &id]);
	assert_eq!(code, 1, "{err}");
	assert!(err.contains("transaction failed: AicfRegistry.NothingToWithdraw"), "{err}");
	assert_ne!(bob_free(), bob_before, "the fee was paid");
	// Bonded stake blocks deregistration. Stake below the minimum is accepted, with a note.
	let (code, _, err) =
		s.aicf("//Bob", &["provider", "stake", "--provider", &id, "--amount", "1AICF"]);
	assert_eq!(code, 0, "{err}");
	assert!(err.contains("note: bonded 1 AICF is below the 100 AICF minimum for ACTIVE"), "{err}");
	let (code, _, err) = s.aicf("//Bob", &["provider", "deregister", "--provider", &id]);
	assert_eq!(code, 1);
	assert!(err.contains("not sent") && err.contains("AicfRegistry.FundsStillBonded"), "{err}");
	// Behind a transaction still in the pool the state cannot tell: the deregistration is
	// sent, fails in the block after the stake, and says so.
	let (code, _, err) = s.aicf(
		"//Bob",
		&["--wait", "submitted", "provider", "stake", "--provider", &id, "--amount", "1AICF"],
	);
	assert_eq!(code, 0, "{err}");
	let (code, _, err) = s.aicf("//Bob", &["provider", "deregister", "--provider", &id]);
	assert_eq!(code, 1);
	assert!(
		err.contains("transaction failed: AicfRegistry.FundsStillBonded"),
		"included and failed: {err}"
	);
	// Nothing changed: still registered with its two tokens.
	let view = s.provider(&id);
	assert_eq!(view["status"], "REGISTERED");
	assert_eq!(view["stake"]["bonded"], "2000000000000");
	// A capability update with an invalid name never leaves the machine.
	let (code, _, err) = s.aicf(
		"//Bob",
		&[
			"provider",
			"update",
			"--provider",
			&id,
			"--key",
			key.to_str().unwrap(),
			"--ai-models",
			"Bad Name",
			"--throughput-tps",
			"1",
		],
	);
	assert_eq!(code, 2, "{err}");
	assert!(err.contains("model family \"Bad Name\""), "{err}");
}

#[test]
fn heartbeat_is_quiet_when_sent_and_never_sends_twice_within_the_interval() {
	let s = session();
	let (key, id) = s.register("//Eve", "heartbeat");
	// Heartbeats are admitted only with the minimum stake behind them.
	s.ok("//Eve", &["provider", "stake", "--provider", &id, "--amount", "100AICF"]);
	let metrics = tmp("metrics.json");
	std::fs::write(
		&metrics,
		r#"{"rtt_ms_p50": 40, "availability": 0.9992, "leases_active": 2, "leases_capacity": 8}"#,
	)
	.unwrap();
	let state = tmp("hb-state");
	let hb = |state: &PathBuf, key: &PathBuf, id: &str| {
		let mut all = vec!["--url", s.url.as_str(), "provider", "heartbeat", "--provider", id];
		all.extend(["--key", key.to_str().unwrap(), "--metrics-file", metrics.to_str().unwrap()]);
		run(&all, &[("AICF_STATE_DIR", state.to_str().unwrap())])
	};
	let before = s.provider(&id);
	assert_eq!(before["health"]["last_heartbeat"], Value::Null);

	// Sent: exit 0, nothing printed at all.
	let (code, out, err) = hb(&state, &key, &id);
	assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
	let after = s.provider(&id);
	assert!(after["health"]["last_heartbeat"].as_u64().is_some(), "{after}");
	assert_eq!(after["health"]["rtt_ms_p50"], 40);
	assert!(after["health"]["score"].as_f64().unwrap() > 0.0);

	// Again at once: the state file refuses without sending (exit 5).
	let (code, _, err) = hb(&state, &key, &id);
	assert_eq!(code, 5, "{err}");
	assert!(err.contains("heartbeat 1 was sent") && err.contains("state file"), "{err}");

	// Without the state file the chain refuses it in the pool check (exit 5 too).
	let (code, _, err) = hb(&tmp("hb-state-fresh"), &key, &id);
	assert_eq!(code, 5, "{err}");
	assert!(err.contains("too early") && err.contains("next from block #"), "{err}");
	assert_eq!(s.provider(&id)["health"]["last_heartbeat"], after["health"]["last_heartbeat"]);

	// Rejected: a provider the chain does not know (exit 4); a key that is not the provider's (exit 2).
	let (code, _, err) = hb(&state, &key, "provider:000000000000000000000000");
	assert_eq!(code, 4, "{err}");
	assert!(err.contains("rejected by the node"), "{err}");
	let other = tmp("heartbeat-other.pem");
	run(&["key", "generate", "--out", other.to_str().unwrap()], &[]);
	let (code, _, err) = hb(&tmp("hb-state-other"), &other, &id);
	assert_eq!(code, 2, "{err}");
	assert!(err.contains("not the current registry key"), "{err}");

	// A refusal prints nothing on stdout, even with --json.
	let (code, out, _) = run(
		&[
			"--url",
			&s.url,
			"--json",
			"provider",
			"heartbeat",
			"--provider",
			&id,
			"--key",
			key.to_str().unwrap(),
		],
		&[("AICF_STATE_DIR", state.to_str().unwrap())],
	);
	assert_eq!((code, out.as_str()), (5, ""));
}

#[test]
fn unreachable_node_bad_input_and_unknown_providers_have_their_exit_codes() {
	let s = session();
	let closed = format!("ws://127.0.0.1:{}", free_port());
	let id = "provider:000000000000000000000000";
	let (code, _, err) = run(&["--url", &closed, "balance", id], &[]);
	assert_eq!(code, 3, "{err}");
	assert!(err.starts_with("aicf: node unreachable: ") && err.lines().count() == 1, "{err}");
	let key = tmp("unreachable.pem");
	run(&["key", "generate", "--out", key.to_str().unwrap()], &[]);
	let (code, _, err) = run(
		&[
			"--url",
			&closed,
			"provider",
			"heartbeat",
			"--provider",
			id,
			"--key",
			key.to_str().unwrap(),
		],
		&[],
	);
	assert_eq!(code, 3, "{err}");

	// Input errors are found before connecting.
	for (args, msg) in [
		(vec!["--url", "http://127.0.0.1:9944", "balance", id], "ws:// or wss://"),
		(vec!["provider", "stake", "--provider", id, "--amount", "2.5"], "must be an integer"),
		(
			vec!["provider", "stake", "--provider", "provider:xyz", "--amount", "1"],
			"not a provider id",
		),
	] {
		let (code, _, err) = run(&args, &[("AICF_SURI", "//Alice")]);
		assert_eq!(code, 2, "{args:?}: {err}");
		assert!(err.contains(msg), "{err}");
	}
	let (code, _, err) = run(&["--url", &s.url, "provider", "rebond", "--provider", id], &[]);
	assert_eq!(code, 2);
	assert!(err.contains("signed by the controller account"), "{err}");
	let (code, _, err) = run(
		&["--url", &s.url, "provider", "rebond", "--provider", id],
		&[("AICF_SURI", "not a secret uri")],
	);
	assert_eq!(code, 2);
	assert!(!err.contains("not a secret uri"), "the secret is never echoed: {err}");

	// Unknown provider: not found (7) for the views; the transaction is refused in a block (1).
	let (code, _, err) = s.aicf("//Alice", &["provider", "get", id]);
	assert_eq!(code, 7, "{err}");
	assert!(err.contains("unknown provider"), "{err}");
	let (code, _, err) = s.aicf("//Alice", &["balance", id]);
	assert_eq!(code, 7, "{err}");
	let (code, _, err) = s.aicf("//Alice", &["provider", "rebond", "--provider", id]);
	assert_eq!(code, 1, "{err}");
	assert!(err.contains("AicfRegistry.UnknownProvider"), "{err}");

	// A bad filter is the node's -32602, reported as bad input.
	let (code, _, err) = s.aicf("//Alice", &["providers", "list", "--min-health", "2"]);
	assert_eq!(code, 2, "{err}");
	// So is a cursor that names no provider: it is not read as a position.
	let (code, out, err) = s.aicf("//Alice", &["providers", "list", "--cursor", id]);
	assert_eq!((code, out.as_str()), (2, ""), "{err}");
	assert!(err.contains("is not a provider on this chain"), "{err}");

	// `--help` documents the exit codes.
	let (_, help, _) = run(&["--help"], &[]);
	for line in [
		"3  node unreachable",
		"5  provider heartbeat: too early",
		"1  the transaction failed: in a block, or not sent",
	] {
		assert!(help.contains(line), "{help}");
	}
}

#[test]
fn attestation_takes_a_provider_to_active_or_is_reported_missing() {
	let s = session();
	let (key, id) = s.register("//Ferdie", "attest");
	s.ok("//Ferdie", &["provider", "stake", "--provider", &id, "--amount", "100AICF"]);
	let junk = tmp("junk.bin");
	std::fs::write(&junk, [0u8; 64]).unwrap();
	let submit = |suri: &str, kind: &str, block: &str, evidence: &PathBuf| {
		s.aicf(
			suri,
			&[
				"attest",
				"submit",
				"--provider",
				&id,
				"--kind",
				kind,
				"--challenge-block",
				block,
				"--evidence",
				evidence.to_str().unwrap(),
			],
		)
	};
	let (code, _, err) = submit("//Ferdie", "quantum", "1", &junk);
	if err.contains("no AicfAttestation pallet") {
		// Not deployed on this runtime: one line, exit 6, nothing submitted.
		assert_eq!(code, 6, "{err}");
		assert_eq!(err.lines().count(), 1, "{err}");
		let (code, _, err) =
			s.aicf("//Ferdie", &["collateral", "upload", "--file", junk.to_str().unwrap()]);
		assert_eq!(code, 6, "{err}");
		assert_eq!(s.provider(&id)["attest"], Value::Null);
		return;
	}
	// Deployed: junk is refused before it is sent, with the pallet's decoded error.
	assert_eq!(code, 1, "{err}");
	assert!(err.contains("not sent, it would fail (no fee charged): AicfAttestation."), "{err}");
	let (code, _, err) =
		s.aicf("//Ferdie", &["collateral", "upload", "--file", junk.to_str().unwrap()]);
	assert_eq!(code, 1, "{err}");
	assert!(err.contains("AicfAttestation."), "{err}");

	// The challenge: a recent block, the key hash and the binding evidence must carry.
	let (code, out, err) = run(
		&[
			"--url",
			&s.url,
			"attest",
			"challenge",
			"--provider",
			&id,
			"--key",
			key.to_str().unwrap(),
		],
		&[],
	);
	assert_eq!(code, 0, "{err}");
	let challenge: Value = serde_json::from_str(&out).unwrap();
	let binding = challenge["binding"].as_str().unwrap().to_string();
	let block = challenge["challenge_block"].to_string();
	assert!(
		challenge["submit_by_block"].as_u64().unwrap()
			> challenge["challenge_block"].as_u64().unwrap()
	);

	// A quantum certificate cannot back an `ai` provider: refused by name, nothing recorded.
	let cert = tmp("attest-cert.der");
	let (code, _, err) = run(
		&[
			"attest",
			"dev-quantum-cert",
			"--provider",
			&id,
			"--binding",
			&binding,
			"--traps",
			"clifford",
			"--out",
			cert.to_str().unwrap(),
		],
		&[],
	);
	assert_eq!(code, 0, "{err}");
	let (code, _, err) = submit("//Ferdie", "quantum", &block, &cert);
	assert_eq!(code, 1, "{err}");
	assert!(err.contains("AicfRegistry.EvidenceNotForCapability"), "{err}");
	assert_eq!(s.provider(&id)["attest"], Value::Null);

	// A realm on the development CCA platform (pinned on --dev chains) bound to the challenge.
	let token = tmp("attest-token.cbor");
	let (code, out, err) = run(
		&[
			"attest",
			"dev-cca-token",
			"--provider",
			&id,
			"--binding",
			&binding,
			"--out",
			token.to_str().unwrap(),
		],
		&[],
	);
	assert_eq!(code, 0, "{err}");
	let issued: Value = serde_json::from_str(&out).unwrap();
	// Only the controller may submit it.
	let (code, _, err) = submit("//Bob", "cca", &block, &token);
	assert_eq!(code, 1, "{err}");
	assert!(err.contains("AicfAttestation.NotController"), "{err}");
	let (code, out, err) = submit("//Ferdie", "cca", &block, &token);
	assert_eq!(code, 0, "{err}");
	assert!(out.contains("AicfAttestation."), "{out}");
	let view = s.provider(&id);
	assert_eq!(view["attest"]["hash"], issued["evidence_hash"], "{view}");
	assert_eq!(view["attest"]["kind"], "Cca", "{view}");
	assert_eq!(view["attestations"][0]["capability"], "ai", "{view}");

	// The heartbeat carries the attestation hash from the chain; the provider becomes ACTIVE.
	let (code, out, err) = run(
		&[
			"--url",
			&s.url,
			"provider",
			"heartbeat",
			"--provider",
			&id,
			"--key",
			key.to_str().unwrap(),
		],
		&[("AICF_STATE_DIR", tmp("attest-state").to_str().unwrap())],
	);
	assert_eq!((code, out.as_str()), (0, ""), "{err}");
	assert_eq!(s.provider(&id)["status"], "ACTIVE");
	let active = s.json(&["providers", "list", "--status", "ACTIVE", "--limit", "100"]);
	assert!(active["providers"]
		.as_array()
		.unwrap()
		.iter()
		.any(|p| p["provider_id"] == id.as_str()));
}

/// Two transactions from one controller sent before the first is in a block (cron and a
/// person, or `--wait submitted` then another command): the second is signed with the pool's
/// next nonce, not the best block's, so both land.
#[test]
fn transactions_sent_back_to_back_take_the_pools_next_nonce() {
	let s = session();
	let (_, id) = s.register("//Ferdie", "back-to-back");
	let stake = |wait: &str, amount: &str| {
		s.aicf(
			"//Ferdie",
			&["--wait", wait, "provider", "stake", "--provider", &id, "--amount", amount],
		)
	};
	let (code, out, err) = stake("submitted", "10AICF");
	assert_eq!(code, 0, "{err}");
	assert!(out.contains("submitted") || err.contains("submitted"), "{out}{err}");
	let (code, out, err) = stake("in-block", "5AICF");
	assert_eq!(code, 0, "the second send: {err}");
	assert!(out.contains("AicfRegistry.Staked"), "{out}");
	// Its nonce follows the first's: once it is in a block, so is the first.
	assert_eq!(s.json(&["balance", &id])["bonded"], "15000000000000");
}

/// The registry key never on the online machine: the public key and a proof of possession
/// made offline register the provider; heartbeats signed offline are sent with `aicf submit`.
/// A proof made for another controller, a heartbeat signed for another chain or edited after
/// signing, and a replay are refused before anything changes on chain.
#[test]
fn a_key_kept_offline_registers_and_heartbeats_from_files() {
	let s = session();
	let file = |name: &str| tmp(&format!("offline-{name}"));
	let path = |name: &str| file(name).to_str().unwrap().to_string();
	// Offline machine: the key and its public half.
	let (code, out, err) = run(&["key", "generate", "--out", &path("key.pem")], &[]);
	assert_eq!(code, 0, "{err}");
	let id =
		serde_json::from_str::<Value>(&out).unwrap()["provider_id"].as_str().unwrap().to_string();
	let (code, _, err) = run(&["key", "public", &path("key.pem"), "--out", &path("pub.pem")], &[]);
	assert_eq!(code, 0, "{err}");
	// Online machine: what to sign for.
	let inputs = s.json(&["signing-inputs"]);
	let genesis = inputs["genesis"].as_str().unwrap().to_string();
	let ferdie = "5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL";
	let sign_pop = |controller: &str, out: &str| {
		let (code, json, err) = run(
			&[
				"sign",
				"register",
				"--key",
				&path("key.pem"),
				"--controller",
				controller,
				"--genesis",
				&genesis,
			],
			&[],
		);
		assert_eq!(code, 0, "{err}");
		std::fs::write(file(out), json).unwrap();
	};
	sign_pop(ferdie, "pop.json");
	let register = |suri: &str, pop: &str| {
		s.aicf(
			suri,
			&[
				"provider",
				"register",
				"--pubkey",
				&path("pub.pem"),
				"--pop",
				&path(pop),
				"--region",
				"eu-west-1",
				"--endpoint",
				"https://offline.provider.example",
				"--contact",
				"ops@offline.provider.example",
				"--ai-models",
				"llama3-8b",
				"--throughput-tps",
				"1",
			],
		)
	};
	// The proof names Ferdie; Bob sending it is refused before anything is sent.
	let (code, _, err) = register("//Bob", "pop.json");
	assert_eq!(code, 2, "{err}");
	assert!(err.contains("made for controller") && err.contains(ferdie), "{err}");
	let (code, _, _) = s.aicf("//Alice", &["provider", "get", &id]);
	assert_ne!(code, 0, "nothing was registered");
	// The raw signature bytes serve as well as the JSON.
	let pop: Value =
		serde_json::from_str(&std::fs::read_to_string(file("pop.json")).unwrap()).unwrap();
	let raw = hex::decode(pop["pop_signature"].as_str().unwrap().trim_start_matches("0x")).unwrap();
	std::fs::write(file("pop.bin"), raw).unwrap();
	let (code, out, err) = register("//Ferdie", "pop.bin");
	assert_eq!(code, 0, "{err}");
	assert!(out.contains("AicfRegistry.Registered"), "{out}");
	assert_eq!(s.provider(&id)["status"], "REGISTERED");
	s.ok("//Ferdie", &["provider", "stake", "--provider", &id, "--amount", "100AICF"]);

	// A heartbeat signed offline from the inputs the online machine reads.
	let inputs = s.json(&["signing-inputs", "--provider", &id]);
	assert_eq!(inputs["next_counter"], 1);
	let metrics = file("metrics.json");
	std::fs::write(
		&metrics,
		r#"{"metrics": {"rtt_ms_p50": 35, "availability": 0.999}, "load": {"leases_active": 1, "leases_capacity": 4}}"#,
	)
	.unwrap();
	let sign_hb = |genesis: &str, out: &str| {
		let (code, json, err) = run(
			&[
				"sign",
				"heartbeat",
				"--key",
				&path("key.pem"),
				"--genesis",
				genesis,
				"--provider",
				&id,
				"--counter",
				"1",
				"--attest-hash",
				inputs["attest_hash"].as_str().unwrap(),
				"--metrics-file",
				metrics.to_str().unwrap(),
			],
			&[],
		);
		assert_eq!(code, 0, "{err}");
		std::fs::write(file(out), json).unwrap();
	};
	sign_hb(&genesis, "hb.json");
	sign_hb(&format!("0x{}", "22".repeat(32)), "hb-other-chain.json");
	let edited = std::fs::read_to_string(file("hb.json")).unwrap().replace("0.999", "1.0");
	std::fs::write(file("hb-edited.json"), edited).unwrap();
	for bad in ["hb-other-chain.json", "hb-edited.json"] {
		let (code, _, err) = s.aicf("//Alice", &["submit", &path(bad)]);
		assert_eq!(code, 2, "{bad}: {err}");
		assert!(err.contains("does not verify"), "{bad}: {err}");
	}
	assert_eq!(s.provider(&id)["health"]["last_heartbeat"], Value::Null);

	let (code, _, err) = s.aicf("//Alice", &["submit", &path("hb.json")]);
	assert_eq!(code, 0, "{err}");
	let view = s.provider(&id);
	assert!(view["health"]["last_heartbeat"].as_u64().is_some(), "{view}");
	assert_eq!(view["health"]["rtt_ms_p50"], 35);
	assert_eq!(s.json(&["signing-inputs", "--provider", &id])["next_counter"], 2);
	// The same file again: refused by the pool's dry run (within the interval: too early).
	let (code, _, err) = s.aicf("//Alice", &["submit", &path("hb.json")]);
	assert_eq!(code, 5, "{err}");
	assert_eq!(s.provider(&id)["health"]["last_heartbeat"], view["health"]["last_heartbeat"]);
}

#[test]
fn updates_and_rotations_signed_offline_are_checked_then_submitted() {
	let s = session();
	let (key, id) = s.register("//Dave", "offline-upd");
	let key = key.to_str().unwrap().to_string();
	let file = |name: &str| tmp(&format!("offline-upd-{name}"));
	let path = |name: &str| file(name).to_str().unwrap().to_string();
	let inputs = s.json(&["signing-inputs", "--provider", &id]);
	let genesis = inputs["genesis"].as_str().unwrap().to_string();
	assert_eq!(inputs["key_nonce"], 0);
	let sign = |args: &[&str], out: &str| {
		let (code, json, err) = run(args, &[]);
		assert_eq!(code, 0, "{err}");
		std::fs::write(file(out), json).unwrap();
	};
	let update = |nonce: &str, change: &[&str], out: &str| {
		let mut args =
			vec!["sign", "update", "--key", &key, "--genesis", &genesis, "--provider", &id];
		args.extend_from_slice(&["--nonce", nonce]);
		args.extend_from_slice(change);
		sign(&args, out);
	};
	// Two changes in one signature are refused offline: each is its own transaction.
	let (code, _, err) = run(
		&[
			"sign",
			"update",
			"--key",
			&key,
			"--genesis",
			&genesis,
			"--provider",
			&id,
			"--nonce",
			"0",
			"--region",
			"eu-north-1",
			"--ai-models",
			"llama3-70b",
			"--throughput-tps",
			"1",
		],
		&[],
	);
	assert_eq!(code, 2, "{err}");
	assert!(err.contains("one change a signature"), "{err}");

	update("0", &["--region", "eu-north-1"], "region.json");
	update(
		"0",
		&["--endpoint", "https://moved.provider.example", "--contact", "noc@moved.example"],
		"endpoint.json",
	);
	let edited =
		std::fs::read_to_string(file("region.json")).unwrap().replace("eu-north-1", "eu-south-1");
	std::fs::write(file("region-edited.json"), edited).unwrap();
	// Edited after signing: refused before sending; the region stays.
	let (code, _, err) = s.aicf("//Dave", &["submit", &path("region-edited.json")]);
	assert_eq!(code, 2, "{err}");
	assert!(err.contains("does not verify"), "{err}");
	assert_eq!(s.provider(&id)["region"], "us-west-2");
	// Sent by the controller (only the controller may): applied.
	let (code, _, err) = s.aicf("//Eve", &["submit", &path("region.json")]);
	assert_eq!(code, 1, "another account is not the controller: {err}");
	assert!(err.contains("NotController"), "{err}");
	s.ok("//Dave", &["submit", &path("region.json")]);
	assert_eq!(s.provider(&id)["region"], "eu-north-1");
	// The endpoint change was signed at the old nonce: named, with the nonce to sign at.
	let (code, _, err) = s.aicf("//Dave", &["submit", &path("endpoint.json")]);
	assert_eq!(code, 2, "{err}");
	assert!(err.contains("signed for key nonce 0") && err.contains("--nonce 1"), "{err}");
	update(
		"1",
		&["--endpoint", "https://moved.provider.example", "--contact", "noc@moved.example"],
		"endpoint.json",
	);
	s.ok("//Dave", &["submit", &path("endpoint.json")]);
	let view = s.provider(&id);
	assert_eq!(view["metadata"]["endpoint"], "https://moved.provider.example");
	assert_eq!(view["metadata"]["contact"], "noc@moved.example");

	// A rotation signed offline by both keys.
	let new_key = path("new.pem");
	let (code, out, err) = run(&["key", "generate", "--out", &new_key], &[]);
	assert_eq!(code, 0, "{err}");
	let new_id =
		serde_json::from_str::<Value>(&out).unwrap()["provider_id"].as_str().unwrap().to_string();
	let nonce = s.json(&["signing-inputs", "--provider", &id])["key_nonce"].to_string();
	assert_eq!(nonce, "2");
	sign(
		&[
			"sign",
			"rotate",
			"--key",
			&key,
			"--new-key",
			&new_key,
			"--genesis",
			&genesis,
			"--provider",
			&id,
			"--nonce",
			&nonce,
		],
		"rotate.json",
	);
	s.ok("//Dave", &["submit", &path("rotate.json")]);
	// The rotated key: `key inspect` names the id it derives and, on chain, the provider
	// holding it; the old key is still held (never reusable) but no longer current.
	let inspect = |k: &str| s.json(&["key", "inspect", k, "--on-chain"]);
	let new = inspect(&new_key);
	assert_eq!(new["provider_id"], new_id.as_str());
	assert_eq!(new["on_chain"], serde_json::json!({"provider_id": id, "current": true}));
	assert_eq!(inspect(&key)["on_chain"], serde_json::json!({"provider_id": id, "current": false}));
	let (code, fresh, err) = run(&["key", "generate", "--out", &path("fresh.pem")], &[]);
	assert_eq!(code, 0, "{err}{fresh}");
	assert_eq!(inspect(&path("fresh.pem"))["on_chain"], Value::Null);
	// Replaying the rotation: the nonce moved on.
	let (code, _, err) = s.aicf("//Dave", &["submit", &path("rotate.json")]);
	assert_eq!(code, 2, "{err}");
}

/// `TESTS` must be the number of tests in this file that open a session: with fewer, the node
/// is stopped under the last ones; with more, it outlives the suite until the process ends.
#[test]
fn every_test_counts_towards_stopping_the_node() {
	let source = include_str!("online.rs");
	let sessions = source.matches(concat!("let s = ", "session();")).count();
	assert_eq!(sessions, TESTS, "update TESTS to the number of tests that open a session");
}
