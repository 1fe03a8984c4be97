//! Exponential-decay health score, fixed point, evaluated lazily.
//!
//! The stored state is `(score, at)`: the score right after the last heartbeat, and that
//! heartbeat's block. The next heartbeat is due `I = HeartbeatInterval` blocks later, with a
//! grace of `G = HeartbeatGrace` blocks for block-time jitter and cron skew: a heartbeat that
//! lands at most `I + G` blocks after the last one is never a miss. At block `n` the provider
//! has missed the deadlines `at + j·I + G` (`j ≥ 1`) that have passed,
//!
//! ```text
//! k = 0                          if n − at ≤ I + G
//! k = ⌊(n − at − G − 1) / I⌋     otherwise
//! ```
//!
//! and its **effective** score is
//!
//! ```text
//! effective(n) = score · d^k          (d = HealthDecayPerInterval, a Permill)
//! ```
//!
//! computed in O(log k) multiplications (exponentiation by squaring), so reading it costs the
//! same whether a provider was silent for one interval or a million. A timely heartbeat
//! reporting availability `q` moves the effective score towards `q`:
//!
//! ```text
//! score' = effective · (1 − α) + q · α      (α = HealthSmoothing)
//! ```
//!
//! The first heartbeat sets `score = q`. With `d = 0.5^(1/h)`, the score halves every `h`
//! silent intervals (the half-life). No floats anywhere: every product is a `Permill`
//! multiplication, rounded down.

use sp_runtime::{traits::Saturating, PerThing, Permill};

/// Heartbeat deadlines missed between the heartbeat at `at` and `now`: deadline `j ≥ 1` is
/// `at + j·interval + grace`, missed once `now` is past it.
pub fn missed_intervals(at: u64, now: u64, interval: u64, grace: u64) -> u64 {
	// `checked_sub` is `None` up to and including the grace: nothing is missed yet. A zero
	// interval counts no misses.
	now.saturating_sub(at)
		.checked_sub(grace.saturating_add(1))
		.and_then(|late| late.checked_div(interval))
		.unwrap_or(0)
}

/// `score · decay^k`.
pub fn decayed(score: Permill, decay: Permill, k: u64) -> Permill {
	// `Permill` powers saturate at zero long before `usize::MAX`.
	let k = usize::try_from(k).unwrap_or(usize::MAX);
	score.saturating_mul(decay.saturating_pow(k))
}

/// The score after a heartbeat reporting quality `q`, given the effective score before it.
pub fn after_heartbeat(effective: Option<Permill>, q: Permill, smoothing: Permill) -> Permill {
	match effective {
		None => q,
		Some(e) => {
			e.saturating_mul(smoothing.left_from_one()).saturating_add(q.saturating_mul(smoothing))
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn f(p: Permill) -> f64 {
		p.deconstruct() as f64 / 1_000_000.0
	}

	#[test]
	fn missed_intervals_counts_deadlines_past_the_grace() {
		// Without grace, deadline j is at + 10j: reached is not missed, passed is.
		assert_eq!(missed_intervals(100, 100, 10, 0), 0);
		assert_eq!(missed_intervals(100, 110, 10, 0), 0);
		assert_eq!(missed_intervals(100, 111, 10, 0), 1);
		assert_eq!(missed_intervals(100, 121, 10, 0), 2);
		// Grace 3: the first deadline is at + 13, the next ones every 10 blocks after it.
		assert_eq!(missed_intervals(100, 113, 10, 3), 0, "on time within the grace");
		assert_eq!(missed_intervals(100, 114, 10, 3), 1);
		assert_eq!(missed_intervals(100, 123, 10, 3), 1);
		assert_eq!(missed_intervals(100, 124, 10, 3), 2);
		assert_eq!(missed_intervals(100, 144, 10, 3), 4);
		assert_eq!(missed_intervals(100, 50, 10, 3), 0, "a block before `at` misses nothing");
		assert_eq!(missed_intervals(0, 5, 0, 0), 0);
		assert_eq!(missed_intervals(0, u64::MAX, 1, u64::MAX), 0, "no overflow");
		assert_eq!(missed_intervals(0, u64::MAX, 1, 0), u64::MAX - 1);
	}

	#[test]
	fn missed_intervals_agrees_with_counting_deadlines() {
		// Independent reference: walk the deadlines one by one.
		for interval in 1..6u64 {
			for grace in 0..8u64 {
				for elapsed in 0..60u64 {
					let want =
						(1..100).take_while(|j| j * interval + grace < elapsed).count() as u64;
					assert_eq!(
						missed_intervals(7, 7 + elapsed, interval, grace),
						want,
						"I={interval} G={grace} elapsed={elapsed}"
					);
				}
			}
		}
	}

	#[test]
	fn decay_matches_a_floating_point_reference() {
		// Independent reference: f64 powers, tolerance of the fixed-point rounding.
		let score = Permill::from_parts(987_654);
		let decay = Permill::from_parts(840_896); // ≈ 0.5^(1/4): half-life of 4 intervals
		for k in [0u64, 1, 2, 3, 4, 7, 8, 16, 40] {
			let want = f(score) * f(decay).powi(k as i32);
			let got = f(decayed(score, decay, k));
			assert!((got - want).abs() < 2e-5, "k={k}: got {got}, want {want}");
		}
		// Half-life: after 4 intervals the score is (almost exactly) halved.
		let half = f(decayed(Permill::one(), decay, 4));
		assert!((half - 0.5).abs() < 1e-5, "{half}");
	}

	#[test]
	fn decay_over_huge_gaps_is_zero_and_cheap() {
		let d = Permill::from_percent(90);
		assert_eq!(decayed(Permill::one(), d, u64::MAX), Permill::zero());
		assert_eq!(decayed(Permill::one(), d, 1_000_000), Permill::zero());
		assert_eq!(decayed(Permill::one(), Permill::one(), 1_000_000), Permill::one());
	}

	#[test]
	fn heartbeat_moves_score_towards_reported_quality() {
		let alpha = Permill::from_percent(25);
		assert_eq!(
			after_heartbeat(None, Permill::from_percent(99), alpha),
			Permill::from_percent(99)
		);
		// Hand-worked: 0.4 · 0.75 + 1.0 · 0.25 = 0.55.
		let s = after_heartbeat(Some(Permill::from_percent(40)), Permill::one(), alpha);
		assert_eq!(s, Permill::from_percent(55));
		// Repeated perfect heartbeats converge to 1 from below.
		let mut s = Permill::zero();
		for _ in 0..60 {
			s = after_heartbeat(Some(s), Permill::one(), alpha);
		}
		assert!(s > Permill::from_parts(999_900), "{s:?}");
	}
}
