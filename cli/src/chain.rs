//! The node connection: metadata-checked dynamic calls, signing, submission with progress,
//! storage and constants, custom JSON-RPC, and one-line explanations of every failure.
//!
//! Calls are built **dynamically** from the metadata the node serves at run time
//! ([`call`]): each argument is SCALE-encoded from the typed values of `aicf-primitives` and
//! then decoded against the argument's type in that metadata. A runtime that gains calls or
//! pallets needs no new `aicf`; a runtime whose call changed shape is refused with a one-line
//! explanation instead of sending bytes it would misread.

use crate::error::{CliError, Result};
use std::{io::Write, time::Duration};
use subxt::{
	config::{DefaultExtrinsicParamsBuilder, SubstrateConfig},
	dynamic::Value,
	error::{DispatchError, TransactionEventsError},
	ext::scale_value::{Composite, Primitive, ValueDef},
	rpcs::{client::RpcParams, RpcClient},
	transactions::{TransactionInvalid, TransactionStatus, TransactionUnknown, ValidationResult},
	utils::{AccountId32, MultiSignature, H256},
	Metadata, OnlineClient, OnlineClientAtBlock,
};

/// The chain configuration (AccountId32, MultiSignature, BlakeTwo256, the default extensions).
pub type Conf = SubstrateConfig;
/// The client at one block.
pub type At = OnlineClientAtBlock<Conf>;
/// A transaction payload built by [`call`].
pub type Call = subxt::transactions::DynamicPayload<Composite<()>>;

/// How long to wait for the connection and for any single answer of the node.
const TIMEOUT: Duration = Duration::from_secs(60);

/// How far to follow a transaction before returning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Wait {
	/// Return once the pool accepted it (its outcome is not known).
	Submitted,
	/// Return once it is in a best block, with its events.
	InBlock,
	/// Return once its block is finalized.
	Finalized,
}

/// A connected node.
pub struct Chain {
	/// The URL connected to.
	pub url: String,
	/// Raw JSON-RPC (the node's `aicf_*` methods).
	pub rpc: RpcClient,
	/// The subxt client.
	pub api: OnlineClient<Conf>,
}

/// The account that signs management calls (sr25519 from a secret URI). Its secret is never
/// printed; `Debug` shows the public account only.
pub struct Controller(sp_core::sr25519::Pair);

impl std::fmt::Debug for Controller {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "Controller({})", self.ss58())
	}
}

impl Controller {
	/// From a secret URI (`//Alice`, a mnemonic, `0x` + seed, optionally `//hard/soft///password`).
	/// The error never repeats the secret.
	pub fn from_suri(suri: &str) -> Result<Self> {
		use sp_core::Pair as _;
		sp_core::sr25519::Pair::from_string(suri.trim(), None)
			.map(Self)
			.map_err(|e| CliError::Input(format!("the controller secret URI is not valid ({e:?})")))
	}

	/// The account id.
	pub fn account(&self) -> AccountId32 {
		use sp_core::Pair as _;
		AccountId32(self.0.public().0)
	}

	/// The account as SS58 (generic substrate prefix 42).
	pub fn ss58(&self) -> String {
		use sp_core::{crypto::Ss58Codec, Pair as _};
		self.0.public().to_ss58check()
	}
}

impl subxt::transactions::Signer<Conf> for Controller {
	fn account_id(&self) -> AccountId32 {
		self.account()
	}

	fn sign(&self, payload: &[u8]) -> MultiSignature {
		use sp_core::Pair as _;
		MultiSignature::Sr25519(self.0.sign(payload).0)
	}
}

/// Turn a JSON-RPC client error into the operator's one line: a transport failure is
/// "unreachable", an error answer is "rejected" with the node's code and message.
pub fn rpc_error(url: &str, e: &subxt::rpcs::Error) -> CliError {
	match e {
		subxt::rpcs::Error::User(u) => {
			let data = u.data.as_ref().map(|d| format!(" ({})", d.get())).unwrap_or_default();
			CliError::Rejected(format!("JSON-RPC error {}: {}{data}", u.code, u.message))
		},
		subxt::rpcs::Error::Client(inner) => CliError::Unreachable(format!("{url}: {inner}")),
		subxt::rpcs::Error::DisconnectedWillReconnect(m) => {
			CliError::Unreachable(format!("{url}: connection lost ({m})"))
		},
		subxt::rpcs::Error::InsecureUrl(u) => CliError::Input(format!("insecure URL {u}")),
		other => CliError::Other(format!("unexpected answer from {url}: {other}")),
	}
}

