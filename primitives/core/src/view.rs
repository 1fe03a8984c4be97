//! JSON views of spec §10, returned by the node's `aicf_*` RPC and printed by the CLI.
//!
//! Field names are exactly the spec's. Balances are decimal strings (they exceed what JSON
//! numbers carry exactly), the health score and throughput are JSON numbers, timestamps are
//! Unix seconds, hashes `0x`-prefixed hex. These types exist only with the `std` feature; the
//! runtime API returns the SCALE records and the node converts them.

use crate::{payload::HeartbeatReport, CapabilityKind, Heartbeat, ProviderId, ProviderStatus};
use serde::{Deserialize, Serialize};

/// `aicf_getProvider` / one entry of `aicf_listProviders` (spec §10.1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderView {
	/// `provider:` + 24 hex characters.
	pub provider_id: ProviderId,
	/// Lifecycle status at the queried block, upper case: what the status machine concludes
	/// now (health decayed, heartbeats or attestation lapsed), which the stored status catches
	/// up with on the next call that touches the provider.
	pub status: ProviderStatus,
	/// The stored status, present only where it differs from `status` (an ACTIVE provider
	/// whose heartbeats, health or attestation lapsed with time alone).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub stored_status: Option<ProviderStatus>,
	/// Declared capabilities.
	pub capabilities: CapabilitiesView,
	/// The attestation that lapses first among those the declared capabilities need (each
	/// declared capability needs its own current one), `null` if there is none.
	pub attest: Option<AttestView>,
	/// Every attestation the provider holds, one per capability, `ai` first (beyond the
	/// spec's fields; the node always sets it, empty when there is none).
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	pub attestations: Vec<AttestView>,
	/// Stake summary.
	pub stake: StakeView,
	/// Health summary.
	pub health: HealthView,
	/// Lease quota.
	pub quotas: QuotasView,
	/// Region name.
	pub region: String,
	/// Public metadata.
	pub metadata: MetadataView,
}

/// Capabilities as JSON.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapabilitiesView {
	/// AI capability, absent if not declared.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub ai: Option<AiView>,
	/// Quantum capability, absent if not declared.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub quantum: Option<QuantumView>,
}

impl CapabilitiesView {
	/// The kinds declared.
	pub fn kinds(&self) -> impl Iterator<Item = CapabilityKind> + '_ {
		self.ai
			.as_ref()
			.map(|_| CapabilityKind::Ai)
			.into_iter()
			.chain(self.quantum.as_ref().map(|_| CapabilityKind::Quantum))
	}
}

/// AI capability as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AiView {
	/// Model families.
	pub models: Vec<String>,
	/// Throughput hint in tokens per second (stored on chain in thousandths).
	pub throughput_tps: f64,
}

/// Quantum capability as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuantumView {
	/// Trap-circuit families.
	pub trap_families: Vec<String>,
	/// Largest circuit depth.
	pub max_depth: u32,
	/// Largest circuit width in qubits (not in the spec's example; omitted when unknown).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub max_width: Option<u32>,
	/// Shots per second.
	pub shots_per_sec: u32,
}

/// Attestation summary as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttestView {
	/// SHA3-256 of the evidence, `0x` + hex.
	pub hash: String,
	/// Block height at which it was recorded.
	pub updated_height: u64,
	/// What the evidence is: `SgxDcap`, `TdxDcap`, `SevSnp`, `Cca` or `Quantum` (beyond the
	/// spec's fields; the node always sets it).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub kind: Option<String>,
	/// First block at which it no longer counts: renew the attestation before it (beyond the
	/// spec's fields; the node always sets it).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub expires_height: Option<u64>,
	/// The last second of chain time (Unix) it counts, whatever the block: the end of
	/// validity of its evidence, certificates and collateral (beyond the spec's fields;
	/// omitted when unbounded).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub not_after: Option<u64>,
	/// The capability it backs: `ai` (a TEE) or `quantum` (a facility certificate) (beyond
	/// the spec's fields; the node always sets it).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub capability: Option<CapabilityKind>,
	/// The trap families a facility certificate certifies (beyond the spec's fields; set for
	/// `quantum` only).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub trap_families: Option<Vec<String>>,
}

