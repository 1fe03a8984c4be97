//! Benchmarks (frame-benchmarking v2). Every call is measured on its most expensive path:
//! signature verification included, storage items at their largest.

// Benchmark setup runs only in benchmarking builds and may fail loudly on a broken setup.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::*;
use crate::Pallet as Registry;
use aicf_primitives::{
	crypto::{bench, RegistryPublicKey},
	payload::{HeartbeatReport, RegistrationPayload, RotationPayload, UpdatePayload},
	traits::{
		CapabilityRequirement, JobRequirements, LeaseOutcome, Offence, ProviderEligibility,
		ProviderLeases, ProviderPayouts,
	},
	types::{AiCapability, Capabilities, Name, QuantumCapability},
	ProviderStatus,
};
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOrigin, Get};
use frame_system::RawOrigin;
use sp_runtime::{
	traits::{ConstU32, One, Saturating, Zero},
	BoundedVec,
};

const SEED: [u8; 32] = [42; 32];

fn largest_name(i: u8) -> Name {
	let mut v = [b'a'; aicf_primitives::types::MAX_NAME_LEN as usize];
	v[0] = b'a' + (i % 26);
	v[1] = b'a' + (i / 26);
	BoundedVec::truncate_from(v.to_vec())
}

/// Capabilities at their maximum size: both kinds, every family slot used.
pub(crate) fn largest_capabilities() -> Capabilities {
	largest_capabilities_from(0)
}

/// [`largest_capabilities`] with family names numbered from `first` (distinct sets for
/// distinct `first` 24 apart).
fn largest_capabilities_from(first: u8) -> Capabilities {
	let names = |n: u32| -> alloc::vec::Vec<Name> {
		(0..n as u8).map(|i| largest_name(first.saturating_add(i))).collect()
	};
	Capabilities {
		ai: Some(AiCapability {
			models: BoundedVec::truncate_from(names(aicf_primitives::types::MAX_MODEL_FAMILIES)),
			throughput_milli_tps: 2_500,
		}),
		quantum: Some(QuantumCapability {
			trap_families: BoundedVec::truncate_from(names(
				aicf_primitives::types::MAX_TRAP_FAMILIES,
			)),
			max_depth: 64,
			max_width: 20,
			shots_per_sec: 80,
		}),
	}
}

fn text<const N: u32>(prefix: &[u8], fill: u8) -> BoundedVec<u8, ConstU32<N>> {
	let mut v = prefix.to_vec();
	v.resize(N as usize, fill);
	BoundedVec::truncate_from(v)
}

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	let amount = T::MinStakeQuantum::get()
		.saturating_add(T::MinStakeAi::get())
		.saturating_mul(100u32.into())
		.max(1_000_000_000u32.into());
	T::Currency::set_balance(&who, amount);
	who
}

/// `key`'s proof of possession registering it for `controller`, signed by `sign`.
pub(crate) fn pop_signature<T: Config>(
	controller: &T::AccountId,
	key: &RegistryPublicKey,
	sign: impl Fn(&[u8]) -> aicf_primitives::crypto::SignatureBytes,
) -> aicf_primitives::crypto::SignatureBytes {
	let payload = RegistrationPayload {
		genesis: Registry::<T>::genesis_hash(),
		provider: key.provider_id(),
		controller: controller.encode(),
		alg: key.alg.id(),
	};
	sign(&payload.encode())
}

fn register_as<T: Config>(
	controller: &T::AccountId,
	key: RegistryPublicKey,
	sign: impl Fn(&[u8]) -> aicf_primitives::crypto::SignatureBytes,
) -> ProviderId {
	let provider = key.provider_id();
	let sig = pop_signature::<T>(controller, &key, sign);
	Registry::<T>::do_register(
		controller.clone(),
		key,
		sig,
		largest_capabilities(),
		text(b"", b'a'),
		text(b"https://", b'a'),
		text(b"", b'a'),
	)
	.expect("benchmark registration is valid");
	provider
}

fn registered_ml<T: Config>(controller: &T::AccountId) -> ProviderId {
	register_as::<T>(controller, bench::ml_dsa65_public(SEED), |m| bench::ml_dsa65_sign(SEED, m))
}

fn update_sig<T: Config>(
	provider: ProviderId,
	fill: impl FnOnce(&mut UpdatePayload),
) -> aicf_primitives::crypto::SignatureBytes {
	let nonce = Providers::<T>::get(provider).map(|r| r.key_nonce).unwrap_or_default();
	let mut p = UpdatePayload {
		genesis: Registry::<T>::genesis_hash(),
		provider,
		nonce,
		capabilities: None,
		region: None,
		endpoint: None,
		contact: None,
	};
	fill(&mut p);
	bench::ml_dsa65_sign(SEED, &p.encode())
}

