//! Golden bytes of every signed payload.
//!
//! The expected hex was produced independently with Python `cbor2.dumps(value, canonical=True)`
//! from the same field values; a client in any language that produces these bytes produces
//! what the runtime verifies. `docs/payloads.md` walks through the layout.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use aicf_primitives::{
	payload::*,
	types::{AiCapability, Capabilities, Name, QuantumCapability},
	ProviderId,
};

const GENESIS: [u8; 32] = [
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
	26, 27, 28, 29, 30, 31,
];
const PROVIDER: ProviderId = ProviderId([0xab; 12]);

fn name(s: &str) -> Name {
	s.as_bytes().to_vec().try_into().unwrap()
}

const REGISTER_HEX: &str = "a50070616963662f72656769737465722f7631015820000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f024cabababababababababababab03582011111111111111111111111111111111111111111111111111111111111111110401";
const HEARTBEAT_HEX: &str = "aa0071616963662f6865617274626561742f7631015820000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f024cabababababababababababab0307041a661d6351055820cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd0618280719270808020908";
const UPDATE_FULL_HEX: &str = "a8006e616963662f7570646174652f7631015820000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f024cabababababababababababab030304a200a20082696c6c616d61332d38626c6d69787472616c2d38783762011909c401a4008268636c6966666f726467742d64657074680118400214031850056975732d776573742d3206781c68747470733a2f2f6170692e70726f76696465722e6578616d706c6507746f70734070726f76696465722e6578616d706c65";
const UPDATE_REGION_HEX: &str = "a5006e616963662f7570646174652f7631015820000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f024cabababababababababababab0300056c65752d63656e7472616c2d31";
const ROTATE_HEX: &str = "a60072616963662f726f746174652d6b65792f7631015820000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f024cabababababababababababab030104020558205a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";

fn heartbeat() -> HeartbeatPayload {
	HeartbeatPayload {
		genesis: GENESIS,
		provider: PROVIDER,
		counter: 7,
		timestamp: 1713202001,
		attest_hash: [0xcd; 32],
		report: HeartbeatReport {
			rtt_ms_p50: 40,
			availability_bps: 9992,
			leases_active: 2,
			leases_capacity: 8,
		},
		liveness: None,
	}
}

fn full_update() -> UpdatePayload {
	UpdatePayload {
		genesis: GENESIS,
		provider: PROVIDER,
		nonce: 3,
		capabilities: Some(Capabilities {
			ai: Some(AiCapability {
				models: vec![name("llama3-8b"), name("mixtral-8x7b")].try_into().unwrap(),
				throughput_milli_tps: 2500,
			}),
			quantum: Some(QuantumCapability {
				trap_families: vec![name("clifford"), name("t-depth")].try_into().unwrap(),
				max_depth: 64,
				max_width: 20,
				shots_per_sec: 80,
			}),
		}),
		region: Some(b"us-west-2".to_vec()),
		endpoint: Some(b"https://api.provider.example".to_vec()),
		contact: Some(b"ops@provider.example".to_vec()),
	}
}

#[test]
fn registration_payload_matches_golden_bytes() {
	let p = RegistrationPayload {
		genesis: GENESIS,
		provider: PROVIDER,
		controller: vec![0x11; 32],
		alg: 1,
	};
	assert_eq!(hex::encode(p.encode()), REGISTER_HEX);
	assert_eq!(RegistrationPayload::decode(&hex::decode(REGISTER_HEX).unwrap()), Ok(p));
}

#[test]
fn heartbeat_payload_matches_golden_bytes() {
	assert_eq!(hex::encode(heartbeat().encode()), HEARTBEAT_HEX);
	assert_eq!(HeartbeatPayload::decode(&hex::decode(HEARTBEAT_HEX).unwrap()), Ok(heartbeat()));
}

/// The same heartbeat committing to a liveness chain: a map of 12 (`ac`), then keys 10 (anchor,
/// 32 bytes) and 11 (length 5) after key 9.
const HEARTBEAT_CHAIN_HEX: &str = "ac0071616963662f6865617274626561742f7631015820000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f024cabababababababababababab0307041a661d6351055820cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd06182807192708080209080a5820eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee0b05";

