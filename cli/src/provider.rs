//! Provider management transactions, signed by the controller account: register, stake,
//! unstake, rebond, withdraw, unjail, deregister, pay-liability, rotate-key and update.

use crate::{
	chain::{
		calls::{self, Arg},
		connection::{Chain, ClientAtBlock},
		json, state,
		submission::TxContext,
	},
	error::{CliError, Result},
	offline,
};
use aicf_primitives::{
	payload::{RotationPayload, UpdatePayload},
	types::{
		validate_contact, validate_endpoint, validate_region, AiCapability, Contact, Endpoint,
		Name, QuantumCapability, Region,
	},
	Capabilities, ProviderId,
};
use std::path::Path;
use subxt::dynamic::Value;

/// The registry pallet's name in the runtime.
pub const REGISTRY: &str = "AicfRegistry";

/// Capability flags of `register` and `update`.
#[derive(Debug, Default, Clone, clap::Args)]
pub struct CapabilityArgs {
	/// AI model families served, comma-separated (e.g. llama3-8b,mixtral-8x7b).
	#[arg(long, value_delimiter = ',')]
	pub ai_models: Option<Vec<String>>,
	/// AI throughput hint in tokens per second (e.g. 2.5); required with --ai-models.
	#[arg(long, allow_negative_numbers = true)]
	pub throughput_tps: Option<f64>,
	/// Quantum trap-circuit families, comma-separated (e.g. clifford,t-depth).
	#[arg(long, value_delimiter = ',')]
	pub quantum_traps: Option<Vec<String>>,
	/// Largest circuit depth; required with --quantum-traps.
	#[arg(long)]
	pub max_depth: Option<u32>,
	/// Largest circuit width in qubits; required with --quantum-traps.
	#[arg(long)]
	pub max_width: Option<u32>,
	/// Shots per second; required with --quantum-traps.
	#[arg(long)]
	pub shots_per_sec: Option<u32>,
}

/// The registry's rule for a family name, checked through the registry's own validation.
fn valid_name(name: &str) -> bool {
	let Ok(model) = Name::try_from(name.as_bytes().to_vec()) else { return false };
	let Ok(models) = vec![model].try_into() else { return false };
	Capabilities { ai: Some(AiCapability { models, throughput_milli_tps: 1 }), quantum: None }
		.validate()
		.is_ok()
}

fn names(list: &[String], what: &str) -> Result<Vec<Name>> {
	list.iter()
		.map(|n| {
			n.as_bytes()
				.to_vec()
				.try_into()
				.map_err(|_| CliError::Input(format!("{what} {n:?}: longer than 32 bytes")))
		})
		.collect()
}

impl CapabilityArgs {
	/// Whether any capability flag is given.
	pub fn any(&self) -> bool {
		self.ai_models.is_some() || self.quantum_traps.is_some()
	}

	/// The declared capabilities, checked by the registry's own rules.
	pub fn build(&self) -> Result<Capabilities> {
		let need =
			|flag: &str, with: &str| CliError::Input(format!("{flag} is required with {with}"));
		let ai = match &self.ai_models {
			None => {
				if self.throughput_tps.is_some() {
					return Err(CliError::Input("--throughput-tps needs --ai-models".into()));
				}
				None
			},
			Some(models) => {
				let tps =
					self.throughput_tps.ok_or_else(|| need("--throughput-tps", "--ai-models"))?;
				if !(tps.is_finite() && tps > 0.0 && tps * 1000.0 <= f64::from(u32::MAX)) {
					return Err(CliError::Input(format!(
						"--throughput-tps {tps}: expected a positive number of tokens per second"
					)));
				}
				Some(AiCapability {
					models: names(models, "model family")?
						.try_into()
						.map_err(|_| CliError::Input("at most 16 model families".into()))?,
					// Positive and at most u32::MAX after the check above.
					throughput_milli_tps: (tps * 1000.0).round() as u32,
				})
			},
		};
		let quantum = match &self.quantum_traps {
			None => {
				if self.max_depth.is_some()
					|| self.max_width.is_some()
					|| self.shots_per_sec.is_some()
				{
					return Err(CliError::Input(
						"--max-depth, --max-width and --shots-per-sec need --quantum-traps".into(),
					));
				}
				None
			},
			Some(traps) => Some(QuantumCapability {
				trap_families: names(traps, "trap family")?
					.try_into()
					.map_err(|_| CliError::Input("at most 8 trap families".into()))?,
				max_depth: self.max_depth.ok_or_else(|| need("--max-depth", "--quantum-traps"))?,
				max_width: self.max_width.ok_or_else(|| need("--max-width", "--quantum-traps"))?,
				shots_per_sec: self
					.shots_per_sec
					.ok_or_else(|| need("--shots-per-sec", "--quantum-traps"))?,
			}),
		};
		let caps = Capabilities { ai, quantum };
		caps.validate().map_err(|e| CliError::Input(self.explain(e)))?;
		Ok(caps)
	}

