//! Signing, submitting and following transactions: the controller account, the pool's
//! validity check before anything is sent, progress on stderr and the outcome with its events.

use super::{
	calls::Call,
	connection::{timed, Chain, ChainConfig, ClientAtBlock},
	explain,
	json::composite_json,
};
use crate::error::{CliError, Result};
use std::{io::Write, time::Duration};
use subxt::{
	config::DefaultExtrinsicParamsBuilder,
	error::TransactionEventsError,
	ext::scale_value::Composite,
	transactions::{TransactionStatus, ValidationResult},
	utils::{AccountId32, MultiSignature, H256},
};

/// A signed or bare transaction ready to be checked and submitted.
type Submittable = subxt::transactions::SubmittableTransaction<
	ChainConfig,
	subxt::client::OnlineClientAtBlockImpl<ChainConfig>,
>;

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

impl subxt::transactions::Signer<ChainConfig> for Controller {
	fn account_id(&self) -> AccountId32 {
		self.account()
	}

	fn sign(&self, payload: &[u8]) -> MultiSignature {
		use sp_core::Pair as _;
		MultiSignature::Sr25519(self.0.sign(payload).0)
	}
}

/// What a transaction command needs besides its arguments.
pub struct TxContext<'a> {
	/// The node.
	pub chain: &'a Chain,
	/// The controller account.
	pub signer: &'a Controller,
	/// How far to follow the transaction.
	pub wait: Wait,
	/// No progress on stderr.
	pub quiet: bool,
	/// Apply the transaction to the chain's state before sending it, and refuse one that
	/// fails there ([`Self::sign_and_submit`]).
	pub check: bool,
}

impl TxContext<'_> {
	/// Sign `call` with the controller, check it, submit it and follow it as far as `wait`,
	/// printing progress to stderr unless `quiet`.
	///
	/// The nonce is the transaction pool's next index for the controller
	/// (`system_accountNextIndex`), not the best block's: a second transaction sent before the
	/// first is in a block (cron and a person, or `--wait submitted` and another command)
	/// takes the next nonce instead of replacing the first.
	pub async fn sign_and_submit(&self, call: &Call) -> Result<Outcome> {
		let at = self.chain.at_best().await?;
		let nonce = self.next_index().await?;
		let params = DefaultExtrinsicParamsBuilder::<ChainConfig>::new().nonce(nonce).build();
		let mut txs = at.transactions();
		let tx = timed(
			&self.chain.url,
			"the nonce request",
			txs.create_signed(call, self.signer, params),
		)
		.await?;
		validate(&self.chain.url, &tx).await?;
		if self.check {
			if let Some(why) = self.would_fail(&at, &tx).await {
				return Err(CliError::WouldFail(why));
			}
		}
		follow(self.chain, at.metadata_ref(), tx, self.wait, self.quiet).await
	}

	/// The module error `tx` would fail with if it were included in the next block: the
	/// runtime applies it in that block's context on the best block's state and keeps nothing
	/// (`AicfDryRunApi_apply_in_next_block` through `state_call`, which public nodes serve),
	/// so a transaction the chain's state already dooms (nothing to withdraw, funds still
	/// bonded, not the controller, a key already registered, malformed evidence, …) is named
	/// before it is sent and charged.
	///
	/// `None` when the answer says nothing about the call itself: a runtime without the API,
	/// no answer, or the transaction invalid as such at that state (a nonce ahead of it while
	/// earlier transactions of the account wait in the pool — the pool check has the last
	/// word on validity).
	async fn would_fail(&self, at: &ClientAtBlock, tx: &Submittable) -> Option<String> {
		use codec::{Decode as _, Encode as _};
		let mut params = tx.encoded().to_vec();
		at.block_ref().hash().encode_to(&mut params);
		let answer = timed(
			&self.chain.url,
			"the dry run",
			at.runtime_apis().call_raw("AicfDryRunApi_apply_in_next_block", Some(&params)),
		)
		.await
		.ok()?;
		match sp_runtime::ApplyExtrinsicResult::decode(&mut answer.as_slice()).ok()? {
			Ok(Err(e)) => Some(describe_runtime_dispatch(at.metadata_ref(), &e)),
			_ => None,
		}
	}
}

