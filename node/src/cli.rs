//! Command-line interface of `aicf-node` (clap).

/// Subcommands of `aicf-node`. Without a subcommand the node runs (see [`Cli::run`]).
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management CLI utilities.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification.
	///
	/// DEPRECATED upstream in favour of `export-chain-spec`, kept for tooling compatibility.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export the chain specification (same as `build-spec`, without the node-key handling).
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Sub-commands concerned with benchmarking (build with `--features benchmark-cli`:
	/// `scripts/benchmark-weights.sh`).
	#[cfg(feature = "benchmark-cli")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),
}

/// The `aicf-node` command line.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// Optional subcommand; runs the node when absent.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Parameters of the node itself (`--dev`, `--chain`, `--alice`, `--base-path`, ...).
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,
}
