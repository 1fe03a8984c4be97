//! Canonical CBOR payloads signed by registry keys.
//!
//! Every payload is a CBOR map with small unsigned-integer keys in ascending order, encoded per
//! RFC 8949 §4.2.1 (definite lengths, shortest-form integers, no floats). Keys 0–2 are common:
//!
//! | key | field | CBOR type |
//! |---|---|---|
//! | 0 | domain tag, e.g. `"aicf/heartbeat/v1"` | text |
//! | 1 | genesis hash of the chain | bytes (32) |
//! | 2 | [`ProviderId`] | bytes (12) |
//!
//! The remaining keys are listed on each payload type; `docs/payloads.md` has the byte layout
//! with worked examples. The runtime rebuilds the bytes from a call's SCALE arguments and
//! verifies the signature over them; [`decode`](HeartbeatPayload::decode) functions exist for
//! clients and tests and reject any non-canonical input by decoding, re-encoding and comparing.

use crate::{
	liveness::LivenessCommitment,
	types::{AiCapability, Capabilities, Name, QuantumCapability},
	ProviderId,
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use minicbor::{data::Type, Decoder, Encoder};
use scale_info::TypeInfo;

/// Domain tag of [`RegistrationPayload`].
pub const TAG_REGISTER: &str = "aicf/register/v1";
/// Domain tag of [`HeartbeatPayload`].
pub const TAG_HEARTBEAT: &str = "aicf/heartbeat/v1";
/// Domain tag of [`UpdatePayload`].
pub const TAG_UPDATE: &str = "aicf/update/v1";
/// Domain tag of [`RotationPayload`].
pub const TAG_ROTATE: &str = "aicf/rotate-key/v1";

/// A 32-byte hash (genesis hash, attestation hash).
pub type Hash32 = [u8; 32];

/// Why bytes are not a canonical payload.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PayloadError {
	/// Not well-formed CBOR, or a field of the wrong CBOR type.
	Malformed,
	/// A map key is missing, unexpected or out of order.
	UnexpectedKey,
	/// The domain tag is not the one of this payload type.
	WrongDomain,
	/// A byte string has the wrong length, or a value is out of range.
	BadValue,
	/// Well-formed but not in canonical form (non-shortest integer, indefinite length, …).
	NotCanonical,
	/// Bytes follow the payload.
	TrailingBytes,
}

impl From<minicbor::decode::Error> for PayloadError {
	fn from(_: minicbor::decode::Error) -> Self {
		PayloadError::Malformed
	}
}

type EncResult = Result<(), minicbor::encode::Error<core::convert::Infallible>>;

/// Run `write` on a fresh encoder. Writing into a `Vec` cannot fail, so the error branch
/// is unreachable; it still returns the bytes written rather than panicking.
fn encode_with(write: impl FnOnce(&mut Encoder<Vec<u8>>) -> EncResult) -> Vec<u8> {
	let mut e = Encoder::new(Vec::new());
	let _infallible = write(&mut e);
	e.into_writer()
}

fn write_header(
	e: &mut Encoder<Vec<u8>>,
	len: u64,
	tag: &str,
	genesis: &Hash32,
	provider: &ProviderId,
) -> EncResult {
	e.map(len)?.u8(0)?.str(tag)?.u8(1)?.bytes(genesis)?.u8(2)?.bytes(&provider.0)?;
	Ok(())
}

/// Reads a definite-length map header and the common keys 0–2.
fn read_header(d: &mut Decoder<'_>, tag: &str) -> Result<(u64, Hash32, ProviderId), PayloadError> {
	let len = d.map()?.ok_or(PayloadError::NotCanonical)?;
	expect_key(d, 0)?;
	if d.str()? != tag {
		return Err(PayloadError::WrongDomain);
	}
	expect_key(d, 1)?;
	let genesis = fixed::<32>(d.bytes()?)?;
	expect_key(d, 2)?;
	let provider = ProviderId(fixed::<12>(d.bytes()?)?);
	Ok((len, genesis, provider))
}

fn expect_key(d: &mut Decoder<'_>, key: u8) -> Result<(), PayloadError> {
	if d.datatype()? != Type::U8 || d.u8()? != key {
		return Err(PayloadError::UnexpectedKey);
	}
	Ok(())
}

fn fixed<const N: usize>(bytes: &[u8]) -> Result<[u8; N], PayloadError> {
	bytes.try_into().map_err(|_| PayloadError::BadValue)
}

/// Finish a decode: no trailing bytes and the input equals the canonical re-encoding.
fn finish(d: &Decoder<'_>, input: &[u8], canonical: &[u8]) -> Result<(), PayloadError> {
	if d.position() != input.len() {
		return Err(PayloadError::TrailingBytes);
	}
	if canonical != input {
		return Err(PayloadError::NotCanonical);
	}
	Ok(())
}

