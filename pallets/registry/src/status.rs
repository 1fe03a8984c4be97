//! The status machine: one pure function decides a provider's status.
//!
//! ```text
//! REGISTERED ──(attested + staked + recent heartbeat)──▶ ACTIVE
//! ACTIVE ──(stake, attestation or heartbeat lost)──▶ REGISTERED
//! REGISTERED / ACTIVE ──(unstake)──▶ UNSTAKING ──(rebond, or last chunk withdrawn)──▶ REGISTERED / ACTIVE
//! ACTIVE ──(slash / health failure)──▶ JAILED ──(unjail after cooldown)──▶ ACTIVE / REGISTERED
//! REGISTERED ──(deregister)──▶ DEREGISTERED (terminal, record kept)
//! any live status ──(force_jail, governance)──▶ JAILED
//! any live status ──(force_deregister, governance; stake left unbonding)──▶ DEREGISTERED
//! ```
//!
//! Calls gather the facts into a [`StatusInput`] and store what [`decide`] returns; every
//! change emits `StatusChanged`. Deregistration and jailing are explicit acts, so they are
//! inputs, not conclusions.

use aicf_primitives::ProviderStatus;

/// The facts the status depends on, at one block.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct StatusInput {
	/// The provider has deregistered.
	pub deregistered: bool,
	/// The provider is jailed (not yet unjailed).
	pub jailed: bool,
	/// Some stake is unbonding (an unstake request not yet withdrawn or rebonded).
	pub unbonding: bool,
	/// Bonded stake is at least the minimum of the declared capabilities.
	pub stake_sufficient: bool,
	/// A verified attestation exists and has not expired.
	pub attestation_current: bool,
	/// A heartbeat arrived within the last heartbeat interval.
	pub heartbeat_recent: bool,
	/// Effective health is at least the threshold.
	pub healthy: bool,
}

/// The status implied by `input`. Precedence: deregistered, jailed, unstaking, then
/// ACTIVE when every eligibility condition holds, else REGISTERED.
pub fn decide(input: StatusInput) -> ProviderStatus {
	if input.deregistered {
		ProviderStatus::Deregistered
	} else if input.jailed {
		ProviderStatus::Jailed
	} else if input.unbonding {
		ProviderStatus::Unstaking
	} else if input.stake_sufficient
		&& input.attestation_current
		&& input.heartbeat_recent
		&& input.healthy
	{
		ProviderStatus::Active
	} else {
		ProviderStatus::Registered
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use ProviderStatus::*;

	const fn input(d: bool, j: bool, u: bool, s: bool, a: bool, h: bool) -> StatusInput {
		StatusInput {
			deregistered: d,
			jailed: j,
			unbonding: u,
			stake_sufficient: s,
			attestation_current: a,
			heartbeat_recent: h,
			healthy: true,
		}
	}

	#[test]
	fn decide_follows_the_table() {
		// (deregistered, jailed, unbonding, stake, attested, heartbeat) → status
		let table = [
			(input(false, false, false, false, false, false), Registered),
			(input(false, false, false, true, false, false), Registered),
			(input(false, false, false, true, true, false), Registered),
			(input(false, false, false, true, false, true), Registered),
			(input(false, false, false, false, true, true), Registered),
			(input(false, false, false, true, true, true), Active),
			(input(false, false, true, true, true, true), Unstaking),
			(input(false, false, true, false, false, false), Unstaking),
			(input(false, true, false, true, true, true), Jailed),
			(input(false, true, true, true, true, true), Jailed),
			(input(true, false, false, true, true, true), Deregistered),
			(input(true, true, true, false, false, false), Deregistered),
		];
		for (i, (inp, want)) in table.iter().enumerate() {
			assert_eq!(decide(*inp), *want, "row {i}: {inp:?}");
		}
	}

	#[test]
	fn decide_is_active_only_when_every_condition_holds() {
		for bits in 0u8..128 {
			let mut inp = input(
				bits & 1 != 0,
				bits & 2 != 0,
				bits & 4 != 0,
				bits & 8 != 0,
				bits & 16 != 0,
				bits & 32 != 0,
			);
			inp.healthy = bits & 64 != 0;
			let active = decide(inp) == Active;
			assert_eq!(active, bits == 0b1111000, "{inp:?}");
		}
	}

	#[test]
	fn decide_is_registered_when_only_health_fails() {
		let mut inp = input(false, false, false, true, true, true);
		inp.healthy = false;
		assert_eq!(decide(inp), Registered);
	}
}