	/// What is wrong, named: the flag and, for a name, the name.
	fn explain(&self, e: aicf_primitives::types::DomainError) -> String {
		use aicf_primitives::types::DomainError as E;
		let lists = [
			("--ai-models", "model family", self.ai_models.as_deref()),
			("--quantum-traps", "trap family", self.quantum_traps.as_deref()),
		];
		match e {
			E::NoCapability => {
				"declare a capability: --ai-models … and/or --quantum-traps …".into()
			},
			E::EmptyFamilyList => lists
				.iter()
				.find(|(_, _, l)| l.is_some_and(|l| l.is_empty()))
				.map(|(flag, what, _)| format!("{flag}: list at least one {what}"))
				.unwrap_or_else(|| "an empty family list".into()),
			E::InvalidName => lists
				.iter()
				.find_map(|(_, what, l)| {
					let bad = (*l)?.iter().find(|n| !valid_name(n))?;
					Some(format!(
						"{what} {bad:?}: names are a-z 0-9 . _ -, starting with a letter or digit"
					))
				})
				.unwrap_or_else(|| "an invalid family name".into()),
			E::DuplicateName => lists
				.iter()
				.find_map(|(flag, what, l)| {
					let l = (*l)?;
					let dup = l
						.iter()
						.enumerate()
						.find(|(i, n)| l.get(..*i).is_some_and(|before| before.contains(n)))?
						.1;
					Some(format!("{flag}: {what} {dup:?} is listed twice"))
				})
				.unwrap_or_else(|| "a family is listed twice".into()),
			E::ZeroLimit => {
				"--max-depth, --max-width and --shots-per-sec must be above zero".into()
			},
			other => format!("invalid capabilities: {other:?}"),
		}
	}
}

/// Validate a region given as text.
pub fn region(s: &str) -> Result<Region> {
	validate_region(s.as_bytes()).map_err(|_| {
		CliError::Input(format!("--region {s:?}: expected a-z 0-9 - (e.g. us-west-2)"))
	})?;
	s.as_bytes()
		.to_vec()
		.try_into()
		.map_err(|_| CliError::Input(format!("--region {s:?}: longer than 32 bytes")))
}

/// Validate a endpoint given as text.
pub fn endpoint(s: &str) -> Result<Endpoint> {
	validate_endpoint(s.as_bytes()).map_err(|_| {
		CliError::Input(format!("--endpoint {s:?}: expected an https:// URL with a host"))
	})?;
	s.as_bytes()
		.to_vec()
		.try_into()
		.map_err(|_| CliError::Input("--endpoint: longer than 256 bytes".into()))
}

/// Validate a contact given as text.
pub fn contact(s: &str) -> Result<Contact> {
	validate_contact(s.as_bytes()).map_err(|_| {
		CliError::Input("--contact: expected printable ASCII (an e-mail address or URL)".into())
	})?;
	s.as_bytes()
		.to_vec()
		.try_into()
		.map_err(|_| CliError::Input("--contact: longer than 128 bytes".into()))
}

/// The storage key of a provider id (`ProviderId([u8; 12])`).
pub fn provider_key(id: &ProviderId) -> Value {
	Value::unnamed_composite([Value::from_bytes(id.0)])
}

/// The provider's record at `at`, or a not-found error.
pub async fn record(chain: &Chain, at: &ClientAtBlock, id: &ProviderId) -> Result<Value> {
	state::storage(chain, at, REGISTRY, "Providers", vec![provider_key(id)])
		.await?
		.ok_or_else(|| CliError::NotFound(format!("no provider {id} on this chain")))
}

