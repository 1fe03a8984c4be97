//! # AICF registry RPC
//!
//! `aicf_listProviders`, `aicf_getProvider` and `aicf_getBalance`: thin jsonrpsee wrappers over
//! the `AicfRegistryApi` runtime API that return the JSON views of spec §10 (see
//! [`aicf_primitives::view`]). Every method takes one params object and an optional block hash
//! (default: the best block).
//!
//! | method | params | result |
//! |---|---|---|
//! | `aicf_listProviders` | `{status?, capability?, region?, minHealth?, limit?, cursor?}` | `{providers: [ProviderView], next_cursor}` |
//! | `aicf_getProvider` | `{provider_id}` | `ProviderView` |
//! | `aicf_getBalance` | `{provider_id}` | `BalanceView` |
//!
//! `limit` defaults to [`DEFAULT_LIMIT`] and is capped at [`MAX_PAGE`]; `cursor` is the opaque
//! `next_cursor` of the previous page. Malformed params give `-32602` (invalid params) with a
//! message naming the field; an unknown id gives [`UNKNOWN_PROVIDER`]; a failing runtime call
//! [`RUNTIME_ERROR`]. `aicf.claimPayout` of the spec is an ops-controlled extrinsic, not an RPC.

use aicf_primitives::{
	traits::AttestationRecord,
	types::validate_region,
	view::{
		fixed_to_f64, AiView, AttestView, BalanceView, CapabilitiesView, HealthView, MetadataView,
		PayoutView, ProviderView, QuantumView, QuotasView, StakeStatus, StakeView,
	},
	CapabilityKind, ProviderId, ProviderStatus,
};
use codec::Codec;
use jsonrpsee::{
	core::{async_trait, RpcResult},
	proc_macros::rpc,
	types::{error::ErrorCode, ErrorObjectOwned},
};
pub use pallet_aicf_registry_runtime_api::{
	AicfRegistryApi as AicfRegistryRuntimeApi, BalanceInfo, ProviderFilter, ProviderInfo,
	ProviderPage, MAX_PAGE,
};
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::{traits::Block as BlockT, Permill};
use std::{fmt::Display, marker::PhantomData, sync::Arc};

/// Page size when `limit` is absent.
pub const DEFAULT_LIMIT: u32 = 50;
/// JSON-RPC error code: no provider with this id.
pub const UNKNOWN_PROVIDER: i32 = 4001;
/// JSON-RPC error code: the runtime call failed.
pub const RUNTIME_ERROR: i32 = 5001;

/// Params of `aicf_listProviders`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ListProvidersParams {
	/// `REGISTERED`, `ACTIVE`, `JAILED`, `UNSTAKING` or `DEREGISTERED`.
	pub status: Option<ProviderStatus>,
	/// `ai` or `quantum`.
	pub capability: Option<CapabilityKind>,
	/// Region name.
	pub region: Option<String>,
	/// Smallest effective health, 0.0–1.0.
	pub min_health: Option<f64>,
	/// Page size, 1–100 (default 50; larger values are capped at 100).
	pub limit: Option<u32>,
	/// `next_cursor` of the previous page.
	pub cursor: Option<ProviderId>,
}

/// Params of `aicf_getProvider` and `aicf_getBalance`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderIdParams {
	/// `provider:` + 24 hex characters.
	pub provider_id: ProviderId,
}

/// Result of `aicf_listProviders`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProviderList {
	/// Matching providers, spec §10.1 views.
	pub providers: Vec<ProviderView>,
	/// Pass as `cursor` for the next page; `null` when done.
	pub next_cursor: Option<ProviderId>,
}

/// The registry's JSON-RPC methods.
#[rpc(client, server)]
pub trait AicfApi<BlockHash> {
	/// Providers matching a filter, one page at a time.
	#[method(name = "aicf_listProviders")]
	async fn list_providers(
		&self,
		params: Option<ListProvidersParams>,
		at: Option<BlockHash>,
	) -> RpcResult<ProviderList>;

