//! The `aicf` binary as an operator runs it.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use aicf_primitives::{
	keys::public_key_from_spki_pem,
	payload::{HeartbeatPayload, HeartbeatReport, RegistrationPayload},
	ProviderId,
};
use serde_json::Value;
use std::{os::unix::fs::PermissionsExt, process::Command};

fn aicf(args: &[&str]) -> (i32, String, String) {
	let out = Command::new(env!("CARGO_BIN_EXE_aicf")).args(args).output().unwrap();
	(
		out.status.code().unwrap_or(-1),
		String::from_utf8(out.stdout).unwrap(),
		String::from_utf8(out.stderr).unwrap(),
	)
}

fn tmp(name: &str) -> std::path::PathBuf {
	let dir = std::env::temp_dir().join(format!("aicf-cli-test-{}", std::process::id()));
	std::fs::create_dir_all(&dir).unwrap();
	dir.join(name)
}

const GENESIS: &str = "0x0101010101010101010101010101010101010101010101010101010101010101";
const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

#[test]
fn key_generate_writes_a_private_pem_readable_only_by_its_owner() {
	for alg in ["ml-dsa-65", "slh-dsa-sha2-128s"] {
		let key = tmp(&format!("{alg}.pem"));
		let (code, out, _) =
			aicf(&["key", "generate", "--alg", alg, "--out", key.to_str().unwrap()]);
		assert_eq!(code, 0);
		let v: Value = serde_json::from_str(&out).unwrap();
		assert_eq!(v["alg"], alg);
		let id: ProviderId = v["provider_id"].as_str().unwrap().parse().unwrap();
		assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
		assert!(!out.contains("PRIVATE"), "secrets are never printed");

		// The public key and `inspect` agree on the id.
		let public = tmp(&format!("{alg}.pub.pem"));
		assert_eq!(
			aicf(&["key", "public", key.to_str().unwrap(), "--out", public.to_str().unwrap()]).0,
			0
		);
		let pk = public_key_from_spki_pem(&std::fs::read_to_string(&public).unwrap()).unwrap();
		assert_eq!(pk.provider_id(), id);
		let (_, inspected, _) = aicf(&["key", "inspect", public.to_str().unwrap()]);
		assert_eq!(
			serde_json::from_str::<Value>(&inspected).unwrap()["provider_id"],
			v["provider_id"]
		);

		// Never overwrites a key.
		let (code, _, err) =
			aicf(&["key", "generate", "--alg", alg, "--out", key.to_str().unwrap()]);
		assert_eq!(code, 2);
		assert!(err.contains("cannot create"), "{err}");
	}
}

#[test]
fn sign_register_produces_a_verifying_proof_of_possession() {
	let key = tmp("reg.pem");
	aicf(&["key", "generate", "--out", key.to_str().unwrap()]);
	let (code, out, err) = aicf(&[
		"sign",
		"register",
		"--key",
		key.to_str().unwrap(),
		"--controller",
		ALICE,
		"--genesis",
		GENESIS,
	]);
	assert_eq!(code, 0, "{err}");
	let v: Value = serde_json::from_str(&out).unwrap();
	let payload = hex::decode(v["payload"].as_str().unwrap().trim_start_matches("0x")).unwrap();
	let decoded = RegistrationPayload::decode(&payload).unwrap();
	assert_eq!(decoded.genesis, [1; 32]);
	assert_eq!(decoded.provider.to_string(), v["provider_id"].as_str().unwrap());
	let pk_bytes = hex::decode(v["public_key"].as_str().unwrap().trim_start_matches("0x")).unwrap();
	let sig = hex::decode(v["pop_signature"].as_str().unwrap().trim_start_matches("0x")).unwrap();
	aicf_primitives::crypto::verify(
		aicf_primitives::KeyAlgorithm::MlDsa65,
		&pk_bytes,
		&payload,
		&sig,
	)
	.unwrap();
}

