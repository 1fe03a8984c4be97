//! Hash-chain liveness proofs: post-quantum liveness in 32 bytes.
//!
//! With a signed heartbeat a provider may commit to the tip `A = H^n(s)` of a fresh hash chain
//! ([`LivenessCommitment`]; `H` is SHA3-256, `s` a secret seed, `n` at most the runtime's
//! `MaxLivenessChain`). In each following interval it proves liveness by revealing the next
//! preimage ([`LivenessProof`]): `x` with `H(x)` equal to the stored anchor, which then becomes
//! `x`. Proof `i` of a chain (1-based) is `H^(n-i)(s)`; the chain runs out after `n` proofs and
//! the next signed heartbeat commits a new one.
//!
//! Forging a proof means finding a SHA3-256 preimage: 256 bits classically, 128 bits against
//! Grover's search. A proof carries no signature, so anyone holding it may submit it (a relayer,
//! a pool operator, someone who copied it from the pool): it proves the same provider alive
//! and nothing else.
//!
//! [`HashChain`] builds chains for clients: the seed of each chain is derived from a secret
//! the client keeps, the chain's genesis hash, the provider, the hash of the registry key that
//! signs the committing heartbeat and that heartbeat's counter ([`chain_seed`]). Under one key
//! a counter is never reused (the chain refuses stale ones), and a key rotation (which restarts
//! the counter) changes the key hash, so a seed is never reused — a chain's preimages, public
//! once revealed, never prove a later chain.

use crate::ProviderId;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sha3::{Digest, Sha3_256};

/// The commitment a signed heartbeat may carry: the tip of a fresh hash chain and how many
/// proofs it allows.
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
pub struct LivenessCommitment {
	/// `H^length(seed)`.
	pub anchor: [u8; 32],
	/// Proofs the chain allows (1 ..= `MaxLivenessChain`).
	pub length: u32,
}

/// One liveness proof: the preimage of `provider`'s stored anchor.
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
pub struct LivenessProof {
	/// The provider proven alive.
	pub provider: ProviderId,
	/// `x` with `SHA3-256(x)` equal to the provider's stored anchor.
	pub preimage: [u8; 32],
}

/// One link of a chain: `SHA3-256(x)`.
pub fn link(x: &[u8; 32]) -> [u8; 32] {
	Sha3_256::digest(x).into()
}

/// `link` applied `n` times.
pub fn links(x: &[u8; 32], n: u32) -> [u8; 32] {
	(0..n).fold(*x, |acc, _| link(&acc))
}

/// Domain tag of [`chain_seed`].
pub const SEED_TAG: &[u8] = b"aicf/liveness-seed/v1";

/// The seed of the chain committed by `provider`'s heartbeat `counter`, signed by the registry
/// key whose hash is `key_hash`, on the chain `genesis`:
/// `SHA3-256(tag || secret || genesis || provider || key_hash || counter)`.
pub fn chain_seed(
	secret: &[u8; 32],
	genesis: &[u8; 32],
	provider: &ProviderId,
	key_hash: &[u8; 32],
	counter: u64,
) -> [u8; 32] {
	let mut h = Sha3_256::new();
	h.update(SEED_TAG);
	h.update(secret);
	h.update(genesis);
	h.update(provider.0);
	h.update(key_hash);
	h.update(counter.to_le_bytes());
	h.finalize().into()
}

/// A hash chain of `length` proofs over `seed`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct HashChain {
	/// The chain's secret seed.
	pub seed: [u8; 32],
	/// Proofs it allows.
	pub length: u32,
}

impl HashChain {
	/// The commitment a heartbeat carries.
	pub fn commitment(&self) -> LivenessCommitment {
		LivenessCommitment { anchor: links(&self.seed, self.length), length: self.length }
	}

	/// Proof `i` (1 ..= `length`): `H^(length - i)(seed)`; `None` outside the chain.
	pub fn proof(&self, i: u32) -> Option<[u8; 32]> {
		let steps = self.length.checked_sub(i)?;
		(i >= 1).then(|| links(&self.seed, steps))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn each_proof_hashes_to_the_one_before_and_the_first_to_the_anchor() {
		let chain = HashChain { seed: [9; 32], length: 6 };
		let mut anchor = chain.commitment().anchor;
		for i in 1..=6 {
			let x = chain.proof(i).unwrap();
			assert_eq!(link(&x), anchor, "proof {i}");
			assert_ne!(x, anchor);
			anchor = x;
		}
		assert_eq!(anchor, chain.seed);
		assert_eq!(chain.proof(0), None);
		assert_eq!(chain.proof(7), None);
	}

	#[test]
	fn link_is_sha3_256() {
		// SHA3-256 of 32 zero bytes (Python: hashlib.sha3_256(bytes(32)).hexdigest()).
		assert_eq!(
			hex::encode(link(&[0; 32])),
			"9e6291970cb44dd94008c79bcaf9d86f18b4b49ba5b2a04781db7199ed3b9e4e"
		);
	}

	#[test]
	fn seeds_differ_by_every_input() {
		let id = ProviderId([3; 12]);
		let base = chain_seed(&[1; 32], &[2; 32], &id, &[6; 32], 4);
		assert_ne!(base, chain_seed(&[0; 32], &[2; 32], &id, &[6; 32], 4));
		assert_ne!(base, chain_seed(&[1; 32], &[0; 32], &id, &[6; 32], 4));
		assert_ne!(base, chain_seed(&[1; 32], &[2; 32], &ProviderId([0; 12]), &[6; 32], 4));
		// The same counter under another key (after a rotation restarts the counter).
		assert_ne!(base, chain_seed(&[1; 32], &[2; 32], &id, &[7; 32], 4));
		assert_ne!(base, chain_seed(&[1; 32], &[2; 32], &id, &[6; 32], 5));
	}
}