	/// One provider's view.
	#[method(name = "aicf_getProvider")]
	async fn get_provider(
		&self,
		params: ProviderIdParams,
		at: Option<BlockHash>,
	) -> RpcResult<ProviderView>;

	/// One provider's balances.
	#[method(name = "aicf_getBalance")]
	async fn get_balance(
		&self,
		params: ProviderIdParams,
		at: Option<BlockHash>,
	) -> RpcResult<BalanceView>;
}

/// What the RPC needs from the chain; implemented for every client with the runtime API, and
/// by a fake in the tests.
pub trait RegistryQuery<Hash, AccountId, Balance, BlockNumber>: Send + Sync {
	/// `AicfRegistryApi::list_providers` at `at` (best block if `None`).
	fn list(
		&self,
		at: Option<Hash>,
		filter: ProviderFilter,
		cursor: Option<ProviderId>,
		limit: u32,
	) -> Result<ProviderPage<AccountId, Balance, BlockNumber>, String>;
	/// `AicfRegistryApi::get_provider`.
	fn get(
		&self,
		at: Option<Hash>,
		id: ProviderId,
	) -> Result<Option<ProviderInfo<AccountId, Balance, BlockNumber>>, String>;
	/// `AicfRegistryApi::get_balance`.
	fn balance(
		&self,
		at: Option<Hash>,
		id: ProviderId,
	) -> Result<Option<BalanceInfo<AccountId, Balance>>, String>;
}

/// Runtime-API backed [`RegistryQuery`].
pub struct ClientQuery<C, Block>(pub Arc<C>, PhantomData<Block>);

impl<C, Block, AccountId, Balance, BlockNumber>
	RegistryQuery<Block::Hash, AccountId, Balance, BlockNumber> for ClientQuery<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: AicfRegistryRuntimeApi<Block, AccountId, Balance, BlockNumber>,
	AccountId: Codec,
	Balance: Codec,
	BlockNumber: Codec,
{
	fn list(
		&self,
		at: Option<Block::Hash>,
		filter: ProviderFilter,
		cursor: Option<ProviderId>,
		limit: u32,
	) -> Result<ProviderPage<AccountId, Balance, BlockNumber>, String> {
		let at = at.unwrap_or_else(|| self.0.info().best_hash);
		self.0.runtime_api().list_providers(at, filter, cursor, limit).map_err(|e| e.to_string())
	}

	fn get(
		&self,
		at: Option<Block::Hash>,
		id: ProviderId,
	) -> Result<Option<ProviderInfo<AccountId, Balance, BlockNumber>>, String> {
		let at = at.unwrap_or_else(|| self.0.info().best_hash);
		self.0.runtime_api().get_provider(at, id).map_err(|e| e.to_string())
	}

	fn balance(
		&self,
		at: Option<Block::Hash>,
		id: ProviderId,
	) -> Result<Option<BalanceInfo<AccountId, Balance>>, String> {
		let at = at.unwrap_or_else(|| self.0.info().best_hash);
		self.0.runtime_api().get_balance(at, id).map_err(|e| e.to_string())
	}
}

/// Marks the types a handler serves without owning values of them.
type TypesMarker<Hash, AccountId, Balance, BlockNumber> =
	PhantomData<fn() -> (Hash, AccountId, Balance, BlockNumber)>;

/// The RPC handler.
pub struct AicfRpc<Q, Hash, AccountId, Balance, BlockNumber> {
	query: Q,
	_marker: TypesMarker<Hash, AccountId, Balance, BlockNumber>,
}

impl<C, Block: BlockT, AccountId, Balance, BlockNumber>
	AicfRpc<ClientQuery<C, Block>, Block::Hash, AccountId, Balance, BlockNumber>
{
	/// Handler over a node's client.
	pub fn new(client: Arc<C>) -> Self {
		Self::with_query(ClientQuery(client, PhantomData))
	}
}

impl<Q, Hash, AccountId, Balance, BlockNumber> AicfRpc<Q, Hash, AccountId, Balance, BlockNumber> {
	/// Handler over any query backend.
	pub fn with_query(query: Q) -> Self {
		Self { query, _marker: PhantomData }
	}
}

