//! Providers set up for other pallets' benchmarks (the attestation pallet's, through the
//! runtime's benchmark helper).

use crate::{
	benchmarking::{largest_capabilities, pop_signature},
	Config, Error, Pallet, Providers,
};
use aicf_primitives::{
	crypto::bench,
	traits::{AttestationRecord, EvidenceKind},
	types::AiCapability,
	Capabilities, ProviderId,
};
use frame_support::{pallet_prelude::*, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, Permill};

impl<T: Config> Pallet<T> {
	/// Register a provider for other pallets' benchmarks: ML-DSA-65 key from `seed`
	/// (the deterministic benchmark keys of `aicf_primitives::crypto::bench`), AI
	/// capability, controlled by `controller`.
	pub fn benchmark_provider(
		controller: T::AccountId,
		seed: [u8; 32],
	) -> Result<ProviderId, DispatchError> {
		let key = bench::ml_dsa65_public(seed);
		let provider = key.provider_id();
		let sig = pop_signature::<T>(&controller, &key, |m| bench::ml_dsa65_sign(seed, m));
		let model = BoundedVec::truncate_from(b"llama3-8b".to_vec());
		let capabilities = Capabilities {
			ai: Some(AiCapability {
				models: BoundedVec::truncate_from(alloc::vec![model]),
				throughput_milli_tps: 1_000,
			}),
			quantum: None,
		};
		Self::do_register(
			controller,
			key,
			sig,
			capabilities,
			BoundedVec::truncate_from(b"us-west-2".to_vec()),
			BoundedVec::truncate_from(b"https://bench.example".to_vec()),
			BoundedVec::truncate_from(b"ops@bench.example".to_vec()),
		)?;
		Ok(provider)
	}

	/// A provider that an accepted attestation turns ACTIVE, for other pallets'
	/// benchmarks: registered through [`Self::benchmark_provider`], then given the largest
	/// capabilities (every model and trap family slot used), a recent heartbeat and the
	/// minimum stake, but no attestation. Recording its attestation is the registry's most
	/// expensive hand-over: the status changes and every index entry is written. The
	/// controller must hold the minimum stake.
	pub fn benchmark_provider_awaiting_attestation(
		controller: T::AccountId,
		seed: [u8; 32],
	) -> Result<ProviderId, DispatchError> {
		let provider = Self::benchmark_provider(controller.clone(), seed)?;
		let capabilities = largest_capabilities();
		let min = Self::min_required(&capabilities);
		let now = frame_system::Pallet::<T>::block_number();
		Providers::<T>::try_mutate(provider, |r| -> DispatchResult {
			let r = r.as_mut().ok_or(Error::<T>::UnknownProvider)?;
			Self::relist(&provider, (&r.capabilities, &r.region), (&capabilities, &r.region));
			r.capabilities = capabilities;
			r.last_heartbeat = Some(now);
			r.heartbeat.counter = 1;
			r.heartbeat.health = Permill::one();
			r.heartbeat.report.availability_bps = 10_000;
			r.heartbeat.report.leases_capacity = 8;
			// The quantum capability is already backed: the `ai` attestation is the one that
			// turns the provider ACTIVE.
			r.attestations.quantum =
				Some(Self::benchmark_attestation(&r.capabilities, EvidenceKind::Quantum, now));
			Ok(())
		})?;
		Self::do_stake(controller, provider, min)?;
		Ok(provider)
	}

	/// A record as the attestation pallet hands it over, of `kind`, certifying every trap
	/// family `caps` declares (for a facility certificate), verified at `now` and counting for
	/// a long time.
	pub fn benchmark_attestation(
		caps: &Capabilities,
		kind: EvidenceKind,
		now: BlockNumberFor<T>,
	) -> AttestationRecord<BlockNumberFor<T>> {
		let far: BlockNumberFor<T> = 1_000_000u32.into();
		AttestationRecord {
			evidence_hash: [(kind as u8).wrapping_add(7); 32],
			kind,
			measurement: [0; 48],
			updated_height: now,
			version: 1,
			expires_at: now.saturating_add(far),
			not_after: u64::MAX,
			trap_families: match (kind, &caps.quantum) {
				(EvidenceKind::Quantum, Some(q)) => q.trap_families.clone(),
				_ => BoundedVec::new(),
			},
		}
	}

	/// Hand `provider` the attestations that back every capability it declares, as the
	/// attestation pallet would.
	pub fn benchmark_attest(provider: &ProviderId) -> DispatchResult {
		use aicf_primitives::traits::AttestationSink;
		let caps = Providers::<T>::get(provider).ok_or(Error::<T>::UnknownProvider)?.capabilities;
		let now = frame_system::Pallet::<T>::block_number();
		if caps.ai.is_some() {
			Self::attestation_verified(
				provider,
				Self::benchmark_attestation(&caps, EvidenceKind::SgxDcap, now),
			)?;
		}
		if caps.quantum.is_some() {
			Self::attestation_verified(
				provider,
				Self::benchmark_attestation(&caps, EvidenceKind::Quantum, now),
			)?;
		}
		Ok(())
	}
}
