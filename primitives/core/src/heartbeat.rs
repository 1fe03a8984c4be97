//! The heartbeat on the wire: the registry call's SCALE argument ([`Heartbeat`]) and the
//! reasons the transaction pool refuses one ([`HeartbeatRejection`]), with their codes and
//! their explanations.
//!
//! The runtime, the `aicf` tool and the polkadot-js client read these definitions: the pallet
//! returns a [`HeartbeatRejection`], the pool reports it as the [`InvalidTransaction`] of
//! [`HeartbeatRejection::invalid_transaction`], and a client names a pool's
//! `InvalidTransaction::Custom(code)` with [`HeartbeatRejection::from_custom_code`].
//! `clients/js/heartbeat-rejections.json` is written from this enum (a test of this crate
//! fails if it differs).

use crate::{
	liveness::LivenessCommitment,
	payload::{HeartbeatPayload, HeartbeatReport},
	ProviderId,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError};

/// The SCALE arguments of a heartbeat; the runtime rebuilds the signed CBOR payload from them
/// ([`Heartbeat::payload`]).
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Heartbeat {
	/// Sending provider.
	pub provider: ProviderId,
	/// Greater than the last accepted counter by at least 1 and at most
	/// `MaxHeartbeatCounterStep`; a key rotation resets the last accepted counter to 0.
	pub counter: u64,
	/// Unix seconds when it was made; must be within `HeartbeatTimestampWindow` of chain time.
	pub timestamp: u64,
	/// Hash of the provider's current attestation, zero if it has none.
	pub attest_hash: [u8; 32],
	/// Reported quality and load.
	pub report: HeartbeatReport,
	/// A fresh liveness hash chain whose proofs stand in for signed heartbeats until the next
	/// one ([`crate::liveness`]); `None` ends the provider's current chain.
	pub liveness: Option<LivenessCommitment>,
}

impl Heartbeat {
	/// The canonical payload the registry key signs, on the chain with `genesis`.
	pub fn payload(&self, genesis: [u8; 32]) -> HeartbeatPayload {
		HeartbeatPayload {
			genesis,
			provider: self.provider,
			counter: self.counter,
			timestamp: self.timestamp,
			attest_hash: self.attest_hash,
			report: self.report,
			liveness: self.liveness,
		}
	}
}

/// Why the pool or the block refuses a heartbeat. The discriminant is the rejection's code;
/// the pool reports it as [`Self::invalid_transaction`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum HeartbeatRejection {
	/// No such provider.
	UnknownProvider = 1,
	/// The provider has deregistered.
	Deregistered = 2,
	/// Less than `MinHeartbeatInterval` blocks since the last heartbeat.
	TooEarly = 3,
	/// The counter is not greater than the last accepted one (a replay).
	StaleCounter = 4,
	/// The timestamp is further than `HeartbeatTimestampWindow` from chain time.
	TimestampOutOfWindow = 5,
	/// `attest_hash` is not the provider's current attestation hash.
	AttestationMismatch = 6,
	/// Availability above 100 % or active leases above capacity.
	MalformedReport = 7,
	/// The registry-key signature does not verify.
	BadSignature = 8,
	/// The provider's bond does not cover its minimum stake (and it is not an ACTIVE or
	/// JAILED provider with some stake left): heartbeats are free only where they buy
	/// something.
	NotStaked = 9,
	/// The counter is more than `MaxHeartbeatCounterStep` above the last accepted one.
	CounterJump = 10,
	/// The block being built has no room left for the heartbeat (its slots of
	/// `MaxHeartbeatsPerBlock`, three for an SLH-DSA key, or its share of `MaxProofsPerBlock`);
	/// the heartbeat waits in the pool for the next block.
	BlockFull = 11,
	/// Liveness proof: the provider has no liveness chain (it never committed one with a
	/// signed heartbeat, or its last signed heartbeat carried none, or it rotated its key or
	/// deregistered).
	NoLivenessChain = 12,
	/// Liveness proof: the preimage is the provider's current anchor, already revealed (a
	/// replay).
	ProofReplayed = 13,
	/// Liveness proof: SHA3-256 of the preimage is not the provider's anchor.
	ProofMismatch = 14,
	/// Liveness proof: every proof of the provider's chain has been used; a signed heartbeat
	/// commits the next chain.
	ChainExhausted = 15,
	/// Liveness proofs: the batch is not in strictly ascending provider order (so no provider
	/// appears twice).
	ProofsNotSorted = 16,
	/// Heartbeat: the liveness commitment's length is 0 or above `MaxLivenessChain`.
	InvalidCommitment = 17,
	/// Liveness proofs: the batch is empty.
	NoProofs = 18,
	/// Liveness proof: more than `MaxMissedHeartbeats` deadlines passed since the provider's
	/// last proof or heartbeat; only a signed heartbeat brings it back.
	ChainLapsed = 19,
}

