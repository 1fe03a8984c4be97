//! SLA windows: lease outcomes counted per window, a breach raised when a window closes over
//! the threshold (once), availability runs, and the three ways a window closes (the next
//! outcome, the sweep, the controller's withdraw).

use super::heartbeat::{active, heartbeat, send};
use crate::{
	mock::*,
	qos::QosSample,
	sla::{SlaParams, SlaRecord},
	Event, Ledgers, Providers, QosWindows, SlaWindows,
};
use aicf_primitives::{
	traits::{LeaseOutcome, Offence, ProviderLeases},
	ProviderId, ProviderStatus,
};
use frame_support::{
	assert_ok,
	traits::{Get, Hooks},
	weights::Weight,
};
use sp_runtime::Permill;

fn params() -> SlaParams<u64> {
	Sla::get()
}

fn record(completed: u32, abandoned: u32, timed_out: u32) -> SlaRecord {
	SlaRecord { completed, abandoned, timed_out, ..SlaRecord::new(0) }
}

fn severity(r: SlaRecord) -> Option<u8> {
	r.close(1, Some(Permill::one()), &params()).severity
}

#[test]
fn failures_over_the_share_and_the_count_are_a_breach_scaled_by_the_share() {
	// 3 of 30 is exactly 10 %: not above it.
	assert_eq!(severity(record(27, 3, 0)), None);
	// 4 of 30 (13 %): 1; 7 of 30 (23 %): 2; 13 of 30 (43 %): 3. Timeouts count as failures.
	assert_eq!(severity(record(26, 2, 2)), Some(1));
	assert_eq!(severity(record(23, 7, 0)), Some(2));
	assert_eq!(severity(record(17, 0, 13)), Some(3));
	// Two of two failed: under `min_failures`, whatever the share.
	assert_eq!(severity(record(0, 2, 0)), None);
	assert_eq!(severity(record(0, 3, 0)), Some(3));
	// Nothing counted, nothing to say.
	assert_eq!(severity(record(0, 0, 0)), None);
	// `max_failures` (10) failed is a breach however many completed (2 % here).
	assert_eq!(severity(record(490, 5, 5)), Some(1));
	assert_eq!(severity(record(490, 5, 4)), None);
}

#[test]
fn availability_below_target_is_a_breach_only_across_consecutive_windows() {
	let p = params();
	let low = Some(Permill::from_percent(90));
	let ok = Some(Permill::from_percent(99));
	let first = SlaRecord::new(0).close(1, low, &p);
	assert_eq!((first.next.low_availability_run, first.severity), (1, None));
	assert_eq!(first.next.window, 1);
	// The second low window in a row: a breach (2 windows at the mock's parameters).
	let second = first.next.close(2, low, &p);
	assert_eq!((second.next.low_availability_run, second.severity), (2, Some(1)));
	// It persists: raised again at every window, growing with the run.
	let third = second.next.close(3, low, &p);
	assert_eq!(third.severity, Some(1));
	let fourth = third.next.close(4, low, &p);
	assert_eq!(fourth.severity, Some(2));
	// A gap (no closing in window 5) breaks the run; a good window ends it.
	assert_eq!(fourth.next.close(6, low, &p).next.low_availability_run, 1);
	assert_eq!(fourth.next.close(5, ok, &p).next.low_availability_run, 0);
	// No fresh report is no observation: the run stays as it was.
	assert_eq!(fourth.next.close(5, None, &p).next.low_availability_run, 4);
	// The larger severity of leases and availability wins.
	let both = SlaRecord { abandoned: 3, ..second.next }.close(3, low, &p);
	assert_eq!(both.severity, Some(3));
}

fn lease_and(id: ProviderId, outcome: LeaseOutcome) {
	assert_ok!(<Registry as ProviderLeases>::acquire_lease(&id));
	assert_ok!(<Registry as ProviderLeases>::release_lease(&id, outcome));
}

fn closed(id: ProviderId) -> Vec<Event<Test>> {
	registry_events()
		.into_iter()
		.filter(|e| matches!(e, Event::SlaWindowClosed { provider, .. } if *provider == id))
		.collect()
}

fn slashed(id: ProviderId) -> usize {
	registry_events()
		.iter()
		.filter(|e| matches!(e, Event::Slashed { provider, .. } if *provider == id))
		.count()
}

