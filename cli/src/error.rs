//! Errors of the `aicf` tool and the process exit code of each.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success (`provider heartbeat`: sent) |
//! | 1 | the transaction failed: included in a block and failed (a decoded module error), or not sent because applying it to the best block's state showed it would fail (no fee) |
//! | 2 | bad input: arguments, files, keys, amounts |
//! | 3 | the node is unreachable (connection refused, closed, timed out) |
//! | 4 | the node rejected the request: the transaction pool refused the transaction, or a JSON-RPC error |
//! | 5 | `provider heartbeat`: too early (the chain's minimum interval, or the local state file) |
//! | 6 | the node's runtime lacks the pallet, call or storage item a command needs |
//! | 7 | not found: no provider with that id |
//! | 8 | anything else (an unexpected answer from the node) |

use std::fmt;

/// Exit code: the transaction was included but failed.
pub const EXIT_DISPATCH: u8 = 1;
/// Exit code: bad input.
pub const EXIT_INPUT: u8 = 2;
/// Exit code: node unreachable.
pub const EXIT_UNREACHABLE: u8 = 3;
/// Exit code: rejected by the node.
pub const EXIT_REJECTED: u8 = 4;
/// Exit code: heartbeat too early.
pub const EXIT_TOO_EARLY: u8 = 5;
/// Exit code: the runtime lacks what the command needs.
pub const EXIT_UNSUPPORTED: u8 = 6;
/// Exit code: not found.
pub const EXIT_NOT_FOUND: u8 = 7;
/// Exit code: anything else.
pub const EXIT_OTHER: u8 = 8;

/// A failed command: what to tell the operator (one line) and how to exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
	/// Bad argument, file, key or amount.
	Input(String),
	/// The transaction was included and failed with this (decoded) error.
	Dispatch(String),
	/// Not sent: applied to the best block's state, the transaction failed with this error.
	WouldFail(String),
	/// The node could not be reached.
	Unreachable(String),
	/// The node refused the transaction or answered the RPC with an error.
	Rejected(String),
	/// A heartbeat was not sent because it would be too early.
	TooEarly(String),
	/// The runtime lacks a pallet, call or storage item.
	Unsupported(String),
	/// No such provider.
	NotFound(String),
	/// Anything else.
	Other(String),
}

impl CliError {
	/// The process exit code of this error.
	pub fn exit_code(&self) -> u8 {
		match self {
			Self::Dispatch(_) | Self::WouldFail(_) => EXIT_DISPATCH,
			Self::Input(_) => EXIT_INPUT,
			Self::Unreachable(_) => EXIT_UNREACHABLE,
			Self::Rejected(_) => EXIT_REJECTED,
			Self::TooEarly(_) => EXIT_TOO_EARLY,
			Self::Unsupported(_) => EXIT_UNSUPPORTED,
			Self::NotFound(_) => EXIT_NOT_FOUND,
			Self::Other(_) => EXIT_OTHER,
		}
	}
}

impl CliError {
	/// The same error with `suffix` appended to its message.
	pub fn with_suffix(self, suffix: &str) -> Self {
		let add = |m: String| format!("{m}{suffix}");
		match self {
			Self::Input(m) => Self::Input(add(m)),
			Self::Dispatch(m) => Self::Dispatch(add(m)),
			Self::WouldFail(m) => Self::WouldFail(add(m)),
			Self::Unreachable(m) => Self::Unreachable(add(m)),
			Self::Rejected(m) => Self::Rejected(add(m)),
			Self::TooEarly(m) => Self::TooEarly(add(m)),
			Self::Unsupported(m) => Self::Unsupported(add(m)),
			Self::NotFound(m) => Self::NotFound(add(m)),
			Self::Other(m) => Self::Other(add(m)),
		}
	}
}

impl fmt::Display for CliError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::Input(m) | Self::Other(m) | Self::NotFound(m) => f.write_str(m),
			Self::Dispatch(m) => write!(f, "transaction failed: {m}"),
			Self::WouldFail(m) => write!(f, "not sent, it would fail (no fee charged): {m}"),
			Self::Unreachable(m) => write!(f, "node unreachable: {m}"),
			Self::Rejected(m) => write!(f, "rejected by the node: {m}"),
			Self::TooEarly(m) => write!(f, "too early: {m}"),
			Self::Unsupported(m) => write!(f, "not supported by the node's runtime: {m}"),
		}
	}
}

impl From<String> for CliError {
	fn from(m: String) -> Self {
		Self::Input(m)
	}
}

/// Result of a command.
pub type Result<T> = std::result::Result<T, CliError>;

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn every_error_has_its_documented_exit_code_and_a_one_line_message() {
		let cases = [
			(CliError::Dispatch("m".into()), 1, "transaction failed: m"),
			(CliError::WouldFail("m".into()), 1, "not sent, it would fail (no fee charged): m"),
			(CliError::Input("m".into()), 2, "m"),
			(CliError::Unreachable("m".into()), 3, "node unreachable: m"),
			(CliError::Rejected("m".into()), 4, "rejected by the node: m"),
			(CliError::TooEarly("m".into()), 5, "too early: m"),
			(CliError::Unsupported("m".into()), 6, "not supported by the node's runtime: m"),
			(CliError::NotFound("m".into()), 7, "m"),
			(CliError::Other("m".into()), 8, "m"),
		];
		for (e, code, text) in cases {
			assert_eq!(e.exit_code(), code);
			assert_eq!(e.to_string(), text);
			let longer = e.with_suffix("; more");
			assert_eq!((longer.exit_code(), longer.to_string()), (code, format!("{text}; more")));
		}
	}
}
