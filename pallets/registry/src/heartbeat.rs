//! Heartbeats, health, and jailing for silence or poor health.
//!
//! A heartbeat is a transaction signed by the provider's **registry key only**: no account,
//! no fee. It reaches the chain in one of two forms, both checked by
//! [`Pallet::validate_heartbeat`]:
//!
//! - a general transaction authorized by `#[pallet::authorize]` (`frame_system::AuthorizeCall`
//!   in the runtime's extensions) — what subxt builds;
//! - a bare extrinsic accepted by `ValidateUnsigned` — what polkadot-js can send today.
//!
//! Validation is cheap-first, and each rejection has its own code ([`HeartbeatRejection`]):
//! block budget used up → unknown or deregistered provider → too early → stale counter →
//! counter jump → no stake behind it (the ledger read) → timestamp outside the window →
//! attestation hash mismatch → malformed report → signature.
//!
//! A heartbeat is free, so it is admitted only where it buys something, and never at the
//! expense of fee-paying transactions:
//! - the provider's bond covers its minimum stake — an unstaked or unknown provider is refused
//!   before any signature is verified;
//! - a block includes at most `MaxHeartbeatsPerBlock` heartbeat slots (one past the budget is
//!   refused with `ExhaustsResources` and waits in the pool for the next block); an ML-DSA-65
//!   heartbeat takes one slot, an SLH-DSA-SHA2-128s one, more than twice as long,
//!   [`SLH_DSA_HEARTBEAT_SLOTS`], so the budget bounds the length free heartbeats take;
//! - the pool priority grows with the blocks since the provider was last seen (heartbeat or
//!   liveness proof), so due heartbeats outrank early ones;
//! - the pool tags every heartbeat with `(provider)`, so at most one per provider waits there.
//!
//! The counter makes a replay invalid in the pool and in the block, and may move forward by at
//! most `MaxHeartbeatCounterStep` (a key rotation resets it).
//!
//! Jailing for prolonged silence (more than `MaxMissedHeartbeats` missed deadlines) or
//! effective health below `HealthThreshold` applies to a provider stored ACTIVE. Silence alone
//! never changes that stored status (a silent provider is shown REGISTERED and is ineligible at
//! once, but stays stored ACTIVE), so a call made during the silence does not excuse it. It
//! happens (a) whenever a call touches the record, (b) through the permissionless
//! `report_unresponsive`, free when true, and (c) in a bounded `on_idle` sweep.

use crate::{
	health,
	proofs::{LivenessChain, Seen},
	weights::WeightInfo,
	Config, Error, Event, HeartbeatBlockUsage, HeartbeatState, LivenessChains, Pallet,
	ProviderRecordOf, Providers, StatusReason, SweepCursor,
};
use aicf_primitives::{
	crypto::{SignatureBytes, ML_DSA_65_SIGNATURE_LEN, SLH_DSA_128S_SIGNATURE_LEN},
	payload::MAX_AVAILABILITY_BPS,
	KeyAlgorithm, ProviderId, ProviderStatus,
};
// The heartbeat's argument and rejection codes are defined once, in `aicf-primitives`.
pub use aicf_primitives::heartbeat::{Heartbeat, HeartbeatRejection};
use frame_support::{
	pallet_prelude::*,
	traits::{Get, UnixTime},
	weights::WeightMeter,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, UniqueSaturatedInto, Zero},
	Permill,
};

/// Tag prefix of heartbeats in the transaction pool.
const TAG: &[u8] = b"aicf/heartbeat";

/// The parameters that silence, health and jailing depend on, read once per call
/// ([`Pallet::liveness`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Liveness {
	/// `HeartbeatInterval`, in blocks.
	pub interval: u64,
	/// `HeartbeatGrace`, in blocks.
	pub grace: u64,
	/// `HealthDecayPerInterval`.
	pub decay: Permill,
	/// `HealthThreshold`.
	pub threshold: Permill,
	/// `MaxMissedHeartbeats`.
	pub max_missed: u64,
}

impl<T: Config> Pallet<T> {
	/// Chain time in Unix seconds.
	pub(crate) fn now_secs() -> u64 {
		T::UnixTime::now().as_secs()
	}

	fn block_u64(b: BlockNumberFor<T>) -> u64 {
		b.unique_saturated_into()
	}

