//! The library behind the `aicf` operator tool: registry keys and signatures over the
//! registry's canonical payloads ([`offline`]), the node layer ([`chain`]: connection,
//! metadata-checked dynamic calls, submission, state, failure explanations, JSON output), and
//! the provider's transactions, heartbeats, attestations and `aicf_*` RPC views. The `aicf`
//! binary is a command line over these modules; the tools in `examples/` (state filling, RPC
//! latency, heartbeat load) reuse them.

pub mod amount;
pub mod attest;
pub mod chain;
pub mod daemon;
pub mod error;
pub mod heartbeat;
pub mod liveness;
pub mod offline;
pub mod provider;
pub mod views;
