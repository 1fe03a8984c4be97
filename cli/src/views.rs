//! Queries over the node's `aicf_*` JSON-RPC (spec §10 views): `providers list`,
//! `provider get`, `balance`. Tables for people; `--json` passes the node's JSON through.

use crate::{
	amount,
	chain::{
		connection::{Chain, TIMEOUT},
		explain::rpc_error,
		json::lookup,
	},
	error::{CliError, Result},
};
use aicf_primitives::ProviderId;
use serde_json::{json, Value};
use std::fmt::Write as _;

/// Filters of `providers list` (the RPC's params object).
#[derive(Debug, Default, Clone, clap::Args)]
pub struct ListArgs {
	/// Only this status: REGISTERED, ACTIVE, JAILED, UNSTAKING or DEREGISTERED.
	#[arg(long)]
	pub status: Option<String>,
	/// Only providers with this capability: ai or quantum.
	#[arg(long)]
	pub capability: Option<String>,
	/// Only this region.
	#[arg(long)]
	pub region: Option<String>,
	/// Only providers whose effective health is at least this (0–1).
	#[arg(long)]
	pub min_health: Option<f64>,
	/// Page size (1–100; the node caps larger values).
	#[arg(long)]
	pub limit: Option<u32>,
	/// Continue after this cursor (the `next_cursor` of the previous page).
	#[arg(long)]
	pub cursor: Option<String>,
}

async fn call(chain: &Chain, method: &str, params: Value) -> Result<Value> {
	let mut p = subxt::rpcs::client::RpcParams::new();
	p.push(params).map_err(|e| CliError::Other(e.to_string()))?;
	match tokio::time::timeout(TIMEOUT, chain.rpc.request(method, p)).await {
		Ok(Ok(v)) => Ok(v),
		Ok(Err(subxt::rpcs::Error::User(u))) if u.code == 4001 => {
			Err(CliError::NotFound(u.message))
		},
		Ok(Err(subxt::rpcs::Error::User(u))) if u.code == -32601 => Err(CliError::Unsupported(
			format!("the node does not serve {method} (is it an aicf-node?)"),
		)),
		Ok(Err(subxt::rpcs::Error::User(u))) if u.code == -32602 => {
			Err(CliError::Input(format!("{method}: {}", u.message)))
		},
		Ok(Err(e)) => Err(rpc_error(&chain.url, &e)),
		Err(_) => Err(CliError::Unreachable(format!("{}: no answer to {method}", chain.url))),
	}
}

/// `providers list`.
pub async fn list(chain: &Chain, args: &ListArgs) -> Result<Value> {
	let mut params = serde_json::Map::new();
	if let Some(s) = &args.status {
		params.insert("status".into(), json!(s.to_ascii_uppercase()));
	}
	if let Some(c) = &args.capability {
		params.insert("capability".into(), json!(c.to_ascii_lowercase()));
	}
	if let Some(r) = &args.region {
		params.insert("region".into(), json!(r));
	}
	if let Some(h) = args.min_health {
		params.insert("minHealth".into(), json!(h));
	}
	if let Some(l) = args.limit {
		params.insert("limit".into(), json!(l));
	}
	if let Some(c) = &args.cursor {
		params.insert("cursor".into(), json!(c));
	}
	call(chain, "aicf_listProviders", Value::Object(params)).await
}

/// `provider get`.
pub async fn get(chain: &Chain, id: &ProviderId) -> Result<Value> {
	call(chain, "aicf_getProvider", json!({ "provider_id": id.to_string() })).await
}

/// `balance`.
pub async fn balance(chain: &Chain, id: &ProviderId) -> Result<Value> {
	call(chain, "aicf_getBalance", json!({ "provider_id": id.to_string() })).await
}

fn tokens(v: &Value) -> String {
	match v.as_str().and_then(|s| s.parse::<u128>().ok()) {
		Some(p) => amount::format(p),
		None => "-".into(),
	}
}

fn text(v: &Value) -> String {
	match v {
		Value::String(s) => s.clone(),
		Value::Null => "-".into(),
		other => other.to_string(),
	}
}