	/// The liveness parameters in force, read once (in the runtime each of them is a read of
	/// the governance-set parameters value): calls that test silence, health and jailing
	/// several times load them once and pass them on.
	pub fn liveness() -> Liveness {
		Liveness {
			interval: Self::block_u64(T::HeartbeatInterval::get()),
			grace: Self::block_u64(T::HeartbeatGrace::get()),
			decay: T::HealthDecayPerInterval::get(),
			threshold: T::HealthThreshold::get(),
			max_missed: u64::from(T::MaxMissedHeartbeats::get()),
		}
	}

	/// Heartbeat deadlines `record` (of `provider`) has missed at `now` since it was last seen
	/// (signed heartbeat or liveness proof; 0 if it never sent a heartbeat); see
	/// [`health::missed_intervals`].
	pub fn missed(
		provider: &ProviderId,
		record: &ProviderRecordOf<T>,
		now: BlockNumberFor<T>,
	) -> u64 {
		Self::missed_at(&Self::liveness(), &Self::seen(provider, record), now)
	}

	/// [`Self::missed`] under the parameters `l`, from when the provider was last seen.
	pub(crate) fn missed_at(
		l: &Liveness,
		seen: &Seen<BlockNumberFor<T>>,
		now: BlockNumberFor<T>,
	) -> u64 {
		seen.last.map_or(0, |at| {
			health::missed_intervals(Self::block_u64(at), Self::block_u64(now), l.interval, l.grace)
		})
	}

	/// Effective health at `now` (zero before the first heartbeat): the score of the last
	/// signed report, decayed by every deadline missed since (those banked between liveness
	/// proofs and those since the last one).
	pub fn effective_health(
		provider: &ProviderId,
		record: &ProviderRecordOf<T>,
		now: BlockNumberFor<T>,
	) -> Permill {
		Self::effective_health_at(&Self::liveness(), record, &Self::seen(provider, record), now)
	}

	/// [`Self::effective_health`] under the parameters `l`.
	pub(crate) fn effective_health_at(
		l: &Liveness,
		record: &ProviderRecordOf<T>,
		seen: &Seen<BlockNumberFor<T>>,
		now: BlockNumberFor<T>,
	) -> Permill {
		match seen.last {
			None => Permill::zero(),
			Some(_) => health::decayed(
				record.heartbeat.health,
				l.decay,
				seen.banked.saturating_add(Self::missed_at(l, seen, now)),
			),
		}
	}

	/// Whether `record` should be jailed at `now`: it is stored ACTIVE, not jailed, and has
	/// missed more than `MaxMissedHeartbeats` deadlines or its effective health fell below the
	/// threshold. Silence alone never changes a stored ACTIVE status (see
	/// [`Pallet::refresh_status`]), so no call made during the silence excuses it.
	pub fn should_jail(
		provider: &ProviderId,
		record: &ProviderRecordOf<T>,
		now: BlockNumberFor<T>,
	) -> bool {
		Self::should_jail_at(&Self::liveness(), record, &Self::seen(provider, record), now)
	}

	/// [`Self::should_jail`] under the parameters `l`.
	pub(crate) fn should_jail_at(
		l: &Liveness,
		record: &ProviderRecordOf<T>,
		seen: &Seen<BlockNumberFor<T>>,
		now: BlockNumberFor<T>,
	) -> bool {
		record.status == ProviderStatus::Active
			&& record.jailed_until.is_none()
			&& (Self::missed_at(l, seen, now) > l.max_missed
				|| Self::effective_health_at(l, record, seen, now) < l.threshold)
	}

	/// Whether a heartbeat from `record` is admitted: its bond covers its minimum stake,
	/// whatever its status (a provider slashed below it tops up, a paid call, first).
	fn heartbeat_admitted(provider: &ProviderId, record: &ProviderRecordOf<T>) -> bool {
		let bonded = Self::ledger(provider).bonded;
		!bonded.is_zero() && bonded >= Self::min_required(&record.capabilities)
	}

	/// Pool priority of a heartbeat from `record` at `now`: the base priority plus the blocks
	/// since the provider was last seen (`seen`: its last heartbeat or liveness proof; an
	/// interval for the first), so heartbeats that are due outrank early ones — a provider
	/// heartbeating every `MinHeartbeatInterval` to crowd the per-block budget ranks below
	/// every punctual provider, and proofs between heartbeats earn no extra rank.
	fn heartbeat_priority(seen: &Seen<BlockNumberFor<T>>, now: BlockNumberFor<T>) -> u64 {
		let waited = match seen.last {
			Some(at) => Self::block_u64(now.saturating_sub(at)),
			None => Self::block_u64(T::HeartbeatInterval::get()),
		};
		T::HeartbeatPriority::get().saturating_add(waited)
	}

