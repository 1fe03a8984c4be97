//! Building calls from the node's metadata: each argument given by name, as SCALE bytes of a
//! typed value checked against the argument's type, or as a dynamic value.

use crate::error::{CliError, Result};
use subxt::{dynamic::Value, ext::scale_value::Composite, Metadata};

/// A transaction payload built by [`build`].
pub type Call = subxt::transactions::DynamicPayload<Composite<()>>;

/// One call argument: SCALE bytes of a typed value (checked against the metadata) or a value
/// matched by name (enum variants whose index may change).
pub enum Arg {
	/// SCALE encoding of the argument.
	Scale(Vec<u8>),
	/// A dynamic value.
	Value(Value),
}

impl Arg {
	/// The SCALE encoding of `v`.
	pub fn scale(v: &impl codec::Encode) -> Self {
		Self::Scale(v.encode())
	}
}

/// Whether the runtime has `pallet.call`.
pub fn has_call(metadata: &Metadata, pallet: &str, call: &str) -> bool {
	metadata.pallet_by_name(pallet).and_then(|p| p.call_variant_by_name(call)).is_some()
}

/// Build `pallet.call_name(args)` against the node's metadata. Every argument of the call must
/// be given by name, and every given argument must exist and have the shape of its type.
pub fn build(
	metadata: &Metadata,
	pallet: &str,
	call_name: &str,
	args: Vec<(&str, Arg)>,
) -> Result<Call> {
	let pallet_metadata = metadata
		.pallet_by_name(pallet)
		.ok_or_else(|| CliError::Unsupported(format!("the runtime has no pallet {pallet}")))?;
	let variant = pallet_metadata.call_variant_by_name(call_name).ok_or_else(|| {
		CliError::Unsupported(format!("the runtime's {pallet} pallet has no call {call_name}"))
	})?;
	let mut args = args;
	let mut fields = Vec::new();
	for field in &variant.fields {
		let name = field.name.as_deref().unwrap_or_default();
		let pos = args.iter().position(|(n, _)| *n == name).ok_or_else(|| {
			CliError::Unsupported(format!(
				"{pallet}.{call_name} takes an argument `{name}` this aicf does not know; use a \
				 newer aicf"
			))
		})?;
		let (_, arg) = args.swap_remove(pos);
		let value = match arg {
			Arg::Value(v) => v,
			Arg::Scale(bytes) => {
				let mut cursor = &bytes[..];
				let decoded = subxt::ext::scale_value::scale::decode_as_type(
					&mut cursor,
					field.ty.id,
					metadata.types(),
				);
				match decoded {
					Ok(v) if cursor.is_empty() => v.remove_context(),
					_ => {
						return Err(CliError::Unsupported(format!(
							"argument `{name}` of {pallet}.{call_name} has another type in the \
							 node's runtime than this aicf builds"
						)))
					},
				}
			},
		};
		fields.push((name.to_string(), value));
	}
	if let Some((extra, _)) = args.first() {
		return Err(CliError::Unsupported(format!(
			"{pallet}.{call_name} in the node's runtime takes no argument `{extra}`"
		)));
	}
	Ok(subxt::dynamic::tx(pallet, call_name, Composite::named(fields)))
}

/// The metadata of the runtime this tool is built and tested against, on an empty state (its
/// governance parameters at their defaults).
#[cfg(test)]
pub(crate) fn runtime_metadata() -> Metadata {
	let bytes = sp_io::TestExternalities::default()
		.execute_with(|| aicf_runtime::Runtime::metadata_at_version(15))
		.expect("the runtime serves metadata V15");
	Metadata::decode_from(&bytes).expect("the runtime's metadata decodes")
}