/// Explain any subxt error: find a JSON-RPC error in its source chain (transport or answer),
/// else one line of the error itself.
pub fn explain(url: &str, e: &(dyn std::error::Error + 'static)) -> CliError {
	let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
	while let Some(err) = cur {
		if let Some(rpc) = err.downcast_ref::<subxt::rpcs::Error>() {
			return rpc_error(url, rpc);
		}
		cur = err.source();
	}
	CliError::Other(one_line(&e.to_string()))
}

fn one_line(s: &str) -> String {
	s.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn timed<T, E: std::error::Error + 'static>(
	url: &str,
	what: &str,
	fut: impl std::future::Future<Output = std::result::Result<T, E>>,
) -> Result<T> {
	match tokio::time::timeout(TIMEOUT, fut).await {
		Ok(Ok(v)) => Ok(v),
		Ok(Err(e)) => Err(explain(url, &e)),
		Err(_) => Err(CliError::Unreachable(format!(
			"{url}: no answer to {what} within {} s",
			TIMEOUT.as_secs()
		))),
	}
}

impl Chain {
	/// Connect to `url` (`ws://` or `wss://`).
	pub async fn connect(url: &str) -> Result<Self> {
		if !(url.starts_with("ws://") || url.starts_with("wss://")) {
			return Err(CliError::Input(format!(
				"--url {url:?}: expected a ws:// or wss:// URL, e.g. ws://127.0.0.1:9944"
			)));
		}
		let rpc = timed(url, "the connection", RpcClient::from_insecure_url(url)).await?;
		let backend = subxt::backend::LegacyBackend::<Conf>::builder().build(rpc.clone());
		let api = timed(
			url,
			"the genesis hash request",
			OnlineClient::from_backend_with_config(
				SubstrateConfig::default(),
				std::sync::Arc::new(backend),
			),
		)
		.await?;
		Ok(Self { url: url.to_string(), rpc, api })
	}

	/// Call a JSON-RPC method with positional `params`.
	pub async fn request(
		&self,
		method: &str,
		params: Vec<serde_json::Value>,
	) -> Result<serde_json::Value> {
		let mut p = RpcParams::new();
		for param in params {
			p.push(param).map_err(|e| CliError::Other(e.to_string()))?;
		}
		match tokio::time::timeout(TIMEOUT, self.rpc.request(method, p)).await {
			Ok(Ok(v)) => Ok(v),
			Ok(Err(e)) => Err(rpc_error(&self.url, &e)),
			Err(_) => Err(CliError::Unreachable(format!(
				"{}: no answer to {method} within {} s",
				self.url,
				TIMEOUT.as_secs()
			))),
		}
	}

	/// The client at the best block (the state the transaction pool validates against).
	pub async fn at_best(&self) -> Result<At> {
		let hash = self.request("chain_getBlockHash", vec![]).await?;
		let hash: H256 = serde_json::from_value(hash)
			.map_err(|e| CliError::Other(format!("chain_getBlockHash: {e}")))?;
		timed(&self.url, "the best block", self.api.at_block(hash)).await
	}

	/// The chain's genesis hash.
	pub fn genesis(&self) -> [u8; 32] {
		self.api.genesis_hash().0
	}
}

/// One call argument: SCALE bytes of a typed value (checked against the metadata) or a value
/// matched by name (enum variants whose index may change).
pub enum Arg {
	/// SCALE encoding of the argument.
	Scale(Vec<u8>),
	/// A dynamic value.
	Value(Value),
}

impl Arg {
	/// The SCALE encoding of `v`.
	pub fn scale(v: &impl codec::Encode) -> Self {
		Self::Scale(v.encode())
	}
}

/// Whether the runtime has `pallet.call`.
pub fn has_call(metadata: &Metadata, pallet: &str, call: &str) -> bool {
	metadata.pallet_by_name(pallet).and_then(|p| p.call_variant_by_name(call)).is_some()
}

/// Build `pallet.call(args)` against the node's metadata. Every argument of the call must be
/// given by name, and every given argument must exist and have the shape of its type.
pub fn call(
	metadata: &Metadata,
	pallet: &str,
	call_name: &str,
	args: Vec<(&str, Arg)>,
) -> Result<Call> {
	let p = metadata
		.pallet_by_name(pallet)
		.ok_or_else(|| CliError::Unsupported(format!("the runtime has no pallet {pallet}")))?;
	let variant = p.call_variant_by_name(call_name).ok_or_else(|| {
		CliError::Unsupported(format!("the runtime's {pallet} pallet has no call {call_name}"))
	})?;
	let mut args = args;
	let mut fields = Vec::new();
	for field in &variant.fields {
		let name = field.name.as_deref().unwrap_or_default();
		let pos = args.iter().position(|(n, _)| *n == name).ok_or_else(|| {
			CliError::Unsupported(format!(
				"{pallet}.{call_name} takes an argument `{name}` this aicf does not know; use a \
				 newer aicf"
			))
		})?;
		let (_, arg) = args.swap_remove(pos);
		let value = match arg {
			Arg::Value(v) => v,
			Arg::Scale(bytes) => {
				let mut cursor = &bytes[..];
				let decoded = subxt::ext::scale_value::scale::decode_as_type(
					&mut cursor,
					field.ty.id,
					metadata.types(),
				);
				match decoded {
					Ok(v) if cursor.is_empty() => v.remove_context(),
					_ => {
						return Err(CliError::Unsupported(format!(
							"argument `{name}` of {pallet}.{call_name} has another type in the \
							 node's runtime than this aicf builds"
						)))
					},
				}
			},
		};
		fields.push((name.to_string(), value));
	}
	if let Some((extra, _)) = args.first() {
		return Err(CliError::Unsupported(format!(
			"{pallet}.{call_name} in the node's runtime takes no argument `{extra}`"
		)));
	}
	Ok(subxt::dynamic::tx(pallet, call_name, Composite::named(fields)))
}

/// Name of a registry `InvalidTransaction::Custom` code (the heartbeat rejections).
fn custom_invalid(code: u8) -> &'static str {
	match code {
		1 => "unknown provider",
		2 => "the provider has deregistered",
		3 => "heartbeat too early (less than MinHeartbeatInterval blocks since the last one)",
		4 => "stale heartbeat counter",
		5 => "heartbeat timestamp too far from chain time (check the clock)",
		6 => "the heartbeat's attestation hash is not the provider's current one",
		7 => "malformed heartbeat report (availability above 100 % or load above capacity)",
		8 => "bad signature",
		_ => "custom rejection",
	}
}