	/// Mark `record` jailed until `now + cooldown` (extending a longer jail) and emit
	/// [`Event::Jailed`]; the status follows in [`Pallet::refresh_status`].
	pub(crate) fn set_jailed(
		provider: &ProviderId,
		record: &mut ProviderRecordOf<T>,
		cooldown: BlockNumberFor<T>,
	) {
		let now = frame_system::Pallet::<T>::block_number();
		let until = now.saturating_add(cooldown);
		let until = record.jailed_until.map_or(until, |u| u.max(until));
		record.jailed_until = Some(until);
		record.cooldown_until = record.cooldown_until.max(until);
		Self::deposit_event(Event::Jailed { provider: *provider, until });
	}

	/// Jail `record` (written back by the caller) and re-decide its status.
	pub(crate) fn jail(
		provider: &ProviderId,
		record: &mut ProviderRecordOf<T>,
		cooldown: BlockNumberFor<T>,
		reason: StatusReason,
	) {
		Self::set_jailed(provider, record, cooldown);
		Self::refresh_status(provider, record, reason);
	}

	/// Heartbeat slots used so far in the current block (an ML-DSA-65 heartbeat takes one, an
	/// SLH-DSA-SHA2-128s one [`SLH_DSA_HEARTBEAT_SLOTS`]).
	pub fn heartbeats_in_block() -> u32 {
		let (block, count) = HeartbeatBlockUsage::<T>::get();
		if block == frame_system::Pallet::<T>::block_number() {
			count
		} else {
			0
		}
	}

	/// Check a heartbeat (both transaction forms and the block use this one function).
	pub fn validate_heartbeat(
		hb: &Heartbeat,
		signature: &SignatureBytes,
	) -> Result<ValidTransaction, HeartbeatRejection> {
		Self::validate_heartbeat_with_alg(hb, signature).map(|(v, _)| v)
	}

	/// [`Self::validate_heartbeat`], with the algorithm of the key that signed it (what the
	/// authorization weighs: [`Self::authorize_heartbeat_unspent`]).
	pub fn validate_heartbeat_with_alg(
		hb: &Heartbeat,
		signature: &SignatureBytes,
	) -> Result<(ValidTransaction, KeyAlgorithm), HeartbeatRejection> {
		let record = Self::check_heartbeat(hb, Some(signature), Some(signature.len()))?;
		let now = frame_system::Pallet::<T>::block_number();
		let alg = record.key.alg;
		Ok((
			ValidTransaction::with_tag_prefix("AicfHeartbeat")
				.priority(Self::heartbeat_priority(&Self::seen(&hb.provider, &record), now))
				.and_provides((TAG, hb.provider))
				.longevity(Self::block_u64(T::MinHeartbeatInterval::get()).max(1))
				.propagate(true)
				.build()
				.unwrap_or_default(),
			alg,
		))
	}

	/// The in-block check of a bare heartbeat (`ValidateUnsigned::pre_dispatch`): every check
	/// of [`Self::validate_heartbeat`] but the signature, which the call itself verifies and
	/// is weighed for; then the heartbeat takes its slot of the block's budget here, where the
	/// write survives a failed call (a bad signature), so every included heartbeat counts.
	/// (The default `pre_dispatch` re-ran the whole pool check, so a bare heartbeat was
	/// verified twice in a block and charged once.)
	pub fn pre_dispatch_heartbeat(
		hb: &Heartbeat,
		signature: &SignatureBytes,
	) -> Result<(), HeartbeatRejection> {
		let record = Self::check_heartbeat(hb, None, Some(signature.len()))?;
		Self::take_heartbeat_slot(heartbeat_slots_of(record.key.alg, signature.len()));
		Ok(())
	}

	/// Count a heartbeat of `slots` slots against the current block's budget.
	fn take_heartbeat_slot(slots: u32) {
		let now = frame_system::Pallet::<T>::block_number();
		HeartbeatBlockUsage::<T>::put((now, Self::heartbeats_in_block().saturating_add(slots)));
	}