/// Unix seconds as UTC date and time with the age: `2026-12-01 22:50:45 UTC (95 s ago)`.
fn unix_time(v: &Value) -> String {
	let Some(secs) = v.as_u64() else { return text(v) };
	let now = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_secs())
		.unwrap_or(secs);
	let age = match now.checked_sub(secs) {
		Some(a) => format!(" ({a} s ago)"),
		None => String::new(),
	};
	format!("{}{age}", utc(secs))
}

/// Unix seconds as `YYYY-MM-DD hh:mm:ss UTC` (the proleptic Gregorian calendar), up to the
/// end of year 9999 (later times are shown as that).
// Every intermediate below is at most a few million for days ≤ 2 932 896 (year 9999): no
// operation can overflow or divide by zero.
#[allow(clippy::arithmetic_side_effects)]
fn utc(secs: u64) -> String {
	let secs = secs.min(253_402_300_799);
	let (days, rem) = (secs / 86_400, secs % 86_400);
	// Days since 1970-01-01 to a civil date (H. Hinnant's `civil_from_days`).
	let z = days + 719_468;
	let era = z / 146_097;
	let doe = z % 146_097;
	let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
	let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	let mp = (5 * doy + 2) / 153;
	let day = doy - (153 * mp + 2) / 5 + 1;
	let month = if mp < 10 { mp + 3 } else { mp - 9 };
	let year = yoe + era * 400 + u64::from(month <= 2);
	format!(
		"{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
		rem / 3_600,
		rem % 3_600 / 60,
		rem % 60
	)
}

fn capabilities(v: &Value) -> String {
	let mut parts = Vec::new();
	if let Some(ai) = v.get("ai") {
		let models: Vec<String> = lookup(ai, "/models")
			.as_array()
			.map(|m| m.iter().map(text).collect())
			.unwrap_or_default();
		parts.push(format!("ai({})", models.join(",")));
	}
	if let Some(q) = v.get("quantum") {
		let traps: Vec<String> = lookup(q, "/trap_families")
			.as_array()
			.map(|m| m.iter().map(text).collect())
			.unwrap_or_default();
		parts.push(format!("quantum({})", traps.join(",")));
	}
	if parts.is_empty() {
		"-".into()
	} else {
		parts.join(" ")
	}
}

/// Rows as aligned columns.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
	let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
	for row in rows {
		for (w, cell) in widths.iter_mut().zip(row) {
			*w = (*w).max(cell.chars().count());
		}
	}
	let mut out = String::new();
	let line = |out: &mut String, cells: &mut dyn Iterator<Item = &str>| {
		let mut first = true;
		for (cell, w) in cells.zip(&widths) {
			if !first {
				out.push_str("  ");
			}
			first = false;
			let _ = write!(out, "{cell:<w$}");
		}
		let trimmed = out.trim_end().len();
		out.truncate(trimmed);
		out.push('\n');
	};
	line(&mut out, &mut header.iter().copied());
	for row in rows {
		line(&mut out, &mut row.iter().map(String::as_str));
	}
	out
}

/// The table of a `providers list` page.
pub fn list_table(page: &Value) -> String {
	let rows: Vec<Vec<String>> = lookup(page, "/providers")
		.as_array()
		.map(|ps| {
			ps.iter()
				.map(|p| {
					vec![
						text(lookup(p, "/provider_id")),
						text(lookup(p, "/status")),
						capabilities(lookup(p, "/capabilities")),
						text(lookup(p, "/region")),
						lookup(p, "/health/score")
							.as_f64()
							.map(|s| format!("{s:.3}"))
							.unwrap_or_else(|| "-".into()),
						tokens(lookup(p, "/stake/bonded")),
						text(lookup(p, "/metadata/endpoint")),
					]
				})
				.collect()
		})
		.unwrap_or_default();
	let mut out = table(
		&["PROVIDER", "STATUS", "CAPABILITIES", "REGION", "HEALTH", "BONDED", "ENDPOINT"],
		&rows,
	);
	if rows.is_empty() {
		out.push_str("(no providers on this page)\n");
	}
	if let Some(next) = lookup(page, "/next_cursor").as_str() {
		let _ = writeln!(out, "more: --cursor {next}");
	}
	out
}