/// Which provider holds registry key `pk` on chain (`KeyOwners`, which keeps a rotated-away
/// key so that it is never registered again): `{provider_id, current}`, `current` whether it
/// is the provider's key now; JSON null when no provider ever held it.
pub async fn key_holder(
	chain: &Chain,
	pk: &aicf_primitives::RegistryPublicKey,
) -> Result<serde_json::Value> {
	let at = chain.at_best().await?;
	let key = Value::unnamed_composite([Value::from_bytes(pk.key_hash())]);
	let Some(owner) = state::storage(chain, &at, REGISTRY, "KeyOwners", vec![key]).await? else {
		return Ok(serde_json::Value::Null);
	};
	let id: [u8; 12] = state::bytes_of(&owner)
		.and_then(|b| b.try_into().ok())
		.ok_or_else(|| CliError::Other("KeyOwners: not a provider id".into()))?;
	let id = ProviderId(id);
	let current = current_key(&record(chain, &at, &id).await?)? == *pk;
	Ok(serde_json::json!({ "provider_id": id.to_string(), "current": current }))
}

fn u64_field(v: &Value, path: &str) -> Result<u64> {
	state::field(v, path)
		.and_then(|x| x.as_u128())
		.and_then(|x| u64::try_from(x).ok())
		.ok_or_else(|| CliError::Unsupported(format!("the provider record has no `{path}`")))
}

/// The provider's current key nonce (for update and rotation payloads).
async fn key_nonce(chain: &Chain, at: &ClientAtBlock, id: &ProviderId) -> Result<u64> {
	u64_field(&record(chain, at, id).await?, "key_nonce")
}

/// Where `provider register` gets its registry key and proof of possession.
pub enum RegisterKey<'a> {
	/// The private key: the proof is made here, for the controller and chain.
	Private(&'a Path),
	/// The public key (SPKI or PKCS#8 PEM) and a proof made offline: the JSON `aicf sign
	/// register` prints, or the raw signature bytes.
	Offline {
		/// Public key file.
		pubkey: &'a Path,
		/// Proof of possession file.
		pop: &'a Path,
	},
}

/// The signature bytes of a proof-of-possession file, with the payload it says it signed when
/// it is `aicf sign register` JSON.
fn read_pop(path: &Path) -> Result<(Vec<u8>, Option<Vec<u8>>)> {
	let bytes = std::fs::read(path)
		.map_err(|e| CliError::Input(format!("cannot read {}: {e}", path.display())))?;
	let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
		// Hex text (one `0x` prefix at most) or the raw signature bytes.
		let text = std::str::from_utf8(&bytes).map(str::trim).unwrap_or_default();
		let digits = text.strip_prefix("0x").unwrap_or(text);
		if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_hexdigit()) {
			return hex::decode(digits).map(|sig| (sig, None)).map_err(|_| {
				CliError::Input(format!("{}: odd number of hex digits", path.display()))
			});
		}
		return Ok((bytes, None));
	};
	let hex_of = |name: &str| -> Result<Vec<u8>> {
		let s = v.get(name).and_then(|x| x.as_str()).ok_or_else(|| {
			CliError::Input(format!(
				"{}: no `{name}` (expected the JSON of `aicf sign register`)",
				path.display()
			))
		})?;
		hex::decode(s.strip_prefix("0x").unwrap_or(s))
			.map_err(|_| CliError::Input(format!("{}: `{name}` is not hex", path.display())))
	};
	Ok((hex_of("pop_signature")?, Some(hex_of("payload")?)))
}

/// Check a proof of possession made offline before sending it: the chain refuses one made for
/// another controller or chain only after charging the fee.
pub fn check_pop(
	pk: &aicf_primitives::RegistryPublicKey,
	pop: &[u8],
	signed: Option<&[u8]>,
	controller: &[u8; 32],
	controller_ss58: &str,
	genesis: [u8; 32],
) -> Result<()> {
	let expected = aicf_primitives::payload::RegistrationPayload {
		genesis,
		provider: pk.provider_id(),
		controller: controller.to_vec(),
		alg: pk.alg.id(),
	};
	if pk.verify(&expected.encode(), pop).is_ok() {
		return Ok(());
	}
	let why = match signed.map(aicf_primitives::payload::RegistrationPayload::decode) {
		Some(Ok(p)) if p.provider != expected.provider || p.alg != expected.alg => {
			format!("it was made for the key of {}, not for this public key", p.provider)
		},
		Some(Ok(p)) if p.controller != expected.controller => format!(
			"it was made for controller {}, not for the signer {controller_ss58}",
			<[u8; 32]>::try_from(p.controller.as_slice())
				.map(|a| sp_core::crypto::Ss58Codec::to_ss58check(
					&sp_core::crypto::AccountId32::from(a)
				))
				.unwrap_or_else(|_| format!("0x{}", hex::encode(&p.controller)))
		),
		Some(Ok(p)) if p.genesis != expected.genesis => format!(
			"it was made for the chain with genesis 0x{}, not this one (0x{})",
			hex::encode(p.genesis),
			hex::encode(genesis)
		),
		_ => "the signature does not verify under this public key".into(),
	};
	Err(CliError::Input(format!(
		"the proof of possession does not fit: {why}; make it with `aicf sign register --controller \
		 {controller_ss58} --genesis 0x{}`",
		hex::encode(genesis)
	)))
}