#[test]
fn outcomes_count_in_the_window_and_a_breach_is_raised_when_it_closes() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = active(&key, ALICE);
		lease_and(id, LeaseOutcome::Abandoned);
		lease_and(id, LeaseOutcome::TimedOut);
		lease_and(id, LeaseOutcome::Abandoned);
		lease_and(id, LeaseOutcome::Cancelled);
		lease_and(id, LeaseOutcome::Completed);
		assert_eq!(SlaWindows::<Test>::get(id), Some(SlaRecord { window: 0, ..record(1, 2, 1) }));
		// No slash per abandonment: the provider is untouched until the window closes.
		assert_eq!(slashed(id), 0);
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Active);
		let held = Ledgers::<Test>::get(id).unwrap().held();

		// The first outcome of window 1 closes window 0: 3 of 4 failed (75 %), severity 3.
		run_to(SLA_WINDOW);
		assert_ok!(send(&key, heartbeat(id, 2)));
		System::reset_events();
		lease_and(id, LeaseOutcome::Completed);
		assert_eq!(
			closed(id),
			vec![Event::SlaWindowClosed {
				provider: id,
				window: 0,
				completed: 1,
				abandoned: 2,
				timed_out: 1,
				availability: Some(Permill::from_parts(999_000)),
				severity: Some(3),
			}]
		);
		assert!(registry_events().contains(&Event::OffenceReported {
			provider: id,
			offence: Offence::SlaBreach { severity: 3 }
		}));
		assert_eq!(slashed(id), 1);
		assert_eq!(Ledgers::<Test>::get(id).unwrap().held(), held - held * 15 / 1_000);
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Jailed);
		// The completion was counted in window 1.
		assert_eq!(SlaWindows::<Test>::get(id), Some(SlaRecord { window: 1, ..record(1, 0, 0) }));

		// Window 1 closes clean and the idle record is removed: once per window.
		run_to(2 * SLA_WINDOW);
		System::reset_events();
		assert!(!Registry::close_sla_window(&id));
		assert_eq!(closed(id).len(), 1);
		assert_eq!(slashed(id), 0);
		assert_eq!(SlaWindows::<Test>::get(id), None);
		// Nothing left to close.
		assert!(!Registry::close_sla_window(&id));
		assert_eq!(closed(id).len(), 1);
	});
}

#[test]
fn a_silent_providers_old_reports_are_not_an_availability_sample() {
	ExtBuilder::build_and_execute(|| {
		let id = active(&ml_key(1), ALICE);
		lease_and(id, LeaseOutcome::Completed);
		QosWindows::<Test>::mutate(id, |w| {
			let w = w.as_mut().unwrap();
			for _ in 0..QOS_WINDOW_LEN {
				w.push(QosSample { rtt_ms_p50: 40, availability_bps: 9_000 });
			}
		});
		// The last heartbeat was at block 1, in window 0; window 1 passes in silence.
		run_to(SLA_WINDOW);
		assert!(!Registry::close_sla_window(&id));
		assert_eq!(SlaWindows::<Test>::get(id).map(|r| r.low_availability_run), Some(1));
		run_to(2 * SLA_WINDOW);
		System::reset_events();
		assert!(!Registry::close_sla_window(&id));
		assert!(registry_events().contains(&Event::SlaWindowClosed {
			provider: id,
			window: 1,
			completed: 0,
			abandoned: 0,
			timed_out: 0,
			availability: None,
			severity: None,
		}));
		assert_eq!(SlaWindows::<Test>::get(id).map(|r| r.low_availability_run), Some(1));
	});
}

#[test]
fn a_change_of_window_length_closes_open_windows_at_their_next_touch() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = active(&key, ALICE);
		run_to(11);
		assert_ok!(send(&key, heartbeat(id, 2)));
		run_to(SLA_WINDOW + 1);
		assert_ok!(send(&key, heartbeat(id, 3)));
		for _ in 0..3 {
			lease_and(id, LeaseOutcome::Abandoned);
		}
		assert_eq!(SlaWindows::<Test>::get(id).map(|r| r.window), Some(1));
		// Governance doubles the window: block 21 is now in window 0, before the counted one.
		let before = Sla::get();
		Sla::set(SlaParams { window_blocks: 2 * SLA_WINDOW, ..before });
		assert!(Registry::close_sla_window(&id), "closed at once, not months later");
		assert_eq!(SlaWindows::<Test>::get(id), None);
		Sla::set(before);
	});
}