impl HeartbeatRejection {
	/// Every rejection, in code order.
	pub const ALL: [Self; 19] = [
		Self::UnknownProvider,
		Self::Deregistered,
		Self::TooEarly,
		Self::StaleCounter,
		Self::TimestampOutOfWindow,
		Self::AttestationMismatch,
		Self::MalformedReport,
		Self::BadSignature,
		Self::NotStaked,
		Self::CounterJump,
		Self::BlockFull,
		Self::NoLivenessChain,
		Self::ProofReplayed,
		Self::ProofMismatch,
		Self::ChainExhausted,
		Self::ProofsNotSorted,
		Self::InvalidCommitment,
		Self::NoProofs,
		Self::ChainLapsed,
	];

	/// The variant's name, as clients show it.
	pub fn name(self) -> &'static str {
		match self {
			Self::UnknownProvider => "UnknownProvider",
			Self::Deregistered => "Deregistered",
			Self::TooEarly => "TooEarly",
			Self::StaleCounter => "StaleCounter",
			Self::TimestampOutOfWindow => "TimestampOutOfWindow",
			Self::AttestationMismatch => "AttestationMismatch",
			Self::MalformedReport => "MalformedReport",
			Self::BadSignature => "BadSignature",
			Self::NotStaked => "NotStaked",
			Self::CounterJump => "CounterJump",
			Self::BlockFull => "BlockFull",
			Self::NoLivenessChain => "NoLivenessChain",
			Self::ProofReplayed => "ProofReplayed",
			Self::ProofMismatch => "ProofMismatch",
			Self::ChainExhausted => "ChainExhausted",
			Self::ProofsNotSorted => "ProofsNotSorted",
			Self::InvalidCommitment => "InvalidCommitment",
			Self::NoProofs => "NoProofs",
			Self::ChainLapsed => "ChainLapsed",
		}
	}

	/// One line for an operator.
	pub fn explanation(self) -> &'static str {
		match self {
			Self::UnknownProvider => "unknown provider",
			Self::Deregistered => "the provider has deregistered",
			Self::TooEarly => {
				"heartbeat too early (less than MinHeartbeatInterval blocks since the last one)"
			},
			Self::StaleCounter => "stale heartbeat counter (a replay)",
			Self::TimestampOutOfWindow => {
				"heartbeat timestamp too far from chain time (check the clock)"
			},
			Self::AttestationMismatch => {
				"the heartbeat's attestation hash is not the provider's current one"
			},
			Self::MalformedReport => {
				"malformed heartbeat report (availability above 100 % or load above capacity)"
			},
			Self::BadSignature => "bad signature",
			Self::NotStaked => {
				"the provider's bond does not cover its minimum stake: stake before heartbeating"
			},
			Self::CounterJump => {
				"heartbeat counter too far ahead of the last accepted one (MaxHeartbeatCounterStep)"
			},
			Self::BlockFull => "this block's heartbeat budget is used up; the next block takes it",
			Self::NoLivenessChain => {
				"no liveness chain: a signed heartbeat with a commitment starts one"
			},
			Self::ProofReplayed => "liveness proof already revealed (a replay)",
			Self::ProofMismatch => "liveness proof does not hash to the provider's anchor",
			Self::ChainExhausted => {
				"liveness chain used up: send a signed heartbeat with a new commitment"
			},
			Self::ProofsNotSorted => {
				"liveness proofs not in strictly ascending provider order (or a provider twice)"
			},
			Self::InvalidCommitment => "liveness commitment length is 0 or above MaxLivenessChain",
			Self::NoProofs => "empty batch of liveness proofs",
			Self::ChainLapsed => "silent too long for a liveness proof: send a signed heartbeat",
		}
	}

	/// How the pool reports the rejection: a replayed counter as the standard `Stale`, a bad
	/// signature as the standard `BadProof`, a full block as the standard `ExhaustsResources`
	/// (the block builder then leaves the heartbeat in the pool for the next block), every
	/// other reason as `Custom(code)`.
	pub fn invalid_transaction(self) -> InvalidTransaction {
		match self {
			Self::StaleCounter => InvalidTransaction::Stale,
			Self::BadSignature => InvalidTransaction::BadProof,
			Self::BlockFull => InvalidTransaction::ExhaustsResources,
			Self::UnknownProvider
			| Self::Deregistered
			| Self::TooEarly
			| Self::TimestampOutOfWindow
			| Self::AttestationMismatch
			| Self::MalformedReport
			| Self::NotStaked
			| Self::CounterJump
			| Self::NoLivenessChain
			| Self::ProofReplayed
			| Self::ProofMismatch
			| Self::ChainExhausted
			| Self::ProofsNotSorted
			| Self::InvalidCommitment
			| Self::NoProofs
			| Self::ChainLapsed => InvalidTransaction::Custom(self as u8),
		}
	}

	/// The code of the `InvalidTransaction::Custom` the rejection arrives as; `None` for the
	/// rejections reported with a standard variant.
	pub fn custom_code(self) -> Option<u8> {
		match self.invalid_transaction() {
			InvalidTransaction::Custom(code) => Some(code),
			_ => None,
		}
	}

	/// The rejection a pool's `InvalidTransaction::Custom(code)` reports; `None` for a code no
	/// heartbeat rejection arrives as.
	pub fn from_custom_code(code: u8) -> Option<Self> {
		Self::ALL.into_iter().find(|r| r.custom_code() == Some(code))
	}
}

