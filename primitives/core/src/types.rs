//! Domain types of a provider record: capabilities, status, region, endpoint and contact.
//!
//! SCALE decoding enforces only the length bounds; [`Capabilities::validate`] and the
//! `validate` methods of the text types enforce the rest. The registry pallet calls them on
//! every input, so an invalid value never reaches storage.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::{traits::ConstU32, BoundedVec};

/// Longest model-family or trap-family name, in bytes.
pub const MAX_NAME_LEN: u32 = 32;
/// Most model families one AI provider declares.
pub const MAX_MODEL_FAMILIES: u32 = 16;
/// Most trap families one quantum provider declares.
pub const MAX_TRAP_FAMILIES: u32 = 8;
/// Longest region name, in bytes.
pub const MAX_REGION_LEN: u32 = 32;
/// Longest endpoint URL, in bytes.
pub const MAX_ENDPOINT_LEN: u32 = 256;
/// Longest contact string, in bytes.
pub const MAX_CONTACT_LEN: u32 = 128;

/// A model-family or trap-family name: 1–32 bytes of `a-z 0-9 . _ -`, starting with a letter
/// or digit (e.g. `llama3-8b`, `mixtral-8x7b`, `clifford`, `t-depth`).
pub type Name = BoundedVec<u8, ConstU32<MAX_NAME_LEN>>;

/// AI capability: model families served and a throughput hint.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct AiCapability {
	/// Model families, distinct, at most [`MAX_MODEL_FAMILIES`].
	pub models: BoundedVec<Name, ConstU32<MAX_MODEL_FAMILIES>>,
	/// Throughput hint in thousandths of a token per second (2.5 tps = 2500); no floats on chain.
	pub throughput_milli_tps: u32,
}

/// Quantum capability: supported trap-circuit families and device limits.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct QuantumCapability {
	/// Trap families, distinct, at most [`MAX_TRAP_FAMILIES`].
	pub trap_families: BoundedVec<Name, ConstU32<MAX_TRAP_FAMILIES>>,
	/// Largest circuit depth accepted.
	pub max_depth: u32,
	/// Largest circuit width (qubits) accepted.
	pub max_width: u32,
	/// Shots per second the device sustains.
	pub shots_per_sec: u32,
}

/// What a provider offers. At least one of the two is present.
#[derive(
	Clone,
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
pub struct Capabilities {
	/// AI workloads.
	pub ai: Option<AiCapability>,
	/// Quantum workloads.
	pub quantum: Option<QuantumCapability>,
}

/// Capability kinds, used for stake minimums and eligibility indexes.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[cfg_attr(feature = "std", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "std", serde(rename_all = "lowercase"))]
pub enum CapabilityKind {
	/// AI inference.
	Ai,
	/// Quantum execution.
	Quantum,
}

/// Lifecycle status of a provider (spec §5).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[cfg_attr(feature = "std", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "std", serde(rename_all = "UPPERCASE"))]
pub enum ProviderStatus {
	/// Identity exists; not eligible yet.
	#[default]
	Registered,
	/// Eligible for assignment: attested, staked, healthy.
	Active,
	/// Temporarily ineligible after a fault; leaves by `unjail` after the cooldown.
	Jailed,
	/// Unbonding stake after an unstake request; not eligible.
	Unstaking,
	/// Offboarded; the record stays for audit.
	Deregistered,
}

impl ProviderStatus {
	/// The spec's upper-case name (`ACTIVE`, …).
	pub const fn as_str(self) -> &'static str {
		match self {
			Self::Registered => "REGISTERED",
			Self::Active => "ACTIVE",
			Self::Jailed => "JAILED",
			Self::Unstaking => "UNSTAKING",
			Self::Deregistered => "DEREGISTERED",
		}
	}
}

