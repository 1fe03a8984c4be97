//! # `perf`: the scale and load measurements of `docs/PERFORMANCE.md`
//!
//! Driven by `scripts/perf-scale.sh`; usable alone:
//!
//! ```text
//! # add N providers to a raw chain spec (aicf-node build-spec --chain dev --raw)
//! cargo run --release --example perf -- spec --input dev-raw.json --output big.json --providers 10000
//! # p50/p99 of aicf_listProviders (pages of 100, with and without filters) and aicf_getProvider,
//! # over WebSocket and over HTTP
//! cargo run --release --example perf -- rpc --url ws://127.0.0.1:9944 --providers 10000
//! # one heartbeat from each of providers 0..COUNT, as fast as the node takes them
//! cargo run --release --example perf -- heartbeats --url ws://127.0.0.1:9944 --count 12000
//! ```
//!
//! `spec` writes the registry's storage directly, as a genesis with N registered providers
//! would hold it: each provider `i` has a real ML-DSA-65 key derived from `i` (so `heartbeats`
//! can sign for it), its own controller account, a region out of eight, and an AI capability
//! (one of four model families) or, for every fifth provider, a quantum capability. All are
//! REGISTERED (no stake, attestation or heartbeat). The records are byte for byte what
//! `register` stores, written through the runtime's own storage types.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#![allow(clippy::arithmetic_side_effects)]

use aicf_cli::{
	chain::{
		calls::{self, Arg},
		connection::Chain,
	},
	offline,
	provider::REGISTRY,
};
use aicf_primitives::{
	keys::RegistryKeypair,
	payload::{HeartbeatReport, MAX_AVAILABILITY_BPS},
	types::{AiCapability, Name, QuantumCapability},
	Capabilities, Heartbeat, ProviderStatus,
};
use aicf_runtime::Runtime;
use clap::{Parser, Subcommand};
use codec::Encode;
use pallet_aicf_registry::{
	ControllerProviders, KeyOwners, ListingIndex, ListingKey, ProviderCount, ProviderRecord,
	Providers, StatusIndex,
};
use serde_json::{json, Value};
use std::{
	path::PathBuf,
	time::{Duration, Instant},
};

const MODELS: [&str; 4] = ["llama3-8b", "mixtral-8x7b", "qwen2-72b", "phi3-mini"];
const REGIONS: [&str; 8] = [
	"us-west-2",
	"us-east-1",
	"eu-west-1",
	"eu-central-1",
	"ap-south-1",
	"ap-northeast-1",
	"sa-east-1",
	"af-south-1",
];

#[derive(Parser)]
struct Cli {
	#[command(subcommand)]
	cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
	/// Add providers 0..N to a raw chain spec.
	Spec {
		#[arg(long)]
		input: PathBuf,
		#[arg(long)]
		output: PathBuf,
		#[arg(long)]
		providers: u32,
		/// Providers for the liveness-proof load (`proofs`): a 32-byte SLH-DSA-sized public
		/// key derived from `i` (no private key: they prove, never sign), a heartbeat at block
		/// 0 and a liveness chain of `MaxLivenessChain` proofs committed then.
		#[arg(long)]
		liveness: bool,
	},
	/// Liveness proofs of providers FROM..FROM+COUNT (a `spec --liveness` chain), in batches of
	/// `MaxProofsPerBatch`, submitted as fast as the node accepts them; reports per block the
	/// proofs included, the block's length and weight, and the author's time to build it.
	Proofs {
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		#[arg(long, default_value_t = 0)]
		from: u32,
		#[arg(long)]
		count: u32,
		/// The author's log (its "Prepared block for proposing" lines give each block's build
		/// time).
		#[arg(long)]
		node_log: Option<PathBuf>,
	},
	/// Latency of the registry RPC over a chain holding providers 0..N.
	Rpc {
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		#[arg(long)]
		providers: u32,
		/// Calls per query.
		#[arg(long, default_value_t = 200)]
		samples: u32,
	},
	/// One heartbeat from each of providers FROM..FROM+COUNT, submitted as fast as the node
	/// accepts them; reports inclusion per block.
	Heartbeats {
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		#[arg(long, default_value_t = 0)]
		from: u32,
		#[arg(long)]
		count: u32,
		/// Counter to send (the providers' last accepted counter + 1).
		#[arg(long, default_value_t = 1)]
		counter: u64,
	},
}

