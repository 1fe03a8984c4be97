//! SLA accounting in windows (spec §8: "lease abandonment (timeouts) over threshold",
//! "QoS/SLA persistent underperformance across windows").
//!
//! Time is cut into SLA windows of [`SlaParams::window_blocks`] blocks (window `w` is blocks
//! `[w·len, (w+1)·len)`). For each provider that has held a lease, [`SlaWindows`] keeps one
//! small record: the window it is counting and, in it, the leases the matchers reported
//! completed, abandoned and timed out (through
//! [`ProviderLeases::release_lease`](aicf_primitives::traits::ProviderLeases::release_lease)),
//! and how many windows in a row ended with its availability below target.
//!
//! When a window has ended, the record is **closed** ([`Pallet::close_sla_window`]) by the
//! first of: the next lease outcome reported for the provider, the `on_idle` sweep reaching it,
//! or its controller's `withdraw`. Closing evaluates the ended window:
//!
//! * **Lease failures.** `failures = abandoned + timed_out`. A breach when `failures ≥
//!   min_failures` and `failures / (failures + completed) > max_failure_ratio`; severity 1 up to
//!   twice the ratio, 2 up to four times, 3 above (with the shipped 10 %: 10–20 % is 1, 20–40 %
//!   is 2, above 40 % is 3). Also a breach (severity at least 1) when `failures ≥
//!   max_failures`, whatever the share.
//! * **Availability.** The mean availability of the provider's QoS window (its last
//!   `QosWindowLen` heartbeat reports) at closing is the window's sample, if the provider
//!   heartbeated during the window (otherwise there is no sample and the run stays as it is).
//!   Below `min_availability` extends the run of low windows (a run continues only across
//!   consecutive windows); a run of `availability_windows` or more is a breach of severity
//!   `min(3, run / availability_windows)`, raised at every window it persists.
//!
//! A breach is reported as [`Offence::SlaBreach`] with the larger severity, once per window,
//! and the runtime's [`PenaltyPolicy`](crate::PenaltyPolicy) slashes it (0.5 % × severity of
//! the stake by default, jailed at severity 3). Each closing emits
//! [`Event::SlaWindowClosed`](crate::Event::SlaWindowClosed). Nothing here iterates over
//! providers: a closing touches one provider's records.
//!
//! Funds cannot leave before a window with a breach is closed: a lease settlement holds them
//! for `OffenceReportWindow` blocks (at least one SLA window, [`SlaParams`]'s rule), and
//! `withdraw` closes an ended window first — if that raises a breach, the withdrawal stops
//! there with the penalty applied.

use crate::{Config, Event, Pallet, QosWindows, SlaWindows};
use aicf_primitives::{
	traits::{LeaseOutcome, Offence},
	ProviderId,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{AtLeast32BitUnsigned, One},
	Permill,
};

/// The SLA rules' parameters.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct SlaParams<BlockNumber> {
	/// Blocks in one SLA window. At most the offence-report window, so that funds held after
	/// a lease outlast the window the lease counted in.
	pub window_blocks: BlockNumber,
	/// Share of failed leases (abandoned or timed out) in a window above which it is a breach.
	pub max_failure_ratio: Permill,
	/// Fewest failed leases in a window for a breach by share.
	pub min_failures: u32,
	/// Failed leases in a window that are a breach whatever the share (so completions padded
	/// with self-requested leases cannot hide them).
	pub max_failures: u32,
	/// Availability below which a window counts as low.
	pub min_availability: Permill,
	/// Consecutive low windows that make a breach.
	pub availability_windows: u32,
}

/// One provider's SLA accounting: the window it counts and the run of low-availability windows.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct SlaRecord {
	/// Index of the window counted (`block / window_blocks`).
	pub window: u32,
	/// Leases completed in it.
	pub completed: u32,
	/// Leases abandoned in it.
	pub abandoned: u32,
	/// Leases timed out in it.
	pub timed_out: u32,
	/// Consecutive closed windows, up to the last one, whose availability was below target.
	pub low_availability_run: u32,
}

/// What closing a window concluded.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SlaVerdict {
	/// The record after closing (counting the current window).
	pub next: SlaRecord,
	/// Breach severity (1–3), if any.
	pub severity: Option<u8>,
}

impl SlaRecord {
	/// A record counting window `window`, empty.
	pub fn new(window: u32) -> Self {
		Self { window, ..Default::default() }
	}

	/// Failed leases (abandoned or timed out) in the window.
	pub fn failures(&self) -> u32 {
		self.abandoned.saturating_add(self.timed_out)
	}

	/// Count one outcome.
	pub fn count(&mut self, outcome: LeaseOutcome) {
		let slot = match outcome {
			LeaseOutcome::Completed => &mut self.completed,
			LeaseOutcome::Abandoned => &mut self.abandoned,
			LeaseOutcome::TimedOut => &mut self.timed_out,
			LeaseOutcome::Cancelled => return,
		};
		*slot = slot.saturating_add(1);
	}

	/// Whether nothing is left to evaluate or carry over.
	pub fn is_idle(&self) -> bool {
		self.completed == 0 && self.failures() == 0 && self.low_availability_run == 0
	}