/// Pallet index, call index and arguments of `call`, as the runtime decodes them.
#[cfg(test)]
pub(crate) fn encoded(metadata: &Metadata, call: &Call) -> Vec<u8> {
	use subxt::ext::scale_encode::{EncodeAsFields, Field};
	let pallet = metadata.pallet_by_name(call.pallet_name()).expect("a pallet of the runtime");
	let variant = pallet.call_variant_by_name(call.call_name()).expect("a call of the pallet");
	let mut out = vec![pallet.call_index(), variant.index];
	let mut fields = variant.fields.iter().map(|f| Field::new(f.ty.id, f.name.as_deref()));
	call.call_data()
		.encode_as_fields_to(&mut fields, metadata.types(), &mut out)
		.expect("the call's arguments encode");
	out
}

#[cfg(test)]
mod tests {
	use super::*;
	use aicf_primitives::{
		keys::RegistryKeypair, payload::HeartbeatReport, types::AiCapability, Capabilities,
		Heartbeat, ProviderId,
	};
	use aicf_runtime::RuntimeCall;
	use codec::Encode;
	use pallet_aicf_registry::Call as RegistryCall;
	use subxt::ext::scale_encode::{EncodeAsFields, Field};

	fn bounded<T: TryFrom<Vec<u8>>>(s: &str) -> T {
		s.as_bytes().to_vec().try_into().ok().unwrap()
	}

	#[test]
	fn dynamic_registry_calls_encode_exactly_like_the_runtime_call() {
		let m = runtime_metadata();
		let key = RegistryKeypair::from_ml_dsa_seed(&[4; 32]);
		let pk = key.public();
		let id = pk.provider_id();
		let sig = key.sign(b"anything").unwrap();
		let caps = Capabilities {
			ai: Some(AiCapability {
				models: vec![bounded("llama3-8b")].try_into().unwrap(),
				throughput_milli_tps: 2_500,
			}),
			quantum: None,
		};

		let register = build(
			&m,
			"AicfRegistry",
			"register",
			vec![
				(
					"contact",
					Arg::scale(&bounded::<aicf_primitives::types::Contact>("ops@x.example")),
				),
				("key", Arg::scale(&pk)),
				("pop_signature", Arg::scale(&sig)),
				("capabilities", Arg::scale(&caps)),
				("region", Arg::scale(&bounded::<aicf_primitives::types::Region>("us-west-2"))),
				(
					"endpoint",
					Arg::scale(&bounded::<aicf_primitives::types::Endpoint>("https://x.example")),
				),
			],
		)
		.unwrap();
		let expected = RuntimeCall::AicfRegistry(RegistryCall::register {
			key: pk.clone(),
			pop_signature: sig.clone(),
			capabilities: caps,
			region: bounded("us-west-2"),
			endpoint: bounded("https://x.example"),
			contact: bounded("ops@x.example"),
		});
		assert_eq!(encoded(&m, &register), expected.encode(), "arguments are matched by name");

		let stake = build(
			&m,
			"AicfRegistry",
			"stake",
			vec![("provider", Arg::scale(&id)), ("amount", Arg::Value(Value::u128(7 << 40)))],
		)
		.unwrap();
		let expected =
			RuntimeCall::AicfRegistry(RegistryCall::stake { provider: id, amount: 7 << 40 });
		assert_eq!(encoded(&m, &stake), expected.encode());

		let report = HeartbeatReport {
			rtt_ms_p50: 40,
			availability_bps: 9_992,
			leases_active: 2,
			leases_capacity: 8,
		};
		let hb = Heartbeat {
			provider: id,
			counter: 9,
			timestamp: 1_750_000_000,
			attest_hash: [3; 32],
			report,
			liveness: Some(aicf_primitives::liveness::LivenessCommitment {
				anchor: [4; 32],
				length: 5,
			}),
		};
		let heartbeat = build(
			&m,
			"AicfRegistry",
			"heartbeat",
			vec![("heartbeat", Arg::scale(&hb)), ("signature", Arg::scale(&sig))],
		)
		.unwrap();
		let expected = RuntimeCall::AicfRegistry(RegistryCall::heartbeat {
			heartbeat: pallet_aicf_registry::Heartbeat {
				provider: id,
				counter: 9,
				timestamp: 1_750_000_000,
				attest_hash: [3; 32],
				report,
				liveness: Some(aicf_primitives::liveness::LivenessCommitment {
					anchor: [4; 32],
					length: 5,
				}),
			},
			signature: sig,
		});
		assert_eq!(encoded(&m, &heartbeat), expected.encode());
	}