/// SHA3-256, for deriving seeds and accounts from an index.
fn sha3(data: &[u8]) -> [u8; 32] {
	aicf_attestation_verify::evidence_hash(data)
}

/// Provider `i`'s registry key.
fn key(i: u32) -> RegistryKeypair {
	RegistryKeypair::from_ml_dsa_seed(&sha3(&(b"aicf-perf/key", i).encode()))
}

fn name(s: &str) -> Name {
	Name::truncate_from(s.as_bytes().to_vec())
}

fn capabilities(i: u32) -> Capabilities {
	if i % 5 == 4 {
		Capabilities {
			ai: None,
			quantum: Some(QuantumCapability {
				trap_families: [name("clifford"), name("t-depth")].to_vec().try_into().unwrap(),
				max_depth: 64,
				max_width: 32,
				shots_per_sec: 80,
			}),
		}
	} else {
		Capabilities {
			ai: Some(AiCapability {
				models: [name(MODELS[(i % 4) as usize])].to_vec().try_into().unwrap(),
				throughput_milli_tps: 2_500,
			}),
			quantum: None,
		}
	}
}

fn hex0x(b: &[u8]) -> String {
	format!("0x{}", hex::encode(b))
}

/// Provider `i` of a `spec --liveness` chain: its public key (SLH-DSA-sized, derived from `i`)
/// and its chain's seed.
fn light(i: u32) -> (aicf_primitives::RegistryPublicKey, [u8; 32]) {
	let pk = aicf_primitives::RegistryPublicKey {
		alg: aicf_primitives::KeyAlgorithm::SlhDsaSha2_128s,
		bytes: sha3(&(b"aicf-perf/slh", i).encode()).to_vec().try_into().unwrap(),
	};
	(pk, sha3(&(b"aicf-perf/liveness", i).encode()))
}

fn spec(input: PathBuf, output: PathBuf, n: u32, liveness: bool) {
	let started = Instant::now();
	let mut spec: Value = serde_json::from_slice(&std::fs::read(&input).unwrap()).unwrap();
	let top = spec
		.pointer_mut("/genesis/raw/top")
		.and_then(Value::as_object_mut)
		.expect("a raw chain spec (build-spec --raw)");
	let count_key = hex0x(&ProviderCount::<Runtime>::hashed_key());
	let existing: u32 = top
		.get(&count_key)
		.and_then(Value::as_str)
		.map(|h| codec::Decode::decode(&mut &hex::decode(&h[2..]).unwrap()[..]).unwrap())
		.unwrap_or(0);
	let chain_len = <Runtime as pallet_aicf_registry::Config>::MaxLivenessChain::get();
	for i in 0..n {
		let (public, seed) = if liveness { light(i) } else { (key(i).public(), [0; 32]) };
		let id = public.provider_id();
		let controller =
			sp_core::crypto::AccountId32::new(sha3(&(b"aicf-perf/controller", i).encode()));
		let record = ProviderRecord::<_, u32> {
			controller: controller.clone(),
			key: public.clone(),
			key_nonce: 0,
			status: ProviderStatus::Registered,
			capabilities: capabilities(i),
			region: REGIONS[(i % 8) as usize].as_bytes().to_vec().try_into().unwrap(),
			endpoint: format!("https://p{i}.example.net").into_bytes().try_into().unwrap(),
			contact: format!("ops@p{i}.example.net").into_bytes().try_into().unwrap(),
			registered_at: 0,
			attestations: Default::default(),
			last_heartbeat: liveness.then_some(0),
			heartbeat: Default::default(),
			jailed_until: None,
			cooldown_until: 0,
			leases_in_use: 0,
		};
		let key_hash = public.key_hash();
		// A `BoundedVec` encodes like the `Vec`.
		let owned = vec![id];
		let listing = ListingKey::of(&record.capabilities, &record.region)
			.into_iter()
			.map(|term| (ListingIndex::<Runtime>::hashed_key_for(term, id), vec![]));
		let entries = [
			(Providers::<Runtime>::hashed_key_for(id), record.encode()),
			(KeyOwners::<Runtime>::hashed_key_for(key_hash), id.encode()),
			(ControllerProviders::<Runtime>::hashed_key_for(&controller), owned.encode()),
			(StatusIndex::<Runtime>::hashed_key_for(ProviderStatus::Registered, id), vec![]),
		];
		let chain = liveness.then(|| {
			let c = pallet_aicf_registry::proofs::LivenessChain::<u32> {
				anchor: aicf_primitives::liveness::links(&seed, chain_len),
				remaining: chain_len,
				last_seen: 0,
				missed: 0,
			};
			(pallet_aicf_registry::LivenessChains::<Runtime>::hashed_key_for(id), c.encode())
		});
		for (k, v) in entries.into_iter().chain(listing).chain(chain) {
			top.insert(hex0x(&k), json!(hex0x(&v)));
		}
	}
	top.insert(count_key, json!(hex0x(&(existing + n).encode())));
	std::fs::write(&output, serde_json::to_vec(&spec).unwrap()).unwrap();
	eprintln!("spec: {n} providers added in {:.1} s", started.elapsed().as_secs_f64());
}