	/// Whether a heartbeat of `slots` slots still fits the current block: the heartbeat budget
	/// and the liveness budget it shares with proofs.
	fn heartbeat_fits(slots: u32) -> bool {
		Self::heartbeats_in_block().saturating_add(slots) <= T::MaxHeartbeatsPerBlock::get()
			&& Self::liveness_units_in_block()
				.saturating_add(slots.saturating_mul(T::ProofsPerHeartbeat::get()))
				<= T::MaxProofsPerBlock::get()
	}

	/// Every check of [`Self::validate_heartbeat`], cheap first; the signature only if given;
	/// the block's budget only if `budget` gives the length of the signature the heartbeat
	/// carries (see [`heartbeat_slots_of`]). Returns the provider's record, read once for the
	/// checks and the update.
	fn check_heartbeat(
		hb: &Heartbeat,
		signature: Option<&SignatureBytes>,
		budget: Option<usize>,
	) -> Result<ProviderRecordOf<T>, HeartbeatRejection> {
		// The block's budget first: once it is used up, a heartbeat costs two small reads. A
		// heartbeat takes `heartbeat_slots` of the block's heartbeat budget and
		// `ProofsPerHeartbeat` units of its liveness budget per slot; the key's algorithm (the
		// slot count) is known once the record is read, so here the least any heartbeat needs.
		if budget.is_some() && !Self::heartbeat_fits(1) {
			return Err(HeartbeatRejection::BlockFull);
		}
		let record = Providers::<T>::get(hb.provider).ok_or(HeartbeatRejection::UnknownProvider)?;
		if budget.is_some_and(|len| !Self::heartbeat_fits(heartbeat_slots_of(record.key.alg, len)))
		{
			return Err(HeartbeatRejection::BlockFull);
		}
		if record.status == ProviderStatus::Deregistered {
			return Err(HeartbeatRejection::Deregistered);
		}
		let now = frame_system::Pallet::<T>::block_number();
		// Since the last heartbeat or liveness proof.
		if let Some(last) = Self::seen(&hb.provider, &record).last {
			if now < last.saturating_add(T::MinHeartbeatInterval::get()) {
				return Err(HeartbeatRejection::TooEarly);
			}
		}
		// The stored counter is 0 before the first heartbeat and after a key rotation.
		if hb.counter <= record.heartbeat.counter {
			return Err(HeartbeatRejection::StaleCounter);
		}
		if hb.counter.saturating_sub(record.heartbeat.counter) > T::MaxHeartbeatCounterStep::get() {
			return Err(HeartbeatRejection::CounterJump);
		}
		// The one check that reads more than the record (the ledger); still before the
		// signature, so a heartbeat from an unstaked provider costs no verification.
		if !Self::heartbeat_admitted(&hb.provider, &record) {
			return Err(HeartbeatRejection::NotStaked);
		}
		if Self::now_secs().abs_diff(hb.timestamp) > T::HeartbeatTimestampWindow::get() {
			return Err(HeartbeatRejection::TimestampOutOfWindow);
		}
		// Any of the provider's attestations (one per declared capability); zero when it has
		// none.
		let named = if record.attestations.iter().next().is_none() {
			hb.attest_hash == [0; 32]
		} else {
			record.attestations.iter().any(|a| {
				a.evidence_hash == hb.attest_hash && record.capabilities.has(a.kind.capability())
			})
		};
		if !named {
			return Err(HeartbeatRejection::AttestationMismatch);
		}
		if hb.report.availability_bps > MAX_AVAILABILITY_BPS
			|| hb.report.leases_active > hb.report.leases_capacity
		{
			return Err(HeartbeatRejection::MalformedReport);
		}
		if hb.liveness.is_some_and(|c| c.length == 0 || c.length > T::MaxLivenessChain::get()) {
			return Err(HeartbeatRejection::InvalidCommitment);
		}
		let Some(signature) = signature else { return Ok(record) };
		let payload = hb.payload(Self::genesis_hash());
		record
			.key
			.verify(&payload.encode(), signature)
			.map_err(|_| HeartbeatRejection::BadSignature)?;
		Ok(record)
	}

