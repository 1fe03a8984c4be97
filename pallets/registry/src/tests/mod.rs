//! Tests of the registry pallet, one file per feature, and the toy matcher pallet they drive
//! through the traits. `ExtBuilder::build_and_execute` checks the invariants after every test.

mod governance;
mod heartbeat;
mod matching;
mod penalties;
mod properties;
mod registration;
mod staking;
pub(crate) mod toy_matcher;
