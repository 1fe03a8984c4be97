//! Provider identifiers and the key hash they are taken from.
//!
//! A registry key is known by its [`KeyHash`], `SHA3-256(pubkey || alg_id)`; a [`ProviderId`] is
//! the first 12 bytes of the key hash of the provider's first key. It is fixed at registration
//! and survives key rotation. Its text form is `provider:` followed by 24 lowercase
//! hexadecimal characters. 96 bits make grinding a colliding key infeasible (48 bits would not).

use crate::crypto::KeyAlgorithm;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt;
use scale_info::TypeInfo;
use sha3::{Digest, Sha3_256};

/// Length in bytes of a [`ProviderId`].
pub const PROVIDER_ID_LEN: usize = 12;

/// Text prefix of a [`ProviderId`].
pub const PROVIDER_ID_PREFIX: &str = "provider:";

/// `SHA3-256(pubkey || alg_id)` of a registry key: the registry's key index is keyed by it, and a
/// [`ProviderId`] is its first [`PROVIDER_ID_LEN`] bytes.
pub type KeyHash = [u8; 32];

/// The [`KeyHash`] of `pubkey` under `alg`: `SHA3-256(pubkey || alg_id)`.
pub fn key_hash(alg: KeyAlgorithm, pubkey: &[u8]) -> KeyHash {
	let mut hasher = Sha3_256::new();
	hasher.update(pubkey);
	hasher.update([alg.id()]);
	hasher.finalize().into()
}

/// Stable identifier of a provider, derived from its first registry key.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Hash,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Default,
)]
pub struct ProviderId(pub [u8; PROVIDER_ID_LEN]);

impl ProviderId {
	/// Derive the id of `pubkey` under `alg`: `SHA3-256(pubkey || alg_id)[..12]`.
	pub fn derive(alg: KeyAlgorithm, pubkey: &[u8]) -> Self {
		Self::from_key_hash(&key_hash(alg, pubkey))
	}

	/// The id of the key whose [`KeyHash`] is `hash`: its first [`PROVIDER_ID_LEN`] bytes.
	pub fn from_key_hash(hash: &KeyHash) -> Self {
		let mut id = [0u8; PROVIDER_ID_LEN];
		for (dst, src) in id.iter_mut().zip(hash.iter()) {
			*dst = *src;
		}
		ProviderId(id)
	}

	/// The raw bytes.
	pub fn as_bytes(&self) -> &[u8; PROVIDER_ID_LEN] {
		&self.0
	}
}

impl fmt::Display for ProviderId {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(PROVIDER_ID_PREFIX)?;
		for b in self.0 {
			write!(f, "{b:02x}")?;
		}
		Ok(())
	}
}

impl fmt::Debug for ProviderId {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		fmt::Display::fmt(self, f)
	}
}

/// Why a string is not a [`ProviderId`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProviderIdParseError {
	/// The string does not start with `provider:`.
	MissingPrefix,
	/// The part after the prefix is not exactly 24 characters long.
	WrongLength,
	/// The part after the prefix holds a character other than `0-9a-f` (upper case is refused
	/// so every id has exactly one text form).
	InvalidHex,
}

impl fmt::Display for ProviderIdParseError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::MissingPrefix => f.write_str("a provider id starts with \"provider:\""),
			Self::WrongLength => {
				f.write_str("a provider id has exactly 24 hex characters after \"provider:\"")
			},
			Self::InvalidHex => {
				f.write_str("a provider id has only lowercase hex characters (0-9, a-f)")
			},
		}
	}
}

impl core::str::FromStr for ProviderId {
	type Err = ProviderIdParseError;

	fn from_str(s: &str) -> Result<Self, Self::Err> {
		let hex_part =
			s.strip_prefix(PROVIDER_ID_PREFIX).ok_or(ProviderIdParseError::MissingPrefix)?;
		if hex_part.len() != PROVIDER_ID_LEN.saturating_mul(2) {
			return Err(ProviderIdParseError::WrongLength);
		}
		if !hex_part.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)) {
			return Err(ProviderIdParseError::InvalidHex);
		}
		let mut id = [0u8; PROVIDER_ID_LEN];
		hex::decode_to_slice(hex_part, &mut id).map_err(|_| ProviderIdParseError::InvalidHex)?;
		Ok(ProviderId(id))
	}
}

#[cfg(feature = "std")]
impl serde::Serialize for ProviderId {
	fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.collect_str(self)
	}
}

#[cfg(feature = "std")]
impl<'de> serde::Deserialize<'de> for ProviderId {
	fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
		s.parse().map_err(serde::de::Error::custom)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use core::str::FromStr;

	#[test]
	fn provider_id_is_sha3_prefix_of_key_and_alg() {
		// SHA3-256("" || 0x01) computed independently (Python hashlib.sha3_256(b"\x01")).
		let id = ProviderId::derive(KeyAlgorithm::MlDsa65, b"");
		assert_eq!(id.to_string(), "provider:2767f15c8af2f2c7225d5273");
		// The algorithm byte changes the id.
		assert_ne!(id, ProviderId::derive(KeyAlgorithm::SlhDsaSha2_128s, b""));
	}

	#[test]
	fn key_hash_is_sha3_of_key_then_alg_and_prefixes_the_id() {
		// SHA3-256("" || 0x01) computed independently (Python hashlib.sha3_256(b"\x01")).
		let hash = key_hash(KeyAlgorithm::MlDsa65, b"");
		let mut want = [0u8; 32];
		hex::decode_to_slice(
			"2767f15c8af2f2c7225d5273fdd683edc714110a987d1054697c348aed4e6cc7",
			&mut want,
		)
		.unwrap();
		assert_eq!(hash, want);
		assert_eq!(
			ProviderId::from_key_hash(&hash).to_string(),
			"provider:2767f15c8af2f2c7225d5273"
		);
		// The key comes first: `pubkey || alg_id` (0x01 then 0x02), not `alg_id || pubkey`.
		assert_eq!(key_hash(KeyAlgorithm::SlhDsaSha2_128s, &[1]), {
			let mut h = Sha3_256::new();
			h.update([1u8, 2]);
			<[u8; 32]>::from(h.finalize())
		});
	}

	#[test]
	fn provider_id_round_trips_through_text() {
		let id = ProviderId([0xab; 12]);
		let s = id.to_string();
		assert_eq!(s, "provider:abababababababababababab");
		assert_eq!(ProviderId::from_str(&s), Ok(id));
	}

	#[test]
	fn provider_id_parse_rejects_malformed_strings() {
		use ProviderIdParseError::*;
		assert_eq!(ProviderId::from_str("abababababababababababab"), Err(MissingPrefix));
		assert_eq!(ProviderId::from_str("provider:abab"), Err(WrongLength));
		assert_eq!(ProviderId::from_str("provider:ababababababababababababab"), Err(WrongLength));
		assert_eq!(ProviderId::from_str("provider:ABABABABABABABABABABABAB"), Err(InvalidHex));
		assert_eq!(ProviderId::from_str("provider:zzabababababababababab12"), Err(InvalidHex));
		assert_eq!(ProviderId::from_str("provider:éababababababababababab"), Err(InvalidHex));
	}

	#[test]
	fn provider_id_serde_uses_text_form() {
		let id = ProviderId([1; 12]);
		let json = serde_json::to_string(&id).unwrap();
		assert_eq!(json, "\"provider:010101010101010101010101\"");
		assert_eq!(serde_json::from_str::<ProviderId>(&json).unwrap(), id);
		assert!(serde_json::from_str::<ProviderId>("\"provider:01\"").is_err());
	}
}