	#[test]
	fn dynamic_attestation_calls_encode_exactly_like_the_runtime_call() {
		let m = runtime_metadata();
		let id = ProviderId([5; 12]);
		let evidence = vec![0x30, 0x82, 1, 2, 3];
		let submit = build(
			&m,
			"AicfAttestation",
			"submit_attestation",
			vec![
				("provider", Arg::scale(&id)),
				("kind", Arg::Value(Value::unnamed_variant("Quantum", []))),
				("challenge_block", Arg::Value(Value::u128(41))),
				("evidence", Arg::Value(Value::from_bytes(&evidence))),
			],
		)
		.unwrap();
		let expected =
			RuntimeCall::AicfAttestation(pallet_aicf_attestation::Call::submit_attestation {
				provider: id,
				kind: aicf_primitives::traits::EvidenceKind::Quantum,
				challenge_block: 41,
				evidence: evidence.clone().try_into().unwrap(),
			});
		assert_eq!(encoded(&m, &submit), expected.encode());
		let pallet = m.pallet_by_name("AicfAttestation").unwrap();
		assert_eq!(pallet.call_index(), 11);
		// Unknown variant names are refused when encoding, not sent.
		let bad = build(
			&m,
			"AicfAttestation",
			"submit_attestation",
			vec![
				("provider", Arg::scale(&id)),
				("kind", Arg::Value(Value::unnamed_variant("Nonsense", []))),
				("challenge_block", Arg::Value(Value::u128(41))),
				("evidence", Arg::Value(Value::from_bytes(&evidence))),
			],
		)
		.unwrap();
		let variant = pallet.call_variant_by_name("submit_attestation").unwrap();
		let mut fields = variant.fields.iter().map(|f| Field::new(f.ty.id, f.name.as_deref()));
		assert!(bad.call_data().encode_as_fields_to(&mut fields, m.types(), &mut vec![]).is_err());
	}

	#[test]
	fn calls_the_runtime_does_not_have_or_with_other_arguments_are_refused() {
		let m = runtime_metadata();
		let id = Arg::scale(&ProviderId([1; 12]));
		let unsupported = |r: Result<Call>| match r {
			Err(CliError::Unsupported(msg)) => msg,
			Err(other) => panic!("expected Unsupported, got {other:?}"),
			Ok(_) => panic!("expected Unsupported, got a call"),
		};
		assert!(
			unsupported(build(&m, "NoSuchPallet", "x", vec![])).contains("no pallet NoSuchPallet")
		);
		assert!(unsupported(build(&m, "AicfRegistry", "fly", vec![])).contains("has no call fly"));
		let missing = unsupported(build(&m, "AicfRegistry", "stake", vec![("provider", id)]));
		assert!(missing.contains("`amount`"), "{missing}");
		let extra = unsupported(build(
			&m,
			"AicfRegistry",
			"rebond",
			vec![("provider", Arg::scale(&ProviderId([1; 12]))), ("amount", Arg::scale(&1u128))],
		));
		assert!(extra.contains("takes no argument `amount`"), "{extra}");
		// Bytes that do not fit the argument's type (a 4-byte id), and trailing bytes.
		let short = unsupported(build(
			&m,
			"AicfRegistry",
			"rebond",
			vec![("provider", Arg::scale(&[1u8; 4]))],
		));
		assert!(short.contains("another type"), "{short}");
		let long = unsupported(build(
			&m,
			"AicfRegistry",
			"rebond",
			vec![("provider", Arg::scale(&[1u8; 13]))],
		));
		assert!(long.contains("another type"), "{long}");
		assert!(has_call(&m, "AicfRegistry", "heartbeat"));
		assert!(!has_call(&m, "AicfRegistry", "fly"));
	}
}