fn invalid_params(msg: impl Into<String>) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(ErrorCode::InvalidParams.code(), msg.into(), None::<()>)
}

fn runtime_error(e: String) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(RUNTIME_ERROR, "the registry runtime call failed", Some(e))
}

fn unknown(id: &ProviderId) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(UNKNOWN_PROVIDER, format!("unknown provider {id}"), None::<()>)
}

/// Turn the JSON filter into the runtime API's, checking each field.
pub fn parse_filter(p: &ListProvidersParams) -> Result<(ProviderFilter, u32), ErrorObjectOwned> {
	let region = match &p.region {
		None => None,
		Some(r) => {
			validate_region(r.as_bytes()).map_err(|_| {
				invalid_params(format!("region {r:?}: expected 1-32 characters of a-z, 0-9, -"))
			})?;
			Some(
				r.as_bytes()
					.to_vec()
					.try_into()
					.map_err(|_| invalid_params("region: too long (max 32)"))?,
			)
		},
	};
	let min_health = match p.min_health {
		None => None,
		Some(h) if (0.0..=1.0).contains(&h) => {
			Some(Permill::from_parts((h * 1_000_000.0).round() as u32))
		},
		Some(h) => {
			return Err(invalid_params(format!("minHealth {h}: expected a number from 0 to 1")))
		},
	};
	let limit = match p.limit {
		Some(0) => return Err(invalid_params("limit: must be at least 1")),
		Some(l) => l.min(MAX_PAGE),
		None => DEFAULT_LIMIT,
	};
	Ok((ProviderFilter { status: p.status, capability: p.capability, region, min_health }, limit))
}

fn text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

/// One attestation as JSON.
fn attest_view<BlockNumber: Copy + Into<u64>>(a: &AttestationRecord<BlockNumber>) -> AttestView {
	let capability = a.kind.capability();
	AttestView {
		hash: format!("0x{}", hex::encode(a.evidence_hash)),
		updated_height: a.updated_height.into(),
		kind: Some(a.kind.name().into()),
		expires_height: Some(a.expires_at.into()),
		not_after: (a.not_after != u64::MAX).then_some(a.not_after),
		capability: Some(capability),
		trap_families: (capability == CapabilityKind::Quantum)
			.then(|| a.trap_families.iter().map(|f| text(f)).collect()),
	}
}

/// The spec §10.1 view of a runtime record.
pub fn provider_view<AccountId, Balance: Display, BlockNumber: Copy + Into<u64>>(
	info: &ProviderInfo<AccountId, Balance, BlockNumber>,
) -> ProviderView {
	// `Balance` is only `Display` here: zero is the amount written "0".
	let nonzero = |amount: &Balance| amount.to_string() != "0";
	let caps = &info.capabilities;
	let slots = &info.attestations;
	let held = || slots.ai.iter().chain(slots.quantum.iter());
	ProviderView {
		provider_id: info.id,
		status: info.status,
		stored_status: (info.stored_status != info.status).then_some(info.stored_status),
		capabilities: CapabilitiesView {
			ai: caps.ai.as_ref().map(|ai| AiView {
				models: ai.models.iter().map(|m| text(m)).collect(),
				throughput_tps: fixed_to_f64(u64::from(ai.throughput_milli_tps), 1_000),
			}),
			quantum: caps.quantum.as_ref().map(|q| QuantumView {
				trap_families: q.trap_families.iter().map(|t| text(t)).collect(),
				max_depth: q.max_depth,
				max_width: Some(q.max_width),
				shots_per_sec: q.shots_per_sec,
			}),
		},
		attest: [(caps.ai.is_some(), &slots.ai), (caps.quantum.is_some(), &slots.quantum)]
			.into_iter()
			.filter_map(|(declared, slot)| slot.as_ref().filter(|_| declared))
			.min_by_key(|a| Into::<u64>::into(a.expires_at))
			.or_else(|| held().next())
			.map(attest_view),
		attestations: held().map(attest_view).collect(),
		stake: StakeView {
			bonded: info.bonded.to_string(),
			min_required: info.min_required.to_string(),
			status: if nonzero(&info.unbonding) {
				StakeStatus::Unbonding
			} else if nonzero(&info.bonded) {
				StakeStatus::Bonded
			} else {
				StakeStatus::None
			},
			unlock_height: info.unlock_height.map(Into::into),
		},
		health: HealthView {
			score: fixed_to_f64(u64::from(info.health.deconstruct()), 1_000_000),
			rtt_ms_p50: info.rtt_ms_p50,
			last_heartbeat: info.last_heartbeat,
		},
		quotas: QuotasView { max_concurrent: info.max_concurrent, in_use: info.in_use },
		region: text(&info.region),
		metadata: MetadataView { endpoint: text(&info.endpoint), contact: text(&info.contact) },
	}
}

