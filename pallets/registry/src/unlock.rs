//! Linear unlock of unbonding stake, and the sums over a ledger's unbonding chunks: what is
//! left, what has unlocked, what a withdrawal takes.
//!
//! An unstake of `amount` requested at block `now` starts unlocking at
//! `start = max(now, lock_until)` and is fully unlocked at `end = start + UnbondingBlocks`.
//! At block `n` the unlocked part is `amount · (n − start) / (end − start)`, rounded down,
//! clamped to `[0, amount]`. Exact integer arithmetic (128-bit intermediate) — no floats and
//! no per-thing rounding.

use crate::types::{StakeLedger, UnbondingChunk};
use frame_support::traits::Get;
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

impl<Balance: Copy + Saturating, BlockNumber> UnbondingChunk<Balance, BlockNumber> {
	/// What is left of the chunk, unlocked or not: `amount − withdrawn`.
	pub fn remaining(&self) -> Balance {
		self.amount.saturating_sub(self.withdrawn)
	}
}

impl<Balance, BlockNumber, MaxChunks> StakeLedger<Balance, BlockNumber, MaxChunks>
where
	Balance: Copy
		+ Eq
		+ PartialOrd
		+ core::fmt::Debug
		+ Zero
		+ Saturating
		+ UniqueSaturatedInto<u128>
		+ UniqueSaturatedFrom<u128>,
	BlockNumber: Copy + Eq + core::fmt::Debug + PartialOrd + Saturating + UniqueSaturatedInto<u128>,
	MaxChunks: Get<u32>,
{
	/// Unbonding stake not yet withdrawn: the sum of every chunk's [`remaining`](UnbondingChunk::remaining).
	pub fn unbonding_remaining(&self) -> Balance {
		self.unbonding.iter().fold(Balance::zero(), |acc, c| acc.saturating_add(c.remaining()))
	}

	/// Everything held for the provider: bonded plus unbonding not yet withdrawn.
	pub fn held(&self) -> Balance {
		self.bonded.saturating_add(self.unbonding_remaining())
	}

	/// What can be withdrawn at `now`: the sum of every chunk's [`withdrawable_at`].
	pub fn withdrawable_at(&self, now: BlockNumber) -> Balance {
		self.unbonding
			.iter()
			.fold(Balance::zero(), |acc, c| acc.saturating_add(withdrawable_at(c, now)))
	}

	/// Mark everything unlocked at `now` as withdrawn, drop the chunks fully withdrawn, and
	/// return the amount marked (what a withdrawal releases).
	pub fn take_unlocked(&mut self, now: BlockNumber) -> Balance {
		let mut total = Balance::zero();
		for chunk in self.unbonding.iter_mut() {
			let part = withdrawable_at(chunk, now);
			chunk.withdrawn = chunk.withdrawn.saturating_add(part);
			total = total.saturating_add(part);
		}
		self.unbonding.retain(|c| c.withdrawn < c.amount);
		total
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_runtime::{traits::ConstU32, BoundedVec};

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

	fn ledger(
		bonded: u128,
		chunks: &[UnbondingChunk<u128, u64>],
	) -> StakeLedger<u128, u64, ConstU32<4>> {
		StakeLedger {
			bonded,
			lock_until: 0,
			unbonding: BoundedVec::truncate_from(chunks.to_vec()),
			liabilities: 0,
		}
	}

	#[test]
	fn ledger_sums_what_is_left_and_what_has_unlocked() {
		let mut partly = chunk(1_000, 100, 110);
		partly.withdrawn = 300;
		let l = ledger(50, &[partly, chunk(40, 100, 120)]);
		assert_eq!(partly.remaining(), 700);
		assert_eq!(l.unbonding_remaining(), 740);
		assert_eq!(l.held(), 790);
		// At 105: 500 − 300 of the first, 10 of the second.
		assert_eq!(l.withdrawable_at(105), 210);
		assert_eq!(l.withdrawable_at(200), 740);
		assert_eq!(ledger(7, &[]).held(), 7);
	}

	#[test]
	fn take_unlocked_marks_what_it_returns_and_drops_finished_chunks() {
		let mut l = ledger(0, &[chunk(1_000, 100, 110), chunk(40, 100, 120)]);
		assert_eq!(l.take_unlocked(100), 0);
		assert_eq!(l.take_unlocked(105), 510);
		assert_eq!(l.unbonding_remaining(), 530);
		assert_eq!(l.take_unlocked(105), 0, "nothing more at the same block");
		assert_eq!(l.take_unlocked(110), 510);
		assert_eq!(l.unbonding.len(), 1, "the first chunk is fully withdrawn");
		assert_eq!(l.take_unlocked(120), 20);
		assert!(l.unbonding.is_empty());
	}

	#[test]
	fn zero_length_unbonding_unlocks_at_start() {
		let c = chunk(50, 7, 7);
		assert_eq!(unlocked_at(&c, 6), 0);
		assert_eq!(unlocked_at(&c, 7), 0);
		assert_eq!(unlocked_at(&c, 8), 50);
	}
}