/// Stake state names of [`StakeView::status`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum StakeStatus {
	/// Nothing bonded.
	None,
	/// Stake bonded, nothing unbonding.
	Bonded,
	/// Some stake is unbonding.
	Unbonding,
}

/// Stake summary as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StakeView {
	/// Bonded amount in plancks, decimal string.
	pub bonded: String,
	/// Largest minimum of the declared capabilities, plancks, decimal string.
	pub min_required: String,
	/// Stake state.
	pub status: StakeStatus,
	/// Block at which the last unbonding chunk is fully unlocked, or `null`.
	pub unlock_height: Option<u64>,
}

/// Health summary as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthView {
	/// Effective health score at the queried block, 0.0–1.0.
	pub score: f64,
	/// Median RTT of the last heartbeat, milliseconds.
	pub rtt_ms_p50: u32,
	/// Unix seconds of the last heartbeat, `null` if none.
	pub last_heartbeat: Option<u64>,
}

/// Lease quota as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotasView {
	/// Concurrent leases allowed.
	pub max_concurrent: u32,
	/// Leases open now.
	pub in_use: u32,
}

/// Public metadata as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetadataView {
	/// `https://` endpoint.
	pub endpoint: String,
	/// Operator contact.
	pub contact: String,
}

/// Heartbeat as JSON (spec §10.2): what a provider signs, plus the signature. `aicf sign
/// heartbeat` prints it and `aicf submit` sends it. Beyond the spec's fields it carries the
/// `counter` the chain's replay protection needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeartbeatView {
	/// Sender.
	pub provider_id: ProviderId,
	/// Strictly increasing per provider (see [`Heartbeat::counter`]).
	pub counter: u64,
	/// `0x` + hex SHA3-256 of the current attestation.
	pub attest_hash: String,
	/// Quality figures.
	pub metrics: HeartbeatMetricsView,
	/// Load figures.
	pub load: HeartbeatLoadView,
	/// Unix seconds.
	pub timestamp: u64,
	/// The liveness hash chain the heartbeat commits to, absent if none.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub liveness: Option<LivenessCommitmentView>,
	/// `0x` + hex signature.
	pub signature: String,
}

/// A liveness commitment as JSON ([`crate::liveness::LivenessCommitment`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LivenessCommitmentView {
	/// `0x` + hex of the chain's tip (32 bytes).
	pub anchor: String,
	/// Proofs the chain allows.
	pub length: u32,
}

impl HeartbeatView {
	/// The JSON of `heartbeat` signed with `signature`.
	pub fn from_signed(heartbeat: &Heartbeat, signature: &[u8]) -> Self {
		let report = &heartbeat.report;
		Self {
			provider_id: heartbeat.provider,
			counter: heartbeat.counter,
			attest_hash: format!("0x{}", hex::encode(heartbeat.attest_hash)),
			metrics: HeartbeatMetricsView {
				rtt_ms_p50: report.rtt_ms_p50,
				availability: f64::from(report.availability_bps) / 10_000.0,
			},
			load: HeartbeatLoadView {
				leases_active: report.leases_active,
				leases_capacity: report.leases_capacity,
			},
			timestamp: heartbeat.timestamp,
			liveness: heartbeat.liveness.map(|c| LivenessCommitmentView {
				anchor: format!("0x{}", hex::encode(c.anchor)),
				length: c.length,
			}),
			signature: format!("0x{}", hex::encode(signature)),
		}
	}

