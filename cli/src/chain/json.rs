//! JSON output: the node's dynamic values (events, storage) as readable JSON, and reading and
//! extending the JSON objects the commands print.

use super::state::byte_sequence;
use subxt::{
	dynamic::Value,
	ext::scale_value::{Composite, Primitive, ValueDef},
};

/// A value as JSON: byte sequences as `0x` hex, `Option` as the value or `null`, field-less
/// enum variants as their name, one-field tuples unwrapped. Account ids and provider ids are
/// shown in their text forms.
pub fn value_json(v: &Value) -> serde_json::Value {
	use serde_json::json;
	match &v.value {
		ValueDef::Primitive(p) => match p {
			Primitive::Bool(b) => json!(b),
			Primitive::Char(c) => json!(c.to_string()),
			Primitive::String(s) => json!(s),
			Primitive::U128(n) => {
				if *n <= (1u128 << 53) {
					json!(*n as u64)
				} else {
					json!(n.to_string())
				}
			},
			Primitive::I128(n) => json!(n.to_string()),
			other => json!(format!("{other:?}")),
		},
		ValueDef::Composite(c) => composite_json(c),
		ValueDef::Variant(var) => match (var.name.as_str(), var.values.len()) {
			("None", 0) => serde_json::Value::Null,
			("Some", 1) => var.values.values().next().map(value_json).unwrap_or_default(),
			(name, 0) => json!(name),
			(name, _) => json!({ name: composite_json(&var.values) }),
		},
		ValueDef::BitSequence(b) => json!(format!("{b:?}")),
	}
}

/// A composite (struct, tuple or byte sequence) as JSON, as in [`value_json`].
pub fn composite_json(c: &Composite<()>) -> serde_json::Value {
	if let Some(bytes) = byte_sequence(c) {
		return serde_json::json!(format!("0x{}", hex::encode(bytes)));
	}
	match c {
		Composite::Named(fields) => {
			let mut map = serde_json::Map::new();
			for (name, v) in fields {
				map.insert(name.clone(), named_field_json(name, v));
			}
			serde_json::Value::Object(map)
		},
		Composite::Unnamed(vals) if vals.len() == 1 => {
			vals.first().map(value_json).unwrap_or_default()
		},
		Composite::Unnamed(vals) => serde_json::Value::Array(vals.iter().map(value_json).collect()),
	}
}

fn named_field_json(name: &str, v: &Value) -> serde_json::Value {
	let json = value_json(v);
	let hex = json.as_str().and_then(|s| s.strip_prefix("0x")).map(str::to_string);
	match (name, hex) {
		("provider", Some(h)) if h.len() == 24 => serde_json::json!(format!("provider:{h}")),
		// Text fields stored as bytes (region, endpoint, contact, names): as text when printable.
		("region" | "endpoint" | "contact" | "name", Some(h)) => match hex::decode(&h)
			.ok()
			.and_then(|b| String::from_utf8(b).ok())
			.filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_graphic() || c == ' '))
		{
			Some(t) => serde_json::json!(t),
			None => json,
		},
		("controller" | "who" | "account", Some(h)) if h.len() == 64 => {
			use sp_core::crypto::Ss58Codec;
			let mut raw = [0u8; 32];
			if hex::decode_to_slice(&h, &mut raw).is_ok() {
				serde_json::json!(sp_core::crypto::AccountId32::from(raw).to_ss58check())
			} else {
				json
			}
		},
		_ => json,
	}
}

/// The JSON value at `pointer` (RFC 6901, e.g. `/health/score`), `null` if absent.
pub fn lookup<'a>(v: &'a serde_json::Value, pointer: &str) -> &'a serde_json::Value {
	static NULL: serde_json::Value = serde_json::Value::Null;
	v.pointer(pointer).unwrap_or(&NULL)
}

/// Set `key` of a JSON object to `value` (nothing happens to a non-object).
pub fn insert_field(object: &mut serde_json::Value, key: &str, value: serde_json::Value) {
	if let Some(map) = object.as_object_mut() {
		map.insert(key.to_string(), value);
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use subxt::ext::scale_value::At as _;

	#[test]
	fn events_and_values_render_as_readable_json() {
		let v = Value::named_composite([
			("provider", Value::unnamed_composite([Value::from_bytes([0xab; 12])])),
			("controller", Value::from_bytes([0xd4, 0x35, 0x93, 0xc7].repeat(8))),
			("amount", Value::u128(1 << 60)),
			("region", Value::from_bytes(b"eu-west-1")),
			("contact", Value::from_bytes([0xff, 0x00])),
			("small", Value::u128(5)),
			("status", Value::unnamed_variant("Active", [])),
			("maybe", Value::unnamed_variant("None", [])),
			("some", Value::unnamed_variant("Some", [Value::bool(true)])),
		]);
		let j = value_json(&v);
		assert_eq!(j["provider"], "provider:abababababababababababab");
		assert!(j["controller"].as_str().unwrap().starts_with('5'), "SS58: {j}");
		assert_eq!(j["amount"], (1u128 << 60).to_string());
		assert_eq!(j["small"], 5);
		assert_eq!(j["region"], "eu-west-1");
		assert_eq!(j["contact"], "0xff00", "not text: stays hex");
		assert_eq!(j["status"], "Active");
		assert_eq!(j["maybe"], serde_json::Value::Null);
		assert_eq!(j["some"], true);
		assert_eq!(
			crate::chain::state::bytes_of(&v.at("provider").unwrap().clone()),
			Some(vec![0xab; 12])
		);
		assert!(crate::chain::state::option_of(&Value::unnamed_variant("None", [])).is_none());
	}

	#[test]
	fn output_fields_are_looked_up_by_pointer_and_inserted_into_objects() {
		let mut out = serde_json::json!({ "health": { "score": 0.5 } });
		assert_eq!(lookup(&out, "/health/score"), 0.5);
		assert!(lookup(&out, "/health/missing").is_null());
		insert_field(&mut out, "counter", serde_json::json!(7));
		assert_eq!(lookup(&out, "/counter"), 7);
		let mut not_an_object = serde_json::json!([1]);
		insert_field(&mut not_an_object, "counter", serde_json::json!(7));
		assert_eq!(not_an_object, serde_json::json!([1]));
	}
}