impl From<HeartbeatRejection> for InvalidTransaction {
	fn from(r: HeartbeatRejection) -> Self {
		r.invalid_transaction()
	}
}

impl From<HeartbeatRejection> for TransactionValidityError {
	fn from(r: HeartbeatRejection) -> Self {
		r.invalid_transaction().into()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn all_lists_every_rejection_once_in_code_order() {
		for (position, rejection) in HeartbeatRejection::ALL.into_iter().enumerate() {
			assert_eq!(usize::from(rejection as u8), position + 1, "{rejection:?}");
			// Exhaustive: a new variant stops this compiling until it is listed here and in
			// `ALL` (and the checks above place it).
			match rejection {
				HeartbeatRejection::UnknownProvider
				| HeartbeatRejection::Deregistered
				| HeartbeatRejection::TooEarly
				| HeartbeatRejection::StaleCounter
				| HeartbeatRejection::TimestampOutOfWindow
				| HeartbeatRejection::AttestationMismatch
				| HeartbeatRejection::MalformedReport
				| HeartbeatRejection::BadSignature
				| HeartbeatRejection::NotStaked
				| HeartbeatRejection::CounterJump
				| HeartbeatRejection::BlockFull
				| HeartbeatRejection::NoLivenessChain
				| HeartbeatRejection::ProofReplayed
				| HeartbeatRejection::ProofMismatch
				| HeartbeatRejection::ChainExhausted
				| HeartbeatRejection::ProofsNotSorted
				| HeartbeatRejection::InvalidCommitment
				| HeartbeatRejection::NoProofs
				| HeartbeatRejection::ChainLapsed => {},
			}
		}
	}

	#[test]
	fn replays_and_bad_signatures_arrive_as_standard_variants_the_rest_as_custom_codes() {
		use HeartbeatRejection::*;
		let arrives = |r: HeartbeatRejection| TransactionValidityError::from(r);
		assert_eq!(arrives(StaleCounter), InvalidTransaction::Stale.into());
		assert_eq!(arrives(BadSignature), InvalidTransaction::BadProof.into());
		for (rejection, code) in [
			(UnknownProvider, 1),
			(Deregistered, 2),
			(TooEarly, 3),
			(TimestampOutOfWindow, 5),
			(AttestationMismatch, 6),
			(MalformedReport, 7),
			(NotStaked, 9),
			(CounterJump, 10),
			(NoLivenessChain, 12),
			(ProofReplayed, 13),
			(ProofMismatch, 14),
			(ChainExhausted, 15),
			(ProofsNotSorted, 16),
			(InvalidCommitment, 17),
			(NoProofs, 18),
			(ChainLapsed, 19),
		] {
			assert_eq!(arrives(rejection), InvalidTransaction::Custom(code).into());
			assert_eq!(rejection.custom_code(), Some(code));
		}
		assert_eq!(arrives(BlockFull), InvalidTransaction::ExhaustsResources.into());
		assert_eq!(StaleCounter.custom_code(), None);
		assert_eq!(BadSignature.custom_code(), None);
		assert_eq!(BlockFull.custom_code(), None);
	}

	#[test]
	fn custom_codes_name_their_rejection_and_codes_that_never_arrive_name_none() {
		let named: Vec<(u8, HeartbeatRejection)> = (0..=u8::MAX)
			.filter_map(|code| HeartbeatRejection::from_custom_code(code).map(|r| (code, r)))
			.collect();
		assert_eq!(
			named,
			[
				(1, HeartbeatRejection::UnknownProvider),
				(2, HeartbeatRejection::Deregistered),
				(3, HeartbeatRejection::TooEarly),
				(5, HeartbeatRejection::TimestampOutOfWindow),
				(6, HeartbeatRejection::AttestationMismatch),
				(7, HeartbeatRejection::MalformedReport),
				(9, HeartbeatRejection::NotStaked),
				(10, HeartbeatRejection::CounterJump),
				(12, HeartbeatRejection::NoLivenessChain),
				(13, HeartbeatRejection::ProofReplayed),
				(14, HeartbeatRejection::ProofMismatch),
				(15, HeartbeatRejection::ChainExhausted),
				(16, HeartbeatRejection::ProofsNotSorted),
				(17, HeartbeatRejection::InvalidCommitment),
				(18, HeartbeatRejection::NoProofs),
				(19, HeartbeatRejection::ChainLapsed),
			]
		);
		for rejection in HeartbeatRejection::ALL {
			assert!(!rejection.name().is_empty() && !rejection.explanation().contains('\n'));
		}
	}

	#[test]
	fn heartbeat_encodes_its_fields_in_declaration_order() {
		let report = HeartbeatReport {
			rtt_ms_p50: 40,
			availability_bps: 9_992,
			leases_active: 2,
			leases_capacity: 8,
		};
		let hb = Heartbeat {
			provider: ProviderId([7; 12]),
			counter: 9,
			timestamp: 1_750_000_000,
			attest_hash: [3; 32],
			report,
			liveness: Some(LivenessCommitment { anchor: [4; 32], length: 6 }),
		};
		let fields = [
			hb.provider.encode(),
			9u64.encode(),
			1_750_000_000u64.encode(),
			[3u8; 32].encode(),
			report.encode(),
			Some(LivenessCommitment { anchor: [4; 32], length: 6 }).encode(),
		]
		.concat();
		assert_eq!(hb.encode(), fields);
		assert_eq!(hb.encode().len(), Heartbeat::max_encoded_len());
		assert_eq!(Heartbeat::decode(&mut &fields[..]).ok(), Some(hb.clone()));
		let payload = hb.payload([1; 32]);
		assert_eq!(
			payload,
			HeartbeatPayload {
				genesis: [1; 32],
				provider: hb.provider,
				counter: 9,
				timestamp: 1_750_000_000,
				attest_hash: [3; 32],
				report,
				liveness: hb.liveness,
			}
		);
	}
}
