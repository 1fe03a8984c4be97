//! Starts the real `aicf-node --dev` and talks to it over JSON-RPC: blocks are produced and
//! finalized, and the `aicf_*` methods answer with the spec's views and errors.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use serde_json::{json, Value};
use std::{
	io::{Read, Write},
	net::{TcpListener, TcpStream},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

/// Kills the node when the test ends, whatever happens.
struct Node(Child);

impl Drop for Node {
	fn drop(&mut self) {
		let _ = self.0.kill();
		let _ = self.0.wait();
	}
}

fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn rpc(port: u16, method: &str, params: Value) -> Result<Value, String> {
	let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
	let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
	stream.set_read_timeout(Some(Duration::from_secs(10))).map_err(|e| e.to_string())?;
	write!(
		stream,
		"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
		body.len(),
		body
	)
	.map_err(|e| e.to_string())?;
	let mut response = String::new();
	stream.read_to_string(&mut response).map_err(|e| e.to_string())?;
	let json_start = response.find("\r\n\r\n").ok_or("no HTTP body")? + 4;
	serde_json::from_str(&response[json_start..]).map_err(|e| format!("{e}: {response}"))
}

fn block_number(port: u16, method: &str) -> Option<u64> {
	let hash = if method == "chain_getFinalizedHead" {
		rpc(port, method, json!([])).ok()?["result"].clone()
	} else {
		Value::Null
	};
	let header =
		rpc(port, "chain_getHeader", if hash.is_null() { json!([]) } else { json!([hash]) })
			.ok()?;
	u64::from_str_radix(header["result"]["number"].as_str()?.trim_start_matches("0x"), 16).ok()
}

#[test]
fn dev_node_produces_blocks_and_serves_the_aicf_rpc() {
	let port = free_port();
	let p2p = free_port();
	let node = Command::new(env!("CARGO_BIN_EXE_aicf-node"))
		.args(["--dev", "--tmp", "--rpc-port", &port.to_string(), "--port", &p2p.to_string()])
		.args(["--no-telemetry", "--no-prometheus", "--no-mdns"])
		.stdout(Stdio::null())
		.stderr(Stdio::null())
		.spawn()
		.expect("aicf-node starts");
	let _node = Node(node);

	let deadline = Instant::now() + Duration::from_secs(120);
	let mut best = 0;
	let mut finalized = 0;
	while Instant::now() < deadline && (best < 3 || finalized < 1) {
		std::thread::sleep(Duration::from_millis(500));
		best = block_number(port, "chain_getHeader").unwrap_or(0);
		finalized = block_number(port, "chain_getFinalizedHead").unwrap_or(0);
	}
	assert!(best >= 3, "best block {best} after 120 s");
	assert!(finalized >= 1, "finalized block {finalized} after 120 s");

	// The registry RPC is there and empty on a fresh dev chain.
	let list = rpc(port, "aicf_listProviders", json!([{"status": "ACTIVE", "limit": 10}])).unwrap();
	assert_eq!(list["result"], json!({"providers": [], "next_cursor": null}), "{list}");

	let unknown = rpc(
		port,
		"aicf_getProvider",
		json!([{"provider_id": "provider:000000000000000000000000"}]),
	)
	.unwrap();
	assert_eq!(unknown["error"]["code"], 4001, "{unknown}");

	let malformed = rpc(port, "aicf_getBalance", json!([{"provider_id": "provider:abc"}])).unwrap();
	assert_eq!(malformed["error"]["code"], -32602, "{malformed}");

	// The runtime exposes the registry pallet in its metadata under index 10.
	let version = rpc(port, "state_getRuntimeVersion", json!([])).unwrap();
	assert_eq!(version["result"]["specName"], "aicf", "{version}");
}

/// One raw HTTP request to the node; the status code, the headers (lowercase) and the body.
fn http(port: u16, request: &str) -> (u16, String, String) {
	let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
	stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
	stream.write_all(request.as_bytes()).unwrap();
	let mut response = String::new();
	stream.read_to_string(&mut response).unwrap();
	let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
	let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
	(status, head.to_lowercase(), body.to_string())
}

fn post(port: u16, host: &str, origin: Option<&str>, method: &str) -> (u16, String, String) {
	let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": []}).to_string();
	let origin = origin.map(|o| format!("Origin: {o}\r\n")).unwrap_or_default();
	http(
		port,
		&format!(
			"POST / HTTP/1.1\r\nHost: {host}\r\n{origin}Content-Type: application/json\r\n\
			 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
			body.len()
		),
	)
}

/// The node serves its public RPC itself (node/src/rpc_server.rs, for `TCP_NODELAY`): the
/// flags that shape sc-rpc-server's keep their meaning there — CORS with its host filter,
/// `--rpc-methods`, the health endpoint, `rpc_methods`.
#[test]
fn the_public_rpc_server_honours_the_node_flags() {
	let (port, p2p) = (free_port(), free_port());
	let node = Command::new(env!("CARGO_BIN_EXE_aicf-node"))
		.args(["--dev", "--tmp", "--rpc-port", &port.to_string(), "--port", &p2p.to_string()])
		.args(["--no-telemetry", "--no-prometheus", "--no-mdns"])
		.args(["--rpc-cors", "http://dashboard.example", "--rpc-methods", "safe"])
		.stdout(Stdio::null())
		.stderr(Stdio::null())
		.spawn()
		.expect("aicf-node starts");
	let _node = Node(node);
	let host = format!("127.0.0.1:{port}");
	let deadline = Instant::now() + Duration::from_secs(120);
	while Instant::now() < deadline {
		std::thread::sleep(Duration::from_millis(500));
		if TcpStream::connect(("127.0.0.1", port)).is_ok()
			&& post(port, &host, None, "system_health").0 == 200
		{
			break;
		}
	}

	// Every method is listed, the registry's and `rpc_methods` itself among them.
	let (status, _, body) = post(port, &host, None, "rpc_methods");
	assert_eq!(status, 200, "{body}");
	let methods: Value = serde_json::from_str(&body).unwrap();
	let list = methods["result"]["methods"].as_array().unwrap();
	for m in ["aicf_listProviders", "rpc_methods", "author_submitExtrinsic", "chain_getHeader"] {
		assert!(list.iter().any(|x| x == m), "{m} missing: {body}");
	}
	// `--rpc-methods safe`: an unsafe method is refused, a safe one answers.
	let (_, _, body) = post(port, &host, None, "author_rotateKeys");
	let v: Value = serde_json::from_str(&body).unwrap();
	assert!(v["error"]["message"].as_str().unwrap_or_default().contains("unsafe"), "{body}");
	// `--rpc-cors`: the listed origin is allowed, another gets no CORS header.
	let (status, head, _) = post(port, &host, Some("http://dashboard.example"), "system_name");
	assert_eq!(status, 200);
	assert!(head.contains("access-control-allow-origin: http://dashboard.example"), "{head}");
	let (_, head, _) = post(port, &host, Some("http://evil.example"), "system_name");
	assert!(!head.contains("access-control-allow-origin"), "{head}");
	// With a CORS list, a request naming another host is refused (DNS rebinding).
	let (status, _, _) = post(port, "evil.example", None, "system_name");
	assert_eq!(status, 403);
	// The health endpoint of sc-rpc-server.
	let (status, _, body) =
		http(port, &format!("GET /health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
	assert_eq!(status, 200, "{body}");
	assert!(body.contains("\"peers\""), "{body}");
}
