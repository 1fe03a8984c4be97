//! One-line explanations of every failure the node reports: JSON-RPC and transport errors,
//! transaction-pool refusals (the heartbeat's rejection codes named by
//! [`HeartbeatRejection`]) and dispatch errors with their documentation from the metadata.

use crate::error::CliError;
use aicf_primitives::HeartbeatRejection;
use subxt::{
	error::DispatchError,
	transactions::{TransactionInvalid, TransactionUnknown},
};

/// Turn a JSON-RPC client error into the operator's one line: a transport failure is
/// "unreachable", an error answer is "rejected" with the node's code and message.
pub fn rpc_error(url: &str, e: &subxt::rpcs::Error) -> CliError {
	match e {
		subxt::rpcs::Error::User(u) => {
			let data = u.data.as_ref().map(|d| format!(" ({})", d.get())).unwrap_or_default();
			CliError::Rejected(format!("JSON-RPC error {}: {}{data}", u.code, u.message))
		},
		subxt::rpcs::Error::Client(inner) => CliError::Unreachable(format!("{url}: {inner}")),
		subxt::rpcs::Error::DisconnectedWillReconnect(m) => {
			CliError::Unreachable(format!("{url}: connection lost ({m})"))
		},
		subxt::rpcs::Error::InsecureUrl(u) => CliError::Input(format!("insecure URL {u}")),
		other => CliError::Other(format!("unexpected answer from {url}: {other}")),
	}
}

/// Explain any subxt client error: find a JSON-RPC error in its source chain (transport or
/// answer), else one line of the error itself.
pub fn client_error(url: &str, e: &(dyn std::error::Error + 'static)) -> CliError {
	let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
	while let Some(err) = cur {
		if let Some(rpc) = err.downcast_ref::<subxt::rpcs::Error>() {
			return rpc_error(url, rpc);
		}
		cur = err.source();
	}
	CliError::Other(one_line(&e.to_string()))
}

/// `s` with every run of whitespace (newlines included) as one space.
pub fn one_line(s: &str) -> String {
	s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One line for a pool refusal. The runtime's only `Custom` codes are the heartbeat's
/// rejections; a code none of them arrives as is shown as a number.
pub fn describe_invalid(i: &TransactionInvalid) -> String {
	match i {
		TransactionInvalid::Call => "the call is not allowed in this form".into(),
		TransactionInvalid::Payment => {
			"the signing account cannot pay the transaction fee (balance too low)".into()
		},
		TransactionInvalid::Future => "nonce too high (transaction from the future)".into(),
		TransactionInvalid::Stale => "stale: nonce or counter already used (a replay)".into(),
		TransactionInvalid::BadProof => "bad signature (or signed for another chain)".into(),
		TransactionInvalid::AncientBirthBlock => "its birth block is too old".into(),
		TransactionInvalid::ExhaustsResources => "it does not fit in a block now".into(),
		TransactionInvalid::Custom(code) => match HeartbeatRejection::from_custom_code(*code) {
			Some(rejection) => format!("{} (code {code})", rejection.explanation()),
			None => format!("custom rejection (code {code})"),
		},
		other => format!("{other:?}"),
	}
}

/// The error for a pool refusal: a heartbeat too early is [`CliError::TooEarly`], anything
/// else [`CliError::Rejected`].
pub fn invalid_transaction(i: &TransactionInvalid) -> CliError {
	let too_early = HeartbeatRejection::TooEarly;
	match i {
		TransactionInvalid::Custom(code) if too_early.custom_code() == Some(*code) => {
			CliError::TooEarly(too_early.explanation().into())
		},
		other => CliError::Rejected(describe_invalid(other)),
	}
}

/// The error for a transaction whose validity the node could not determine.
pub fn unknown_validity(u: &TransactionUnknown) -> CliError {
	CliError::Rejected(format!("validity unknown: {u:?}"))
}

/// One line for a dispatch error, with the error's documentation from the metadata.
pub fn describe_dispatch(e: &DispatchError) -> String {
	match e {
		DispatchError::Module(m) => match m.details() {
			Ok(d) => {
				let docs = one_line(&d.variant.docs.join(" "));
				if docs.is_empty() {
					format!("{}.{}", d.pallet.name(), d.variant.name)
				} else {
					format!("{}.{}: {docs}", d.pallet.name(), d.variant.name)
				}
			},
			Err(_) => m.to_string(),
		},
		other => one_line(&other.to_string()),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn pool_refusals_and_dispatch_errors_are_explained_in_one_line() {
		assert!(describe_invalid(&TransactionInvalid::Custom(3)).contains("too early"));
		assert!(describe_invalid(&TransactionInvalid::Custom(5)).contains("check the clock"));
		assert!(describe_invalid(&TransactionInvalid::Payment).contains("fee"));
		assert!(describe_invalid(&TransactionInvalid::BadProof).contains("signature"));
		assert_eq!(describe_dispatch(&DispatchError::BadOrigin), "Bad origin.");
		let e = rpc_error(
			"ws://x",
			&subxt::rpcs::Error::User(subxt::rpcs::UserError {
				code: 1010,
				message: "Invalid Transaction".into(),
				data: None,
			}),
		);
		assert_eq!(e, CliError::Rejected("JSON-RPC error 1010: Invalid Transaction".into()));
		let e = rpc_error("ws://x", &subxt::rpcs::Error::DisconnectedWillReconnect("gone".into()));
		assert!(matches!(e, CliError::Unreachable(m) if m.contains("ws://x")));
	}

	#[test]
	fn every_heartbeat_code_that_can_arrive_is_explained_and_no_other() {
		for code in 0..=u8::MAX {
			let text = describe_invalid(&TransactionInvalid::Custom(code));
			match HeartbeatRejection::from_custom_code(code) {
				Some(rejection) => {
					assert_eq!(text, format!("{} (code {code})", rejection.explanation()))
				},
				None => assert_eq!(text, format!("custom rejection (code {code})")),
			}
		}
		// A replay and a bad signature arrive as the standard variants, never as their codes.
		for rejection in [HeartbeatRejection::StaleCounter, HeartbeatRejection::BadSignature] {
			let code = rejection as u8;
			assert!(describe_invalid(&TransactionInvalid::Custom(code)).starts_with("custom"));
		}
		assert!(matches!(
			invalid_transaction(&TransactionInvalid::Custom(3)),
			CliError::TooEarly(m) if m.contains("MinHeartbeatInterval")
		));
		assert!(matches!(
			invalid_transaction(&TransactionInvalid::Custom(1)),
			CliError::Rejected(m) if m == "unknown provider (code 1)"
		));
	}
}
