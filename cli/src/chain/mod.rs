//! The node layer, one concern a module:
//!
//! - [`connection`]: connecting, JSON-RPC requests, the client at the best block;
//! - [`calls`]: calls built from the node's metadata;
//! - [`submission`]: the controller account, signing, the pool check, submission and progress;
//! - [`state`]: storage entries, runtime constants and the dynamic values they hold;
//! - [`explain`]: one-line explanations of RPC, pool and dispatch failures;
//! - [`json`]: the node's values as JSON, and the JSON the commands print.
//!
//! Calls are built **dynamically** from the metadata the node serves at run time
//! ([`calls::build`]): each argument is SCALE-encoded from the typed values of
//! `aicf-primitives` and then decoded against the argument's type in that metadata. A runtime
//! that gains calls or pallets needs no new `aicf`; a runtime whose call changed shape is
//! refused with a one-line explanation instead of sending bytes it would misread.

pub mod calls;
pub mod connection;
pub mod explain;
pub mod json;
pub mod state;
pub mod submission;