#[test]
fn sign_heartbeat_reads_metrics_and_signs_the_canonical_payload() {
	let key = tmp("hb.pem");
	aicf(&["key", "generate", "--out", key.to_str().unwrap()]);
	let metrics = tmp("metrics.json");
	std::fs::write(
		&metrics,
		r#"{"rtt_ms_p50": 40, "availability": 0.9992, "leases_active": 2, "leases_capacity": 8}"#,
	)
	.unwrap();
	let (code, out, err) = aicf(&[
		"sign",
		"heartbeat",
		"--key",
		key.to_str().unwrap(),
		"--genesis",
		GENESIS,
		"--counter",
		"7",
		"--timestamp",
		"1713202001",
		"--metrics-file",
		metrics.to_str().unwrap(),
	]);
	assert_eq!(code, 0, "{err}");
	let v: Value = serde_json::from_str(&out).unwrap();
	// Spec §10.2's shape, with the counter.
	let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
	keys.sort_unstable();
	assert_eq!(
		keys,
		["attest_hash", "counter", "load", "metrics", "provider_id", "signature", "timestamp"]
	);
	assert_eq!(v["metrics"], serde_json::json!({"rtt_ms_p50": 40, "availability": 0.9992}));
	assert_eq!(v["load"], serde_json::json!({"leases_active": 2, "leases_capacity": 8}));
	assert_eq!((v["counter"].as_u64(), v["timestamp"].as_u64()), (Some(7), Some(1713202001)));
	let provider: ProviderId = v["provider_id"].as_str().unwrap().parse().unwrap();
	let payload = HeartbeatPayload {
		genesis: [1; 32],
		provider,
		counter: 7,
		timestamp: 1713202001,
		attest_hash: [0; 32],
		report: HeartbeatReport {
			rtt_ms_p50: 40,
			availability_bps: 9992,
			leases_active: 2,
			leases_capacity: 8,
		},
		liveness: None,
	};
	let (_, inspected, _) = aicf(&["key", "inspect", key.to_str().unwrap()]);
	let pk = hex::decode(
		serde_json::from_str::<Value>(&inspected).unwrap()["public_key"]
			.as_str()
			.unwrap()
			.trim_start_matches("0x"),
	)
	.unwrap();
	let sig = hex::decode(v["signature"].as_str().unwrap().trim_start_matches("0x")).unwrap();
	aicf_primitives::crypto::verify(
		aicf_primitives::KeyAlgorithm::MlDsa65,
		&pk,
		&payload.encode(),
		&sig,
	)
	.unwrap();
}