/// The view of one provider, one field a line.
pub fn provider_text(p: &Value) -> String {
	let rows = vec![
		vec!["provider".to_string(), text(lookup(p, "/provider_id"))],
		vec!["status".into(), status_text(p)],
		vec!["capabilities".into(), capabilities(lookup(p, "/capabilities"))],
		vec!["region".into(), text(lookup(p, "/region"))],
		vec!["endpoint".into(), text(lookup(p, "/metadata/endpoint"))],
		vec!["contact".into(), text(lookup(p, "/metadata/contact"))],
		vec!["bonded".into(), tokens(lookup(p, "/stake/bonded"))],
		vec!["min required".into(), tokens(lookup(p, "/stake/min_required"))],
		vec!["stake status".into(), text(lookup(p, "/stake/status"))],
		vec!["unlock height".into(), text(lookup(p, "/stake/unlock_height"))],
		vec![
			"health".into(),
			lookup(p, "/health/score")
				.as_f64()
				.map(|s| format!("{s:.3}"))
				.unwrap_or_else(|| "-".into()),
		],
		vec!["rtt p50 (ms)".into(), text(lookup(p, "/health/rtt_ms_p50"))],
		vec!["last heartbeat".into(), unix_time(lookup(p, "/health/last_heartbeat"))],
		vec!["attestation".into(), text(lookup(p, "/attest/hash"))],
		vec!["attestation kind".into(), text(lookup(p, "/attest/kind"))],
		vec!["attestation expires".into(), attestation_expiry(p)],
		vec!["attestations".into(), attestations_text(p)],
		vec![
			"leases".into(),
			format!(
				"{} / {}",
				text(lookup(p, "/quotas/in_use")),
				text(lookup(p, "/quotas/max_concurrent"))
			),
		],
	];
	table(&["FIELD", "VALUE"], &rows)
}

/// The status at the queried block, with the stored one where it differs.
fn status_text(p: &Value) -> String {
	let now = text(lookup(p, "/status"));
	match lookup(p, "/stored_status").as_str() {
		Some(stored) => format!("{now} (stored {stored}: lapsed since the last call)"),
		None => now,
	}
}

/// Every attestation the provider holds, one per capability: `ai: Cca until block 1200;
/// quantum: Quantum (clifford, t-depth) until block 900`.
fn attestations_text(p: &Value) -> String {
	let Some(all) = lookup(p, "/attestations").as_array().filter(|a| !a.is_empty()) else {
		return "-".into();
	};
	all.iter()
		.map(|a| {
			let families = lookup(a, "/trap_families")
				.as_array()
				.map(|f| {
					let names: Vec<&str> = f.iter().filter_map(Value::as_str).collect();
					format!(" ({})", names.join(", "))
				})
				.unwrap_or_default();
			format!(
				"{}: {}{} until block {}",
				text(lookup(a, "/capability")),
				text(lookup(a, "/kind")),
				families,
				text(lookup(a, "/expires_height"))
			)
		})
		.collect::<Vec<_>>()
		.join("; ")
}

/// The attestation's expiry block.
fn attestation_expiry(p: &Value) -> String {
	let Some(expires) = lookup(p, "/attest/expires_height").as_u64() else {
		return "-".into();
	};
	format!("block {expires} (renew before it)")
}

/// A note when the bonded stake of a provider view is below its minimum for ACTIVE.
pub fn stake_note(view: &Value) -> Option<String> {
	let amount = |path: &str| lookup(view, path).as_str()?.parse::<u128>().ok();
	let (bonded, min) = (amount("/stake/bonded")?, amount("/stake/min_required")?);
	(bonded < min).then(|| {
		format!(
			"note: bonded {} is below the {} minimum for ACTIVE",
			amount::format(bonded),
			amount::format(min)
		)
	})
}