#[test]
fn heartbeat_payload_with_a_liveness_commitment_matches_golden_bytes() {
	let hb = HeartbeatPayload {
		liveness: Some(aicf_primitives::liveness::LivenessCommitment {
			anchor: [0xee; 32],
			length: 5,
		}),
		..heartbeat()
	};
	assert_eq!(hex::encode(hb.encode()), HEARTBEAT_CHAIN_HEX);
	assert_eq!(HeartbeatPayload::decode(&hex::decode(HEARTBEAT_CHAIN_HEX).unwrap()), Ok(hb));
	// A map of 11 (the anchor without its length) or the keys out of order are not canonical.
	let mut eleven = hex::decode(HEARTBEAT_CHAIN_HEX).unwrap();
	eleven[0] = 0xab;
	eleven.truncate(eleven.len() - 2);
	assert!(HeartbeatPayload::decode(&eleven).is_err());
	let swapped = HEARTBEAT_CHAIN_HEX.replace("0a5820", "0b5820");
	assert!(HeartbeatPayload::decode(&hex::decode(swapped).unwrap()).is_err());
}

#[test]
fn update_payloads_match_golden_bytes() {
	assert_eq!(hex::encode(full_update().encode()), UPDATE_FULL_HEX);
	assert_eq!(UpdatePayload::decode(&hex::decode(UPDATE_FULL_HEX).unwrap()), Ok(full_update()));
	let region_only = UpdatePayload {
		genesis: GENESIS,
		provider: PROVIDER,
		nonce: 0,
		capabilities: None,
		region: Some(b"eu-central-1".to_vec()),
		endpoint: None,
		contact: None,
	};
	assert_eq!(hex::encode(region_only.encode()), UPDATE_REGION_HEX);
	assert_eq!(UpdatePayload::decode(&hex::decode(UPDATE_REGION_HEX).unwrap()), Ok(region_only));
}

#[test]
fn rotation_payload_matches_golden_bytes() {
	let p = RotationPayload {
		genesis: GENESIS,
		provider: PROVIDER,
		nonce: 1,
		new_alg: 2,
		new_public_key: vec![0x5a; 32],
	};
	assert_eq!(hex::encode(p.encode()), ROTATE_HEX);
	assert_eq!(RotationPayload::decode(&hex::decode(ROTATE_HEX).unwrap()), Ok(p));
}

#[test]
fn decoding_rejects_non_canonical_integers() {
	// counter 7 written as a one-byte-argument uint (0x18 0x07) instead of the short form.
	let mut bytes = hex::decode(HEARTBEAT_HEX).unwrap();
	let at = bytes.windows(2).position(|w| w == [0x03, 0x07]).unwrap();
	bytes.splice(at + 1..at + 2, [0x18, 0x07]);
	assert_eq!(HeartbeatPayload::decode(&bytes), Err(PayloadError::NotCanonical));
}

#[test]
fn decoding_rejects_indefinite_length_maps() {
	let mut bytes = hex::decode(REGISTER_HEX).unwrap();
	bytes[0] = 0xbf; // indefinite-length map
	bytes.push(0xff);
	assert_eq!(RegistrationPayload::decode(&bytes), Err(PayloadError::NotCanonical));
}

#[test]
fn decoding_rejects_out_of_order_keys_wrong_domain_and_trailing_bytes() {
	// Swap the order of keys 3 and 4 in the rotation payload: re-built by hand.
	let mut swapped = hex::decode(ROTATE_HEX).unwrap();
	let at = swapped.windows(4).position(|w| w == [0x03, 0x01, 0x04, 0x02]).unwrap();
	swapped[at..at + 4].copy_from_slice(&[0x04, 0x02, 0x03, 0x01]);
	assert_eq!(RotationPayload::decode(&swapped), Err(PayloadError::UnexpectedKey));

	// A heartbeat is not a registration.
	assert_eq!(
		RegistrationPayload::decode(&hex::decode(HEARTBEAT_HEX).unwrap()),
		Err(PayloadError::WrongDomain)
	);

	let mut trailing = hex::decode(REGISTER_HEX).unwrap();
	trailing.push(0x00);
	assert_eq!(RegistrationPayload::decode(&trailing), Err(PayloadError::TrailingBytes));

	assert_eq!(HeartbeatPayload::decode(&[0xff, 0x00]), Err(PayloadError::Malformed));
	assert_eq!(HeartbeatPayload::decode(&[]), Err(PayloadError::Malformed));
}

#[test]
fn decoding_rejects_wrong_lengths_and_ranges() {
	// Genesis hash of 31 bytes.
	let short =
		RegistrationPayload { genesis: GENESIS, provider: PROVIDER, controller: vec![], alg: 1 }
			.encode();
	let mut bad = short.clone();
	let at = bad.windows(2).position(|w| w == [0x58, 0x20]).unwrap();
	bad[at + 1] = 0x1f;
	bad.remove(at + 2);
	assert_eq!(RegistrationPayload::decode(&bad), Err(PayloadError::BadValue));

	// Availability above 100 %.
	let mut hb = heartbeat();
	hb.report.availability_bps = 10_001;
	assert_eq!(HeartbeatPayload::decode(&hb.encode()), Err(PayloadError::BadValue));
}