fn signed_heartbeat<T: Config>(
	provider: ProviderId,
	counter: u64,
	sign: impl Fn(&[u8]) -> aicf_primitives::crypto::SignatureBytes,
) -> (Heartbeat, aicf_primitives::crypto::SignatureBytes) {
	use frame_support::traits::UnixTime;
	let attest_hash = Providers::<T>::get(provider)
		.and_then(|r| r.attestations.ai.map(|a| a.evidence_hash))
		.unwrap_or([0; 32]);
	let hb = Heartbeat {
		provider,
		counter,
		timestamp: T::UnixTime::now().as_secs(),
		attest_hash,
		report: HeartbeatReport {
			rtt_ms_p50: 40,
			availability_bps: 10_000,
			leases_active: 1,
			leases_capacity: 8,
		},
		// The worst case: a commitment, which writes the provider's chain record.
		liveness: Some(aicf_primitives::liveness::LivenessCommitment {
			anchor: [7; 32],
			length: T::MaxLivenessChain::get(),
		}),
	};
	let sig = sign(&hb.payload(Registry::<T>::genesis_hash()).encode());
	(hb, sig)
}

/// A staked and attested provider with the largest capabilities that has sent no heartbeat:
/// its first heartbeat turns it ACTIVE.
fn awaiting_first_heartbeat<T: Config>(controller: &T::AccountId) -> ProviderId {
	let provider = registered_ml::<T>(controller);
	staked::<T>(controller, provider);
	Registry::<T>::benchmark_attest(&provider).expect("registered");
	provider
}

/// An ACTIVE provider that then went silent long enough to be jailed.
fn silent_active<T: Config>(controller: &T::AccountId) -> ProviderId {
	let provider = awaiting_first_heartbeat::<T>(controller);
	let now = frame_system::Pallet::<T>::block_number();
	let (hb, sig) = signed_heartbeat::<T>(provider, 1, |m| bench::ml_dsa65_sign(SEED, m));
	Registry::<T>::do_heartbeat(hb, Some(&sig), false).expect("valid heartbeat");
	// The first block with more than `MaxMissedHeartbeats` deadlines missed.
	let silence = T::HeartbeatInterval::get()
		.saturating_mul((T::MaxMissedHeartbeats::get().saturating_add(1)).into())
		.saturating_add(T::HeartbeatGrace::get())
		.saturating_add(1u32.into());
	frame_system::Pallet::<T>::set_block_number(now.saturating_add(silence));
	provider
}

/// A staked provider in its routine: its first heartbeat (`sign` signs for its key) committed
/// a liveness chain, a proof of that chain came an interval later, a full QoS window, and now
/// the next interval is due. Its next heartbeat (counter 2) takes the longest routine path: the
/// chain is read (the proof is later than the heartbeat), the window full, the chain replaced.
fn routine<T: Config>(
	controller: &T::AccountId,
	provider: ProviderId,
	sign: impl Fn(&[u8]) -> aicf_primitives::crypto::SignatureBytes,
) {
	staked::<T>(controller, provider);
	let (hb, sig) = signed_heartbeat::<T>(provider, 1, &sign);
	Registry::<T>::do_heartbeat(hb, Some(&sig), false).expect("valid heartbeat");
	let report = HeartbeatReport { availability_bps: 9_900, ..Default::default() };
	for _ in 0..T::QosWindowLen::get() {
		Registry::<T>::record_qos(&provider, &report);
	}
	let interval = T::HeartbeatInterval::get();
	let proved = frame_system::Pallet::<T>::block_number().saturating_add(interval);
	crate::LivenessChains::<T>::mutate(provider, |c| {
		let c = c.as_mut().expect("the heartbeat committed a chain");
		c.anchor = [8; 32];
		c.remaining = c.remaining.saturating_sub(1);
		c.last_seen = proved;
	});
	frame_system::Pallet::<T>::set_block_number(proved.saturating_add(interval));
}

fn staked<T: Config>(controller: &T::AccountId, provider: ProviderId) -> T::Balance {
	let amount = T::MinStakeQuantum::get().max(T::MinStakeAi::get()).max(1_000u32.into());
	Registry::<T>::do_stake(controller.clone(), provider, amount).expect("funded");
	amount
}

/// An ACTIVE provider (staked, attested, one heartbeat) with the largest capabilities.
fn active<T: Config>(controller: &T::AccountId) -> ProviderId {
	let provider = silent_active::<T>(controller);
	// `silent_active` moved time past the jail threshold; step back to the heartbeat's block.
	let at = Providers::<T>::get(provider).and_then(|r| r.last_heartbeat).expect("heartbeat sent");
	frame_system::Pallet::<T>::set_block_number(at);
	provider
}