/// One line for a pool rejection.
pub fn describe_invalid(i: &TransactionInvalid) -> String {
	match i {
		TransactionInvalid::Call => "the call is not allowed in this form".into(),
		TransactionInvalid::Payment => {
			"the signing account cannot pay the transaction fee (balance too low)".into()
		},
		TransactionInvalid::Future => "nonce too high (transaction from the future)".into(),
		TransactionInvalid::Stale => "stale: nonce or counter already used (a replay)".into(),
		TransactionInvalid::BadProof => "bad signature (or signed for another chain)".into(),
		TransactionInvalid::AncientBirthBlock => "its birth block is too old".into(),
		TransactionInvalid::ExhaustsResources => "it does not fit in a block now".into(),
		TransactionInvalid::Custom(c) => format!("{} (code {c})", custom_invalid(*c)),
		other => format!("{other:?}"),
	}
}

fn describe_unknown(u: &TransactionUnknown) -> String {
	format!("validity unknown: {u:?}")
}

/// One line for a dispatch error, with the error's documentation from the metadata.
pub fn describe_dispatch(e: &DispatchError) -> String {
	match e {
		DispatchError::Module(m) => match m.details() {
			Ok(d) => {
				let docs = d.variant.docs.join(" ");
				let docs = one_line(&docs);
				if docs.is_empty() {
					format!("{}.{}", d.pallet.name(), d.variant.name)
				} else {
					format!("{}.{}: {docs}", d.pallet.name(), d.variant.name)
				}
			},
			Err(_) => m.to_string(),
		},
		other => one_line(&other.to_string()),
	}
}

/// What happened to a transaction.
#[derive(Debug, Clone)]
pub struct Outcome {
	/// Extrinsic hash.
	pub extrinsic: H256,
	/// Block it is in (absent with `--wait submitted`).
	pub block: Option<H256>,
	/// Number of that block.
	pub block_number: Option<u64>,
	/// Its events as JSON (`pallet`, `event`, `fields`).
	pub events: Vec<serde_json::Value>,
}

impl Outcome {
	/// The outcome as JSON.
	pub fn to_json(&self) -> serde_json::Value {
		serde_json::json!({
			"extrinsic": format!("{:?}", self.extrinsic),
			"block": self.block.map(|b| format!("{b:?}")),
			"block_number": self.block_number,
			"events": self.events,
		})
	}
}

fn progress(quiet: bool, line: &str) {
	if !quiet {
		let mut err = std::io::stderr().lock();
		let _ = writeln!(err, "{line}");
	}
}