/// An error of one of `update`'s transactions, saying which earlier ones of the same command
/// were already applied (each call is its own transaction: a refusal of the second does not
/// undo the first).
fn after_applied<T>(r: Result<T>, applied: &[serde_json::Value]) -> Result<T> {
	r.map_err(|e| {
		if applied.is_empty() {
			return e;
		}
		let names: Vec<String> = applied
			.iter()
			.flat_map(|o| json::lookup(o, "/events").as_array().cloned().unwrap_or_default())
			.filter(|e| json::lookup(e, "/pallet") == "AicfRegistry")
			.filter_map(|e| json::lookup(&e, "/event").as_str().map(str::to_owned))
			.collect();
		e.with_suffix(&format!(
			"; applied already by this command: {}",
			if names.is_empty() { "an earlier transaction".to_string() } else { names.join(", ") }
		))
	})
}

/// `provider register`.
pub async fn register(
	ctx: &TxContext<'_>,
	key: RegisterKey<'_>,
	caps: &CapabilityArgs,
	region_name: &str,
	endpoint_url: &str,
	contact_text: &str,
) -> Result<serde_json::Value> {
	let caps = caps.build()?;
	let (region, endpoint, contact) =
		(region(region_name)?, endpoint(endpoint_url)?, contact(contact_text)?);
	let controller = ctx.signer.account().0;
	let (pk, pop) = match key {
		RegisterKey::Private(path) => {
			let kp = offline::load_key(path)?;
			let (_, pop) = offline::proof_of_possession(&kp, &controller, ctx.chain.genesis())?;
			(kp.public(), pop)
		},
		RegisterKey::Offline { pubkey, pop } => {
			let pk = offline::load_public_key(pubkey)?;
			let (sig, signed) = read_pop(pop)?;
			check_pop(
				&pk,
				&sig,
				signed.as_deref(),
				&controller,
				&ctx.signer.ss58(),
				ctx.chain.genesis(),
			)?;
			(pk, sig)
		},
	};
	let pop: aicf_primitives::crypto::SignatureBytes =
		pop.try_into().map_err(|_| CliError::Other("signature too long".into()))?;
	let at = ctx.chain.at_best().await?;
	let call = calls::build(
		at.metadata_ref(),
		REGISTRY,
		"register",
		vec![
			("key", Arg::scale(&pk)),
			("pop_signature", Arg::scale(&pop)),
			("capabilities", Arg::scale(&caps)),
			("region", Arg::scale(&region)),
			("endpoint", Arg::scale(&endpoint)),
			("contact", Arg::scale(&contact)),
		],
	)?;
	let outcome = ctx.sign_and_submit(&call).await?;
	let mut out = outcome.to_json();
	json::insert_field(&mut out, "provider_id", serde_json::json!(pk.provider_id().to_string()));
	json::insert_field(&mut out, "controller", serde_json::json!(ctx.signer.ss58()));
	Ok(out)
}

/// The registry calls whose only arguments are the provider and, for some, an amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProviderCall {
	/// `stake(provider, amount)`.
	Stake,
	/// `unstake(provider, amount)`.
	Unstake,
	/// `pay_liability(provider, amount)`.
	PayLiability,
	/// `rebond(provider)`.
	Rebond,
	/// `withdraw(provider)`.
	Withdraw,
	/// `unjail(provider)`.
	Unjail,
	/// `deregister(provider)`.
	Deregister,
}