/// Proof of possession signed at registration: binds the key to a controller account on
/// one chain. Keys: 3 = controller account (SCALE bytes of the `AccountId`), 4 = `alg_id`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RegistrationPayload {
	/// Genesis hash of the chain.
	pub genesis: Hash32,
	/// Id derived from the key being registered.
	pub provider: ProviderId,
	/// SCALE encoding of the controller account (32 bytes for `AccountId32`).
	pub controller: Vec<u8>,
	/// Algorithm id of the key.
	pub alg: u8,
}

impl RegistrationPayload {
	/// Canonical CBOR bytes.
	pub fn encode(&self) -> Vec<u8> {
		encode_with(|e| {
			write_header(e, 5, TAG_REGISTER, &self.genesis, &self.provider)?;
			e.u8(3)?.bytes(&self.controller)?.u8(4)?.u8(self.alg)?;
			Ok(())
		})
	}

	/// Decode canonical bytes.
	pub fn decode(input: &[u8]) -> Result<Self, PayloadError> {
		let mut d = Decoder::new(input);
		let (len, genesis, provider) = read_header(&mut d, TAG_REGISTER)?;
		if len != 5 {
			return Err(PayloadError::UnexpectedKey);
		}
		expect_key(&mut d, 3)?;
		let controller = d.bytes()?.to_vec();
		expect_key(&mut d, 4)?;
		let alg = d.u8()?;
		let p = Self { genesis, provider, controller, alg };
		finish(&d, input, &p.encode())?;
		Ok(p)
	}
}

/// Quality and load figures a provider reports in a heartbeat (spec §10.2).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct HeartbeatReport {
	/// Median round-trip time in milliseconds.
	pub rtt_ms_p50: u32,
	/// Availability in basis points (0–10 000; 9 992 = 99.92 %).
	pub availability_bps: u16,
	/// Leases the provider is serving.
	pub leases_active: u32,
	/// Leases the provider can serve at once.
	pub leases_capacity: u32,
}

/// Availability is capped at 100 % = 10 000 basis points.
pub const MAX_AVAILABILITY_BPS: u16 = 10_000;

/// Signed heartbeat. Keys: 3 = counter (strictly increasing per provider), 4 = timestamp
/// (Unix seconds), 5 = attestation hash (32 bytes, zero if none), 6 = `rtt_ms_p50`,
/// 7 = availability (basis points), 8 = `leases_active`, 9 = `leases_capacity`, and, when the
/// heartbeat commits to a liveness hash chain ([`crate::liveness`]), 10 = the chain's anchor
/// (32 bytes) and 11 = its length.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct HeartbeatPayload {
	/// Genesis hash of the chain.
	pub genesis: Hash32,
	/// Sending provider.
	pub provider: ProviderId,
	/// Strictly increasing counter; replay protection.
	pub counter: u64,
	/// Unix time in seconds when the heartbeat was made.
	pub timestamp: u64,
	/// Hash of the provider's current attestation, or zero.
	pub attest_hash: Hash32,
	/// Reported figures.
	pub report: HeartbeatReport,
	/// The liveness hash chain this heartbeat commits to, if any.
	pub liveness: Option<LivenessCommitment>,
}

impl HeartbeatPayload {
	/// Canonical CBOR bytes.
	pub fn encode(&self) -> Vec<u8> {
		encode_with(|e| {
			let len = if self.liveness.is_some() { 12 } else { 10 };
			write_header(e, len, TAG_HEARTBEAT, &self.genesis, &self.provider)?;
			e.u8(3)?.u64(self.counter)?;
			e.u8(4)?.u64(self.timestamp)?;
			e.u8(5)?.bytes(&self.attest_hash)?;
			e.u8(6)?.u32(self.report.rtt_ms_p50)?;
			e.u8(7)?.u16(self.report.availability_bps)?;
			e.u8(8)?.u32(self.report.leases_active)?;
			e.u8(9)?.u32(self.report.leases_capacity)?;
			if let Some(c) = &self.liveness {
				e.u8(10)?.bytes(&c.anchor)?;
				e.u8(11)?.u32(c.length)?;
			}
			Ok(())
		})
	}

