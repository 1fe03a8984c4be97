//! Build script of `aicf-node`: exports the git commit and version as
//! `SUBSTRATE_CLI_IMPL_VERSION` (shown by `aicf-node --version`).

fn main() {
	substrate_build_script_utils::generate_cargo_keys();
	substrate_build_script_utils::rerun_if_git_head_changed();
}
