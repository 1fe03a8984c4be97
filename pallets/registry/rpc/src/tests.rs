//! The RPC handlers over a fake runtime API: params, views and errors as a client sees them.

use super::*;
use aicf_primitives::{
	traits::{AttestationRecord, EvidenceKind},
	types::{AiCapability, Capabilities},
	KeyAlgorithm,
};
use jsonrpsee::{MethodsError, RpcModule};
use serde_json::{json, Value};
use std::sync::Mutex;

type Info = ProviderInfo<String, u128, u32>;

#[derive(Default)]
struct Fake {
	providers: Vec<Info>,
	seen: Mutex<Vec<(ProviderFilter, Option<ProviderId>, u32)>>,
	fail: bool,
}

impl RegistryQuery<[u8; 32], String, u128, u32> for Fake {
	fn list(
		&self,
		_at: Option<[u8; 32]>,
		filter: ProviderFilter,
		cursor: Option<ProviderId>,
		limit: u32,
	) -> Result<ProviderPage<String, u128, u32>, String> {
		if self.fail {
			return Err("wasm trap".into());
		}
		self.seen.lock().unwrap().push((filter, cursor, limit));
		Ok(ProviderPage {
			providers: self.providers.clone(),
			next_cursor: Some(ProviderId([9; 12])),
		})
	}
	fn get(&self, _at: Option<[u8; 32]>, id: ProviderId) -> Result<Option<Info>, String> {
		Ok(self.providers.iter().find(|p| p.id == id).cloned())
	}
	fn balance(
		&self,
		_at: Option<[u8; 32]>,
		id: ProviderId,
	) -> Result<Option<BalanceInfo<String, u128>>, String> {
		Ok(self.providers.iter().find(|p| p.id == id).map(|p| BalanceInfo {
			id,
			controller: p.controller.clone(),
			free: 5,
			bonded: p.bonded,
			unbonding_locked: 3,
			unbonding_unlocked: 2,
			withdrawable: 2,
			liabilities: 0,
			pending_payouts: vec![(4, 70)],
		}))
	}
}

fn info() -> Info {
	ProviderInfo {
		id: ProviderId([0xab; 12]),
		controller: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY".into(),
		key_alg: KeyAlgorithm::MlDsa65,
		status: ProviderStatus::Active,
		stored_status: ProviderStatus::Active,
		capabilities: Capabilities {
			ai: Some(AiCapability {
				models: vec![b"llama3-8b".to_vec().try_into().unwrap()].try_into().unwrap(),
				throughput_milli_tps: 2_500,
			}),
			quantum: None,
		},
		region: b"us-west-2".to_vec().try_into().unwrap(),
		endpoint: b"https://api.provider.example".to_vec().try_into().unwrap(),
		contact: b"ops@provider.example".to_vec().try_into().unwrap(),
		attestations: pallet_aicf_registry_runtime_api::AttestationSlots {
			ai: Some(AttestationRecord {
				evidence_hash: [0x11; 32],
				kind: EvidenceKind::SgxDcap,
				measurement: [0; 48],
				updated_height: 123_450,
				version: 1,
				expires_at: 200_000,
				not_after: u64::MAX,
				trap_families: Default::default(),
			}),
			quantum: None,
		},
		bonded: 1_000_000_000,
		min_required: 250_000_000,
		unbonding: 0,
		unlock_height: None,
		health: Permill::from_parts(980_000),
		rtt_ms_p50: 40,
		last_heartbeat: Some(1_713_202_001),
		max_concurrent: 8,
		in_use: 2,
	}
}

fn module(fake: Fake) -> RpcModule<AicfRpc<Fake, [u8; 32], String, u128, u32>> {
	AicfRpc::with_query(fake).into_rpc()
}

fn error_code(e: MethodsError) -> (i32, String) {
	match e {
		MethodsError::JsonRpc(obj) => (
			obj.code(),
			format!(
				"{} {}",
				obj.message(),
				obj.data().map(|d| d.get().to_string()).unwrap_or_default()
			)
			.trim()
			.to_string(),
		),
		other => panic!("not a JSON-RPC error: {other}"),
	}
}

#[tokio::test]
async fn a_lapsed_provider_shows_its_status_now_and_its_stored_one_alongside() {
	let mut lapsed = info();
	lapsed.status = ProviderStatus::Registered;
	let rpc = module(Fake { providers: vec![lapsed, info()], ..Default::default() });
	let view: Value = rpc
		.call("aicf_getProvider", [json!({"provider_id": "provider:abababababababababababab"})])
		.await
		.unwrap();
	assert_eq!(view["status"], "REGISTERED");
	assert_eq!(view["stored_status"], "ACTIVE");
	// Where they agree, no `stored_status` field.
	let rpc = module(Fake { providers: vec![info()], ..Default::default() });
	let view: Value = rpc
		.call("aicf_getProvider", [json!({"provider_id": "provider:abababababababababababab"})])
		.await
		.unwrap();
	assert!(view.get("stored_status").is_none(), "{view}");
}