	/// The heartbeat and the signature bytes; the error names the field that is wrong.
	/// Availability is taken to the basis point the chain stores: a value with more digits is
	/// refused rather than rounded, since the signature covers the basis points.
	pub fn to_signed(&self) -> Result<(Heartbeat, Vec<u8>), String> {
		let hex_field = |name: &str, s: &str| -> Result<Vec<u8>, String> {
			let digits =
				s.strip_prefix("0x").ok_or_else(|| format!("`{name}` must start with 0x"))?;
			hex::decode(digits).map_err(|_| format!("`{name}` is not hex"))
		};
		let attest_hash: [u8; 32] = hex_field("attest_hash", &self.attest_hash)?
			.try_into()
			.map_err(|_| "`attest_hash` must be 32 bytes (64 hex characters)".to_string())?;
		let availability_bps = availability_bps(self.metrics.availability).ok_or_else(|| {
			"`metrics.availability` must be a number from 0 to 1 with at most 4 decimals"
				.to_string()
		})?;
		let signature = hex_field("signature", &self.signature)?;
		if signature.is_empty() {
			return Err("`signature` is empty".into());
		}
		let liveness = match &self.liveness {
			None => None,
			Some(c) => Some(crate::liveness::LivenessCommitment {
				anchor: hex_field("liveness.anchor", &c.anchor)?.try_into().map_err(|_| {
					"`liveness.anchor` must be 32 bytes (64 hex characters)".to_string()
				})?,
				length: c.length,
			}),
		};
		let heartbeat = Heartbeat {
			liveness,
			provider: self.provider_id,
			counter: self.counter,
			timestamp: self.timestamp,
			attest_hash,
			report: HeartbeatReport {
				rtt_ms_p50: self.metrics.rtt_ms_p50,
				availability_bps,
				leases_active: self.load.leases_active,
				leases_capacity: self.load.leases_capacity,
			},
		};
		Ok((heartbeat, signature))
	}
}

/// Availability as a fraction to basis points: `None` outside 0–1 or finer than a basis point.
pub fn availability_bps(availability: f64) -> Option<u16> {
	if !(0.0..=1.0).contains(&availability) {
		return None;
	}
	let scaled = availability * 10_000.0;
	let bps = scaled.round();
	// Decimal fractions are not exact in binary: allow the representation error, not a
	// fifth decimal.
	((scaled - bps).abs() < 1e-6).then_some(bps as u16)
}

/// Heartbeat quality figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeartbeatMetricsView {
	/// Median RTT, milliseconds.
	pub rtt_ms_p50: u32,
	/// Availability as a fraction 0.0–1.0 (basis points on chain).
	pub availability: f64,
}

/// Heartbeat load figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeartbeatLoadView {
	/// Leases being served.
	pub leases_active: u32,
	/// Leases that can be served at once.
	pub leases_capacity: u32,
}

/// `aicf_getBalance`: where a provider's funds are. Amounts in plancks, decimal strings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BalanceView {
	/// The provider.
	pub provider_id: ProviderId,
	/// Controller account, SS58.
	pub controller: String,
	/// Free balance of the controller.
	pub free: String,
	/// Bonded (held, counting towards the minimum).
	pub bonded: String,
	/// Unbonding and still locked.
	pub unbonding_locked: String,
	/// Unbonding and already unlocked (withdrawable once no cooldown applies).
	pub unbonding_unlocked: String,
	/// What `withdraw` would release now.
	pub withdrawable: String,
	/// Unsettled slash liabilities.
	pub liabilities: String,
	/// Credited, unclaimed earnings by epoch, oldest first.
	pub pending_payouts: Vec<PayoutView>,
}

/// One epoch's credited, unclaimed earnings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayoutView {
	/// Settlement epoch.
	pub epoch: u64,
	/// Amount in plancks, decimal string.
	pub amount: String,
}

/// `value / denominator` as a JSON number (0 if the denominator is 0).
pub fn fixed_to_f64(value: u64, denominator: u64) -> f64 {
	if denominator == 0 {
		return 0.0;
	}
	value as f64 / denominator as f64
}

#[cfg(test)]
mod tests {
	use super::*;