	/// Close the counted window at window `current` (≠ `self.window`), with `availability`
	/// the provider's availability sample at closing (`None`: no fresh report to judge by,
	/// which leaves the run of low windows as it is).
	pub fn close<B>(
		&self,
		current: u32,
		availability: Option<Permill>,
		p: &SlaParams<B>,
	) -> SlaVerdict {
		let failures = self.failures();
		let total = failures.saturating_add(self.completed);
		let ratio = Permill::from_rational(failures, total.max(1));
		let by_share = if failures >= p.min_failures.max(1) && ratio > p.max_failure_ratio {
			let limit = p.max_failure_ratio.deconstruct();
			let parts = ratio.deconstruct();
			Some(if parts <= limit.saturating_mul(2) {
				1
			} else if parts <= limit.saturating_mul(4) {
				2
			} else {
				3
			})
		} else {
			None
		};
		let by_count = (failures >= p.max_failures.max(1)).then_some(1);
		let lease_severity = by_share.max(by_count);
		// No fresh report is no observation: the run neither grows nor ends.
		let consecutive = current == self.window.saturating_add(1);
		let run = match availability {
			None => self.low_availability_run,
			Some(a) if a >= p.min_availability => 0,
			Some(_) if consecutive => self.low_availability_run.saturating_add(1),
			Some(_) => 1,
		};
		let windows = p.availability_windows.max(1);
		let availability_severity =
			(run >= windows).then(|| run.checked_div(windows).unwrap_or(0).min(3) as u8);
		SlaVerdict {
			next: SlaRecord { low_availability_run: run, ..SlaRecord::new(current) },
			severity: lease_severity.max(availability_severity),
		}
	}
}

impl<B: AtLeast32BitUnsigned + Copy> SlaParams<B> {
	/// Blocks in a window (at least one).
	fn len(&self) -> B {
		self.window_blocks.max(One::one())
	}

	/// The window block `at` falls in.
	pub fn window_at(&self, at: B) -> u32 {
		at.checked_div(&self.len()).unwrap_or_else(B::zero).unique_saturated_into()
	}

	/// The first block of window `window`.
	pub fn window_start(&self, window: u32) -> B {
		B::from(window).saturating_mul(self.len())
	}
}

impl<T: Config> Pallet<T> {
	/// The SLA window `now` falls in.
	pub fn sla_window_at(now: BlockNumberFor<T>) -> u32 {
		T::Sla::get().window_at(now)
	}

	/// Count a lease outcome for `provider`, closing its ended window first. Returns whether
	/// closing raised a breach (its penalty applied, the provider's record changed).
	pub(crate) fn count_lease_outcome(provider: &ProviderId, outcome: LeaseOutcome) -> bool {
		let p = T::Sla::get();
		let current = p.window_at(frame_system::Pallet::<T>::block_number());
		let record = SlaWindows::<T>::get(provider);
		let (next, breached) = match record {
			Some(r) if r.window != current => Self::close_sla_record(provider, r, current, &p),
			other => (other, false),
		};
		let mut next = next.unwrap_or_else(|| SlaRecord::new(current));
		next.count(outcome);
		if !next.is_idle() {
			SlaWindows::<T>::insert(provider, next);
		}
		breached
	}

	/// Close `provider`'s SLA window if it has ended: evaluate it, emit `SlaWindowClosed`,
	/// report the breach if any (its penalty is applied in the same call), and store the
	/// record for the current window (or remove it when nothing is left to carry). Returns
	/// whether a breach was penalised. Nothing happens before the window ends.
	///
	/// Weight: at most `T::WeightInfo::close_sla_window()` (a breach at severity 3 of an
	/// ACTIVE provider: slashed, jailed, out of every index).
	pub fn close_sla_window(provider: &ProviderId) -> bool {
		let Some(record) = SlaWindows::<T>::get(provider) else { return false };
		let p = T::Sla::get();
		let current = p.window_at(frame_system::Pallet::<T>::block_number());
		// Any other window: the counted one has ended (or governance changed the window
		// length, which ends every open window at its next touch).
		record.window != current && Self::close_sla_record(provider, record, current, &p).1
	}

	/// [`Self::close_sla_window`] of `record`, already read, whose window is not `current`:
	/// stores (or removes) the record for `current` and returns it, and whether a breach was
	/// penalised.
	pub(crate) fn close_sla_record(
		provider: &ProviderId,
		record: SlaRecord,
		current: u32,
		p: &SlaParams<BlockNumberFor<T>>,
	) -> (Option<SlaRecord>, bool) {
		// The QoS window's reports count only if the provider heartbeated during the window
		// closed (a silent provider's old reports are not evidence about it).
		let fresh = crate::Providers::<T>::get(provider)
			.and_then(|r| r.last_heartbeat)
			.is_some_and(|at| at >= p.window_start(record.window));
		let availability = fresh
			.then(|| QosWindows::<T>::get(provider).and_then(|w| w.mean_availability()))
			.flatten();
		let verdict = record.close(current, availability, p);
		let next = (!verdict.next.is_idle()).then_some(verdict.next);
		match next {
			Some(n) => SlaWindows::<T>::insert(provider, n),
			None => SlaWindows::<T>::remove(provider),
		}
		Self::deposit_event(Event::SlaWindowClosed {
			provider: *provider,
			window: record.window,
			completed: record.completed,
			abandoned: record.abandoned,
			timed_out: record.timed_out,
			availability,
			severity: verdict.severity,
		});
		let Some(severity) = verdict.severity else { return (next, false) };
		// The report fails only for a provider that deregistered, holds nothing and whose
		// window has passed: there is nothing left to take, and the event above records the
		// breach.
		let applied = frame_support::storage::with_storage_layer(|| {
			Self::do_report_offence(*provider, Offence::SlaBreach { severity })
		})
		.is_ok();
		(next, applied)
	}
}
