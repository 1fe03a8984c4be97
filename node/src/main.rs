//! `aicf-node`: the full node of the AICF provider-registry chain.
//!
//! A Substrate solo-chain node (Aura block authoring, GRANDPA finality, ParityDB storage)
//! running [`aicf_runtime`]. Typical uses:
//!
//! * `aicf-node --dev` — single-validator development chain (Alice), fresh state with `--tmp`;
//! * `aicf-node --chain local --alice` (and `--bob`, `--charlie` on other ports) — a
//!   three-validator local network with GRANDPA finality;
//! * `aicf-node build-spec --chain local --raw` — export a chain specification.

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod rpc_server;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
