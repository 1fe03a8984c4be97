//! The harness the runtime's integration tests share: genesis, blocks, and extrinsics built,
//! signed and applied by `Executive` exactly as a node does.

#![allow(dead_code)]

use aicf_primitives::{
	keys::RegistryKeypair, payload::HeartbeatReport, payload::RegistrationPayload,
	traits::EvidenceKind, types::AiCapability, Capabilities, ProviderId, ProviderStatus,
};
use aicf_runtime::{
	configs::AicfTreasuryAccount, currency::AICF, AccountId, AicfRegistry, Executive, Header,
	Runtime, RuntimeCall, RuntimeGenesisConfig, SignedPayload, System, TxExtension,
	UncheckedExtrinsic, EXISTENTIAL_DEPOSIT,
};
use codec::Encode;
use pallet_aicf_registry::{Call as RegistryCall, Heartbeat};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	generic::Era, traits::Header as _, ApplyExtrinsicResult, BuildStorage, MultiAddress,
	MultiSignature,
};

/// Chain time of block 0, in milliseconds.
pub const NOW_MS: u64 = 1_750_000_000_000;

/// Milliseconds per block of the runtime.
pub const BLOCK_MS: u64 = aicf_runtime::MILLI_SECS_PER_BLOCK;

/// Genesis of the real runtime: Alice (sudo) and Bob funded, development vendor roots.
pub fn new_ext() -> sp_io::TestExternalities {
	new_ext_with(&[])
}

/// [`new_ext`] with `extra` accounts funded too.
pub fn new_ext_with(extra: &[(AccountId, u128)]) -> sp_io::TestExternalities {
	let mut genesis = RuntimeGenesisConfig::default();
	genesis.balances.balances = vec![
		(Sr25519Keyring::Alice.to_account_id(), 1_000_000 * AICF),
		(Sr25519Keyring::Bob.to_account_id(), 1_000_000 * AICF),
		(AicfTreasuryAccount::get(), EXISTENTIAL_DEPOSIT),
		(aicf_runtime::configs::RegistryPot::get(), EXISTENTIAL_DEPOSIT),
	];
	genesis.balances.balances.extend_from_slice(extra);
	genesis.sudo.key = Some(Sr25519Keyring::Alice.to_account_id());
	genesis.aicf_attestation.roots = pallet_aicf_attestation::vendor_roots::development();
	// As a network holding value would: no `accept_any_workload`, and the one runner image
	// trusted pinned by governance (here at genesis).
	genesis.aicf_attestation.accept_any_workload = false;
	let mut ext = sp_io::TestExternalities::new(genesis.build_storage().unwrap());
	ext.execute_with(|| {
		let mut policy = pallet_aicf_attestation::NetworkPolicy::<Runtime>::get();
		assert!(!policy.any_workload && policy.workloads.is_empty());
		policy.workloads = vec![dev_realm_rule()].try_into().unwrap();
		pallet_aicf_attestation::NetworkPolicy::<Runtime>::put(policy);
		start_block(1);
	});
	ext
}

/// The workload rule of the development realm ([`dev_evidence`]'s tokens: RIM, REMs and the
/// development platform's software), read from a token by the lower-level verifier.
pub fn dev_realm_rule() -> aicf_attestation_verify::WorkloadRule {
	use aicf_attestation_verify::{cca, dev_facility::cca as dev, Policy, WorkloadRule};
	let spec = dev::TokenSpec::bound_to(&[1; 32]);
	let anchor = dev::trust_anchor_der(spec.platform_alg).unwrap();
	let v = cca::verify(&dev::token(&spec).unwrap(), &[&anchor], &Policy::default(), &[1; 32], 0)
		.unwrap();
	WorkloadRule::exact(&v.workload).unwrap()
}

/// The hash of block `n` in these tests: the genesis block's is frame-system's (`[69; 32]`),
/// every other a fixed function of its number, so evidence bound to a block can be made
/// ahead of time. [`start_block`] records it as the parent's hash, as a node does.
pub fn block_hash_of(n: u32) -> [u8; 32] {
	if n == 0 {
		[69; 32]
	} else {
		sp_io::hashing::blake2_256(&n.to_le_bytes())
	}
}