#[test]
fn a_window_does_not_close_before_it_ends() {
	ExtBuilder::build_and_execute(|| {
		let id = active(&ml_key(1), ALICE);
		for _ in 0..3 {
			lease_and(id, LeaseOutcome::Abandoned);
		}
		run_to(SLA_WINDOW - 1);
		System::reset_events();
		assert!(!Registry::close_sla_window(&id));
		assert!(closed(id).is_empty());
		assert_eq!(SlaWindows::<Test>::get(id).map(|r| r.abandoned), Some(3));
	});
}

#[test]
fn the_sweep_closes_ended_windows() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = active(&key, ALICE);
		for _ in 0..3 {
			lease_and(id, LeaseOutcome::TimedOut);
		}
		run_to(SLA_WINDOW);
		assert_ok!(send(&key, heartbeat(id, 2)));
		System::reset_events();
		// Not enough weight for a closing: the window stays open for a later pass.
		// The cursor, one item and its SLA record read: no room for the closing.
		let db: frame_support::weights::RuntimeDbWeight =
			<Test as frame_system::Config>::DbWeight::get();
		let one_item =
			<() as crate::WeightInfo>::sweep_item().saturating_add(db.reads_writes(2, 1));
		Registry::on_idle(SLA_WINDOW, one_item);
		assert!(closed(id).is_empty());
		Registry::on_idle(SLA_WINDOW, Weight::MAX);
		assert_eq!(closed(id).len(), 1);
		assert_eq!(slashed(id), 1);
	});
}

#[test]
fn a_withdraw_after_a_breach_closes_the_window_and_withdraws_nothing() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = active(&key, ALICE);
		for _ in 0..3 {
			lease_and(id, LeaseOutcome::Abandoned);
		}
		let held = Ledgers::<Test>::get(id).unwrap().held();
		assert_ok!(Registry::unstake(RuntimeOrigin::signed(ALICE), id, held));
		// Unlocked, past the report window and the SLA window: only the breach stands between
		// the provider and its funds.
		let at = Providers::<Test>::get(id).unwrap().cooldown_until.max(STAKE_LOCK + UNBONDING + 1);
		run_to(at.max(SLA_WINDOW));
		System::reset_events();
		assert_ok!(Registry::withdraw(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(slashed(id), 1);
		assert!(!registry_events().iter().any(|e| matches!(e, Event::Withdrawn { .. })));
		assert_eq!(Ledgers::<Test>::get(id).unwrap().held(), held - held * 15 / 1_000);
		// After the slash's cooldown the rest leaves.
		run_to(Providers::<Test>::get(id).unwrap().cooldown_until);
		assert_ok!(Registry::withdraw(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(Ledgers::<Test>::get(id).unwrap().held(), 0);
	});
}

#[test]
fn low_availability_in_consecutive_windows_is_slashed() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = active(&key, ALICE);
		// A record exists once the provider has held a lease.
		lease_and(id, LeaseOutcome::Completed);
		let low = QosSample { rtt_ms_p50: 40, availability_bps: 9_000 };
		QosWindows::<Test>::mutate(id, |w| {
			let w = w.as_mut().unwrap();
			for _ in 0..QOS_WINDOW_LEN {
				w.push(low);
			}
		});
		run_to(SLA_WINDOW);
		System::reset_events();
		assert!(!Registry::close_sla_window(&id));
		assert_eq!(SlaWindows::<Test>::get(id).map(|r| r.low_availability_run), Some(1));
		// It keeps heartbeating in window 1 (one good report among three low ones: still low).
		run_to(SLA_WINDOW + 1);
		assert_ok!(send(&key, heartbeat(id, 2)));
		run_to(2 * SLA_WINDOW);
		assert!(Registry::close_sla_window(&id));
		assert!(registry_events().contains(&Event::OffenceReported {
			provider: id,
			offence: Offence::SlaBreach { severity: 1 }
		}));
	});
}
