//! # AICF primitives
//!
//! Types shared by every crate of the AICF provider registry: `no_std`, so the runtime, the
//! node, the CLI and other pallets all use the same definitions.
//!
//! ## Overview
//!
//! - [`ProviderId`]: first 12 bytes of the key hash `SHA3-256(pubkey || alg_id)`, text form
//!   `provider:` + 24 hex characters ([`id`]).
//! - Registry keys: ML-DSA-65 and SLH-DSA-SHA2-128s, bounded key and signature types and
//!   verification natively through the `aicf_crypto` host functions ([`crypto`], [`host`]),
//!   with portable `no_std` verifiers kept alongside; key generation, signing and PEM files behind `std`
//!   ([`keys`]).
//! - Canonical CBOR payloads signed by registry keys ([`payload`]); their byte layout is in
//!   `docs/payloads.md`.
//! - The heartbeat call's argument and the codes with which the pool refuses a heartbeat
//!   ([`heartbeat`]).
//! - Domain types: capabilities, status, region, endpoint, contact ([`types`]).
//! - JSON views of spec §10 (`std`, [`view`]).
//! - Traits other pallets call: eligibility, leases, penalties, payouts, attestation sink
//!   ([`traits`]).
//!
//! ## Low-level details
//!
//! Verification allocates nothing and never panics on any input; every length is checked
//! against the algorithm before the bytes reach the signature crates.

#![cfg_attr(not(feature = "std"), no_std)]
// Tests may panic and compute freely; the runtime-side code may not.
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::indexing_slicing))]

extern crate alloc;

pub mod crypto;
pub mod heartbeat;
pub mod host;
pub mod id;
#[cfg(feature = "std")]
pub mod keys;
pub mod liveness;
pub mod payload;
pub mod traits;
pub mod types;
#[cfg(feature = "std")]
pub mod view;

pub use crypto::{KeyAlgorithm, RegistryPublicKey, VerifyError};
pub use heartbeat::{Heartbeat, HeartbeatRejection};
pub use id::{KeyHash, ProviderId, ProviderIdParseError};
pub use types::{Capabilities, CapabilityKind, ProviderStatus};