/// Dry-run `tx` against the best block and explain a refusal.
async fn validate(
	url: &str,
	tx: &subxt::transactions::SubmittableTransaction<
		Conf,
		subxt::client::OnlineClientAtBlockImpl<Conf>,
	>,
) -> Result<()> {
	match timed(url, "the validity check", tx.validate()).await? {
		ValidationResult::Valid(_) => Ok(()),
		ValidationResult::Invalid(TransactionInvalid::Custom(3)) => {
			Err(CliError::TooEarly(custom_invalid(3).into()))
		},
		ValidationResult::Invalid(i) => Err(CliError::Rejected(describe_invalid(&i))),
		ValidationResult::Unknown(u) => Err(CliError::Rejected(describe_unknown(&u))),
	}
}

/// Sign `call` with `signer`, check it, submit it and follow it as far as `wait`, printing
/// progress to stderr unless `quiet`.
pub async fn sign_and_submit(
	chain: &Chain,
	call: &Call,
	signer: &Controller,
	wait: Wait,
	quiet: bool,
) -> Result<Outcome> {
	let at = chain.at_best().await?;
	let params = DefaultExtrinsicParamsBuilder::<Conf>::new().build();
	let mut txs = at.transactions();
	let tx =
		timed(&chain.url, "the nonce request", txs.create_signed(call, signer, params)).await?;
	validate(&chain.url, &tx).await?;
	follow(chain, tx, wait, quiet).await
}

/// Submit `call` as a bare (unsigned) extrinsic: checked, submitted and followed like
/// [`sign_and_submit`]. `before_submit` runs after the check passed and before anything is
/// sent (the heartbeat records its state file there).
pub async fn submit_bare(
	chain: &Chain,
	at: &At,
	call: &Call,
	wait: Wait,
	quiet: bool,
	before_submit: impl FnOnce() -> Result<()>,
) -> Result<Outcome> {
	let tx = at
		.transactions()
		.create_unsigned(call)
		.map_err(|e| CliError::Unsupported(one_line(&e.to_string())))?;
	validate(&chain.url, &tx).await?;
	before_submit()?;
	follow(chain, tx, wait, quiet).await
}

async fn block_number(chain: &Chain, hash: H256) -> Option<u64> {
	let header = chain.request("chain_getHeader", vec![serde_json::json!(hash)]).await.ok()?;
	let n = header.get("number")?.as_str()?;
	u64::from_str_radix(n.trim_start_matches("0x"), 16).ok()
}

async fn follow(
	chain: &Chain,
	tx: subxt::transactions::SubmittableTransaction<
		Conf,
		subxt::client::OnlineClientAtBlockImpl<Conf>,
	>,
	wait: Wait,
	quiet: bool,
) -> Result<Outcome> {
	let extrinsic = tx.hash();
	let mut watch = match tx.submit_and_watch().await {
		Ok(w) => w,
		Err(e) => return Err(explain(&chain.url, &e)),
	};
	progress(quiet, &format!("submitted {extrinsic:?}"));
	if wait == Wait::Submitted {
		return Ok(Outcome { extrinsic, block: None, block_number: None, events: vec![] });
	}
	// Blocks come every few seconds; finality a few blocks later. Ten minutes covers a slow
	// chain; beyond that the outcome is unknown and said so.
	let deadline = tokio::time::Instant::now()
		.checked_add(Duration::from_secs(600))
		.ok_or_else(|| CliError::Other("clock overflow".into()))?;
	loop {
		let next = tokio::time::timeout_at(deadline, watch.next()).await.map_err(|_| {
			CliError::Other(format!(
				"{extrinsic:?}: not {} within 10 minutes; its outcome is unknown",
				if wait == Wait::Finalized { "finalized" } else { "in a block" }
			))
		})?;
		let status = match next {
			None => {
				return Err(CliError::Other(format!(
					"{extrinsic:?}: the node stopped reporting its progress; its outcome is unknown"
				)))
			},
			Some(Err(e)) => return Err(explain(&chain.url, &e)),
			Some(Ok(s)) => s,
		};
		let in_block = match status {
			TransactionStatus::Validated | TransactionStatus::Broadcasted => continue,
			TransactionStatus::NoLongerInBestBlock => {
				progress(quiet, "retracted from the best chain; waiting");
				continue;
			},
			TransactionStatus::Invalid { message } => return Err(CliError::Rejected(message)),
			TransactionStatus::Dropped { message } => {
				return Err(CliError::Rejected(format!("dropped from the pool: {message}")))
			},
			TransactionStatus::Error { message } => return Err(CliError::Other(message)),
			TransactionStatus::InBestBlock(b) => {
				let n = block_number(chain, b.block_hash()).await;
				progress(
					quiet,
					&format!(
						"in block {:?}{}",
						b.block_hash(),
						n.map(|n| format!(" (#{n})")).unwrap_or_default()
					),
				);
				if wait == Wait::Finalized {
					continue;
				}
				(b, n)
			},
			TransactionStatus::InFinalizedBlock(b) => {
				let n = block_number(chain, b.block_hash()).await;
				progress(
					quiet,
					&format!(
						"finalized in block {:?}{}",
						b.block_hash(),
						n.map(|n| format!(" (#{n})")).unwrap_or_default()
					),
				);
				(b, n)
			},
		};
		let (b, n) = in_block;
		let events = match b.wait_for_success().await {
			Ok(events) => events,
			Err(TransactionEventsError::ExtrinsicFailed(d)) => {
				return Err(CliError::Dispatch(describe_dispatch(&d)))
			},
			Err(e) => return Err(explain(&chain.url, &e)),
		};
		let mut out = Vec::new();
		for ev in events.iter().flatten() {
			let fields = ev
				.decode_fields_unchecked_as::<Composite<()>>()
				.map(|c| composite_json(&c))
				.unwrap_or(serde_json::Value::Null);
			out.push(serde_json::json!({
				"pallet": ev.pallet_name(),
				"event": ev.event_name(),
				"fields": fields,
			}));
		}
		return Ok(Outcome {
			extrinsic,
			block: Some(b.block_hash()),
			block_number: n,
			events: out,
		});
	}
}