/// A balance view as a table, amounts in AICF.
pub fn balance_text(b: &Value) -> String {
	let mut rows = vec![
		vec!["provider".to_string(), text(lookup(b, "/provider_id"))],
		vec!["controller".into(), text(lookup(b, "/controller"))],
	];
	for f in
		["free", "bonded", "unbonding_locked", "unbonding_unlocked", "withdrawable", "liabilities"]
	{
		rows.push(vec![f.replace("_", " "), tokens(b.get(f).unwrap_or(&Value::Null))]);
	}
	let payouts: Vec<String> = lookup(b, "/pending_payouts")
		.as_array()
		.into_iter()
		.flatten()
		.map(|p| format!("epoch {}: {}", text(lookup(p, "/epoch")), tokens(lookup(p, "/amount"))))
		.collect();
	rows.push(vec![
		"pending payouts".into(),
		if payouts.is_empty() { "-".into() } else { payouts.join("; ") },
	]);
	table(&["FIELD", "VALUE"], &rows)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn unix_seconds_read_as_utc_dates() {
		assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
		assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
		assert_eq!(utc(1_713_202_001), "2024-04-15 17:26:41 UTC");
		assert_eq!(utc(4_107_542_399), "2100-02-28 23:59:59 UTC");
		assert_eq!(unix_time(&Value::Null), "-");
		assert!(unix_time(&json!(1_713_202_001)).ends_with(" s ago)"));
	}

	#[test]
	fn tables_align_columns_and_show_amounts_in_tokens() {
		let page = json!({
			"providers": [{
				"provider_id": "provider:000000000000000000000001",
				"status": "ACTIVE",
				"capabilities": {"ai": {"models": ["llama3-8b"], "throughput_tps": 2.5}},
				"region": "us-west-2",
				"health": {"score": 0.98, "rtt_ms_p50": 40, "last_heartbeat": 1},
				"stake": {"bonded": "100000000000000"},
				"metadata": {"endpoint": "https://a.example"}
			}],
			"next_cursor": "provider:000000000000000000000001"
		});
		let t = list_table(&page);
		let lines: Vec<&str> = t.lines().collect();
		assert!(lines[0].starts_with("PROVIDER"));
		assert!(lines[1].contains("ai(llama3-8b)") && lines[1].contains("100 AICF"));
		assert_eq!(lines[0].find("STATUS"), lines[1].find("ACTIVE"));
		assert_eq!(lines[2], "more: --cursor provider:000000000000000000000001");
		let empty = list_table(&json!({"providers": [], "next_cursor": null}));
		let balance = balance_text(&json!({
			"provider_id": "provider:000000000000000000000001",
			"free": "0",
			"pending_payouts": [{"epoch": 3, "amount": "1500000000000"}, {"epoch": 4, "amount": "1000000000000"}]
		}));
		assert!(balance.contains("epoch 3: 1.5 AICF; epoch 4: 1 AICF"), "{balance}");
		let none = balance_text(&json!({"pending_payouts": []}));
		let row = none.lines().find(|l| l.starts_with("pending payouts")).unwrap();
		assert!(row.ends_with(" -"), "{none}");
		assert!(empty.contains("(no providers on this page)"));
	}

	#[test]
	fn provider_text_shows_the_status_now_the_stored_one_and_the_attestation_expiry() {
		let lapsed = json!({
			"status": "REGISTERED",
			"stored_status": "ACTIVE",
			"attest": {"hash": "0x11", "updated_height": 5, "kind": "SgxDcap", "expires_height": 14405}
		});
		let t = provider_text(&lapsed);
		assert!(t.contains("REGISTERED (stored ACTIVE: lapsed since the last call)"), "{t}");
		assert!(t.contains("block 14405 (renew before it)"), "{t}");
		assert!(t.contains("SgxDcap"), "{t}");
		let t = provider_text(&json!({"status": "ACTIVE", "attest": null}));
		assert!(
			t.lines().any(|l| l.starts_with("status") && l.trim_end().ends_with("ACTIVE")),
			"{t}"
		);
		assert!(t
			.lines()
			.any(|l| l.starts_with("attestation expires") && l.trim_end().ends_with('-')));
	}

	#[test]
	fn stake_note_appears_only_below_the_minimum() {
		let view =
			|bonded: &str| json!({"stake": {"bonded": bonded, "min_required": "100000000000000"}});
		assert_eq!(
			stake_note(&view("1000000000000")).as_deref(),
			Some("note: bonded 1 AICF is below the 100 AICF minimum for ACTIVE")
		);
		assert_eq!(stake_note(&view("100000000000000")), None);
		assert_eq!(stake_note(&json!({})), None);
	}
}