/// Region name: 1–32 bytes of `a-z 0-9 -` (e.g. `us-west-2`).
pub type Region = BoundedVec<u8, ConstU32<MAX_REGION_LEN>>;
/// Endpoint URL: `https://` then a host, at most [`MAX_ENDPOINT_LEN`] bytes of printable ASCII.
pub type Endpoint = BoundedVec<u8, ConstU32<MAX_ENDPOINT_LEN>>;
/// Operator contact: 1–128 bytes of printable ASCII (an e-mail address or URL). Public: never
/// put secrets here.
pub type Contact = BoundedVec<u8, ConstU32<MAX_CONTACT_LEN>>;

/// Why a value is not acceptable.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DomainError {
	/// Neither an AI nor a quantum capability is declared.
	NoCapability,
	/// An AI capability lists no model family, or a quantum one no trap family.
	EmptyFamilyList,
	/// A model or trap family name is empty or has a character outside `a-z 0-9 . _ -`.
	InvalidName,
	/// A model or trap family is listed twice.
	DuplicateName,
	/// A quantum capability has a zero depth, width or shot rate, or an AI one a zero throughput.
	ZeroLimit,
	/// The region is empty or has a character outside `a-z 0-9 -`.
	InvalidRegion,
	/// The endpoint is not an `https://` URL with a host and printable ASCII only.
	InvalidEndpoint,
	/// The contact is empty or not printable ASCII.
	InvalidContact,
}

fn valid_name(name: &[u8]) -> bool {
	match name.first() {
		Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit() => name.iter().all(|c| {
			c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'-')
		}),
		_ => false,
	}
}

fn valid_family_list(names: &[Name]) -> Result<(), DomainError> {
	if names.is_empty() {
		return Err(DomainError::EmptyFamilyList);
	}
	for (i, name) in names.iter().enumerate() {
		if !valid_name(name) {
			return Err(DomainError::InvalidName);
		}
		if names.iter().take(i).any(|earlier| earlier == name) {
			return Err(DomainError::DuplicateName);
		}
	}
	Ok(())
}

impl Capabilities {
	/// Check every rule of the type (see [`DomainError`]).
	pub fn validate(&self) -> Result<(), DomainError> {
		if self.ai.is_none() && self.quantum.is_none() {
			return Err(DomainError::NoCapability);
		}
		if let Some(ai) = &self.ai {
			valid_family_list(&ai.models)?;
			if ai.throughput_milli_tps == 0 {
				return Err(DomainError::ZeroLimit);
			}
		}
		if let Some(q) = &self.quantum {
			valid_family_list(&q.trap_families)?;
			if q.max_depth == 0 || q.max_width == 0 || q.shots_per_sec == 0 {
				return Err(DomainError::ZeroLimit);
			}
		}
		Ok(())
	}

	/// Whether this declares `kind`.
	pub fn has(&self, kind: CapabilityKind) -> bool {
		match kind {
			CapabilityKind::Ai => self.ai.is_some(),
			CapabilityKind::Quantum => self.quantum.is_some(),
		}
	}
}

/// Check a region name.
pub fn validate_region(region: &[u8]) -> Result<(), DomainError> {
	let ok = !region.is_empty()
		&& region.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-');
	ok.then_some(()).ok_or(DomainError::InvalidRegion)
}

/// Check an endpoint URL.
pub fn validate_endpoint(endpoint: &[u8]) -> Result<(), DomainError> {
	let rest = endpoint.strip_prefix(b"https://").ok_or(DomainError::InvalidEndpoint)?;
	let host_end = rest.iter().position(|c| matches!(c, b'/' | b'?' | b'#')).unwrap_or(rest.len());
	let host = rest.get(..host_end).ok_or(DomainError::InvalidEndpoint)?;
	let host_ok = !host.is_empty()
		&& host
			.iter()
			.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b':' | b'[' | b']'));
	let all_printable = endpoint.iter().all(|c| c.is_ascii_graphic());
	(host_ok && all_printable).then_some(()).ok_or(DomainError::InvalidEndpoint)
}

