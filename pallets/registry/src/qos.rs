//! QoS windows (spec §6 "recent RTT/QoS windows"): the last `QosWindowLen` heartbeat reports of
//! each provider — RTT p50 and availability — in a small record of its own ([`QosWindows`],
//! ≈ 6 bytes a report), not in the provider record.
//!
//! The views' `rtt_ms_p50` is the window's median, so one fast or slow report does not move
//! it; a matcher's `JobRequirements::max_rtt_ms` is compared with that median by
//! [`ProviderEligibility::check`](aicf_primitives::traits::ProviderEligibility::check) and
//! `candidates`. A provider without a report has no known RTT and meets no RTT bound.

use crate::{Config, Pallet, QosWindows};
use aicf_primitives::{payload::HeartbeatReport, ProviderId};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::Get};
use scale_info::TypeInfo;

/// One report of the window.
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
pub struct QosSample {
	/// The report's median round-trip time, in milliseconds.
	pub rtt_ms_p50: u32,
	/// The report's availability, in basis points.
	pub availability_bps: u16,
}

impl From<&HeartbeatReport> for QosSample {
	fn from(r: &HeartbeatReport) -> Self {
		Self { rtt_ms_p50: r.rtt_ms_p50, availability_bps: r.availability_bps }
	}
}

/// The last `Len` reports of a provider, a ring: once full, each report replaces the oldest.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	frame_support::DefaultNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(Len))]
pub struct QosWindow<Len: Get<u32>> {
	/// The reports, in ring order.
	pub samples: BoundedVec<QosSample, Len>,
	/// Index of the oldest report once the ring is full (where the next one goes).
	pub next: u32,
}

impl<Len: Get<u32>> QosWindow<Len> {
	/// Add `sample`, replacing the oldest report once the window is full.
	pub fn push(&mut self, sample: QosSample) {
		if self.samples.try_push(sample).is_ok() {
			return;
		}
		let len = self.samples.len() as u32;
		if let Some(slot) = self.samples.get_mut(self.next as usize) {
			*slot = sample;
		}
		self.next = match self.next.saturating_add(1) {
			n if n >= len => 0,
			n => n,
		};
	}

	/// The mean availability of the window's reports; `None` when empty.
	pub fn mean_availability(&self) -> Option<sp_runtime::Permill> {
		let n = self.samples.len() as u64;
		if n == 0 {
			return None;
		}
		let sum: u64 = self.samples.iter().map(|s| u64::from(s.availability_bps)).sum();
		Some(sp_runtime::Permill::from_rational(sum, n.saturating_mul(10_000)))
	}

	/// The median RTT of the window (the lower middle of an even count); `None` when empty.
	pub fn median_rtt(&self) -> Option<u32> {
		let mut rtts: Vec<u32> = self.samples.iter().map(|s| s.rtt_ms_p50).collect();
		rtts.sort_unstable();
		rtts.get(rtts.len().checked_sub(1)? / 2).copied()
	}
}

/// QoS window type of a runtime.
pub type QosWindowOf<T> = QosWindow<<T as Config>::QosWindowLen>;

impl<T: Config> Pallet<T> {
	/// Add a heartbeat's report to `provider`'s window (one read, one write).
	pub(crate) fn record_qos(provider: &ProviderId, report: &HeartbeatReport) {
		if T::QosWindowLen::get() == 0 {
			return;
		}
		QosWindows::<T>::mutate(provider, |w| {
			w.get_or_insert_with(Default::default).push(QosSample::from(report))
		});
	}

	/// The median RTT of `provider`'s window; `None` before its first report.
	pub fn median_rtt(provider: &ProviderId) -> Option<u32> {
		QosWindows::<T>::get(provider).and_then(|w| w.median_rtt())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use frame_support::traits::ConstU32;

	fn sample(rtt: u32, availability_bps: u16) -> QosSample {
		QosSample { rtt_ms_p50: rtt, availability_bps }
	}

	#[test]
	fn the_window_keeps_the_last_len_reports() {
		let mut w = QosWindow::<ConstU32<3>>::default();
		assert_eq!(w.median_rtt(), None);
		for rtt in [10, 20, 30, 40, 50] {
			w.push(sample(rtt, 9_000));
		}
		// 10 and 20 were replaced, oldest first.
		let mut kept: Vec<u32> = w.samples.iter().map(|s| s.rtt_ms_p50).collect();
		kept.sort_unstable();
		assert_eq!(kept, vec![30, 40, 50]);
		assert_eq!(w.samples.len(), 3);
		assert_eq!(w.next, 2);
		w.push(sample(60, 9_000));
		assert!(!w.samples.iter().any(|s| s.rtt_ms_p50 == 30), "the oldest goes next");
	}

	#[test]
	fn one_outlier_does_not_move_the_median() {
		let mut w = QosWindow::<ConstU32<5>>::default();
		for rtt in [40, 42, 41, 5_000, 39] {
			w.push(sample(rtt, 10_000));
		}
		assert_eq!(w.median_rtt(), Some(41));
		// Even count: the lower middle.
		let mut w = QosWindow::<ConstU32<4>>::default();
		for rtt in [10, 40, 20, 30] {
			w.push(sample(rtt, 10_000));
		}
		assert_eq!(w.median_rtt(), Some(20));
	}

	#[test]
	fn the_mean_availability_is_over_the_reports_kept() {
		let mut w = QosWindow::<ConstU32<3>>::default();
		assert_eq!(w.mean_availability(), None);
		for a in [10_000, 9_000, 8_000, 5_000] {
			w.push(sample(40, a));
		}
		// 10 000 was replaced: (9 000 + 8 000 + 5 000) / 3 basis points.
		assert_eq!(
			w.mean_availability(),
			Some(sp_runtime::Permill::from_rational(22_000u64, 30_000))
		);
	}

	#[test]
	fn a_zero_length_window_stores_nothing() {
		let mut w = QosWindow::<ConstU32<0>>::default();
		w.push(sample(40, 10_000));
		assert!(w.samples.is_empty());
		assert_eq!(w.median_rtt(), None);
	}
}