impl ProviderCall {
	fn call_name(self) -> &'static str {
		match self {
			Self::Stake => "stake",
			Self::Unstake => "unstake",
			Self::PayLiability => "pay_liability",
			Self::Rebond => "rebond",
			Self::Withdraw => "withdraw",
			Self::Unjail => "unjail",
			Self::Deregister => "deregister",
		}
	}
}

/// One of the [`ProviderCall`]s; `amount` (plancks) for those that take one.
pub async fn provider_call(
	ctx: &TxContext<'_>,
	which: ProviderCall,
	provider: &ProviderId,
	amount: Option<u128>,
) -> Result<serde_json::Value> {
	let at = ctx.chain.at_best().await?;
	let mut args = vec![("provider", Arg::scale(provider))];
	if let Some(amount) = amount {
		args.push(("amount", Arg::Value(Value::u128(amount))));
	}
	let call = calls::build(at.metadata_ref(), REGISTRY, which.call_name(), args)?;
	Ok(ctx.sign_and_submit(&call).await?.to_json())
}

/// `provider rotate-key`: both keys sign the rotation payload with the current key nonce.
pub async fn rotate_key(
	ctx: &TxContext<'_>,
	provider: &ProviderId,
	old_key: &Path,
	new_key: &Path,
) -> Result<serde_json::Value> {
	let (old, new) = (offline::load_key(old_key)?, offline::load_key(new_key)?);
	let at = ctx.chain.at_best().await?;
	let nonce = key_nonce(ctx.chain, &at, provider).await?;
	let new_pk = new.public();
	let message = RotationPayload {
		genesis: ctx.chain.genesis(),
		provider: *provider,
		nonce,
		new_alg: new_pk.alg.id(),
		new_public_key: new_pk.bytes.to_vec(),
	}
	.encode();
	let by_old = old.sign(&message).map_err(|e| CliError::Input(e.to_string()))?;
	let by_new = new.sign(&message).map_err(|e| CliError::Input(e.to_string()))?;
	let call = calls::build(
		at.metadata_ref(),
		REGISTRY,
		"rotate_key",
		vec![
			("provider", Arg::scale(provider)),
			("new_key", Arg::scale(&new_pk)),
			("signature_by_old", Arg::scale(&by_old)),
			("signature_by_new", Arg::scale(&by_new)),
		],
	)?;
	Ok(ctx.sign_and_submit(&call).await?.to_json())
}