/// splitmix64: reproducible sample choices without a dependency.
struct Rng(u64);
impl Rng {
	fn below(&mut self, n: u32) -> u32 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		((z ^ (z >> 31)) % u64::from(n)) as u32
	}
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
	let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
	sorted[at.min(sorted.len() - 1)]
}

/// One JSON-RPC call over HTTP/1.1 on a kept-alive connection (`TCP_NODELAY` on the
/// client side). Returns the `result`.
struct Http {
	stream: std::io::BufReader<std::net::TcpStream>,
	host: String,
}

impl Http {
	fn connect(ws_url: &str) -> Self {
		let host = ws_url.trim_start_matches("ws://").trim_end_matches('/').to_string();
		let stream = std::net::TcpStream::connect(&host).unwrap();
		stream.set_nodelay(true).unwrap();
		Self { stream: std::io::BufReader::new(stream), host }
	}

	fn call(&mut self, method: &str, params: &Value) -> Value {
		use std::io::{BufRead, Read, Write};
		let body =
			json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": [params]}).to_string();
		write!(
			self.stream.get_mut(),
			"POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
			 Content-Length: {}\r\n\r\n{body}",
			self.host,
			body.len()
		)
		.unwrap();
		let mut len = None;
		let mut chunked = false;
		loop {
			let mut line = String::new();
			self.stream.read_line(&mut line).unwrap();
			let l = line.trim_end().to_ascii_lowercase();
			if l.is_empty() {
				break;
			}
			if let Some(v) = l.strip_prefix("content-length:") {
				len = v.trim().parse::<usize>().ok();
			}
			chunked |= l.starts_with("transfer-encoding:") && l.contains("chunked");
		}
		let mut body = Vec::new();
		if chunked {
			loop {
				let mut size = String::new();
				self.stream.read_line(&mut size).unwrap();
				let n = usize::from_str_radix(size.trim(), 16).unwrap();
				let mut chunk = vec![0; n + 2];
				self.stream.read_exact(&mut chunk).unwrap();
				if n == 0 {
					break;
				}
				body.extend_from_slice(&chunk[..n]);
			}
		} else {
			body.resize(len.expect("content-length"), 0);
			self.stream.read_exact(&mut body).unwrap();
		}
		let v: Value = serde_json::from_slice(&body).unwrap();
		v.get("result").cloned().unwrap_or_else(|| panic!("{method}: {v}"))
	}
}