/// The metrics file may be spec §10.2's shape (`metrics` and `load` objects), so a signed
/// heartbeat's JSON serves as the next one's metrics; it signs the same report as the flat
/// shape. A missing or malformed field is named with its path.
#[test]
fn metrics_file_takes_the_spec_shape_and_names_the_offending_field() {
	let key = tmp("metrics-shape.pem");
	aicf(&["key", "generate", "--out", key.to_str().unwrap()]);
	let sign = |metrics: &str| {
		let file = tmp("metrics-shape.json");
		std::fs::write(&file, metrics).unwrap();
		let k = key.to_str().unwrap();
		let f = file.to_str().unwrap();
		aicf(&[
			"sign",
			"heartbeat",
			"--key",
			k,
			"--genesis",
			GENESIS,
			"--counter",
			"3",
			"--timestamp",
			"1713202001",
			"--metrics-file",
			f,
		])
	};
	let flat = sign(
		r#"{"rtt_ms_p50": 40, "availability": 0.9992, "leases_active": 2, "leases_capacity": 8}"#,
	);
	let nested = sign(
		r#"{"metrics": {"rtt_ms_p50": 40, "availability": 0.9992}, "load": {"leases_active": 2, "leases_capacity": 8}}"#,
	);
	assert_eq!(flat.0, 0, "{}", flat.2);
	assert_eq!(flat, nested);
	// A whole signed heartbeat as the metrics file: the same report again.
	let again = sign(&flat.1);
	assert_eq!(again, flat);

	for (metrics, field) in [
		(r#"{"metrics": {"rtt_ms_p50": 40, "availability": 0.9}}"#, "`load.leases_active`"),
		(
			r#"{"metrics": {"rtt_ms_p50": -1, "availability": 0.9}, "load": {"leases_active": 0, "leases_capacity": 1}}"#,
			"`metrics.rtt_ms_p50`",
		),
		(
			r#"{"metrics": {"rtt_ms_p50": 4, "availability": "high"}, "load": {"leases_active": 0, "leases_capacity": 1}}"#,
			"`metrics.availability`",
		),
		(
			r#"{"rtt_ms_p50": 40, "availability": 0.5, "leases_active": 2, "leases_capacity": 4294967296}"#,
			"`leases_capacity`",
		),
		("[1, 2]", "JSON object"),
	] {
		let (code, out, err) = sign(metrics);
		assert_eq!((code, out.as_str()), (2, ""), "{metrics}");
		assert!(err.contains(field) && err.trim().lines().count() == 1, "{metrics}: {err}");
	}
}

#[test]
fn bad_input_gives_one_line_errors_and_exit_code_2() {
	let key = tmp("bad.pem");
	aicf(&["key", "generate", "--out", key.to_str().unwrap()]);
	let cases: [(&[&str], &str); 4] = [
		(&["key", "inspect", "/nonexistent.pem"], "cannot read"),
		(
			&[
				"sign",
				"register",
				"--key",
				key.to_str().unwrap(),
				"--controller",
				"nope",
				"--genesis",
				GENESIS,
			],
			"not an SS58 address",
		),
		(
			&[
				"sign",
				"register",
				"--key",
				key.to_str().unwrap(),
				"--controller",
				ALICE,
				"--genesis",
				"0x12",
			],
			"expected 32 bytes",
		),
		(
			&[
				"sign",
				"heartbeat",
				"--key",
				key.to_str().unwrap(),
				"--genesis",
				GENESIS,
				"--counter",
				"1",
				"--metrics-file",
				"/nonexistent",
			],
			"cannot read",
		),
	];
	for (args, want) in cases {
		let (code, _, err) = aicf(args);
		assert_eq!(code, 2, "{args:?}");
		assert!(
			err.starts_with("aicf: ") && err.contains(want) && err.trim().lines().count() == 1,
			"{err}"
		);
	}
	let metrics = tmp("badmetrics.json");
	std::fs::write(
		&metrics,
		r#"{"rtt_ms_p50": 40, "availability": 1.5, "leases_active": 2, "leases_capacity": 8}"#,
	)
	.unwrap();
	let (code, _, err) = aicf(&[
		"sign",
		"heartbeat",
		"--key",
		key.to_str().unwrap(),
		"--genesis",
		GENESIS,
		"--counter",
		"1",
		"--metrics-file",
		metrics.to_str().unwrap(),
	]);
	assert_eq!(code, 2);
	assert!(err.contains("availability"), "{err}");
}

/// AICF_SURI in the environment (as the operator guide suggests) does not block
/// `--suri-file`, which wins over it; `--suri` and `--suri-file` together on the command line
/// are refused. The signer is read before connecting, so nothing is sent either way.
#[test]
fn suri_file_wins_over_the_environment_and_not_over_the_flag() {
	let file = tmp("suri-file");
	std::fs::write(&file, "not a secret uri\n").unwrap();
	let file = file.to_str().unwrap();
	let run = |extra: &[&str]| {
		let mut args = vec!["--url", "ws://127.0.0.1:9"];
		args.extend_from_slice(extra);
		args.extend_from_slice(&[
			"provider",
			"stake",
			"--provider",
			"provider:000000000000000000000000",
			"--amount",
			"1",
		]);
		let out = Command::new(env!("CARGO_BIN_EXE_aicf"))
			.args(&args)
			.env("AICF_SURI", "//Alice")
			.output()
			.unwrap();
		(out.status.code().unwrap_or(-1), String::from_utf8(out.stderr).unwrap())
	};
	// The file is read (its line is not a valid URI), not the environment's //Alice.
	let (code, err) = run(&["--suri-file", file]);
	assert_eq!(code, 2, "{err}");
	assert!(
		err.contains("secret URI is not valid") && !err.contains("cannot be used with"),
		"{err}"
	);
	// Both flags on the command line: one line saying so.
	let (code, err) = run(&["--suri", "//Bob", "--suri-file", file]);
	assert_eq!(code, 2, "{err}");
	assert!(err.contains("give one"), "{err}");
	// The environment alone signs: past the signer, the node is unreachable (exit 3).
	let (code, err) = run(&[]);
	assert_eq!(code, 3, "{err}");
}