	/// Decode canonical bytes.
	pub fn decode(input: &[u8]) -> Result<Self, PayloadError> {
		let mut d = Decoder::new(input);
		let (len, genesis, provider) = read_header(&mut d, TAG_HEARTBEAT)?;
		if len != 10 && len != 12 {
			return Err(PayloadError::UnexpectedKey);
		}
		expect_key(&mut d, 3)?;
		let counter = d.u64()?;
		expect_key(&mut d, 4)?;
		let timestamp = d.u64()?;
		expect_key(&mut d, 5)?;
		let attest_hash = fixed::<32>(d.bytes()?)?;
		expect_key(&mut d, 6)?;
		let rtt_ms_p50 = d.u32()?;
		expect_key(&mut d, 7)?;
		let availability_bps = d.u16()?;
		if availability_bps > MAX_AVAILABILITY_BPS {
			return Err(PayloadError::BadValue);
		}
		expect_key(&mut d, 8)?;
		let leases_active = d.u32()?;
		expect_key(&mut d, 9)?;
		let leases_capacity = d.u32()?;
		let liveness = if len == 12 {
			expect_key(&mut d, 10)?;
			let anchor = fixed::<32>(d.bytes()?)?;
			expect_key(&mut d, 11)?;
			Some(LivenessCommitment { anchor, length: d.u32()? })
		} else {
			None
		};
		let p = Self {
			genesis,
			provider,
			counter,
			timestamp,
			attest_hash,
			report: HeartbeatReport {
				rtt_ms_p50,
				availability_bps,
				leases_active,
				leases_capacity,
			},
			liveness,
		};
		finish(&d, input, &p.encode())?;
		Ok(p)
	}
}

/// Signed metadata update. Keys: 3 = nonce (the provider's key nonce), then only the fields
/// that change: 4 = capabilities, 5 = region, 6 = endpoint, 7 = contact (text).
///
/// Capabilities are a map `{0: ai, 1: quantum}` (each key present only if declared), with
/// `ai = {0: [model, …], 1: throughput_milli_tps}` and
/// `quantum = {0: [trap family, …], 1: max_depth, 2: max_width, 3: shots_per_sec}`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct UpdatePayload {
	/// Genesis hash of the chain.
	pub genesis: Hash32,
	/// Provider being updated.
	pub provider: ProviderId,
	/// The provider's current key nonce; replay protection.
	pub nonce: u64,
	/// New capabilities, if they change.
	pub capabilities: Option<Capabilities>,
	/// New region, if it changes.
	pub region: Option<Vec<u8>>,
	/// New endpoint, if it changes.
	pub endpoint: Option<Vec<u8>>,
	/// New contact, if it changes.
	pub contact: Option<Vec<u8>>,
}

fn write_names(e: &mut Encoder<Vec<u8>>, names: &[Name]) -> EncResult {
	e.array(names.len() as u64)?;
	for n in names {
		// Names are validated ASCII; the CBOR text type needs UTF-8, which ASCII is.
		e.str(core::str::from_utf8(n).unwrap_or_default())?;
	}
	Ok(())
}

fn write_capabilities(e: &mut Encoder<Vec<u8>>, caps: &Capabilities) -> EncResult {
	let len = u64::from(caps.ai.is_some()).saturating_add(u64::from(caps.quantum.is_some()));
	e.map(len)?;
	if let Some(ai) = &caps.ai {
		e.u8(0)?.map(2)?.u8(0)?;
		write_names(e, &ai.models)?;
		e.u8(1)?.u32(ai.throughput_milli_tps)?;
	}
	if let Some(q) = &caps.quantum {
		e.u8(1)?.map(4)?.u8(0)?;
		write_names(e, &q.trap_families)?;
		e.u8(1)?.u32(q.max_depth)?.u8(2)?.u32(q.max_width)?.u8(3)?.u32(q.shots_per_sec)?;
	}
	Ok(())
}

fn read_names<S: sp_runtime::traits::Get<u32>>(
	d: &mut Decoder<'_>,
) -> Result<sp_runtime::BoundedVec<Name, S>, PayloadError> {
	let n = d.array()?.ok_or(PayloadError::NotCanonical)?;
	if n > u64::from(S::get()) {
		return Err(PayloadError::BadValue);
	}
	let mut out = Vec::new();
	for _ in 0..n {
		let name: Name =
			d.str()?.as_bytes().to_vec().try_into().map_err(|_| PayloadError::BadValue)?;
		out.push(name);
	}
	out.try_into().map_err(|_| PayloadError::BadValue)
}