/// Development evidence for `provider` with `caps` under registry key hash `key_hash`, bound
/// to block `challenge` (its hash by [`block_hash_of`]): a realm on the development CCA
/// platform for `ai`, an identity certificate from the development quantum facility (its
/// declared trap families, valid from an hour before chain time for 30 days) for `quantum`.
pub fn dev_evidence(
	provider: ProviderId,
	caps: &Capabilities,
	key_hash: [u8; 32],
	challenge: u32,
) -> Vec<(EvidenceKind, Vec<u8>)> {
	use aicf_attestation_verify::{attestation_binding, dev_facility};
	let binding = attestation_binding(&provider.0, &block_hash_of(challenge), &key_hash);
	let mut out = Vec::new();
	if caps.ai.is_some() {
		let token = dev_facility::cca::token(&dev_facility::cca::TokenSpec::bound_to(&binding));
		out.push((EvidenceKind::Cca, token.unwrap()));
	}
	if let Some(q) = &caps.quantum {
		let now = time_of(challenge) / 1000;
		let families: Vec<&str> =
			q.trap_families.iter().map(|f| core::str::from_utf8(f).unwrap()).collect();
		let cert = dev_facility::issue(
			binding,
			"AICF development facility",
			&families,
			now - 3_600,
			now + 30 * 86_400,
		);
		out.push((EvidenceKind::Quantum, cert.unwrap()));
	}
	out
}

/// `submit_attestation` of the development evidence that backs every capability `provider`
/// declares, bound to the previous block and its current registry key (see
/// [`dev_evidence`]).
pub fn attest_calls(provider: ProviderId) -> Vec<RuntimeCall> {
	let record = pallet_aicf_registry::Providers::<Runtime>::get(provider).unwrap();
	let challenge = System::block_number() - 1;
	dev_evidence(provider, &record.capabilities, record.key.key_hash(), challenge)
		.into_iter()
		.map(|(kind, evidence)| {
			RuntimeCall::AicfAttestation(pallet_aicf_attestation::Call::submit_attestation {
				provider,
				kind,
				challenge_block: challenge,
				evidence: evidence.try_into().unwrap(),
			})
		})
		.collect()
}

/// [`attest_calls`] for a provider with one capability.
pub fn attest_call(provider: ProviderId) -> RuntimeCall {
	let mut calls = attest_calls(provider);
	assert_eq!(calls.len(), 1, "one capability");
	calls.remove(0)
}

/// Chain time of block `n`, in milliseconds.
pub fn time_of(n: u32) -> u64 {
	NOW_MS + u64::from(n) * BLOCK_MS
}

/// Initialize block `n` as a node does: an Aura pre-runtime digest with the block's slot, and
/// the timestamp inherent. Its parent need not have been executed: empty stretches may be
/// skipped.
pub fn start_block(n: u32) {
	// `initialize` wants the next number: a skipped stretch ends where block `n` starts.
	System::set_block_number(n.saturating_sub(1));
	let parent = sp_core::H256(block_hash_of(n.saturating_sub(1)));
	let slot = sp_consensus_aura::Slot::from(time_of(n) / BLOCK_MS);
	let digest = sp_runtime::Digest {
		logs: vec![sp_runtime::DigestItem::PreRuntime(
			sp_consensus_aura::AURA_ENGINE_ID,
			slot.encode(),
		)],
	};
	Executive::initialize_block(&Header::new(
		n,
		Default::default(),
		Default::default(),
		parent,
		digest,
	));
	let set_time = RuntimeCall::Timestamp(pallet_timestamp::Call::set { now: time_of(n) });
	apply(UncheckedExtrinsic::new_bare(set_time)).unwrap().unwrap();
}

/// Finish the current block as a node does: `on_idle` in the leftover weight, `on_finalize`.
pub fn finish_block() {
	Executive::finalize_block();
}

/// The runtime's transaction extensions for a transaction with `nonce`.
pub fn extension(nonce: u32) -> TxExtension {
	(
		frame_system::AuthorizeCall::new(),
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(Era::Immortal),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(0),
		frame_metadata_hash_extension::CheckMetadataHash::new(false),
		frame_system::WeightReclaim::new(),
	)
}

/// `call` signed by `who` at its current nonce.
pub fn signed(who: Sr25519Keyring, call: RuntimeCall) -> UncheckedExtrinsic {
	signed_by(&who.pair(), call)
}