#[tokio::test]
async fn a_provider_with_both_capabilities_shows_each_attestation_and_the_first_to_lapse() {
	let mut dual = info();
	dual.capabilities.quantum = Some(aicf_primitives::types::QuantumCapability {
		trap_families: vec![b"clifford".to_vec().try_into().unwrap()].try_into().unwrap(),
		max_depth: 64,
		max_width: 20,
		shots_per_sec: 80,
	});
	dual.attestations.quantum = Some(AttestationRecord {
		evidence_hash: [0x22; 32],
		kind: EvidenceKind::Quantum,
		measurement: [0; 48],
		updated_height: 123_460,
		version: 3,
		expires_at: 150_000,
		not_after: 1_800_000_000,
		trap_families: vec![b"clifford".to_vec().try_into().unwrap()].try_into().unwrap(),
	});
	let rpc = module(Fake { providers: vec![dual], ..Default::default() });
	let view: Value = rpc
		.call("aicf_getProvider", [json!({"provider_id": "provider:abababababababababababab"})])
		.await
		.unwrap();
	// The facility certificate lapses first (block 150 000 before 200 000).
	assert_eq!(view["attest"]["kind"], "Quantum");
	assert_eq!(view["attest"]["expires_height"], 150_000);
	assert_eq!(view["attest"]["not_after"], 1_800_000_000);
	let all = view["attestations"].as_array().unwrap();
	assert_eq!(all.len(), 2);
	assert_eq!(all[0]["capability"], "ai");
	assert!(all[0].get("trap_families").is_none());
	assert_eq!(all[1]["capability"], "quantum");
	assert_eq!(all[1]["trap_families"], json!(["clifford"]));
}

#[tokio::test]
async fn get_provider_returns_the_spec_view() {
	let rpc = module(Fake { providers: vec![info()], ..Default::default() });
	let view: Value = rpc
		.call("aicf_getProvider", [json!({"provider_id": "provider:abababababababababababab"})])
		.await
		.unwrap();
	assert_eq!(
		view,
		json!({
			"provider_id": "provider:abababababababababababab",
			"status": "ACTIVE",
			"capabilities": { "ai": { "models": ["llama3-8b"], "throughput_tps": 2.5 } },
			"attest": {
				"hash": format!("0x{}", "11".repeat(32)),
				"updated_height": 123450,
				"kind": "SgxDcap",
				"expires_height": 200000,
				"capability": "ai"
			},
			"attestations": [{
				"hash": format!("0x{}", "11".repeat(32)),
				"updated_height": 123450,
				"kind": "SgxDcap",
				"expires_height": 200000,
				"capability": "ai"
			}],
			"stake": { "bonded": "1000000000", "min_required": "250000000", "status": "BONDED", "unlock_height": null },
			"health": { "score": 0.98, "rtt_ms_p50": 40, "last_heartbeat": 1713202001 },
			"quotas": { "max_concurrent": 8, "in_use": 2 },
			"region": "us-west-2",
			"metadata": { "endpoint": "https://api.provider.example", "contact": "ops@provider.example" }
		})
	);
}

#[tokio::test]
async fn get_provider_and_balance_reject_unknown_and_malformed_ids() {
	let rpc = module(Fake { providers: vec![info()], ..Default::default() });
	let unknown = rpc
		.call::<_, Value>(
			"aicf_getProvider",
			[json!({"provider_id": "provider:000000000000000000000000"})],
		)
		.await
		.unwrap_err();
	assert_eq!(
		error_code(unknown),
		(UNKNOWN_PROVIDER, "unknown provider provider:000000000000000000000000".into())
	);
	let malformed = rpc
		.call::<_, Value>("aicf_getBalance", [json!({"provider_id": "provider:abc123"})])
		.await
		.unwrap_err();
	let (code, msg) = error_code(malformed);
	assert_eq!(code, ErrorCode::InvalidParams.code());
	assert!(msg.contains("24 hex characters"), "{msg}");
	let missing = rpc.call::<_, Value>("aicf_getBalance", [json!({})]).await.unwrap_err();
	assert_eq!(error_code(missing).0, ErrorCode::InvalidParams.code());
}

