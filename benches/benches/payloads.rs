//! Canonical CBOR encode and decode of the signed payloads.
//!
//! `cargo bench -p aicf-benches --bench payloads`

use aicf_primitives::{
	payload::{HeartbeatPayload, HeartbeatReport, UpdatePayload},
	types::{AiCapability, Capabilities, QuantumCapability},
	ProviderId,
};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn heartbeat() -> HeartbeatPayload {
	HeartbeatPayload {
		genesis: [1; 32],
		provider: ProviderId([2; 12]),
		counter: 1_000_000,
		timestamp: 1_713_202_001,
		attest_hash: [3; 32],
		report: HeartbeatReport {
			rtt_ms_p50: 40,
			availability_bps: 9_992,
			leases_active: 2,
			leases_capacity: 8,
		},
		liveness: None,
	}
}

fn update() -> UpdatePayload {
	let name = |s: &str| s.as_bytes().to_vec().try_into().unwrap();
	UpdatePayload {
		genesis: [1; 32],
		provider: ProviderId([2; 12]),
		nonce: 9,
		capabilities: Some(Capabilities {
			ai: Some(AiCapability {
				models: (0..16)
					.map(|i| name(&format!("model-family-{i:02}")))
					.collect::<Vec<_>>()
					.try_into()
					.unwrap(),
				throughput_milli_tps: 2_500,
			}),
			quantum: Some(QuantumCapability {
				trap_families: (0..8)
					.map(|i| name(&format!("trap-{i}")))
					.collect::<Vec<_>>()
					.try_into()
					.unwrap(),
				max_depth: 64,
				max_width: 20,
				shots_per_sec: 80,
			}),
		}),
		region: Some(b"us-west-2".to_vec()),
		endpoint: Some(b"https://api.provider.example/v1".to_vec()),
		contact: Some(b"ops@provider.example".to_vec()),
	}
}

fn bench(c: &mut Criterion) {
	let mut g = c.benchmark_group("cbor");
	let hb = heartbeat();
	let hb_bytes = hb.encode();
	g.bench_function("heartbeat/encode", |b| b.iter(|| black_box(&hb).encode()));
	g.bench_function("heartbeat/decode", |b| {
		b.iter(|| HeartbeatPayload::decode(black_box(&hb_bytes)).unwrap())
	});
	let up = update();
	let up_bytes = up.encode();
	g.bench_function("update-largest/encode", |b| b.iter(|| black_box(&up).encode()));
	g.bench_function("update-largest/decode", |b| {
		b.iter(|| UpdatePayload::decode(black_box(&up_bytes)).unwrap())
	});
	g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