/// `provider update`: one signed transaction per changed item (capabilities, endpoint and
/// contact, region), each over the update payload with the then-current key nonce.
pub async fn update(
	ctx: &TxContext<'_>,
	provider: &ProviderId,
	key: &Path,
	caps: &CapabilityArgs,
	new_region: Option<&str>,
	new_endpoint: Option<&str>,
	new_contact: Option<&str>,
) -> Result<serde_json::Value> {
	let kp = offline::load_key(key)?;
	let caps = if caps.any() { Some(caps.build()?) } else { None };
	let region = new_region.map(region).transpose()?;
	let endpoint = new_endpoint.map(endpoint).transpose()?;
	let contact = new_contact.map(contact).transpose()?;
	if caps.is_none() && region.is_none() && endpoint.is_none() && contact.is_none() {
		return Err(CliError::Input(
			"nothing to update: give capabilities, --region, --endpoint or --contact".into(),
		));
	}
	let mut outcomes = Vec::new();
	let sign = |p: UpdatePayload| -> Result<aicf_primitives::crypto::SignatureBytes> {
		kp.sign(&p.encode()).map_err(|e| CliError::Input(e.to_string()))
	};
	let base = |nonce: u64| UpdatePayload {
		genesis: ctx.chain.genesis(),
		provider: *provider,
		nonce,
		capabilities: None,
		region: None,
		endpoint: None,
		contact: None,
	};
	if let Some(caps) = caps {
		let at = ctx.chain.at_best().await?;
		let nonce = key_nonce(ctx.chain, &at, provider).await?;
		let sig = sign(UpdatePayload { capabilities: Some(caps.clone()), ..base(nonce) })?;
		let call = calls::build(
			at.metadata_ref(),
			REGISTRY,
			"update_capabilities",
			vec![
				("provider", Arg::scale(provider)),
				("capabilities", Arg::scale(&caps)),
				("signature", Arg::scale(&sig)),
			],
		)?;
		outcomes.push(after_applied(ctx.sign_and_submit(&call).await, &outcomes)?.to_json());
	}
	if endpoint.is_some() || contact.is_some() {
		let at = ctx.chain.at_best().await?;
		let rec = record(ctx.chain, &at, provider).await?;
		let nonce = u64_field(&rec, "key_nonce")?;
		// A contact change alone keeps the current endpoint.
		let endpoint: Endpoint = match endpoint {
			Some(e) => e,
			None => state::field(&rec, "endpoint")
				.and_then(state::bytes_of)
				.and_then(|b| b.try_into().ok())
				.ok_or_else(|| {
					CliError::Unsupported("the provider record has no `endpoint`".into())
				})?,
		};
		let sig = sign(UpdatePayload {
			endpoint: Some(endpoint.to_vec()),
			contact: contact.as_ref().map(|c| c.to_vec()),
			..base(nonce)
		})?;
		let call = calls::build(
			at.metadata_ref(),
			REGISTRY,
			"update_endpoint",
			vec![
				("provider", Arg::scale(provider)),
				("endpoint", Arg::scale(&endpoint)),
				("contact", Arg::scale(&contact)),
				("signature", Arg::scale(&sig)),
			],
		)?;
		outcomes.push(after_applied(ctx.sign_and_submit(&call).await, &outcomes)?.to_json());
	}
	if let Some(region) = region {
		let at = ctx.chain.at_best().await?;
		let nonce = key_nonce(ctx.chain, &at, provider).await?;
		let sig = sign(UpdatePayload { region: Some(region.to_vec()), ..base(nonce) })?;
		let call = calls::build(
			at.metadata_ref(),
			REGISTRY,
			"update_region",
			vec![
				("provider", Arg::scale(provider)),
				("region", Arg::scale(&region)),
				("signature", Arg::scale(&sig)),
			],
		)?;
		outcomes.push(after_applied(ctx.sign_and_submit(&call).await, &outcomes)?.to_json());
	}
	Ok(serde_json::json!({ "transactions": outcomes }))
}

/// The provider's current registry key, from its record.
pub fn current_key(rec: &Value) -> Result<aicf_primitives::RegistryPublicKey> {
	let bytes = state::field(rec, "key.bytes").and_then(state::bytes_of);
	let alg = state::field(rec, "key.alg")
		.map(json::value_json)
		.and_then(|v| v.as_str().map(str::to_owned))
		.and_then(|name| match name.as_str() {
			"MlDsa65" => Some(aicf_primitives::KeyAlgorithm::MlDsa65),
			"SlhDsaSha2_128s" => Some(aicf_primitives::KeyAlgorithm::SlhDsaSha2_128s),
			_ => None,
		});
	let (Some(bytes), Some(alg)) = (bytes, alg) else {
		return Err(CliError::Unsupported("the provider record has no key".into()));
	};
	Ok(aicf_primitives::RegistryPublicKey {
		alg,
		bytes: bytes
			.try_into()
			.map_err(|_| CliError::Unsupported("registry key too long".into()))?,
	})
}

fn hex_field(v: &serde_json::Value, name: &str, file: &str) -> Result<Vec<u8>> {
	json::lookup(v, &format!("/{name}"))
		.as_str()
		.and_then(|s| hex::decode(s.trim_start_matches("0x")).ok())
		.ok_or_else(|| CliError::Input(format!("{file}: `{name}` must be 0x-hex")))
}

fn text_field(v: &serde_json::Value, name: &str) -> Option<String> {
	json::lookup(v, &format!("/{name}")).as_str().map(str::to_owned)
}

/// The provider and key nonce a signed file names, checked against the chain: the nonce must
/// be the provider's current one (it moves with every update and rotation).
async fn signed_for(
	ctx: &TxContext<'_>,
	v: &serde_json::Value,
	file: &str,
) -> Result<(ProviderId, u64, ClientAtBlock, Value)> {
	let provider: ProviderId = text_field(v, "provider_id")
		.and_then(|s| s.parse().ok())
		.ok_or_else(|| CliError::Input(format!("{file}: `provider_id` must be provider:…")))?;
	let nonce = json::lookup(v, "/nonce")
		.as_u64()
		.ok_or_else(|| CliError::Input(format!("{file}: `nonce` must be a number")))?;
	let at = ctx.chain.at_best().await?;
	let rec = record(ctx.chain, &at, &provider).await?;
	let chain_nonce = u64_field(&rec, "key_nonce")?;
	if nonce != chain_nonce {
		return Err(CliError::Input(format!(
			"{file}: signed for key nonce {nonce}, but {provider}'s is {chain_nonce} (every \
			 update and rotation moves it): sign again with --nonce {chain_nonce} (aicf \
			 signing-inputs --provider {provider})"
		)));
	}
	Ok((provider, nonce, at, rec))
}