#[tokio::test]
async fn get_balance_returns_decimal_strings() {
	let rpc = module(Fake { providers: vec![info()], ..Default::default() });
	let view: Value = rpc
		.call("aicf_getBalance", [json!({"provider_id": "provider:abababababababababababab"})])
		.await
		.unwrap();
	assert_eq!(view["bonded"], "1000000000");
	assert_eq!(view["unbonding_locked"], "3");
	assert_eq!(view["withdrawable"], "2");
	assert_eq!(view["pending_payouts"], json!([{"epoch": 4, "amount": "70"}]));
	assert_eq!(view["controller"], "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
}

#[tokio::test]
async fn list_providers_parses_filters_caps_the_limit_and_pages() {
	let fake = Fake { providers: vec![info()], ..Default::default() };
	let m = module(fake);
	let page: Value = m
		.call(
			"aicf_listProviders",
			[json!({"status": "ACTIVE", "capability": "ai", "region": "us-west-2", "minHealth": 0.9, "limit": 1000})],
		)
		.await
		.unwrap();
	assert_eq!(page["providers"].as_array().unwrap().len(), 1);
	assert_eq!(page["next_cursor"], "provider:090909090909090909090909");
	let none: Value = m.call("aicf_listProviders", Vec::<Value>::new()).await.unwrap();
	assert_eq!(none["providers"].as_array().unwrap().len(), 1);
}

#[test]
fn parse_filter_maps_each_field_and_rejects_bad_values() {
	let (f, limit) = parse_filter(&ListProvidersParams {
		status: Some(ProviderStatus::Jailed),
		capability: Some(CapabilityKind::Quantum),
		region: Some("eu-central-1".into()),
		min_health: Some(0.9),
		limit: Some(1000),
		cursor: None,
	})
	.unwrap();
	assert_eq!(limit, MAX_PAGE);
	assert_eq!(f.status, Some(ProviderStatus::Jailed));
	assert_eq!(f.capability, Some(CapabilityKind::Quantum));
	assert_eq!(f.region.unwrap().to_vec(), b"eu-central-1".to_vec());
	assert_eq!(f.min_health, Some(Permill::from_percent(90)));
	assert_eq!(parse_filter(&Default::default()).unwrap().1, DEFAULT_LIMIT);

	let bad = |p: ListProvidersParams| parse_filter(&p).unwrap_err().message().to_string();
	assert!(bad(ListProvidersParams { limit: Some(0), ..Default::default() }).contains("limit"));
	assert!(bad(ListProvidersParams { min_health: Some(1.5), ..Default::default() })
		.contains("minHealth"));
	assert!(bad(ListProvidersParams { region: Some("US West".into()), ..Default::default() })
		.contains("region"));
}

#[tokio::test]
async fn list_providers_rejects_unknown_fields_and_bad_enums() {
	let rpc = module(Fake::default());
	for params in
		[json!({"statuz": "ACTIVE"}), json!({"status": "active"}), json!({"capability": "gpu"})]
	{
		let err = rpc.call::<_, Value>("aicf_listProviders", [params.clone()]).await.unwrap_err();
		assert_eq!(error_code(err).0, ErrorCode::InvalidParams.code(), "{params}");
	}
}

#[tokio::test]
async fn runtime_failures_are_reported_as_runtime_errors() {
	let rpc = module(Fake { fail: true, ..Default::default() });
	let err = rpc.call::<_, Value>("aicf_listProviders", [json!({})]).await.unwrap_err();
	assert_eq!(error_code(err).0, RUNTIME_ERROR);
}

#[test]
fn filter_passes_through_to_the_runtime_api() {
	let cursor = ProviderId([1; 12]);
	let fake = Fake { providers: vec![Info { id: cursor, ..info() }], ..Default::default() };
	let rpc = AicfRpc::<_, [u8; 32], String, u128, u32>::with_query(fake);
	let rt = tokio::runtime::Runtime::new().unwrap();
	rt.block_on(async {
		AicfApiServer::list_providers(
			&rpc,
			Some(ListProvidersParams {
				cursor: Some(cursor),
				limit: Some(7),
				..Default::default()
			}),
			None,
		)
		.await
		.unwrap();
		let seen = rpc.query.seen.lock().unwrap();
		assert_eq!(seen.as_slice(), &[(ProviderFilter::default(), Some(cursor), 7)]);
	});
}

/// A well-formed cursor that names no provider is refused (invalid params), and the runtime
/// is not asked for a page.
#[tokio::test]
async fn a_cursor_that_names_no_provider_is_invalid_params() {
	let rpc = module(Fake { providers: vec![info()], ..Default::default() });
	let unknown = "provider:010101010101010101010101";
	let err = rpc
		.call::<_, Value>("aicf_listProviders", [json!({ "cursor": unknown })])
		.await
		.unwrap_err();
	let (code, message) = error_code(err);
	assert_eq!(code, jsonrpsee::types::error::INVALID_PARAMS_CODE);
	assert!(message.contains(unknown) && message.contains("next_cursor"), "{message}");
	// The provider's own id is a cursor.
	let page: Value = rpc
		.call("aicf_listProviders", [json!({ "cursor": "provider:abababababababababababab" })])
		.await
		.unwrap();
	assert_eq!(page["next_cursor"], "provider:090909090909090909090909");
}