/// `call` signed by the account of `pair` at its current nonce.
pub fn signed_by(pair: &sp_core::sr25519::Pair, call: RuntimeCall) -> UncheckedExtrinsic {
	use sp_core::Pair as _;
	let who = AccountId::from(pair.public());
	let ext = extension(System::account_nonce(&who));
	let payload = SignedPayload::new(call.clone(), ext.clone()).unwrap();
	let signature = payload.using_encoded(|bytes| pair.sign(bytes));
	UncheckedExtrinsic::new_signed(
		call,
		MultiAddress::Id(who),
		MultiSignature::Sr25519(signature),
		ext,
	)
}

/// Apply `xt` in the current block.
pub fn apply(xt: UncheckedExtrinsic) -> ApplyExtrinsicResult {
	Executive::apply_extrinsic(xt)
}

/// The genesis hash the registry's payloads are bound to.
pub fn genesis_hash() -> [u8; 32] {
	AicfRegistry::genesis_hash()
}

/// `register` for `key`, controlled by `controller`, offering `llama3-8b`.
pub fn register_call(key: &RegistryKeypair, controller: &AccountId) -> RuntimeCall {
	let pk = key.public();
	let pop = key
		.sign(
			&RegistrationPayload {
				genesis: genesis_hash(),
				provider: pk.provider_id(),
				controller: controller.encode(),
				alg: pk.alg.id(),
			}
			.encode(),
		)
		.unwrap();
	RuntimeCall::AicfRegistry(RegistryCall::register {
		key: pk,
		pop_signature: pop,
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
	})
}

/// A signed heartbeat of `provider` with `counter`, at the current chain time, carrying its
/// current attestation hash and reporting `availability_bps`.
pub fn heartbeat_with(
	key: &RegistryKeypair,
	provider: ProviderId,
	counter: u64,
	availability_bps: u16,
) -> RuntimeCall {
	let attest_hash = pallet_aicf_registry::Providers::<Runtime>::get(provider)
		.and_then(|r| r.attestations.iter().next().map(|a| a.evidence_hash))
		.unwrap_or([0; 32]);
	let heartbeat = Heartbeat {
		provider,
		counter,
		timestamp: pallet_timestamp::Now::<Runtime>::get() / 1_000,
		attest_hash,
		report: HeartbeatReport {
			rtt_ms_p50: 40,
			availability_bps,
			leases_active: 2,
			leases_capacity: 8,
		},
		liveness: None,
	};
	let signature = key.sign(&heartbeat.payload(genesis_hash()).encode()).unwrap();
	RuntimeCall::AicfRegistry(RegistryCall::heartbeat { heartbeat, signature })
}

/// [`heartbeat_with`] reporting 99.92 % availability.
pub fn heartbeat_call(key: &RegistryKeypair, provider: ProviderId, counter: u64) -> RuntimeCall {
	heartbeat_with(key, provider, counter, 9_992)
}

/// A heartbeat as a general (authorized) transaction: no account, no fee.
pub fn general(call: RuntimeCall) -> UncheckedExtrinsic {
	UncheckedExtrinsic::new_transaction(call, extension(0))
}

/// A bare (unsigned) extrinsic: how liveness-proof batches travel.
pub fn bare(call: RuntimeCall) -> UncheckedExtrinsic {
	UncheckedExtrinsic::new_bare(call)
}

/// The pool's verdict on `xt`, as a node computes it, without touching the block being
/// built (`validate_transaction` initializes a block of its own; rolled back here).
pub fn pool_validity(
	xt: UncheckedExtrinsic,
) -> sp_runtime::transaction_validity::TransactionValidity {
	use frame_support::storage::{with_transaction, TransactionOutcome};
	with_transaction(|| {
		let validity = Executive::validate_transaction(
			sp_runtime::transaction_validity::TransactionSource::External,
			xt,
			Default::default(),
		);
		TransactionOutcome::Rollback(Ok::<_, sp_runtime::DispatchError>(validity))
	})
	.unwrap()
}

/// The provider's stored status.
pub fn status(id: ProviderId) -> ProviderStatus {
	pallet_aicf_registry::Providers::<Runtime>::get(id).unwrap().status
}

/// `call` dispatched by root through `Sudo::sudo`.
pub fn sudo(call: RuntimeCall) -> RuntimeCall {
	RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) })
}

/// The outcome of the last `Sudo::sudo` call (its `Sudid` event keeps the error's index, not
/// its name).
pub fn sudo_result() -> sp_runtime::DispatchResult {
	System::events()
		.into_iter()
		.rev()
		.find_map(|e| match e.event {
			aicf_runtime::RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result }) => {
				Some(sudo_result)
			},
			_ => None,
		})
		.expect("a Sudid event")
}
