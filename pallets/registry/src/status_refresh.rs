//! The status machine applied to stored records: a record's facts at the current block
//! ([`StatusInput`]) and the refresh that stores what [`status::decide`] concludes.
//!
//! Every call that touches a record ends with [`Pallet::refresh_status`]: it jails an ACTIVE
//! provider found silent too long or unhealthy, re-decides the status, and on a change stores
//! it, moves the index entries ([`Pallet::reindex_status`]) and emits `StatusChanged`.

use crate::{
	status::{self, StatusInput},
	Config, Event, Pallet, ProviderRecordOf, StakeLedgerOf, StatusReason,
};
use aicf_primitives::{ProviderId, ProviderStatus};
use frame_support::traits::Get;
use sp_runtime::traits::Zero;

impl<T: Config> Pallet<T> {
	/// Facts for the status machine at the current block.
	pub fn status_input(record: &ProviderRecordOf<T>, provider: &ProviderId) -> StatusInput {
		Self::status_input_with(record, &Self::ledger(provider))
	}

	/// [`Self::status_input`] with the provider's ledger already loaded.
	pub fn status_input_with(
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
			attestation_current: record.attestation.as_ref().is_some_and(|a| now < a.expires_at),
			heartbeat_recent: record.last_heartbeat.is_some() && Self::missed(record, now) == 0,
			healthy: Self::effective_health(record, now) >= T::HealthThreshold::get(),
		}
	}

	/// Re-decide `record`'s status; on a change, store it into `record` and emit
	/// [`Event::StatusChanged`]. An ACTIVE provider found silent too long or unhealthy is
	/// jailed first (jailing route (a): any call touching the record). The caller writes
	/// `record` back.
	pub(crate) fn refresh_status(
		provider: &ProviderId,
		record: &mut ProviderRecordOf<T>,
		mut reason: StatusReason,
	) {
		if Self::should_jail(record, frame_system::Pallet::<T>::block_number()) {
			Self::set_jailed(provider, record, T::JailCooldownBlocks::get());
			reason = StatusReason::Unresponsive;
		}
		let to = status::decide(Self::status_input(record, provider));
		if to != record.status {
			let from = record.status;
			record.status = to;
			Self::reindex_status(provider, &record.capabilities, from, to);
			Self::deposit_event(Event::StatusChanged { provider: *provider, from, to, reason });
		}
	}
}