/// The `aicf_getBalance` view of a runtime record.
pub fn balance_view<AccountId: Display, Balance: Display>(
	b: &BalanceInfo<AccountId, Balance>,
) -> BalanceView {
	BalanceView {
		provider_id: b.id,
		controller: b.controller.to_string(),
		free: b.free.to_string(),
		bonded: b.bonded.to_string(),
		unbonding_locked: b.unbonding_locked.to_string(),
		unbonding_unlocked: b.unbonding_unlocked.to_string(),
		withdrawable: b.withdrawable.to_string(),
		liabilities: b.liabilities.to_string(),
		pending_payouts: b
			.pending_payouts
			.iter()
			.map(|(epoch, amount)| PayoutView { epoch: *epoch, amount: amount.to_string() })
			.collect(),
	}
}

#[async_trait]
impl<Q, Hash, AccountId, Balance, BlockNumber> AicfApiServer<Hash>
	for AicfRpc<Q, Hash, AccountId, Balance, BlockNumber>
where
	Q: RegistryQuery<Hash, AccountId, Balance, BlockNumber> + 'static,
	Hash: Clone + Send + Sync + 'static + serde::de::DeserializeOwned,
	AccountId: Display + Send + Sync + 'static,
	Balance: Display + Send + Sync + 'static,
	BlockNumber: Copy + Into<u64> + Send + Sync + 'static,
{
	async fn list_providers(
		&self,
		params: Option<ListProvidersParams>,
		at: Option<Hash>,
	) -> RpcResult<ProviderList> {
		let params = params.unwrap_or_default();
		let (filter, limit) = parse_filter(&params)?;
		// A cursor is the id of a provider a previous page ended on; records are never
		// deleted, so one that names no provider is a mistake (a typo, another chain's), not a
		// position to page from.
		if let Some(cursor) = params.cursor {
			if self.query.get(at.clone(), cursor).map_err(runtime_error)?.is_none() {
				return Err(invalid_params(format!(
					"cursor {cursor} is not a provider on this chain: pass the next_cursor of \
					 the previous page"
				)));
			}
		}
		let page = self.query.list(at, filter, params.cursor, limit).map_err(runtime_error)?;
		Ok(ProviderList {
			providers: page.providers.iter().map(provider_view).collect(),
			next_cursor: page.next_cursor,
		})
	}

	async fn get_provider(
		&self,
		params: ProviderIdParams,
		at: Option<Hash>,
	) -> RpcResult<ProviderView> {
		let info = self.query.get(at, params.provider_id).map_err(runtime_error)?;
		let info = info.ok_or_else(|| unknown(&params.provider_id))?;
		Ok(provider_view(&info))
	}

	async fn get_balance(
		&self,
		params: ProviderIdParams,
		at: Option<Hash>,
	) -> RpcResult<BalanceView> {
		let info = self.query.balance(at, params.provider_id).map_err(runtime_error)?;
		Ok(balance_view(&info.ok_or_else(|| unknown(&params.provider_id))?))
	}
}

#[cfg(test)]
mod tests;
