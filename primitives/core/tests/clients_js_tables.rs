//! The tables `clients/js` reads are written from the Rust definitions: this test fails when a
//! committed table differs from what the definitions produce, and rewrites it when
//! `AICF_WRITE_JS_TABLES=1` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use aicf_primitives::HeartbeatRejection;
use serde_json::{json, Map, Value};
use std::path::PathBuf;

const REGENERATE: &str =
	"AICF_WRITE_JS_TABLES=1 cargo test --release --locked -p aicf-primitives --test clients_js_tables";

/// `clients/js/heartbeat-rejections.json`: the `InvalidTransaction::Custom` codes a heartbeat
/// can be refused with, each with its rejection's name and explanation.
fn heartbeat_rejections() -> String {
	// Keys are inserted in sorted order, so the text is the same whichever map serde_json uses.
	let mut codes = Map::new();
	for rejection in HeartbeatRejection::ALL {
		if let Some(code) = rejection.custom_code() {
			codes.insert(
				code.to_string(),
				json!({ "explanation": rejection.explanation(), "name": rejection.name() }),
			);
		}
	}
	let mut table = Map::new();
	table.insert(
		"$comment".into(),
		json!(format!(
			"Written from aicf_primitives::heartbeat::HeartbeatRejection \
			 (primitives/core/src/heartbeat.rs); do not edit. Regenerate: {REGENERATE}"
		)),
	);
	table.insert("customCodes".into(), Value::Object(codes));
	let mut text = serde_json::to_string_pretty(&Value::Object(table)).unwrap();
	text.push('\n');
	text
}

#[test]
fn clients_js_heartbeat_rejections_match_the_enum() {
	// The package directory is read when the test runs (cargo sets it), so a binary built in
	// another checkout sharing the target directory checks this checkout's table.
	let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
		.map(PathBuf::from)
		.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
	let path = manifest_dir.join("../../clients/js/heartbeat-rejections.json");
	let expected = heartbeat_rejections();
	if std::env::var_os("AICF_WRITE_JS_TABLES").is_some() {
		std::fs::write(&path, &expected).unwrap();
		return;
	}
	let committed = std::fs::read_to_string(&path).unwrap_or_default();
	assert!(
		committed == expected,
		"{} differs from HeartbeatRejection; regenerate it with\n    {REGENERATE}\n\
		 expected:\n{expected}",
		path.display()
	);
}