async fn rpc(url: String, n: u32, samples: u32) {
	let chain = Chain::connect(&url).await.unwrap();
	let mut http = Http::connect(&url);
	// Ids of sample providers, computed once (key derivation is not what is measured).
	let mut rng = Rng(42);
	let ids: Vec<String> =
		(0..samples).map(|_| key(rng.below(n)).public().provider_id().to_string()).collect();
	let queries: [(&str, Value); 7] = [
		("list, no filter", json!({})),
		("list, status=REGISTERED", json!({"status": "REGISTERED"})),
		("list, status=ACTIVE (none match)", json!({"status": "ACTIVE"})),
		("list, capability=quantum (1 in 5)", json!({"capability": "quantum"})),
		("list, region=eu-west-1 (1 in 8)", json!({"region": "eu-west-1"})),
		(
			"list, capability=ai + region=us-west-2",
			json!({"capability": "ai", "region": "us-west-2"}),
		),
		("get", Value::Null),
	];
	println!("| N | query | WebSocket p50 / p99 ms | HTTP p50 / p99 ms | mean results per call |");
	println!("|---|---|---|---|---|");
	for (label, filter) in queries {
		let mut ws_times = Vec::new();
		let mut http_times = Vec::new();
		let mut results = 0usize;
		for (s, id) in ids.iter().enumerate() {
			// Half the pages start at the beginning, half at a random provider's id.
			let (method, params) = if filter.is_null() {
				("aicf_getProvider", json!({ "provider_id": id }))
			} else {
				let mut p = filter.clone();
				p["limit"] = json!(100);
				if s % 2 == 1 {
					p["cursor"] = json!(id);
				}
				("aicf_listProviders", p)
			};
			let t = Instant::now();
			let out = chain.request(method, vec![params.clone()]).await.unwrap();
			ws_times.push(t.elapsed().as_secs_f64() * 1e3);
			let t = Instant::now();
			let _ = http.call(method, &params);
			http_times.push(t.elapsed().as_secs_f64() * 1e3);
			results += out.get("providers").and_then(Value::as_array).map_or(1, Vec::len);
		}
		ws_times.sort_by(f64::total_cmp);
		http_times.sort_by(f64::total_cmp);
		println!(
			"| {n} | {label} | {:.2} / {:.2} | {:.2} / {:.2} | {:.1} |",
			percentile(&ws_times, 0.5),
			percentile(&ws_times, 0.99),
			percentile(&http_times, 0.5),
			percentile(&http_times, 0.99),
			results as f64 / f64::from(samples)
		);
	}
}