fn read_capabilities(d: &mut Decoder<'_>) -> Result<Capabilities, PayloadError> {
	let len = d.map()?.ok_or(PayloadError::NotCanonical)?;
	let mut caps = Capabilities::default();
	let mut next_min = 0u8;
	for _ in 0..len {
		let key = d.u8()?;
		if key < next_min {
			return Err(PayloadError::UnexpectedKey);
		}
		match key {
			0 => {
				if d.map()? != Some(2) {
					return Err(PayloadError::UnexpectedKey);
				}
				expect_key(d, 0)?;
				let models = read_names(d)?;
				expect_key(d, 1)?;
				caps.ai = Some(AiCapability { models, throughput_milli_tps: d.u32()? });
			},
			1 => {
				if d.map()? != Some(4) {
					return Err(PayloadError::UnexpectedKey);
				}
				expect_key(d, 0)?;
				let trap_families = read_names(d)?;
				expect_key(d, 1)?;
				let max_depth = d.u32()?;
				expect_key(d, 2)?;
				let max_width = d.u32()?;
				expect_key(d, 3)?;
				let shots_per_sec = d.u32()?;
				caps.quantum =
					Some(QuantumCapability { trap_families, max_depth, max_width, shots_per_sec });
			},
			_ => return Err(PayloadError::UnexpectedKey),
		}
		next_min = key.saturating_add(1);
	}
	Ok(caps)
}

impl UpdatePayload {
	fn field_count(&self) -> u64 {
		[
			self.capabilities.is_some(),
			self.region.is_some(),
			self.endpoint.is_some(),
			self.contact.is_some(),
		]
		.iter()
		.fold(4u64, |n, present| n.saturating_add(u64::from(*present)))
	}

	/// Canonical CBOR bytes.
	pub fn encode(&self) -> Vec<u8> {
		encode_with(|e| {
			write_header(e, self.field_count(), TAG_UPDATE, &self.genesis, &self.provider)?;
			e.u8(3)?.u64(self.nonce)?;
			if let Some(caps) = &self.capabilities {
				e.u8(4)?;
				write_capabilities(e, caps)?;
			}
			for (key, text) in [(5u8, &self.region), (6, &self.endpoint), (7, &self.contact)] {
				if let Some(text) = text {
					e.u8(key)?.str(core::str::from_utf8(text).unwrap_or_default())?;
				}
			}
			Ok(())
		})
	}

	/// Decode canonical bytes.
	pub fn decode(input: &[u8]) -> Result<Self, PayloadError> {
		let mut d = Decoder::new(input);
		let (len, genesis, provider) = read_header(&mut d, TAG_UPDATE)?;
		if !(4..=8).contains(&len) {
			return Err(PayloadError::UnexpectedKey);
		}
		expect_key(&mut d, 3)?;
		let mut p = Self {
			genesis,
			provider,
			nonce: d.u64()?,
			capabilities: None,
			region: None,
			endpoint: None,
			contact: None,
		};
		let mut next_min = 4u8;
		for _ in 4..len {
			let key = d.u8()?;
			if key < next_min {
				return Err(PayloadError::UnexpectedKey);
			}
			match key {
				4 => p.capabilities = Some(read_capabilities(&mut d)?),
				5 => p.region = Some(d.str()?.as_bytes().to_vec()),
				6 => p.endpoint = Some(d.str()?.as_bytes().to_vec()),
				7 => p.contact = Some(d.str()?.as_bytes().to_vec()),
				_ => return Err(PayloadError::UnexpectedKey),
			}
			next_min = key.saturating_add(1);
		}
		finish(&d, input, &p.encode())?;
		Ok(p)
	}
}

/// Signed key rotation; both the old and the new key sign the same bytes.
/// Keys: 3 = nonce (the provider's key nonce), 4 = new `alg_id`, 5 = new public key.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RotationPayload {
	/// Genesis hash of the chain.
	pub genesis: Hash32,
	/// Provider whose key rotates (its id does not change).
	pub provider: ProviderId,
	/// The provider's current key nonce; replay protection.
	pub nonce: u64,
	/// Algorithm id of the new key.
	pub new_alg: u8,
	/// The new public key.
	pub new_public_key: Vec<u8>,
}

impl RotationPayload {
	/// Canonical CBOR bytes.
	pub fn encode(&self) -> Vec<u8> {
		encode_with(|e| {
			write_header(e, 6, TAG_ROTATE, &self.genesis, &self.provider)?;
			e.u8(3)?
				.u64(self.nonce)?
				.u8(4)?
				.u8(self.new_alg)?
				.u8(5)?
				.bytes(&self.new_public_key)?;
			Ok(())
		})
	}

	/// Decode canonical bytes.
	pub fn decode(input: &[u8]) -> Result<Self, PayloadError> {
		let mut d = Decoder::new(input);
		let (len, genesis, provider) = read_header(&mut d, TAG_ROTATE)?;
		if len != 6 {
			return Err(PayloadError::UnexpectedKey);
		}
		expect_key(&mut d, 3)?;
		let nonce = d.u64()?;
		expect_key(&mut d, 4)?;
		let new_alg = d.u8()?;
		expect_key(&mut d, 5)?;
		let new_public_key = d.bytes()?.to_vec();
		let p = Self { genesis, provider, nonce, new_alg, new_public_key };
		finish(&d, input, &p.encode())?;
		Ok(p)
	}
}