/// Read `pallet.entry(keys)` at `at` as a dynamic value; `None` if absent.
pub async fn storage(
	chain: &Chain,
	at: &At,
	pallet: &str,
	entry: &str,
	keys: Vec<Value>,
) -> Result<Option<Value>> {
	let metadata = at.metadata_ref();
	if metadata.pallet_by_name(pallet).and_then(|p| p.storage()?.entry_by_name(entry)).is_none() {
		return Err(CliError::Unsupported(format!("the runtime has no storage {pallet}.{entry}")));
	}
	let addr = subxt::dynamic::storage::<Vec<Value>, Value>(pallet, entry);
	let storage = at.storage();
	let value = timed(&chain.url, "the storage query", storage.try_fetch(addr, keys)).await?;
	match value {
		None => Ok(None),
		Some(v) => v.decode().map(Some).map_err(|e| {
			CliError::Other(format!("{pallet}.{entry}: {}", one_line(&e.to_string())))
		}),
	}
}

/// A numeric constant `pallet.name`, if the runtime has it.
pub fn constant_u128(metadata: &Metadata, pallet: &str, name: &str) -> Option<u128> {
	let c = metadata.pallet_by_name(pallet)?.constant_by_name(name)?;
	let mut bytes = c.value();
	subxt::ext::scale_value::scale::decode_as_type(&mut bytes, c.ty(), metadata.types())
		.ok()?
		.as_u128()
}

/// A value as JSON: byte sequences as `0x` hex, `Option` as the value or `null`, field-less
/// enum variants as their name, one-field tuples unwrapped. Account ids and provider ids are
/// shown in their text forms.
pub fn value_json(v: &Value) -> serde_json::Value {
	use serde_json::json;
	match &v.value {
		ValueDef::Primitive(p) => match p {
			Primitive::Bool(b) => json!(b),
			Primitive::Char(c) => json!(c.to_string()),
			Primitive::String(s) => json!(s),
			Primitive::U128(n) => {
				if *n <= (1u128 << 53) {
					json!(*n as u64)
				} else {
					json!(n.to_string())
				}
			},
			Primitive::I128(n) => json!(n.to_string()),
			other => json!(format!("{other:?}")),
		},
		ValueDef::Composite(c) => composite_json(c),
		ValueDef::Variant(var) => match (var.name.as_str(), var.values.len()) {
			("None", 0) => serde_json::Value::Null,
			("Some", 1) => var.values.values().next().map(value_json).unwrap_or_default(),
			(name, 0) => json!(name),
			(name, _) => json!({ name: composite_json(&var.values) }),
		},
		ValueDef::BitSequence(b) => json!(format!("{b:?}")),
	}
}

fn as_bytes(c: &Composite<()>) -> Option<Vec<u8>> {
	match c {
		Composite::Unnamed(vals) if !vals.is_empty() => vals
			.iter()
			.map(|v| match &v.value {
				ValueDef::Primitive(Primitive::U128(n)) => u8::try_from(*n).ok(),
				_ => None,
			})
			.collect(),
		_ => None,
	}
}

