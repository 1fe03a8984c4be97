//! Tests of the registry pallet, one file per feature. `ExtBuilder::build_and_execute` checks
//! the invariants after every test. The matcher driving the traits on the runtime is the jobs
//! pallet (`pallets/jobs`, tested there and in `runtime/tests/jobs.rs`).

mod attestations;
mod governance;
mod heartbeat;
mod matching;
mod penalties;
mod proofs;
mod properties;
mod registration;
mod sla;
mod staking;