	/// The spec §10.1 example, verbatim except `provider:abc123`, which is not a valid
	/// 96-bit id (the spec's example predates the 12-byte rule).
	const SPEC_PROVIDER_JSON: &str = r#"{
  "provider_id": "provider:abc123abc123abc123abc123",
  "status": "ACTIVE",
  "capabilities": {
    "ai": { "models": ["llama3-8b","mixtral-8x7b"], "throughput_tps": 2.5 },
    "quantum": { "trap_families": ["clifford","t-depth"], "max_depth": 64, "shots_per_sec": 80 }
  },
  "attest": {
    "hash": "0x…",
    "updated_height": 123450
  },
  "stake": {
    "bonded": "1000000000",
    "min_required": "250000000",
    "status": "BONDED",
    "unlock_height": null
  },
  "health": { "score": 0.98, "rtt_ms_p50": 40, "last_heartbeat": 1713202001 },
  "quotas": { "max_concurrent": 8, "in_use": 2 },
  "region": "us-west-2",
  "metadata": { "endpoint": "https://api.provider.example", "contact": "ops@provider.example" }
}"#;

	#[test]
	fn provider_view_parses_and_reproduces_the_spec_example() {
		let view: ProviderView = serde_json::from_str(SPEC_PROVIDER_JSON).unwrap();
		assert_eq!(view.status, ProviderStatus::Active);
		assert_eq!(view.capabilities.ai.as_ref().unwrap().throughput_tps, 2.5);
		assert_eq!(view.health.last_heartbeat, Some(1713202001));
		let written = serde_json::to_value(&view).unwrap();
		let original: serde_json::Value = serde_json::from_str(SPEC_PROVIDER_JSON).unwrap();
		assert_eq!(written, original);
	}

	#[test]
	fn provider_view_rejects_unknown_fields_and_bad_status() {
		let extra = SPEC_PROVIDER_JSON.replacen("\"region\"", "\"regoin\": 1, \"region\"", 1);
		assert!(serde_json::from_str::<ProviderView>(&extra).is_err());
		let bad = SPEC_PROVIDER_JSON.replace("\"ACTIVE\"", "\"active\"");
		assert!(serde_json::from_str::<ProviderView>(&bad).is_err());
	}

	#[test]
	fn heartbeat_view_matches_spec_field_names() {
		let json = r#"{
  "provider_id": "provider:abc123abc123abc123abc123",
  "counter": 7,
  "attest_hash": "0x00",
  "metrics": { "rtt_ms_p50": 40, "availability": 0.9992 },
  "load": { "leases_active": 2, "leases_capacity": 8 },
  "timestamp": 1713202001,
  "signature": "0x01"
}"#;
		let hb: HeartbeatView = serde_json::from_str(json).unwrap();
		assert_eq!(hb.metrics.availability, 0.9992);
		let back = serde_json::to_value(&hb).unwrap();
		assert_eq!(back, serde_json::from_str::<serde_json::Value>(json).unwrap());
		// The spec's example has no counter; the chain cannot take a heartbeat without one.
		assert!(
			serde_json::from_str::<HeartbeatView>(&json.replace("\"counter\": 7,", "")).is_err()
		);
	}

	#[test]
	fn heartbeat_view_round_trips_a_signed_heartbeat_and_names_bad_fields() {
		let heartbeat = Heartbeat {
			provider: "provider:abc123abc123abc123abc123".parse().unwrap(),
			counter: 7,
			timestamp: 1_713_202_001,
			attest_hash: [0xab; 32],
			report: HeartbeatReport {
				rtt_ms_p50: 40,
				availability_bps: 9992,
				leases_active: 2,
				leases_capacity: 8,
			},
			liveness: Some(crate::liveness::LivenessCommitment { anchor: [4; 32], length: 5 }),
		};
		let view = HeartbeatView::from_signed(&heartbeat, &[1, 2, 3]);
		assert_eq!(view.metrics.availability, 0.9992);
		// Through JSON text and back: the same heartbeat, bit for bit.
		let text = serde_json::to_string(&view).unwrap();
		let parsed: HeartbeatView = serde_json::from_str(&text).unwrap();
		assert_eq!(parsed.to_signed().unwrap(), (heartbeat.clone(), vec![1, 2, 3]));
		for bps in 0..=10_000u16 {
			assert_eq!(availability_bps(f64::from(bps) / 10_000.0), Some(bps));
		}

		let bad = |edit: fn(&mut HeartbeatView)| {
			let mut v = view.clone();
			edit(&mut v);
			v.to_signed().unwrap_err()
		};
		assert!(bad(|v| v.metrics.availability = 1.01).contains("metrics.availability"));
		assert!(bad(|v| v.metrics.availability = 0.99925).contains("metrics.availability"));
		assert!(bad(|v| v.metrics.availability = f64::NAN).contains("metrics.availability"));
		assert!(bad(|v| v.attest_hash = "0xabcd".into()).contains("attest_hash"));
		assert!(bad(|v| v.attest_hash = "ab".repeat(32)).contains("attest_hash"));
		assert!(bad(|v| v.signature = "0xzz".into()).contains("signature"));
		assert!(bad(|v| v.signature = "0x".into()).contains("signature"));
	}
}