fn composite_json(c: &Composite<()>) -> serde_json::Value {
	if let Some(bytes) = as_bytes(c) {
		return serde_json::json!(format!("0x{}", hex::encode(bytes)));
	}
	match c {
		Composite::Named(fields) => {
			let mut map = serde_json::Map::new();
			for (name, v) in fields {
				map.insert(name.clone(), named_field_json(name, v));
			}
			serde_json::Value::Object(map)
		},
		Composite::Unnamed(vals) if vals.len() == 1 => {
			vals.first().map(value_json).unwrap_or_default()
		},
		Composite::Unnamed(vals) => serde_json::Value::Array(vals.iter().map(value_json).collect()),
	}
}

fn named_field_json(name: &str, v: &Value) -> serde_json::Value {
	let json = value_json(v);
	let hex = json.as_str().and_then(|s| s.strip_prefix("0x")).map(str::to_string);
	match (name, hex) {
		("provider", Some(h)) if h.len() == 24 => serde_json::json!(format!("provider:{h}")),
		("controller" | "who" | "account", Some(h)) if h.len() == 64 => {
			use sp_core::crypto::Ss58Codec;
			let mut raw = [0u8; 32];
			if hex::decode_to_slice(&h, &mut raw).is_ok() {
				serde_json::json!(sp_core::crypto::AccountId32::from(raw).to_ss58check())
			} else {
				json
			}
		},
		_ => json,
	}
}

/// The field `path` (names separated by `.`) of a dynamic value.
pub fn field<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
	use subxt::ext::scale_value::At as _;
	let mut cur = v;
	for name in path.split('.') {
		cur = cur.at(name)?;
	}
	Some(cur)
}

/// The bytes of a byte-sequence value (a `Vec<u8>`, a `BoundedVec<u8>`, an array, or a
/// one-field wrapper of one).
pub fn bytes_of(v: &Value) -> Option<Vec<u8>> {
	match &v.value {
		ValueDef::Composite(c) => as_bytes(c).or_else(|| match c {
			Composite::Unnamed(vals) if vals.len() == 1 => vals.first().and_then(bytes_of),
			Composite::Named(vals) if vals.len() == 1 => {
				vals.first().and_then(|(_, v)| bytes_of(v))
			},
			_ => None,
		}),
		_ => None,
	}
}

/// The payload of `Some(x)`, or `None` for `None`.
pub fn option_of(v: &Value) -> Option<&Value> {
	match &v.value {
		ValueDef::Variant(var) if var.name == "Some" => var.values.values().next(),
		_ => None,
	}
}

/// The JSON value at `pointer` (RFC 6901, e.g. `/health/score`), `null` if absent.
pub fn j<'a>(v: &'a serde_json::Value, pointer: &str) -> &'a serde_json::Value {
	static NULL: serde_json::Value = serde_json::Value::Null;
	v.pointer(pointer).unwrap_or(&NULL)
}