/// Check a contact string.
pub fn validate_contact(contact: &[u8]) -> Result<(), DomainError> {
	let ok = !contact.is_empty() && contact.iter().all(|c| c.is_ascii_graphic() || *c == b' ');
	ok.then_some(()).ok_or(DomainError::InvalidContact)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn name(s: &str) -> Name {
		s.as_bytes().to_vec().try_into().unwrap()
	}

	fn ai(models: &[&str], tps: u32) -> Capabilities {
		Capabilities {
			ai: Some(AiCapability {
				models: models.iter().map(|m| name(m)).collect::<Vec<_>>().try_into().unwrap(),
				throughput_milli_tps: tps,
			}),
			quantum: None,
		}
	}

	#[test]
	fn capabilities_validate_accepts_the_spec_example() {
		let mut caps = ai(&["llama3-8b", "mixtral-8x7b"], 2500);
		caps.quantum = Some(QuantumCapability {
			trap_families: vec![name("clifford"), name("t-depth")].try_into().unwrap(),
			max_depth: 64,
			max_width: 20,
			shots_per_sec: 80,
		});
		assert_eq!(caps.validate(), Ok(()));
		assert!(caps.has(CapabilityKind::Ai) && caps.has(CapabilityKind::Quantum));
	}

	#[test]
	fn capabilities_validate_rejects_each_bad_shape() {
		assert_eq!(Capabilities::default().validate(), Err(DomainError::NoCapability));
		assert_eq!(ai(&[], 1).validate(), Err(DomainError::EmptyFamilyList));
		assert_eq!(ai(&["Llama"], 1).validate(), Err(DomainError::InvalidName));
		assert_eq!(ai(&["-x"], 1).validate(), Err(DomainError::InvalidName));
		assert_eq!(ai(&[""], 1).validate(), Err(DomainError::InvalidName));
		assert_eq!(ai(&["a", "b", "a"], 1).validate(), Err(DomainError::DuplicateName));
		assert_eq!(ai(&["a"], 0).validate(), Err(DomainError::ZeroLimit));
		let q = Capabilities {
			ai: None,
			quantum: Some(QuantumCapability {
				trap_families: vec![name("clifford")].try_into().unwrap(),
				max_depth: 0,
				max_width: 1,
				shots_per_sec: 1,
			}),
		};
		assert_eq!(q.validate(), Err(DomainError::ZeroLimit));
	}

	#[test]
	fn text_fields_are_checked() {
		assert_eq!(validate_region(b"us-west-2"), Ok(()));
		assert_eq!(validate_region(b""), Err(DomainError::InvalidRegion));
		assert_eq!(validate_region(b"US-WEST"), Err(DomainError::InvalidRegion));
		assert_eq!(validate_endpoint(b"https://api.provider.example"), Ok(()));
		assert_eq!(validate_endpoint(b"https://api.provider.example:8443/v1?x=1"), Ok(()));
		assert_eq!(
			validate_endpoint(b"http://api.provider.example"),
			Err(DomainError::InvalidEndpoint)
		);
		assert_eq!(validate_endpoint(b"https://"), Err(DomainError::InvalidEndpoint));
		assert_eq!(validate_endpoint(b"https:///path"), Err(DomainError::InvalidEndpoint));
		assert_eq!(validate_endpoint(b"https://a b"), Err(DomainError::InvalidEndpoint));
		assert_eq!(validate_endpoint(b"https://a\n"), Err(DomainError::InvalidEndpoint));
		assert_eq!(validate_contact(b"ops@provider.example"), Ok(()));
		assert_eq!(validate_contact(b""), Err(DomainError::InvalidContact));
		assert_eq!(validate_contact("é".as_bytes()), Err(DomainError::InvalidContact));
	}

	#[test]
	fn status_names_match_the_spec() {
		let all = [
			ProviderStatus::Registered,
			ProviderStatus::Active,
			ProviderStatus::Jailed,
			ProviderStatus::Unstaking,
			ProviderStatus::Deregistered,
		];
		let names: Vec<_> = all.iter().map(|s| s.as_str()).collect();
		assert_eq!(names, ["REGISTERED", "ACTIVE", "JAILED", "UNSTAKING", "DEREGISTERED"]);
		for s in all {
			assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
		}
	}
}