/// One line for a runtime dispatch error: a module error as `Pallet.Error: documentation`
/// from the metadata, as [`explain::describe_dispatch`] does for an included transaction.
fn describe_runtime_dispatch(metadata: &subxt::Metadata, e: &sp_runtime::DispatchError) -> String {
	if let sp_runtime::DispatchError::Module(m) = e {
		let named = metadata.pallet_by_error_index(m.index).and_then(|pallet| {
			let variant = pallet.error_variant_by_index(*m.error.first()?)?;
			let docs = explain::one_line(&variant.docs.join(" "));
			Some(if docs.is_empty() {
				format!("{}.{}", pallet.name(), variant.name)
			} else {
				format!("{}.{}: {docs}", pallet.name(), variant.name)
			})
		});
		if let Some(named) = named {
			return named;
		}
	}
	explain::one_line(&format!("{e:?}"))
}

impl TxContext<'_> {
	/// The controller's next nonce as the node's transaction pool sees it
	/// (`system_accountNextIndex`: the account's nonce plus its transactions already waiting in
	/// the pool).
	pub async fn next_index(&self) -> Result<u64> {
		let next =
			self.chain.request("system_accountNextIndex", vec![self.signer.ss58().into()]).await?;
		next.as_u64()
			.ok_or_else(|| CliError::Other(format!("system_accountNextIndex: not a nonce: {next}")))
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
async fn validate(url: &str, tx: &Submittable) -> Result<()> {
	match timed(url, "the validity check", tx.validate()).await? {
		ValidationResult::Valid(_) => Ok(()),
		ValidationResult::Invalid(i) => Err(explain::invalid_transaction(&i)),
		ValidationResult::Unknown(u) => Err(explain::unknown_validity(&u)),
	}
}

/// Submit `call` as a bare (unsigned) extrinsic: checked, submitted and followed like
/// [`TxContext::sign_and_submit`]. `before_submit` runs after the check passed and before anything is
/// sent (the heartbeat records its state file there).
pub async fn submit_bare(
	chain: &Chain,
	at: &ClientAtBlock,
	call: &Call,
	wait: Wait,
	quiet: bool,
	before_submit: impl FnOnce() -> Result<()>,
) -> Result<Outcome> {
	let tx = at
		.transactions()
		.create_unsigned(call)
		.map_err(|e| CliError::Unsupported(explain::one_line(&e.to_string())))?;
	validate(&chain.url, &tx).await?;
	before_submit()?;
	follow(chain, at.metadata_ref(), tx, wait, quiet).await
}

async fn block_number(chain: &Chain, hash: H256) -> Option<u64> {
	let header = chain.request("chain_getHeader", vec![serde_json::json!(hash)]).await.ok()?;
	let n = header.get("number")?.as_str()?;
	u64::from_str_radix(n.trim_start_matches("0x"), 16).ok()
}

async fn follow(
	chain: &Chain,
	metadata: &subxt::Metadata,
	tx: Submittable,
	wait: Wait,
	quiet: bool,
) -> Result<Outcome> {
	let extrinsic = tx.hash();
	let mut watch = match tx.submit_and_watch().await {
		Ok(w) => w,
		Err(e) => return Err(explain::client_error(&chain.url, &e)),
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
			Some(Err(e)) => return Err(explain::client_error(&chain.url, &e)),
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
				return Err(CliError::Dispatch(explain::describe_dispatch(&d)))
			},
			Err(e) => return Err(explain::client_error(&chain.url, &e)),
		};
		let mut out = Vec::new();
		for ev in events.iter().flatten() {
			let mut fields = ev
				.decode_fields_unchecked_as::<Composite<()>>()
				.map(|c| composite_json(&c))
				.unwrap_or(serde_json::Value::Null);
			amounts_as_strings(metadata, ev.pallet_name(), ev.event_index(), &mut fields);
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

/// Amounts in an event's JSON are decimal strings whatever their size, as in the RPC views
/// (JSON numbers are exact only up to 2^53): the event's fields declared with a balance type
/// (`BalanceOf<T>`, `T::Balance`, …) are turned into strings.
pub(crate) fn amounts_as_strings(
	metadata: &subxt::Metadata,
	pallet: &str,
	event_index: u8,
	fields: &mut serde_json::Value,
) {
	let Some(variant) =
		metadata.pallet_by_name(pallet).and_then(|p| p.event_variant_by_index(event_index))
	else {
		return;
	};
	let Some(map) = fields.as_object_mut() else { return };
	for field in &variant.fields {
		let is_amount = field.type_name.as_deref().is_some_and(|t| t.contains("Balance"));
		if let (true, Some(name)) = (is_amount, field.name.as_deref()) {
			if let Some(v) = map.get_mut(name).filter(|v| v.is_number()) {
				*v = serde_json::Value::String(v.to_string());
			}
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn runtime_dispatch_errors_are_named_from_the_metadata() {
		let metadata = crate::chain::calls::runtime_metadata();
		let registry = metadata.pallet_by_name("AicfRegistry").unwrap();
		let nothing = registry
			.error_variants()
			.unwrap()
			.iter()
			.find(|v| v.name == "NothingToWithdraw")
			.unwrap()
			.index;
		let e = sp_runtime::DispatchError::Module(sp_runtime::ModuleError {
			index: registry.error_index(),
			error: [nothing, 0, 0, 0],
			message: None,
		});
		let line = describe_runtime_dispatch(&metadata, &e);
		assert!(line.starts_with("AicfRegistry.NothingToWithdraw: "), "{line}");
		assert_eq!(
			describe_runtime_dispatch(&metadata, &sp_runtime::DispatchError::BadOrigin),
			"BadOrigin"
		);
		// An index the metadata does not know: the raw error, still one line.
		let unknown = sp_runtime::DispatchError::Module(sp_runtime::ModuleError {
			index: 250,
			error: [0; 4],
			message: None,
		});
		assert!(describe_runtime_dispatch(&metadata, &unknown).contains("250"));
	}

	/// Amounts are strings even when small; block numbers and other figures stay numbers.
	#[test]
	fn event_amounts_are_decimal_strings_and_other_figures_numbers() {
		let metadata = crate::chain::calls::runtime_metadata();
		let registry = metadata.pallet_by_name("AicfRegistry").unwrap();
		let staked =
			registry.event_variants().unwrap().iter().find(|v| v.name == "Staked").unwrap().index;
		let mut fields = serde_json::json!({
			"provider": "provider:000000000000000000000001",
			"amount": 5,
			"bonded": "340282366920938463463374607431768211455",
			"lock_until": 1800,
		});
		amounts_as_strings(&metadata, "AicfRegistry", staked, &mut fields);
		assert_eq!(fields["amount"], "5");
		assert_eq!(fields["bonded"], "340282366920938463463374607431768211455");
		assert_eq!(fields["lock_until"], 1800);

		let balances = metadata.pallet_by_name("Balances").unwrap();
		let transfer =
			balances.event_variants().unwrap().iter().find(|v| v.name == "Transfer").unwrap().index;
		let mut fields = serde_json::json!({"from": "5…", "to": "5…", "amount": 1_000_000});
		amounts_as_strings(&metadata, "Balances", transfer, &mut fields);
		assert_eq!(fields["amount"], "1000000");
		// Unknown pallet or event: left as it is.
		let mut other = serde_json::json!({"amount": 7});
		amounts_as_strings(&metadata, "NoSuchPallet", 0, &mut other);
		assert_eq!(other["amount"], 7);
	}
}