	/// Apply a heartbeat. `signature` is checked if given; `None` only when the transaction's
	/// validity check already verified it in this block execution (authorized origin).
	/// `slot_taken`: the bare form's `pre_dispatch` already counted it against the block's
	/// budget ([`Self::pre_dispatch_heartbeat`]).
	/// Returns the provider's key algorithm and whether its stored status changed (the
	/// expensive case: its index entries moved), which the call's weight depends on.
	pub(crate) fn do_heartbeat(
		hb: Heartbeat,
		signature: Option<&SignatureBytes>,
		slot_taken: bool,
	) -> Result<(KeyAlgorithm, bool), DispatchError> {
		// The slot is taken here only for an authorized heartbeat (its signature verified
		// against the key: its length is the key's) and direct calls.
		let budget = (!slot_taken).then_some(0);
		let mut record = Self::check_heartbeat(&hb, signature, budget).map_err(Error::<T>::from)?;
		let now = frame_system::Pallet::<T>::block_number();
		if !slot_taken {
			Self::take_heartbeat_slot(heartbeat_slots(record.key.alg));
		}
		let status_before = record.status;
		let l = Self::liveness();
		let seen = Self::seen(&hb.provider, &record);
		// Silence before this heartbeat counts first: a provider that was ACTIVE and went
		// silent for too long is jailed, even though it speaks again now.
		if Self::should_jail_at(&l, &record, &seen, now) {
			Self::jail(
				&hb.provider,
				&mut record,
				T::JailCooldownBlocks::get(),
				StatusReason::Unresponsive,
			);
		}
		let effective =
			record.last_heartbeat.map(|_| Self::effective_health_at(&l, &record, &seen, now));
		let quality = Permill::from_rational(
			u32::from(hb.report.availability_bps),
			u32::from(MAX_AVAILABILITY_BPS),
		);
		record.heartbeat = HeartbeatState {
			counter: hb.counter,
			timestamp: hb.timestamp,
			report: hb.report,
			health: health::after_heartbeat(effective, quality, T::HealthSmoothing::get()),
		};
		record.last_heartbeat = Some(now);
		// A new commitment replaces the chain; a heartbeat without one ends it.
		match hb.liveness {
			Some(c) => LivenessChains::<T>::insert(
				hb.provider,
				LivenessChain { anchor: c.anchor, remaining: c.length, last_seen: now, missed: 0 },
			),
			None => LivenessChains::<T>::remove(hb.provider),
		}
		Self::record_qos(&hb.provider, &hb.report);
		Self::deposit_event(Event::HeartbeatReceived {
			provider: hb.provider,
			counter: hb.counter,
			health: record.heartbeat.health,
		});
		Self::refresh_status_at(&l, &hb.provider, &mut record, StatusReason::HeartbeatReceived);
		let outcome = (record.key.alg, record.status != status_before);
		Providers::<T>::insert(hb.provider, record);
		Ok(outcome)
	}

	/// Jail `provider` if it is unresponsive; error otherwise.
	pub(crate) fn do_report_unresponsive(provider: ProviderId) -> DispatchResult {
		let mut record = Providers::<T>::get(provider).ok_or(Error::<T>::UnknownProvider)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(Self::should_jail(&provider, &record, now), Error::<T>::NotUnresponsive);
		Self::jail(
			&provider,
			&mut record,
			T::JailCooldownBlocks::get(),
			StatusReason::Unresponsive,
		);
		Providers::<T>::insert(provider, record);
		Ok(())
	}