/// Set `key` of a JSON object (nothing happens to a non-object).
pub fn set(v: &mut serde_json::Value, key: &str, x: serde_json::Value) {
	if let Some(map) = v.as_object_mut() {
		map.insert(key.to_string(), x);
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use aicf_primitives::{
		keys::RegistryKeypair, payload::HeartbeatReport, types::AiCapability, Capabilities,
		ProviderId,
	};
	use aicf_runtime::{Runtime, RuntimeCall};
	use codec::Encode;
	use pallet_aicf_registry::Call as RegistryCall;
	use subxt::ext::{
		scale_encode::{EncodeAsFields, Field},
		scale_value::At as _,
	};

	fn metadata() -> Metadata {
		let bytes = Runtime::metadata_at_version(15).expect("the runtime serves metadata V15");
		Metadata::decode_from(&bytes).unwrap()
	}

	/// Pallet index, call index and arguments, as the runtime decodes them.
	fn call_bytes(metadata: &Metadata, call: &Call) -> Vec<u8> {
		let pallet = metadata.pallet_by_name(call.pallet_name()).unwrap();
		let variant = pallet.call_variant_by_name(call.call_name()).unwrap();
		let mut out = vec![pallet.call_index(), variant.index];
		let mut fields = variant.fields.iter().map(|f| Field::new(f.ty.id, f.name.as_deref()));
		call.call_data().encode_as_fields_to(&mut fields, metadata.types(), &mut out).unwrap();
		out
	}

	fn bounded<T: TryFrom<Vec<u8>>>(s: &str) -> T {
		s.as_bytes().to_vec().try_into().ok().unwrap()
	}

	#[test]
	fn dynamic_registry_calls_encode_exactly_like_the_runtime_call() {
		let m = metadata();
		let key = RegistryKeypair::from_ml_dsa_seed(&[4; 32]);
		let pk = key.public();
		let id = pk.provider_id();
		let sig = key.sign(b"anything").unwrap();
		let caps = Capabilities {
			ai: Some(AiCapability {
				models: vec![bounded("llama3-8b")].try_into().unwrap(),
				throughput_milli_tps: 2_500,
			}),
			quantum: None,
		};

		let register = call(
			&m,
			"AicfRegistry",
			"register",
			vec![
				(
					"contact",
					Arg::scale(&bounded::<aicf_primitives::types::Contact>("ops@x.example")),
				),
				("key", Arg::scale(&pk)),
				("pop_signature", Arg::scale(&sig)),
				("capabilities", Arg::scale(&caps)),
				("region", Arg::scale(&bounded::<aicf_primitives::types::Region>("us-west-2"))),
				(
					"endpoint",
					Arg::scale(&bounded::<aicf_primitives::types::Endpoint>("https://x.example")),
				),
			],
		)
		.unwrap();
		let expected = RuntimeCall::AicfRegistry(RegistryCall::register {
			key: pk.clone(),
			pop_signature: sig.clone(),
			capabilities: caps,
			region: bounded("us-west-2"),
			endpoint: bounded("https://x.example"),
			contact: bounded("ops@x.example"),
		});
		assert_eq!(call_bytes(&m, &register), expected.encode(), "arguments are matched by name");

		let stake = call(
			&m,
			"AicfRegistry",
			"stake",
			vec![("provider", Arg::scale(&id)), ("amount", Arg::Value(Value::u128(7 << 40)))],
		)
		.unwrap();
		let expected =
			RuntimeCall::AicfRegistry(RegistryCall::stake { provider: id, amount: 7 << 40 });
		assert_eq!(call_bytes(&m, &stake), expected.encode());

		let report = HeartbeatReport {
			rtt_ms_p50: 40,
			availability_bps: 9_992,
			leases_active: 2,
			leases_capacity: 8,
		};
		let hb = crate::heartbeat::HeartbeatArg {
			provider: id,
			counter: 9,
			timestamp: 1_750_000_000,
			attest_hash: [3; 32],
			report,
		};
		let heartbeat = call(
			&m,
			"AicfRegistry",
			"heartbeat",
			vec![("heartbeat", Arg::scale(&hb)), ("signature", Arg::scale(&sig))],
		)
		.unwrap();
		let expected = RuntimeCall::AicfRegistry(RegistryCall::heartbeat {
			heartbeat: pallet_aicf_registry::Heartbeat {
				provider: id,
				counter: 9,
				timestamp: 1_750_000_000,
				attest_hash: [3; 32],
				report,
			},
			signature: sig,
		});
		assert_eq!(call_bytes(&m, &heartbeat), expected.encode());
	}

	#[test]
	fn dynamic_attestation_calls_encode_exactly_like_the_runtime_call() {
		let m = metadata();
		let id = ProviderId([5; 12]);
		let evidence = vec![0x30, 0x82, 1, 2, 3];
		let submit = call(
			&m,
			"AicfAttestation",
			"submit_attestation",
			vec![
				("provider", Arg::scale(&id)),
				("kind", Arg::Value(Value::unnamed_variant("Quantum", []))),
				("evidence", Arg::Value(Value::from_bytes(&evidence))),
			],
		)
		.unwrap();
		let expected =
			RuntimeCall::AicfAttestation(pallet_aicf_attestation::Call::submit_attestation {
				provider: id,
				kind: aicf_primitives::traits::EvidenceKind::Quantum,
				evidence: evidence.clone().try_into().unwrap(),
			});
		assert_eq!(call_bytes(&m, &submit), expected.encode());
		let pallet = m.pallet_by_name("AicfAttestation").unwrap();
		assert_eq!(pallet.call_index(), 11);
		// Unknown variant names are refused when encoding, not sent.
		let bad = call(
			&m,
			"AicfAttestation",
			"submit_attestation",
			vec![
				("provider", Arg::scale(&id)),
				("kind", Arg::Value(Value::unnamed_variant("Nonsense", []))),
				("evidence", Arg::Value(Value::from_bytes(&evidence))),
			],
		)
		.unwrap();
		let variant = pallet.call_variant_by_name("submit_attestation").unwrap();
		let mut fields = variant.fields.iter().map(|f| Field::new(f.ty.id, f.name.as_deref()));
		assert!(bad.call_data().encode_as_fields_to(&mut fields, m.types(), &mut vec![]).is_err());
	}

	#[test]
	fn calls_the_runtime_does_not_have_or_with_other_arguments_are_refused() {
		let m = metadata();
		let id = Arg::scale(&ProviderId([1; 12]));
		let unsupported = |r: Result<Call>| match r {
			Err(CliError::Unsupported(msg)) => msg,
			Err(other) => panic!("expected Unsupported, got {other:?}"),
			Ok(_) => panic!("expected Unsupported, got a call"),
		};
		assert!(
			unsupported(call(&m, "NoSuchPallet", "x", vec![])).contains("no pallet NoSuchPallet")
		);
		assert!(unsupported(call(&m, "AicfRegistry", "fly", vec![])).contains("has no call fly"));
		let missing = unsupported(call(&m, "AicfRegistry", "stake", vec![("provider", id)]));
		assert!(missing.contains("`amount`"), "{missing}");
		let extra = unsupported(call(
			&m,
			"AicfRegistry",
			"rebond",
			vec![("provider", Arg::scale(&ProviderId([1; 12]))), ("amount", Arg::scale(&1u128))],
		));
		assert!(extra.contains("takes no argument `amount`"), "{extra}");
		// Bytes that do not fit the argument's type (a 4-byte id), and trailing bytes.
		let short = unsupported(call(
			&m,
			"AicfRegistry",
			"rebond",
			vec![("provider", Arg::scale(&[1u8; 4]))],
		));
		assert!(short.contains("another type"), "{short}");
		let long = unsupported(call(
			&m,
			"AicfRegistry",
			"rebond",
			vec![("provider", Arg::scale(&[1u8; 13]))],
		));
		assert!(long.contains("another type"), "{long}");
		assert!(has_call(&m, "AicfRegistry", "heartbeat"));
		assert!(!has_call(&m, "AicfRegistry", "fly"));
	}

	#[test]
	fn registry_constants_are_read_from_the_metadata() {
		let m = metadata();
		assert_eq!(constant_u128(&m, "AicfRegistry", "MinHeartbeatInterval"), Some(10));
		assert_eq!(constant_u128(&m, "AicfRegistry", "MinStakeAi"), Some(100_000_000_000_000));
		assert_eq!(constant_u128(&m, "AicfRegistry", "NoSuchConstant"), None);
	}

	#[test]
	fn events_and_values_render_as_readable_json() {
		let v = Value::named_composite([
			("provider", Value::unnamed_composite([Value::from_bytes([0xab; 12])])),
			("controller", Value::from_bytes([0xd4, 0x35, 0x93, 0xc7].repeat(8))),
			("amount", Value::u128(1 << 60)),
			("small", Value::u128(5)),
			("status", Value::unnamed_variant("Active", [])),
			("maybe", Value::unnamed_variant("None", [])),
			("some", Value::unnamed_variant("Some", [Value::bool(true)])),
		]);
		let j = value_json(&v);
		assert_eq!(j["provider"], "provider:abababababababababababab");
		assert!(j["controller"].as_str().unwrap().starts_with('5'), "SS58: {j}");
		assert_eq!(j["amount"], (1u128 << 60).to_string());
		assert_eq!(j["small"], 5);
		assert_eq!(j["status"], "Active");
		assert_eq!(j["maybe"], serde_json::Value::Null);
		assert_eq!(j["some"], true);
		assert_eq!(bytes_of(&v.at("provider").unwrap().clone()), Some(vec![0xab; 12]));
		assert!(option_of(&Value::unnamed_variant("None", [])).is_none());
	}

	#[test]
	fn pool_refusals_and_dispatch_errors_are_explained_in_one_line() {
		assert!(describe_invalid(&TransactionInvalid::Custom(3)).contains("too early"));
		assert!(describe_invalid(&TransactionInvalid::Custom(5)).contains("check the clock"));
		assert!(describe_invalid(&TransactionInvalid::Payment).contains("fee"));
		assert!(describe_invalid(&TransactionInvalid::BadProof).contains("signature"));
		assert_eq!(describe_dispatch(&DispatchError::BadOrigin), "Bad origin.");
		let e = rpc_error(
			"ws://x",
			&subxt::rpcs::Error::User(subxt::rpcs::UserError {
				code: 1010,
				message: "Invalid Transaction".into(),
				data: None,
			}),
		);
		assert_eq!(e, CliError::Rejected("JSON-RPC error 1010: Invalid Transaction".into()));
		let e = rpc_error("ws://x", &subxt::rpcs::Error::DisconnectedWillReconnect("gone".into()));
		assert!(matches!(e, CliError::Unreachable(m) if m.contains("ws://x")));
	}
}