/// Copies of `template`'s record, ledger and QoS window under `count` new ids whose first bytes are
/// `tag`, indexed under `key`. Setup only, for `candidates`, which reads nothing else: the
/// copies hold no funds and have no status, listing, key or controller index entries, so the
/// state breaks the invariants (no benchmark checks them).
fn clone_indexed<T: Config>(template: ProviderId, tag: u8, count: u32, key: &IndexKey) {
	let record = Providers::<T>::get(template).expect("template exists");
	let ledger = Ledgers::<T>::get(template).expect("template staked");
	let window = crate::QosWindows::<T>::get(template).expect("template heartbeated");
	for i in 0..count {
		let mut id = [0u8; aicf_primitives::id::PROVIDER_ID_LEN];
		id[0] = tag;
		id[1..5].copy_from_slice(&i.to_be_bytes());
		let id = ProviderId(id);
		Providers::<T>::insert(id, record.clone());
		Ledgers::<T>::insert(id, ledger.clone());
		crate::QosWindows::<T>::insert(id, window.clone());
		EligibleIndex::<T>::insert(key, id, ());
	}
}

/// A payout well above the existential deposit, so the pot can hold ten of them.
fn payout_amount<T: Config>() -> T::Balance {
	use frame_support::traits::fungible::Inspect;
	T::Currency::minimum_balance().saturating_mul(1_000u32.into()).max(1_000_000u32.into())
}