	/// Leave jail after the cooldown, when stake, attestation, heartbeat and health allow.
	pub(crate) fn do_unjail(who: T::AccountId, provider: ProviderId) -> DispatchResult {
		let mut record = Self::ensure_live_controller(&who, &provider)?;
		let until = record.jailed_until.ok_or(Error::<T>::NotJailed)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= until, Error::<T>::InCooldown);
		let mut input = Self::status_input(&record, &provider);
		input.jailed = false;
		ensure!(input.stake_sufficient, Error::<T>::InsufficientBonded);
		ensure!(input.attestation_current, Error::<T>::AttestationNotCurrent);
		ensure!(input.heartbeat_recent, Error::<T>::HeartbeatNotRecent);
		ensure!(input.healthy, Error::<T>::Unhealthy);
		record.jailed_until = None;
		Self::deposit_event(Event::Unjailed { provider });
		Self::refresh_status(&provider, &mut record, StatusReason::Unjailed);
		Providers::<T>::insert(provider, record);
		Ok(())
	}

	/// The `on_idle` sweep: walk the records from a stored cursor, jailing unresponsive
	/// providers, within `meter`'s weight and at most `MaxSweepPerBlock` records. Returns the
	/// number of records read.
	pub(crate) fn sweep(meter: &mut WeightMeter) -> u32 {
		// Each item also reads its SLA record; closing an ended window is charged on its own.
		let per_item = T::WeightInfo::sweep_item().saturating_add(T::DbWeight::get().reads(1));
		let close_sla = T::WeightInfo::close_sla_window();
		let sla_params = T::Sla::get();
		let sla_window = sla_params.window_at(frame_system::Pallet::<T>::block_number());
		let mut read = 0u32;
		let mut iter = match SweepCursor::<T>::get() {
			Some(c) => Providers::<T>::iter_from(Providers::<T>::hashed_key_for(c)),
			None => Providers::<T>::iter(),
		};
		let now = frame_system::Pallet::<T>::block_number();
		let l = Self::liveness();
		let mut last = None;
		// The last provider fully swept (where to resume if the walk stops on one).
		let mut previous = SweepCursor::<T>::get();
		while read < T::MaxSweepPerBlock::get() && meter.try_consume(per_item).is_ok() {
			let Some((id, mut record)) = iter.next() else {
				last = None;
				break;
			};
			read = read.saturating_add(1);
			last = Some(id);
			if Self::should_jail_at(&l, &record, &Self::seen(&id, &record), now) {
				Self::jail(
					&id,
					&mut record,
					T::JailCooldownBlocks::get(),
					StatusReason::Unresponsive,
				);
				Providers::<T>::insert(id, record);
			} else if record.status == ProviderStatus::Active
				&& !record.attestations.cover(&record.capabilities, now, Self::now_secs())
			{
				// The attestation expired with time alone: store the status, which also drops
				// the provider from the eligibility index. (Silence alone does not change the
				// stored status; see `refresh_status`.)
				Self::refresh_status_at(&l, &id, &mut record, StatusReason::Lapsed);
				Providers::<T>::insert(id, record);
			}
			// An ended SLA window is closed here if the block has room for the worst case;
			// otherwise the walk stops before this provider and resumes with it next block.
			if let Some(sla) = crate::SlaWindows::<T>::get(id).filter(|r| r.window != sla_window) {
				if meter.try_consume(close_sla).is_err() {
					last = previous;
					break;
				}
				Self::close_sla_record(&id, sla, sla_window, &sla_params);
			}
			previous = Some(id);
		}
		if read.is_zero() && SweepCursor::<T>::get().is_none() {
			return 0;
		}
		// `None` restarts the walk from the beginning next time.
		SweepCursor::<T>::set(last);
		read
	}
}

/// Slots of the block's heartbeat budget an SLH-DSA-SHA2-128s heartbeat takes: its signature
/// (7 856 bytes) against ML-DSA-65's (3 309), rounded up — the budget bounds the block length
/// free heartbeats take whatever key signs them (1 000 slots ≈ 3.4 MB either way, of the
/// normal class's 3.75 MB).
pub const SLH_DSA_HEARTBEAT_SLOTS: u32 =
	SLH_DSA_128S_SIGNATURE_LEN.div_ceil(ML_DSA_65_SIGNATURE_LEN);

/// Slots of the block's heartbeat budget (and, times `ProofsPerHeartbeat`, units of its
/// liveness budget) a heartbeat signed with `alg` takes.
pub fn heartbeat_slots(alg: KeyAlgorithm) -> u32 {
	match alg {
		KeyAlgorithm::SlhDsaSha2_128s => SLH_DSA_HEARTBEAT_SLOTS,
		KeyAlgorithm::MlDsa65 | KeyAlgorithm::Unspecified => 1,
	}
}

/// Slots a heartbeat of a key with `alg` carrying a signature of `signature_len` bytes takes:
/// its algorithm's, or more if the signature is longer than the key's algorithm makes (a bare
/// heartbeat whose signature does not match the key fails in the call, but is included and
/// takes the block length it has). At most [`SLH_DSA_HEARTBEAT_SLOTS`]: no signature is longer
/// than an SLH-DSA one.
pub fn heartbeat_slots_of(alg: KeyAlgorithm, signature_len: usize) -> u32 {
	let by_length = u32::try_from(signature_len)
		.unwrap_or(u32::MAX)
		.div_ceil(ML_DSA_65_SIGNATURE_LEN)
		.min(SLH_DSA_HEARTBEAT_SLOTS);
	heartbeat_slots(alg).max(by_length)
}
