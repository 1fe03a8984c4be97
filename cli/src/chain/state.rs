//! Chain state and runtime constants: storage entries and constants read as dynamic values,
//! and the fields, byte sequences and options inside those values.

use super::{
	connection::{timed, Chain, ClientAtBlock},
	explain::one_line,
};
use crate::error::{CliError, Result};
use subxt::{
	dynamic::Value,
	ext::scale_value::{Composite, Primitive, ValueDef},
	Metadata,
};

/// Read `pallet.entry(keys)` at `at` as a dynamic value; `None` if absent.
pub async fn storage(
	chain: &Chain,
	at: &ClientAtBlock,
	pallet: &str,
	entry: &str,
	keys: Vec<Value>,
) -> Result<Option<Value>> {
	let metadata = at.metadata_ref();
	if metadata.pallet_by_name(pallet).and_then(|p| p.storage()?.entry_by_name(entry)).is_none() {
		return Err(CliError::Unsupported(format!("the runtime has no storage {pallet}.{entry}")));
	}
	let addr = subxt::dynamic::storage::<Vec<Value>, Value>(pallet, entry);
	let storage = at.storage();
	let value = timed(&chain.url, "the storage query", storage.try_fetch(addr, keys)).await?;
	match value {
		None => Ok(None),
		Some(v) => v.decode().map(Some).map_err(|e| {
			CliError::Other(format!("{pallet}.{entry}: {}", one_line(&e.to_string())))
		}),
	}
}

/// A numeric constant `pallet.name`, if the runtime has it.
pub fn constant_u128(metadata: &Metadata, pallet: &str, name: &str) -> Option<u128> {
	let c = metadata.pallet_by_name(pallet)?.constant_by_name(name)?;
	let mut bytes = c.value();
	subxt::ext::scale_value::scale::decode_as_type(&mut bytes, c.ty(), metadata.types())
		.ok()?
		.as_u128()
}

/// The field `path` (names separated by `.`) of a dynamic value.
pub fn field<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
	use subxt::ext::scale_value::At as _;
	let mut cur = v;
	for name in path.split('.') {
		cur = cur.at(name)?;
	}
	Some(cur)
}

/// The bytes of a composite that is a non-empty sequence of byte values.
pub fn byte_sequence(c: &Composite<()>) -> Option<Vec<u8>> {
	match c {
		Composite::Unnamed(vals) if !vals.is_empty() => vals
			.iter()
			.map(|v| match &v.value {
				ValueDef::Primitive(Primitive::U128(n)) => u8::try_from(*n).ok(),
				_ => None,
			})
			.collect(),
		_ => None,
	}
}

/// The bytes of a byte-sequence value (a `Vec<u8>`, a `BoundedVec<u8>`, an array, or a
/// one-field wrapper of one).
pub fn bytes_of(v: &Value) -> Option<Vec<u8>> {
	match &v.value {
		ValueDef::Composite(c) => byte_sequence(c).or_else(|| match c {
			Composite::Unnamed(vals) if vals.len() == 1 => vals.first().and_then(bytes_of),
			Composite::Named(vals) if vals.len() == 1 => {
				vals.first().and_then(|(_, v)| bytes_of(v))
			},
			_ => None,
		}),
		_ => None,
	}
}

/// The payload of `Some(x)`, or `None` for `None`.
pub fn option_of(v: &Value) -> Option<&Value> {
	match &v.value {
		ValueDef::Variant(var) if var.name == "Some" => var.values.values().next(),
		_ => None,
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::chain::calls::runtime_metadata;

	#[test]
	fn registry_constants_are_read_from_the_metadata() {
		let m = runtime_metadata();
		assert_eq!(constant_u128(&m, "AicfRegistry", "MinHeartbeatInterval"), Some(10));
		assert_eq!(constant_u128(&m, "AicfRegistry", "MinStakeAi"), Some(100_000_000_000_000));
		assert_eq!(constant_u128(&m, "AicfRegistry", "NoSuchConstant"), None);
	}

	#[test]
	fn fields_bytes_and_options_are_read_from_dynamic_values() {
		let v = Value::named_composite([
			("provider", Value::unnamed_composite([Value::from_bytes([0xab; 12])])),
			("record", Value::named_composite([("counter", Value::u128(7))])),
		]);
		assert_eq!(field(&v, "provider").and_then(bytes_of), Some(vec![0xab; 12]));
		assert_eq!(field(&v, "record.counter").and_then(|v| v.as_u128()), Some(7));
		assert!(field(&v, "record.nothing").is_none());
		assert!(option_of(&Value::unnamed_variant("None", [])).is_none());
		let some = Value::unnamed_variant("Some", [Value::bool(true)]);
		assert_eq!(option_of(&some).and_then(|v| v.as_bool()), Some(true));
	}
}