async fn best_number(chain: &Chain) -> u64 {
	let h = chain.request("chain_getHeader", vec![]).await.unwrap();
	u64::from_str_radix(h["number"].as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

/// Extrinsics of block `number` (hex strings).
async fn block_extrinsics(chain: &Chain, number: u64) -> Vec<String> {
	let hash = chain.request("chain_getBlockHash", vec![json!(number)]).await.unwrap();
	let block = chain.request("chain_getBlock", vec![hash]).await.unwrap();
	block["block"]["extrinsics"]
		.as_array()
		.unwrap()
		.iter()
		.map(|x| x.as_str().unwrap().to_string())
		.collect()
}

async fn heartbeats(url: String, from: u32, count: u32, counter: u64) {
	let chain = Chain::connect(&url).await.unwrap();
	let at = chain.at_best().await.unwrap();
	let genesis = chain.genesis();
	let report = HeartbeatReport {
		availability_bps: MAX_AVAILABILITY_BPS,
		leases_capacity: 8,
		..Default::default()
	};
	let now = offline::now_secs().unwrap();
	let t = Instant::now();
	let txs: Vec<String> = (from..from + count)
		.map(|i| {
			let kp = key(i);
			let provider = kp.public().provider_id();
			let heartbeat = Heartbeat {
				provider,
				counter,
				timestamp: now,
				attest_hash: [0; 32],
				report,
				liveness: None,
			};
			let signature = kp.sign(&heartbeat.payload(genesis).encode()).unwrap();
			let call = calls::build(
				at.metadata_ref(),
				REGISTRY,
				"heartbeat",
				vec![("heartbeat", Arg::scale(&heartbeat)), ("signature", Arg::scale(&signature))],
			)
			.unwrap();
			hex0x(at.transactions().create_unsigned(&call).unwrap().encoded())
		})
		.collect();
	let size = txs.first().map_or(0, |x| (x.len() - 2) / 2);
	eprintln!(
		"heartbeats: {count} keys derived and signed in {:.1} s; {size} bytes each",
		t.elapsed().as_secs_f64()
	);

	let start_block = best_number(&chain).await;
	let t = Instant::now();
	let (mut accepted, mut refused) = (0u32, 0u32);
	let mut first_error = None;
	for x in &txs {
		match chain.request("author_submitExtrinsic", vec![json!(x)]).await {
			Ok(_) => accepted += 1,
			Err(e) => {
				refused += 1;
				first_error.get_or_insert_with(|| e.to_string());
			},
		}
	}
	let submit_secs = t.elapsed().as_secs_f64();
	eprintln!(
		"heartbeats: {accepted} accepted by the pool, {refused} refused in {submit_secs:.1} s ({:.0}/s){}",
		f64::from(accepted) / submit_secs,
		first_error.map(|e| format!("; first refusal: {e}")).unwrap_or_default()
	);

	// Follow blocks until every accepted heartbeat is in one, or three blocks bring none.
	let mut included = 0u32;
	let mut next = start_block + 1;
	let mut idle = 0;
	let mut per_block = Vec::new();
	let mut first_at: Option<Instant> = None;
	let mut last_at = Instant::now();
	while included < accepted && idle < 3 {
		if best_number(&chain).await < next {
			tokio::time::sleep(Duration::from_millis(200)).await;
			continue;
		}
		let xts = block_extrinsics(&chain, next).await;
		// Everything but the timestamp inherent is a heartbeat (the chain is otherwise idle).
		let hb = xts.len().saturating_sub(1) as u32;
		let bytes: usize = xts.iter().map(|x| (x.len() - 2) / 2).sum();
		if hb == 0 {
			idle += 1;
		} else {
			idle = 0;
			first_at.get_or_insert_with(Instant::now);
			last_at = Instant::now();
		}
		per_block.push((next, hb, bytes));
		included += hb;
		next += 1;
	}
	println!("| block | heartbeats | block bytes |");
	println!("|---|---|---|");
	for (b, hb, bytes) in &per_block {
		println!("| #{b} | {hb} | {bytes} |");
	}
	let full: Vec<u32> = per_block.iter().map(|(_, hb, _)| *hb).filter(|hb| *hb > 0).collect();
	let blocks = full.len().max(1) as f64;
	// The block interval as observed between the first and the last block carrying heartbeats.
	let span = first_at.map(|f| last_at.duration_since(f).as_secs_f64()).unwrap_or(0.0);
	let interval = if full.len() > 1 { span / (blocks - 1.0) } else { 6.0 };
	println!(
		"\nincluded {included} of {accepted} in {} blocks: {:.0} per block on average, max {}; \
		 {:.0} per second at the observed block interval of {interval:.1} s",
		full.len(),
		f64::from(included) / blocks,
		full.iter().max().copied().unwrap_or(0),
		f64::from(included) / (blocks * interval),
	);
}

/// `System::BlockWeight` at block `hash`: (normal, operational, mandatory) ref time in ps.
async fn block_weight(chain: &Chain, hash: &Value) -> [u64; 3] {
	use codec::{Compact, Decode};
	// twox128("System") ++ twox128("BlockWeight"), the well-known key.
	let key =
		hex::decode("26aa394eea5630e07c48ae0c9558cef734abf5cb34d6244378cddbf18e849d96").unwrap();
	let v =
		chain.request("state_getStorage", vec![json!(hex0x(&key)), hash.clone()]).await.unwrap();
	let bytes = hex::decode(v.as_str().unwrap().trim_start_matches("0x")).unwrap();
	let w = <[(Compact<u64>, Compact<u64>); 3]>::decode(&mut &bytes[..]).unwrap();
	[w[0].0 .0, w[1].0 .0, w[2].0 .0]
}

/// Proofs in an extrinsic if it is a `prove_liveness` batch (bare: length, version 4 or 5,
/// pallet index, call index, then the batch's compact length).
fn proofs_in(xt: &[u8], call: [u8; 2]) -> Option<u32> {
	use codec::{Compact, Decode};
	let mut input = xt;
	let _len = Compact::<u32>::decode(&mut input).ok()?;
	let (&version, rest) = input.split_first()?;
	if version & 0x80 != 0 || rest.get(..2)? != call {
		return None;
	}
	let mut rest = &rest[2..];
	Compact::<u32>::decode(&mut rest).ok().map(|c| c.0)
}

/// Per block, from the author's log: block number → milliseconds to build it.
fn build_times(log: &std::path::Path) -> std::collections::BTreeMap<u64, f64> {
	let text = std::fs::read_to_string(log).unwrap_or_default();
	let mut out = std::collections::BTreeMap::new();
	for line in text.lines() {
		// "🎁 Prepared block for proposing at 12 (1234 ms) hash: …"
		let Some(rest) = line.split("Prepared block for proposing at ").nth(1) else { continue };
		let mut parts = rest.split_whitespace();
		let (Some(n), Some(ms)) = (parts.next(), parts.next()) else { continue };
		if let (Ok(n), Ok(ms)) = (n.parse::<u64>(), ms.trim_start_matches('(').parse::<f64>()) {
			out.insert(n, ms);
		}
	}
	out
}

async fn proofs(url: String, from: u32, count: u32, node_log: Option<PathBuf>) {
	use aicf_primitives::liveness::{links, LivenessProof};
	let chain = Chain::connect(&url).await.unwrap();
	let at = chain.at_best().await.unwrap();
	let metadata = at.metadata_ref();
	let chain_len = <Runtime as pallet_aicf_registry::Config>::MaxLivenessChain::get();
	let per_batch = <Runtime as pallet_aicf_registry::Config>::MaxProofsPerBatch::get() as usize;
	let pallet = metadata.pallet_by_name(REGISTRY).unwrap();
	let call_index =
		[pallet.call_index(), pallet.call_variant_by_name("prove_liveness").unwrap().index];
	let t = Instant::now();
	// Each provider's first proof, H^(n-1)(seed), in ascending id order, in batches.
	let mut items: Vec<LivenessProof> = (from..from + count)
		.map(|i| {
			let (pk, seed) = light(i);
			LivenessProof { provider: pk.provider_id(), preimage: links(&seed, chain_len - 1) }
		})
		.collect();
	items.sort_by_key(|p| p.provider);
	let txs: Vec<String> = items
		.chunks(per_batch)
		.map(|chunk| {
			let call = aicf_cli::liveness::prove_call(metadata, chunk).unwrap();
			hex0x(at.transactions().create_unsigned(&call).unwrap().encoded())
		})
		.collect();
	let size = txs.first().map_or(0, |x| (x.len() - 2) / 2);
	eprintln!(
		"proofs: {count} proofs in {} batches built in {:.1} s; {size} bytes a batch ({:.1} a proof)",
		txs.len(),
		t.elapsed().as_secs_f64(),
		size as f64 / per_batch as f64
	);
	// The chain's first proofs are valid from `MinHeartbeatInterval` blocks after genesis.
	let min = calls::has_call(metadata, REGISTRY, "prove_liveness")
		.then(|| aicf_cli::chain::state::constant_u128(metadata, REGISTRY, "MinHeartbeatInterval"))
		.flatten()
		.unwrap_or(1) as u64;
	while best_number(&chain).await < min {
		tokio::time::sleep(Duration::from_millis(500)).await;
	}

	let start_block = best_number(&chain).await;
	let t = Instant::now();
	let (mut accepted, mut refused) = (0usize, 0u32);
	let mut first_error = None;
	for x in &txs {
		match chain.request("author_submitExtrinsic", vec![json!(x)]).await {
			Ok(_) => accepted += 1,
			Err(e) => {
				refused += 1;
				first_error.get_or_insert_with(|| e.to_string());
			},
		}
	}
	let submit_secs = t.elapsed().as_secs_f64();
	eprintln!(
		"proofs: {accepted} batches accepted by the pool, {refused} refused in {submit_secs:.1} s{}",
		first_error.map(|e| format!("; first refusal: {e}")).unwrap_or_default()
	);
	let expected = (accepted * per_batch).min(count as usize) as u64;

	let mut included = 0u64;
	let mut next = start_block + 1;
	let mut idle = 0;
	let mut rows = Vec::new();
	while included < expected && idle < 3 {
		if best_number(&chain).await < next {
			tokio::time::sleep(Duration::from_millis(200)).await;
			continue;
		}
		let hash = chain.request("chain_getBlockHash", vec![json!(next)]).await.unwrap();
		let xts = block_extrinsics(&chain, next).await;
		let bytes: Vec<Vec<u8>> =
			xts.iter().map(|x| hex::decode(x.trim_start_matches("0x")).unwrap()).collect();
		let proofs: u32 = bytes.iter().filter_map(|x| proofs_in(x, call_index)).sum();
		let length: usize = bytes.iter().map(Vec::len).sum();
		let weight = block_weight(&chain, &hash).await;
		if proofs == 0 {
			idle += 1;
		} else {
			idle = 0;
		}
		rows.push((next, proofs, length, weight));
		included += u64::from(proofs);
		next += 1;
	}
	let build = node_log.as_deref().map(build_times).unwrap_or_default();
	// The normal class's share of the block (the runtime's sensible defaults).
	let normal_max = {
		aicf_runtime::configs::NORMAL_DISPATCH_RATIO
			.mul_floor(aicf_runtime::configs::MAXIMUM_BLOCK_WEIGHT.ref_time())
	};
	println!("| block | proofs | block bytes | normal weight (ms) | of normal max | build (ms) |");
	println!("|---|---|---|---|---|---|");
	for (b, n, len, w) in &rows {
		println!(
			"| #{b} | {n} | {len} | {:.1} | {:.0} % | {} |",
			w[0] as f64 / 1e9,
			w[0] as f64 * 100.0 / normal_max as f64,
			build.get(b).map_or("–".into(), |ms| format!("{ms:.0}"))
		);
	}
	let full: Vec<&(u64, u32, usize, [u64; 3])> = rows.iter().filter(|r| r.1 > 0).collect();
	let blocks = full.len().max(1) as f64;
	let at_least_10k = full.iter().filter(|r| r.1 >= 10_000).count();
	let builds: Vec<f64> = full.iter().filter_map(|r| build.get(&r.0).copied()).collect();
	println!(
		"\nincluded {included} of {expected} proofs in {} blocks: {:.0} per block on average, min {}, max {}; \
		 {at_least_10k} blocks with ≥ 10 000; {:.0} bytes and {:.1} ms of normal weight per block on average; \
		 build time {:.0} ms on average, max {:.0} ms",
		full.len(),
		included as f64 / blocks,
		full.iter().map(|r| r.1).min().unwrap_or(0),
		full.iter().map(|r| r.1).max().unwrap_or(0),
		full.iter().map(|r| r.2 as f64).sum::<f64>() / blocks,
		full.iter().map(|r| r.3[0] as f64 / 1e9).sum::<f64>() / blocks,
		builds.iter().sum::<f64>() / builds.len().max(1) as f64,
		builds.iter().copied().fold(0.0, f64::max),
	);
}

fn main() {
	let cli = Cli::parse();
	let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
	match cli.cmd {
		Cmd::Spec { input, output, providers, liveness } => {
			spec(input, output, providers, liveness)
		},
		Cmd::Proofs { url, from, count, node_log } => {
			rt.block_on(proofs(url, from, count, node_log))
		},
		Cmd::Rpc { url, providers, samples } => rt.block_on(rpc(url, providers, samples)),
		Cmd::Heartbeats { url, from, count, counter } => {
			rt.block_on(heartbeats(url, from, count, counter))
		},
	}
}