fn not_verified(file: &str, provider: &ProviderId, genesis: [u8; 32], which: &str) -> CliError {
	CliError::Input(format!(
		"{file}: {which} does not verify for {provider} on this chain (genesis 0x{}): signed \
		 with another key or for another chain, or edited after signing",
		hex::encode(genesis)
	))
}

/// `aicf submit` of what `aicf sign update` made offline: checked here (the provider's current
/// key nonce, the signature under its current key for this chain), then sent signed by the
/// controller.
pub async fn submit_update(
	ctx: &TxContext<'_>,
	v: &serde_json::Value,
	file: &str,
) -> Result<serde_json::Value> {
	let (provider, nonce, at, rec) = signed_for(ctx, v, file).await?;
	let signature = hex_field(v, "signature", file)?;
	let change = if let Some(hex) = text_field(v, "capabilities") {
		let bytes = hex::decode(hex.trim_start_matches("0x"))
			.map_err(|_| CliError::Input(format!("{file}: `capabilities` must be 0x-hex")))?;
		let caps =
			<Capabilities as codec::Decode>::decode(&mut bytes.as_slice()).map_err(|_| {
				CliError::Input(format!("{file}: `capabilities` is not SCALE-encoded capabilities"))
			})?;
		offline::UpdateChange::Capabilities(caps)
	} else if let Some(r) = text_field(v, "region") {
		offline::UpdateChange::Region(region(&r)?.to_vec())
	} else if let Some(e) = text_field(v, "endpoint") {
		let contact = text_field(v, "contact").map(|c| contact(&c)).transpose()?;
		offline::UpdateChange::Endpoint {
			endpoint: endpoint(&e)?.to_vec(),
			contact: contact.map(|c| c.to_vec()),
		}
	} else {
		return Err(CliError::Input(format!(
			"{file}: no change: `capabilities`, `region` or `endpoint` expected"
		)));
	};
	let genesis = ctx.chain.genesis();
	let payload = offline::update_payload(genesis, provider, nonce, &change).encode();
	if current_key(&rec)?.verify(&payload, &signature).is_err() {
		return Err(not_verified(file, &provider, genesis, "the signature"));
	}
	let sig: aicf_primitives::crypto::SignatureBytes = signature
		.try_into()
		.map_err(|_| CliError::Input(format!("{file}: `signature` too long")))?;
	let (name, mut args) = match &change {
		offline::UpdateChange::Capabilities(c) => {
			("update_capabilities", vec![("capabilities", Arg::scale(c))])
		},
		offline::UpdateChange::Region(r) => {
			("update_region", vec![("region", Arg::scale(&region(&String::from_utf8_lossy(r))?))])
		},
		offline::UpdateChange::Endpoint { endpoint: e, contact: c } => {
			let e = endpoint(&String::from_utf8_lossy(e))?;
			let c = c.as_deref().map(|c| contact(&String::from_utf8_lossy(c))).transpose()?;
			("update_endpoint", vec![("endpoint", Arg::scale(&e)), ("contact", Arg::scale(&c))])
		},
	};
	args.insert(0, ("provider", Arg::scale(&provider)));
	args.push(("signature", Arg::scale(&sig)));
	let call = calls::build(at.metadata_ref(), REGISTRY, name, args)?;
	let mut out = ctx.sign_and_submit(&call).await?.to_json();
	json::insert_field(&mut out, "provider_id", serde_json::json!(provider.to_string()));
	Ok(out)
}

