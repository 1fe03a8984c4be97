//! The status machine applied to stored records: a record's facts at the current block
//! ([`StatusInput`]) and the refresh that stores what [`status::decide`] concludes.
//!
//! Every call that touches a record ends with [`Pallet::refresh_status`]: it jails an ACTIVE
//! provider found silent too long or unhealthy, re-decides the status, and on a change stores
//! it, moves the index entries ([`Pallet::reindex_status`]) and emits `StatusChanged`.

use crate::{
	heartbeat::Liveness,
	proofs::Seen,
	status::{self, StatusInput},
	Config, Event, Pallet, ProviderRecordOf, StakeLedgerOf, StatusReason,
};
use aicf_primitives::{ProviderId, ProviderStatus};
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;

impl<T: Config> Pallet<T> {
	/// Facts for the status machine at the current block.
	pub fn status_input(record: &ProviderRecordOf<T>, provider: &ProviderId) -> StatusInput {
		Self::status_input_with(provider, record, &Self::ledger(provider))
	}

	/// [`Self::status_input`] with the provider's ledger already loaded.
	pub fn status_input_with(
		provider: &ProviderId,
		record: &ProviderRecordOf<T>,
		ledger: &StakeLedgerOf<T>,
	) -> StatusInput {
		Self::status_input_at(&Self::liveness(), &Self::seen(provider, record), record, ledger)
	}

	/// [`Self::status_input_with`] under the liveness parameters `l`, the provider last seen
	/// as `seen` says ([`Self::seen`], read once by the caller).
	pub(crate) fn status_input_at(
		l: &Liveness,
		seen: &Seen<BlockNumberFor<T>>,
		record: &ProviderRecordOf<T>,
		ledger: &StakeLedgerOf<T>,
	) -> StatusInput {
		let now = frame_system::Pallet::<T>::block_number();
		StatusInput {
			deregistered: record.status == ProviderStatus::Deregistered,
			jailed: record.jailed_until.is_some(),
			unbonding: !ledger.unbonding.is_empty(),
			stake_sufficient: !ledger.bonded.is_zero()
				&& ledger.bonded >= Self::min_required(&record.capabilities),
			attestation_current: record.attestations.cover(
				&record.capabilities,
				now,
				Self::now_secs(),
			),
			heartbeat_recent: seen.last.is_some() && Self::missed_at(l, seen, now) == 0,
			healthy: Self::effective_health_at(l, record, seen, now) >= l.threshold,
		}
	}

	/// The status `record` has at `now`, from the record alone: what [`status::decide`] of
	/// [`Self::status_input`] concludes. Time alone can only take a stored ACTIVE provider to
	/// REGISTERED (heartbeats missed, health decayed, attestation expired); every other fact
	/// (stake, jail, unbonding, deregistration) changes only through a call, which stores the
	/// status. `try_state` checks the two agree for every record.
	pub fn effective_status(
		provider: &ProviderId,
		record: &ProviderRecordOf<T>,
		now: frame_system::pallet_prelude::BlockNumberFor<T>,
	) -> ProviderStatus {
		let lapsed = || {
			let l = Self::liveness();
			let seen = Self::seen(provider, record);
			!record.attestations.cover(&record.capabilities, now, Self::now_secs())
				|| seen.last.is_none()
				|| Self::missed_at(&l, &seen, now) != 0
				|| Self::effective_health_at(&l, record, &seen, now) < l.threshold
		};
		if record.status == ProviderStatus::Active && lapsed() {
			ProviderStatus::Registered
		} else {
			record.status
		}
	}

	/// Re-decide `record`'s status; on a change, store it into `record` and emit
	/// [`Event::StatusChanged`]. An ACTIVE provider found silent too long or unhealthy is
	/// jailed first (jailing route (a): any call touching the record). The caller writes
	/// `record` back.
	///
	/// Heartbeats and health alone never move a stored ACTIVE provider: while it is silent (or
	/// unhealthy) but not yet jailable it stays stored ACTIVE — ineligible, and shown
	/// REGISTERED by [`Self::effective_status`] — until it heartbeats again or is jailed. Were
	/// the silence stored as REGISTERED, jailing (which applies to ACTIVE providers) would be
	/// escaped by any call made during it; and jailing REGISTERED providers instead would
	/// catch ones that never held themselves out (not yet attested, back from unbonding).
	pub(crate) fn refresh_status(
		provider: &ProviderId,
		record: &mut ProviderRecordOf<T>,
		reason: StatusReason,
	) {
		Self::refresh_status_at(&Self::liveness(), provider, record, reason)
	}

	/// [`Self::refresh_status`] under the liveness parameters `l`.
	pub(crate) fn refresh_status_at(
		l: &Liveness,
		provider: &ProviderId,
		record: &mut ProviderRecordOf<T>,
		mut reason: StatusReason,
	) {
		let seen = Self::seen(provider, record);
		if Self::should_jail_at(l, record, &seen, frame_system::Pallet::<T>::block_number()) {
			Self::set_jailed(provider, record, T::JailCooldownBlocks::get());
			reason = StatusReason::Unresponsive;
		}
		// Jailing does not move when the provider was last seen: one read serves both.
		let input = Self::status_input_at(l, &seen, record, &Self::ledger(provider));
		let to = status::decide(input);
		let liveness_only = record.status == ProviderStatus::Active
			&& to == ProviderStatus::Registered
			&& input.stake_sufficient
			&& input.attestation_current;
		if to != record.status && !liveness_only {
			let from = record.status;
			record.status = to;
			Self::reindex_status(provider, &record.capabilities, from, to);
			Self::deposit_event(Event::StatusChanged { provider: *provider, from, to, reason });
		}
	}
}
