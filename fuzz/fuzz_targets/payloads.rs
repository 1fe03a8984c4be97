//! Any bytes as each canonical CBOR payload the registry verifies signatures over
//! (registration, heartbeat, update, rotation): nothing may panic, and whatever decodes must
//! re-encode to exactly the input (one encoding per payload, so a signature cannot be replayed
//! under a second byte form). Seed the corpus with encoded payloads (for example
//! `aicf sign heartbeat …` output).

#![no_main]

use aicf_primitives::payload::{
	HeartbeatPayload, RegistrationPayload, RotationPayload, UpdatePayload,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
	if let Ok(p) = RegistrationPayload::decode(data) {
		assert_eq!(p.encode(), data);
	}
	if let Ok(p) = HeartbeatPayload::decode(data) {
		assert_eq!(p.encode(), data);
	}
	if let Ok(p) = UpdatePayload::decode(data) {
		assert_eq!(p.encode(), data);
	}
	if let Ok(p) = RotationPayload::decode(data) {
		assert_eq!(p.encode(), data);
	}
});
