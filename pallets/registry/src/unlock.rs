//! Linear unlock of unbonding stake.
//!
//! An unstake of `amount` requested at block `now` starts unlocking at
//! `start = max(now, lock_until)` and is fully unlocked at `end = start + UnbondingBlocks`.
//! At block `n` the unlocked part is `amount · (n − start) / (end − start)`, rounded down,
//! clamped to `[0, amount]`. Exact integer arithmetic (128-bit intermediate) — no floats and
//! no per-thing rounding.

use crate::types::UnbondingChunk;
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{Saturating, UniqueSaturatedFrom, UniqueSaturatedInto, Zero},
	Rounding,
};

/// Unlocked part of `chunk.amount` at block `now` (including what was already withdrawn).
pub fn unlocked_at<Balance, BlockNumber>(
	chunk: &UnbondingChunk<Balance, BlockNumber>,
	now: BlockNumber,
) -> Balance
where
	Balance: Copy + Zero + UniqueSaturatedInto<u128> + UniqueSaturatedFrom<u128>,
	BlockNumber: Copy + PartialOrd + Saturating + UniqueSaturatedInto<u128>,
{
	if now <= chunk.start {
		return Balance::zero();
	}
	if now >= chunk.end {
		return chunk.amount;
	}
	let elapsed: u128 = now.saturating_sub(chunk.start).unique_saturated_into();
	let duration: u128 = chunk.end.saturating_sub(chunk.start).unique_saturated_into();
	let amount: u128 = chunk.amount.unique_saturated_into();
	// `elapsed < duration` here, so the result is below `amount`; `None` only if duration were 0,
	// which `now >= chunk.end` already excluded.
	let part = multiply_by_rational_with_rounding(amount, elapsed, duration, Rounding::Down)
		.unwrap_or(amount);
	Balance::unique_saturated_from(part)
}

/// What can be withdrawn from `chunk` at `now`: unlocked minus already withdrawn.
pub fn withdrawable_at<Balance, BlockNumber>(
	chunk: &UnbondingChunk<Balance, BlockNumber>,
	now: BlockNumber,
) -> Balance
where
	Balance: Copy + Zero + Saturating + UniqueSaturatedInto<u128> + UniqueSaturatedFrom<u128>,
	BlockNumber: Copy + PartialOrd + Saturating + UniqueSaturatedInto<u128>,
{
	unlocked_at(chunk, now).saturating_sub(chunk.withdrawn)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn chunk(amount: u128, start: u64, end: u64) -> UnbondingChunk<u128, u64> {
		UnbondingChunk { amount, withdrawn: 0, start, end }
	}

	#[test]
	fn unlock_is_linear_at_its_boundaries() {
		let c = chunk(1_000, 100, 110);
		assert_eq!(unlocked_at(&c, 0), 0, "before the lock ends");
		assert_eq!(unlocked_at(&c, 100), 0, "at start nothing is unlocked yet");
		assert_eq!(unlocked_at(&c, 101), 100, "first block: one tenth");
		assert_eq!(unlocked_at(&c, 105), 500, "middle");
		assert_eq!(unlocked_at(&c, 109), 900, "last block before the end");
		assert_eq!(unlocked_at(&c, 110), 1_000, "end: everything");
		assert_eq!(unlocked_at(&c, 10_000), 1_000, "after the end");
	}

	#[test]
	fn unlock_rounds_down_and_never_exceeds_amount() {
		let c = chunk(10, 0, 3);
		assert_eq!([1, 2, 3].map(|n| unlocked_at(&c, n)), [3, 6, 10]);
		let huge = chunk(u128::MAX, 0, 1_000_000);
		assert_eq!(unlocked_at(&huge, 500_000), u128::MAX / 2);
		assert_eq!(unlocked_at(&huge, 1_000_000), u128::MAX);
	}

	#[test]
	fn withdrawable_subtracts_what_was_withdrawn() {
		let mut c = chunk(1_000, 100, 110);
		c.withdrawn = 300;
		assert_eq!(withdrawable_at(&c, 102), 0);
		assert_eq!(withdrawable_at(&c, 105), 200);
		assert_eq!(withdrawable_at(&c, 200), 700);
	}

	#[test]
	fn zero_length_unbonding_unlocks_at_start() {
		let c = chunk(50, 7, 7);
		assert_eq!(unlocked_at(&c, 6), 0);
		assert_eq!(unlocked_at(&c, 7), 0);
		assert_eq!(unlocked_at(&c, 8), 50);
	}
}