fn ai_requirements<T: Config>(model: Name) -> JobRequirements<T::Balance> {
	JobRequirements {
		capability: CapabilityRequirement::Ai { model },
		regions: alloc::vec![],
		min_health: sp_runtime::Permill::zero(),
		min_stake: 0u32.into(),
		// Every check also reads the provider's QoS window (the worst case).
		max_rtt_ms: Some(u32::MAX),
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_ml_dsa() {
		let controller = funded::<T>("controller");
		let key = bench::ml_dsa65_public(SEED);
		let provider = key.provider_id();
		let sig = pop_signature::<T>(&controller, &key, |m| bench::ml_dsa65_sign(SEED, m));

		#[extrinsic_call]
		register(
			RawOrigin::Signed(controller),
			key,
			sig,
			largest_capabilities(),
			text(b"", b'a'),
			text(b"https://", b'a'),
			text(b"", b'a'),
		);

		assert!(Providers::<T>::contains_key(provider));
	}

	#[benchmark]
	fn register_slh_dsa() {
		let controller = funded::<T>("controller");
		let key = bench::slh_dsa128s_public(7);
		let provider = key.provider_id();
		let sig = pop_signature::<T>(&controller, &key, |m| bench::slh_dsa128s_sign(7, m));

		#[extrinsic_call]
		register(
			RawOrigin::Signed(controller),
			key,
			sig,
			largest_capabilities(),
			text(b"", b'a'),
			text(b"https://", b'a'),
			text(b"", b'a'),
		);

		assert!(Providers::<T>::contains_key(provider));
	}

	/// Worst case: an ACTIVE provider replaces every model and trap family, so each of its
	/// eligibility entries is removed and a new one written.
	#[benchmark]
	fn update_capabilities() {
		let controller = funded::<T>("controller");
		let provider = active::<T>(&controller);
		let caps = largest_capabilities_from(48);
		// Setup only: the facility certificate certifies the new trap families, so the
		// provider stays ACTIVE and every new eligibility entry is written.
		Providers::<T>::mutate(provider, |r| {
			let q = r.as_mut().and_then(|r| r.attestations.quantum.as_mut()).expect("attested");
			q.trap_families = caps.quantum.as_ref().expect("quantum").trap_families.clone();
		});
		let sig = update_sig::<T>(provider, |p| p.capabilities = Some(caps.clone()));
		let old_entries = IndexKey::of_capabilities(&largest_capabilities());

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), provider, caps.clone(), sig);

		let record = Providers::<T>::get(provider).expect("registered");
		assert_eq!(record.status, ProviderStatus::Active);
		assert!(old_entries.iter().all(|k| !EligibleIndex::<T>::contains_key(k, provider)));
		assert!(IndexKey::of_capabilities(&caps)
			.iter()
			.all(|k| EligibleIndex::<T>::contains_key(k, provider)));
	}

	#[benchmark]
	fn update_endpoint() {
		let controller = funded::<T>("controller");
		let provider = registered_ml::<T>(&controller);
		let (e, c) = (text(b"https://", b'b'), text(b"", b'b'));
		let sig = update_sig::<T>(provider, |p| {
			p.endpoint = Some(e.to_vec());
			p.contact = Some(c.to_vec());
		});

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), provider, e, Some(c), sig);

		assert_eq!(Providers::<T>::get(provider).map(|r| r.key_nonce), Some(1));
	}

	#[benchmark]
	fn update_region() {
		let controller = funded::<T>("controller");
		let provider = registered_ml::<T>(&controller);
		let r = text(b"", b'b');
		let sig = update_sig::<T>(provider, |p| p.region = Some(r.to_vec()));

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), provider, r, sig);

		assert_eq!(Providers::<T>::get(provider).map(|r| r.key_nonce), Some(1));
	}

	/// Worst path: an ACTIVE provider with the largest capabilities; the rotation drops its
	/// attestations, so it leaves ACTIVE (status index and every eligibility entry written).
	#[benchmark]
	fn rotate_key() {
		let controller = funded::<T>("controller");
		let provider = active::<T>(&controller);
		let nonce = Providers::<T>::get(provider).map(|r| r.key_nonce).expect("registered");
		let new_seed = [43u8; 32];
		let new_key = bench::ml_dsa65_public(new_seed);
		let msg = RotationPayload {
			genesis: Registry::<T>::genesis_hash(),
			provider,
			nonce,
			new_alg: new_key.alg.id(),
			new_public_key: new_key.bytes.to_vec(),
		}
		.encode();
		let (s_old, s_new) =
			(bench::ml_dsa65_sign(SEED, &msg), bench::ml_dsa65_sign(new_seed, &msg));

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), provider, new_key.clone(), s_old, s_new);

		let record = Providers::<T>::get(provider).expect("registered");
		assert_eq!(record.key, new_key);
		assert_eq!(record.status, ProviderStatus::Registered);
	}

	/// Worst path: the stake makes an attested provider with a recent heartbeat and the
	/// largest capabilities ACTIVE (status index and every eligibility entry written).
	#[benchmark]
	fn stake() {
		let controller = funded::<T>("controller");
		let provider = active::<T>(&controller);
		// Take the bond away (setup only: the ledger alone), leaving the heartbeat recent.
		let amount = Registry::<T>::ledger(&provider).bonded;
		Registry::<T>::do_unstake(controller.clone(), provider, amount).expect("bonded");
		Ledgers::<T>::mutate(provider, |l| {
			if let Some(l) = l {
				l.unbonding.clear()
			}
		});

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), provider, amount);

		assert_eq!(Ledgers::<T>::get(provider).map(|l| l.bonded), Some(amount));
		assert_eq!(Providers::<T>::get(provider).map(|r| r.status), Some(ProviderStatus::Active));
	}

	/// Worst path: an ACTIVE provider with the largest capabilities becomes UNSTAKING (status
	/// index and every eligibility entry removed). (An unstake with chunks already pending
	/// changes no status: those make the provider UNSTAKING already.)
	#[benchmark]
	fn unstake() {
		let controller = funded::<T>("controller");
		let provider = active::<T>(&controller);

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), provider, 1u32.into());

		assert_eq!(
			Providers::<T>::get(provider).map(|r| r.status),
			Some(ProviderStatus::Unstaking)
		);
	}

	/// Worst path: every chunk slot taken, and the rebond makes the provider (largest
	/// capabilities, attested, heartbeat recent) ACTIVE again.
	#[benchmark]
	fn rebond() {
		let controller = funded::<T>("controller");
		let provider = active::<T>(&controller);
		let amount = Registry::<T>::ledger(&provider).bonded;
		for _ in 0..T::MaxUnbondingChunks::get() {
			Registry::<T>::do_unstake(controller.clone(), provider, 1u32.into()).expect("bonded");
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), provider);

		assert_eq!(Ledgers::<T>::get(provider).map(|l| l.bonded), Some(amount));
		assert_eq!(Providers::<T>::get(provider).map(|r| r.status), Some(ProviderStatus::Active));
	}

	/// Worst path: every chunk slot taken and fully unlocked; withdrawing the last one makes
	/// the provider (largest capabilities, bond above its minimum, attested, heartbeat recent)
	/// ACTIVE again.
	#[benchmark]
	fn withdraw() {
		let controller = funded::<T>("controller");
		let provider = active::<T>(&controller);
		let chunks = T::MaxUnbondingChunks::get();
		Registry::<T>::do_stake(controller.clone(), provider, chunks.into()).expect("funded");
		for _ in 0..chunks {
			Registry::<T>::do_unstake(controller.clone(), provider, 1u32.into()).expect("bonded");
		}
		// Unlocked already (setup only: the chunks' schedule), the heartbeat still recent.
		Ledgers::<T>::mutate(provider, |l| {
			for c in l.iter_mut().flat_map(|l| l.unbonding.iter_mut()) {
				c.start = Zero::zero();
				c.end = One::one();
			}
		});

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), provider);

		assert_eq!(Ledgers::<T>::get(provider).map(|l| l.unbonding.len()), Some(0));
		assert_eq!(Providers::<T>::get(provider).map(|r| r.status), Some(ProviderStatus::Active));
	}

	#[benchmark]
	fn deregister() {
		let controller = funded::<T>("controller");
		let provider = registered_ml::<T>(&controller);

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), provider);

		assert_eq!(
			Providers::<T>::get(provider).map(|r| r.status),
			Some(ProviderStatus::Deregistered)
		);
	}

	#[benchmark]
	fn heartbeat_ml_dsa() {
		let controller = funded::<T>("controller");
		let provider = registered_ml::<T>(&controller);
		routine::<T>(&controller, provider, |m| bench::ml_dsa65_sign(SEED, m));
		let (hb, sig) = signed_heartbeat::<T>(provider, 2, |m| bench::ml_dsa65_sign(SEED, m));

		#[extrinsic_call]
		heartbeat(RawOrigin::None, hb, sig);

		let now = frame_system::Pallet::<T>::block_number();
		assert!(Providers::<T>::get(provider).is_some_and(|r| r.last_heartbeat == Some(now)));
	}

	#[benchmark]
	fn heartbeat_slh_dsa() {
		let controller = funded::<T>("controller");
		let provider = register_as::<T>(&controller, bench::slh_dsa128s_public(7), |m| {
			bench::slh_dsa128s_sign(7, m)
		});
		routine::<T>(&controller, provider, |m| bench::slh_dsa128s_sign(7, m));
		let (hb, sig) = signed_heartbeat::<T>(provider, 2, |m| bench::slh_dsa128s_sign(7, m));

		#[extrinsic_call]
		heartbeat(RawOrigin::None, hb, sig);

		let now = frame_system::Pallet::<T>::block_number();
		assert!(Providers::<T>::get(provider).is_some_and(|r| r.last_heartbeat == Some(now)));
	}

	/// A heartbeat that changes the provider's status: its first heartbeat turns a staked,
	/// attested provider with the largest capabilities ACTIVE, so the status index and all 24
	/// eligibility entries are written (leaving ACTIVE by jail moves as many).
	#[benchmark]
	fn heartbeat_status_change() {
		let controller = funded::<T>("controller");
		let provider = awaiting_first_heartbeat::<T>(&controller);
		let (hb, sig) = signed_heartbeat::<T>(provider, 1, |m| bench::ml_dsa65_sign(SEED, m));
		assert_ne!(Providers::<T>::get(provider).map(|r| r.status), Some(ProviderStatus::Active));

		#[extrinsic_call]
		heartbeat(RawOrigin::None, hb, sig);

		assert_eq!(Providers::<T>::get(provider).map(|r| r.status), Some(ProviderStatus::Active));
	}

	/// The dispatch of an authorized heartbeat: everything but the signature, which
	/// `authorize_heartbeat_*` weighs (the same for both key algorithms).
	#[benchmark]
	fn heartbeat_authorized() {
		let controller = funded::<T>("controller");
		let provider = registered_ml::<T>(&controller);
		routine::<T>(&controller, provider, |m| bench::ml_dsa65_sign(SEED, m));
		let (hb, sig) = signed_heartbeat::<T>(provider, 2, |m| bench::ml_dsa65_sign(SEED, m));

		#[extrinsic_call]
		heartbeat(RawOrigin::Authorized, hb, sig);

		let now = frame_system::Pallet::<T>::block_number();
		assert!(Providers::<T>::get(provider).is_some_and(|r| r.last_heartbeat == Some(now)));
	}

	#[benchmark]
	fn authorize_heartbeat_ml_dsa() -> Result<(), BenchmarkError> {
		let controller = funded::<T>("controller");
		let provider = registered_ml::<T>(&controller);
		routine::<T>(&controller, provider, |m| bench::ml_dsa65_sign(SEED, m));
		let (heartbeat, signature) =
			signed_heartbeat::<T>(provider, 2, |m| bench::ml_dsa65_sign(SEED, m));
		let call = Call::<T>::heartbeat { heartbeat, signature };

		#[block]
		{
			use frame_support::{pallet_prelude::TransactionSource, traits::Authorize};
			call.authorize(TransactionSource::External)
				.ok_or("heartbeat must be authorizable")?
				.map_err(|_| "heartbeat must be valid")?;
		}

		Ok(())
	}

	#[benchmark]
	fn authorize_heartbeat_slh_dsa() -> Result<(), BenchmarkError> {
		let controller = funded::<T>("controller");
		let provider = register_as::<T>(&controller, bench::slh_dsa128s_public(7), |m| {
			bench::slh_dsa128s_sign(7, m)
		});
		routine::<T>(&controller, provider, |m| bench::slh_dsa128s_sign(7, m));
		let (heartbeat, signature) =
			signed_heartbeat::<T>(provider, 2, |m| bench::slh_dsa128s_sign(7, m));
		let call = Call::<T>::heartbeat { heartbeat, signature };

		#[block]
		{
			use frame_support::{pallet_prelude::TransactionSource, traits::Authorize};
			call.authorize(TransactionSource::External)
				.ok_or("heartbeat must be authorizable")?
				.map_err(|_| "heartbeat must be valid")?;
		}

		Ok(())
	}

	#[benchmark]
	fn report_unresponsive() {
		let controller = funded::<T>("controller");
		let provider = silent_active::<T>(&controller);
		let reporter = funded::<T>("reporter");

		#[extrinsic_call]
		_(RawOrigin::Signed(reporter), provider);

		assert_eq!(Providers::<T>::get(provider).map(|r| r.status), Some(ProviderStatus::Jailed));
	}

	#[benchmark]
	fn unjail() {
		let controller = funded::<T>("controller");
		let provider = silent_active::<T>(&controller);
		Registry::<T>::do_report_unresponsive(provider).expect("silent");
		let until = Providers::<T>::get(provider).and_then(|r| r.jailed_until).unwrap_or_default();
		frame_system::Pallet::<T>::set_block_number(until);
		// Heartbeat until healthy again (how many depends on the runtime's decay parameters).
		let mut counter = 2;
		loop {
			let (hb, sig) =
				signed_heartbeat::<T>(provider, counter, |m| bench::ml_dsa65_sign(SEED, m));
			Registry::<T>::do_heartbeat(hb, Some(&sig), false).expect("valid heartbeat");
			let record = Providers::<T>::get(provider).expect("registered");
			let now = frame_system::Pallet::<T>::block_number();
			if Registry::<T>::effective_health(&provider, &record, now) >= T::HealthThreshold::get()
				|| counter > 64
			{
				break;
			}
			counter += 1;
			frame_system::Pallet::<T>::set_block_number(
				now.saturating_add(T::MinHeartbeatInterval::get()),
			);
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), provider);

		assert_eq!(Providers::<T>::get(provider).map(|r| r.status), Some(ProviderStatus::Active));
	}

	/// Worst path: the slash jails an ACTIVE provider with the largest capabilities (status
	/// index and every eligibility entry removed). (With unbonding chunks to walk the provider
	/// is UNSTAKING, in no eligibility index; the walk is a few comparisons.)
	#[benchmark]
	fn report_offence() -> Result<(), BenchmarkError> {
		let controller = funded::<T>("controller");
		let provider = active::<T>(&controller);
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, provider, Offence::InvalidProof);

		assert_eq!(Providers::<T>::get(provider).map(|r| r.status), Some(ProviderStatus::Jailed));
		Ok(())
	}

	/// Worst path: an ACTIVE provider with the largest capabilities leaves every eligibility
	/// index.
	#[benchmark]
	fn force_jail() -> Result<(), BenchmarkError> {
		let controller = funded::<T>("controller");
		let provider = active::<T>(&controller);
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let reason =
			GovernanceReason::truncate_from([b'r'; MAX_GOVERNANCE_REASON_LEN as usize].to_vec());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, provider, T::MaxGovernanceJailBlocks::get(), reason);

		assert_eq!(Providers::<T>::get(provider).map(|r| r.status), Some(ProviderStatus::Jailed));
		Ok(())
	}

	/// Worst path: an ACTIVE provider with the largest capabilities, an open lease and bonded
	/// stake leaves every index, unbonds, and returns its deposit. (With every unbonding slot
	/// taken the provider is UNSTAKING, in fewer indexes; the ledger write is the same.)
	#[benchmark]
	fn force_deregister() -> Result<(), BenchmarkError> {
		let controller = funded::<T>("controller");
		let provider = active::<T>(&controller);
		<Registry<T> as ProviderLeases>::acquire_lease(&provider).expect("ACTIVE, quota free");
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let reason =
			GovernanceReason::truncate_from([b'r'; MAX_GOVERNANCE_REASON_LEN as usize].to_vec());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, provider, reason);

		let record = Providers::<T>::get(provider).expect("kept");
		assert_eq!(record.status, ProviderStatus::Deregistered);
		assert_eq!(record.leases_in_use, 0);
		assert_eq!(Ledgers::<T>::get(provider).map(|l| l.bonded), Some(0u32.into()));
		Ok(())
	}

	#[benchmark]
	fn pay_liability() {
		let controller = funded::<T>("controller");
		let provider = registered_ml::<T>(&controller);
		let mut ledger = Registry::<T>::ledger(&provider);
		ledger.liabilities = 1_000u32.into();
		Ledgers::<T>::insert(provider, ledger);

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), provider, 1_000u32.into());

		assert_eq!(Ledgers::<T>::get(provider).map(|l| l.liabilities), Some(0u32.into()));
	}

	/// One record of the `on_idle` sweep, on its worst path: the record is jailed.
	#[benchmark]
	fn sweep_item() {
		let controller = funded::<T>("controller");
		let provider = silent_active::<T>(&controller);
		let mut meter = frame_support::weights::WeightMeter::new();

		#[block]
		{
			Registry::<T>::sweep(&mut meter);
		}

		assert_eq!(Providers::<T>::get(provider).map(|r| r.status), Some(ProviderStatus::Jailed));
	}

	/// Region policy with `r` regions in all (allowed first, then denied), each of the
	/// longest length.
	#[benchmark]
	fn set_region_policy(
		r: Linear<0, { 2 * T::MaxRegionPolicy::get() }>,
	) -> Result<(), BenchmarkError> {
		let max = T::MaxRegionPolicy::get();
		let region = |i: u32| {
			let mut v = alloc::vec![b'a'; aicf_primitives::types::MAX_REGION_LEN as usize];
			v[0] = b'a' + (i % 26) as u8;
			v[1] = b'a' + ((i / 26) % 26) as u8;
			aicf_primitives::types::Region::truncate_from(v)
		};
		let allowed: BoundedVec<_, T::MaxRegionPolicy> =
			BoundedVec::truncate_from((0..r.min(max)).map(region).collect());
		let denied: BoundedVec<_, T::MaxRegionPolicy> =
			BoundedVec::truncate_from((r.min(max)..r).map(|i| region(i + 1000)).collect());
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, allowed, denied);

		assert_eq!(NetworkRegionPolicy::<T>::get().allowed.len() as u32, r.min(max));
		Ok(())
	}

	/// Pay out one credited epoch to the controller.
	#[benchmark]
	fn claim_payout() -> Result<(), BenchmarkError> {
		let controller = funded::<T>("controller");
		let provider = registered_ml::<T>(&controller);
		let amount = payout_amount::<T>();
		T::Currency::set_balance(
			&Registry::<T>::pot_account(),
			amount.saturating_mul(10u32.into()),
		);
		Registry::<T>::do_credit(provider, 1, amount).expect("pot funded");
		let origin =
			T::OpsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, provider, 1);

		assert!(Payouts::<T>::get(provider, 1).and_then(|p| p.claimed_at).is_some());
		Ok(())
	}

	/// Credit an epoch that already has a credit (read, add, write).
	#[benchmark]
	fn credit_payout() {
		let controller = funded::<T>("controller");
		let provider = registered_ml::<T>(&controller);
		let amount = payout_amount::<T>();
		T::Currency::set_balance(
			&Registry::<T>::pot_account(),
			amount.saturating_mul(10u32.into()),
		);
		Registry::<T>::do_credit(provider, 1, amount).expect("pot funded");

		#[block]
		{
			<Registry<T> as ProviderPayouts<T::Balance>>::credit(&provider, 1, amount)
				.expect("pot covers two credits");
		}

		assert_eq!(Payouts::<T>::get(provider, 1).map(|p| p.amount), Some(amount + amount));
	}

	/// Take a lease slot of an ACTIVE provider.
	#[benchmark]
	fn acquire_lease() {
		let controller = funded::<T>("controller");
		let provider = active::<T>(&controller);

		#[block]
		{
			<Registry<T> as ProviderLeases>::acquire_lease(&provider).expect("ACTIVE, quota free");
		}

		assert_eq!(Providers::<T>::get(provider).map(|r| r.leases_in_use), Some(1));
	}

	/// Return a lease slot, counting its outcome in the provider's current SLA window (an
	/// ended window's closing is charged on its own, `close_sla_window`).
	#[benchmark]
	fn release_lease() {
		let controller = funded::<T>("controller");
		let provider = active::<T>(&controller);
		<Registry<T> as ProviderLeases>::acquire_lease(&provider).expect("ACTIVE, quota free");
		let now = frame_system::Pallet::<T>::block_number();
		SlaWindows::<T>::insert(provider, SlaRecord::new(Registry::<T>::sla_window_at(now)));

		#[block]
		{
			<Registry<T> as ProviderLeases>::release_lease(&provider, LeaseOutcome::TimedOut)
				.expect("lease open");
		}

		assert_eq!(Providers::<T>::get(provider).map(|r| r.leases_in_use), Some(0));
		assert_eq!(SlaWindows::<T>::get(provider).map(|r| r.timed_out), Some(1));
	}

	/// Worst path: the ended window is a breach of severity 3 (every lease failed, and a
	/// run of low availability) of an ACTIVE provider with the largest capabilities and a full
	/// QoS window: slashed, jailed, out of every eligibility index.
	#[benchmark]
	fn close_sla_window() {
		let len = T::Sla::get().window_blocks.max(1u32.into());
		frame_system::Pallet::<T>::set_block_number(len.saturating_mul(2u32.into()));
		let controller = funded::<T>("controller");
		let provider = active::<T>(&controller);
		let report = HeartbeatReport { availability_bps: 0, ..Default::default() };
		for _ in 0..T::QosWindowLen::get() {
			Registry::<T>::record_qos(&provider, &report);
		}
		let now = frame_system::Pallet::<T>::block_number();
		let closed = Registry::<T>::sla_window_at(now) - 1;
		SlaWindows::<T>::insert(
			provider,
			SlaRecord {
				window: closed,
				abandoned: 1_000,
				timed_out: 1_000,
				low_availability_run: 100,
				..SlaRecord::new(closed)
			},
		);
		let breached;

		#[block]
		{
			breached = Registry::<T>::close_sla_window(&provider);
		}

		assert!(breached);
		assert_eq!(Providers::<T>::get(provider).map(|r| r.status), Some(ProviderStatus::Jailed));
	}

	/// `candidates` returning `r` eligible providers, with 1 000 other ACTIVE providers
	/// indexed under another model family. The weight a matcher charges for a call with
	/// `limit` is `candidates(limit + MaxCandidateSkips)`.
	#[benchmark]
	fn candidates(r: Linear<1, 100>) {
		let controller = funded::<T>("controller");
		let template = active::<T>(&controller);
		let wanted = largest_name(0);
		clone_indexed::<T>(template, 1, r, &IndexKey::Ai(wanted.clone()));
		clone_indexed::<T>(template, 2, 1_000, &IndexKey::Ai(largest_name(1)));
		let req = ai_requirements::<T>(wanted);
		let found;

		#[block]
		{
			found = <Registry<T> as ProviderEligibility<T::Balance>>::candidates(&req, r, None).0;
		}

		// The template itself is indexed under `wanted` too.
		assert_eq!(found.len() as u32, r);
	}

	/// `candidates` returning 10 providers while `n` other ACTIVE providers are registered
	/// and indexed under other model families: the cost does not grow with `n`.
	#[benchmark]
	fn candidates_population(n: Linear<0, 10_000>) {
		let controller = funded::<T>("controller");
		let template = active::<T>(&controller);
		let wanted = largest_name(0);
		clone_indexed::<T>(template, 1, 10, &IndexKey::Ai(wanted.clone()));
		clone_indexed::<T>(template, 2, n, &IndexKey::Ai(largest_name(1)));
		let req = ai_requirements::<T>(wanted);
		let found;

		#[block]
		{
			found = <Registry<T> as ProviderEligibility<T::Balance>>::candidates(&req, 10, None).0;
		}

		assert_eq!(found.len(), 10);
	}

	/// A batch of `n` liveness proofs through the block's path: `pre_dispatch` (every item
	/// checked, the budget's write) then the call (every item checked again, each chain
	/// written). Each item is a different provider, one missed deadline banked (the longest
	/// path).
	#[benchmark]
	fn prove_liveness(n: Linear<1, 2_000>) {
		use aicf_primitives::liveness::{link, LivenessProof};
		let n = n.min(T::MaxProofsPerBatch::get());
		let start = frame_system::Pallet::<T>::block_number();
		let mut proofs = alloc::vec::Vec::new();
		for i in 0..n {
			let mut id = [0u8; aicf_primitives::id::PROVIDER_ID_LEN];
			id[0] = 3;
			id[1..5].copy_from_slice(&i.to_be_bytes());
			let mut preimage = [0u8; 32];
			preimage[..4].copy_from_slice(&i.to_be_bytes());
			crate::LivenessChains::<T>::insert(
				ProviderId(id),
				crate::proofs::LivenessChain {
					anchor: link(&preimage),
					remaining: T::MaxLivenessChain::get(),
					last_seen: start,
					missed: 0,
				},
			);
			proofs.push(LivenessProof { provider: ProviderId(id), preimage });
		}
		let now = start
			.saturating_add(T::HeartbeatInterval::get())
			.saturating_add(T::HeartbeatInterval::get())
			.saturating_add(T::HeartbeatGrace::get());
		frame_system::Pallet::<T>::set_block_number(now);

		#[block]
		{
			Registry::<T>::pre_dispatch_proofs(&proofs).expect("valid batch");
			Registry::<T>::do_prove_liveness(&proofs, true).expect("valid batch");
		}

		let last = proofs.last().expect("n >= 1");
		let chain = crate::LivenessChains::<T>::get(last.provider).expect("chain");
		assert_eq!((chain.anchor, chain.last_seen, chain.missed), (last.preimage, now, 1));
	}

	impl_benchmark_test_suite!(
		Registry,
		crate::mock::ExtBuilder::new_test_ext(),
		crate::mock::Test
	);
}