/// `aicf submit` of what `aicf sign rotate` made offline: both signatures checked here (the
/// old one under the provider's current key), then sent signed by the controller.
pub async fn submit_rotation(
	ctx: &TxContext<'_>,
	v: &serde_json::Value,
	file: &str,
) -> Result<serde_json::Value> {
	let (provider, nonce, at, rec) = signed_for(ctx, v, file).await?;
	let alg = match text_field(v, "new_key/alg").as_deref() {
		Some("ml-dsa-65") => aicf_primitives::KeyAlgorithm::MlDsa65,
		Some("slh-dsa-sha2-128s") => aicf_primitives::KeyAlgorithm::SlhDsaSha2_128s,
		_ => {
			return Err(CliError::Input(format!(
				"{file}: `new_key.alg` must be ml-dsa-65 or slh-dsa-sha2-128s"
			)))
		},
	};
	let new_key = aicf_primitives::RegistryPublicKey {
		alg,
		bytes: hex_field(v, "new_key/public_key", file)?
			.try_into()
			.map_err(|_| CliError::Input(format!("{file}: `new_key.public_key` too long")))?,
	};
	let (by_old, by_new) =
		(hex_field(v, "signature_by_old", file)?, hex_field(v, "signature_by_new", file)?);
	let genesis = ctx.chain.genesis();
	let message = offline::rotation_payload(genesis, provider, nonce, &new_key);
	if current_key(&rec)?.verify(&message, &by_old).is_err() {
		return Err(not_verified(file, &provider, genesis, "`signature_by_old`"));
	}
	if new_key.verify(&message, &by_new).is_err() {
		return Err(not_verified(file, &provider, genesis, "`signature_by_new`"));
	}
	let sig = |s: Vec<u8>, name: &str| -> Result<aicf_primitives::crypto::SignatureBytes> {
		s.try_into().map_err(|_| CliError::Input(format!("{file}: `{name}` too long")))
	};
	let call = calls::build(
		at.metadata_ref(),
		REGISTRY,
		"rotate_key",
		vec![
			("provider", Arg::scale(&provider)),
			("new_key", Arg::scale(&new_key)),
			("signature_by_old", Arg::scale(&sig(by_old, "signature_by_old")?)),
			("signature_by_new", Arg::scale(&sig(by_new, "signature_by_new")?)),
		],
	)?;
	let mut out = ctx.sign_and_submit(&call).await?.to_json();
	json::insert_field(&mut out, "provider_id", serde_json::json!(provider.to_string()));
	Ok(out)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn caps(models: &[&str], traps: Option<&[&str]>, depth: u32) -> CapabilityArgs {
		CapabilityArgs {
			ai_models: Some(models.iter().map(|m| m.to_string()).collect()),
			throughput_tps: Some(1.0),
			quantum_traps: traps.map(|t| t.iter().map(|m| m.to_string()).collect()),
			max_depth: traps.map(|_| depth),
			max_width: traps.map(|_| 1),
			shots_per_sec: traps.map(|_| 1),
		}
	}

	/// A refusal after an earlier transaction of the same `update` says what was applied.
	#[test]
	fn an_update_refused_midway_names_what_was_already_applied() {
		let refused = || -> Result<()> { Err(CliError::WouldFail("AicfRegistry.X".into())) };
		assert_eq!(after_applied(refused(), &[]), refused(), "nothing applied: unchanged");
		let applied = [serde_json::json!({"events": [
			{"pallet": "System", "event": "ExtrinsicSuccess"},
			{"pallet": "AicfRegistry", "event": "CapabilitiesUpdated"},
		]})];
		assert_eq!(
			after_applied(refused(), &applied).unwrap_err(),
			CliError::WouldFail(
				"AicfRegistry.X; applied already by this command: CapabilitiesUpdated".into()
			)
		);
	}

	/// Each capability error names the flag and the offending name.
	#[test]
	fn capability_errors_name_the_flag_and_the_name() {
		let err = |c: CapabilityArgs| c.build().unwrap_err().to_string();
		assert!(caps(&["llama3-8b"], Some(&["clifford"]), 8).build().is_ok());
		assert_eq!(
			err(caps(&["llama3-8b", "Bad Name"], None, 0)),
			"model family \"Bad Name\": names are a-z 0-9 . _ -, starting with a letter or digit"
		);
		assert!(err(caps(&["m"], Some(&["-x"]), 8)).starts_with("trap family \"-x\""));
		assert_eq!(
			err(caps(&["a", "b", "a"], None, 0)),
			"--ai-models: model family \"a\" is listed twice"
		);
		assert!(err(caps(&["m"], Some(&["t"]), 0)).contains("must be above zero"));
		assert_eq!(err(caps(&[], None, 0)), "--ai-models: list at least one model family");
	}
}
