//! The node's public JSON-RPC server (HTTP and WebSocket on `--rpc-port`).
//!
//! polkadot-sdk's `sc-rpc-server` accepts connections without setting `TCP_NODELAY`: its
//! WebSocket frames go out in two writes, and the second waits for the client's delayed ACK
//! (≈ 40 ms on Linux) whenever a response is larger than ≈ 16 KB — every page of more than ≈ 30
//! providers (docs/PERFORMANCE.md §7). This server serves the same RPC module with the same
//! settings the node's flags configure, and sets `TCP_NODELAY` on every socket it accepts:
//!
//! - the endpoints of `--rpc-port`/`--rpc-external`/`--rpc-addr` (as `sc-service` derives them),
//!   each with its request and response size limits, connection and subscription limits,
//!   message buffer, batch limits, `--rpc-cors` (with the host filter that comes with it),
//!   `--rpc-methods` (unsafe methods only where `sc-rpc-server` allows them),
//!   `--rpc-rate-limit` with its whitelist and trusted proxy headers, the `GET /health` and
//!   `/health/readiness` endpoints, WebSocket pings and random string subscription ids;
//! - the `rpc_methods` method listing them.
//!
//! `sc-service` still starts its own server; the node moves it to an ephemeral port on the
//! loopback interface ([`internal_endpoint`]), where nothing is told to connect. It keeps the
//! `substrate_rpc_*` Prometheus metrics (registered once per registry), which therefore do not
//! count calls served here.

use jsonrpsee::{
	core::BoxError,
	server::{
		middleware::{http::HostFilterLayer, rpc::RpcServiceBuilder},
		serve_with_graceful_shutdown, stop_channel, PingConfig, RandomStringIdProvider,
		ServerHandle,
	},
	Methods, RpcModule,
};
use sc_rpc_server::{MiddlewareLayer, NodeHealthProxyLayer, RpcEndpoint, RpcMethods};
use sc_service::config::RpcConfiguration;
use std::{
	net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
	time::Duration,
};
use tower::Service;
use tower_http::cors::{AllowOrigin, CorsLayer};

const MEGABYTE: u32 = 1024 * 1024;

/// The server's own tokio runtime (`sc-rpc-server`'s: blocking threads bounded by the
/// connection limit), shut down in the background when dropped.
pub struct Runtime(Option<tokio::runtime::Runtime>);

impl Runtime {
	/// A runtime for at most `max_connections` connections.
	pub fn new(max_connections: u32) -> std::io::Result<Self> {
		sc_rpc_server::create_rpc_runtime(max_connections).map(|r| Self(Some(r)))
	}

	/// Its handle.
	pub fn handle(&self) -> tokio::runtime::Handle {
		match &self.0 {
			Some(r) => r.handle().clone(),
			// Only `Drop` takes it.
			None => tokio::runtime::Handle::current(),
		}
	}
}

impl Drop for Runtime {
	fn drop(&mut self) {
		// Dropping a runtime may happen inside the node's own runtime, where blocking is not
		// allowed.
		if let Some(r) = self.0.take() {
			r.shutdown_background();
		}
	}
}

/// The endpoints the node's flags configure, as `sc-service` derives them: `--rpc-addr` if
/// given, else `--rpc-port` on the IPv4 loopback and, if it can be bound, the IPv6 one.
pub fn endpoints(rpc: &RpcConfiguration) -> Vec<RpcEndpoint> {
	if let Some(endpoints) = rpc.addr.as_ref() {
		return endpoints.clone();
	}
	let endpoint = |listen_addr, is_optional| RpcEndpoint {
		batch_config: rpc.batch_config,
		cors: rpc.cors.clone(),
		listen_addr,
		max_buffer_capacity_per_connection: rpc.message_buffer_capacity,
		max_connections: rpc.max_connections,
		max_payload_in_mb: rpc.max_request_size,
		max_payload_out_mb: rpc.max_response_size,
		max_subscriptions_per_connection: rpc.max_subs_per_conn,
		rpc_methods: rpc.methods,
		rate_limit: rpc.rate_limit,
		rate_limit_trust_proxy_headers: rpc.rate_limit_trust_proxy_headers,
		rate_limit_whitelisted_ips: rpc.rate_limit_whitelisted_ips.clone(),
		retry_random_port: true,
		is_optional,
	};
	vec![
		endpoint(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), rpc.port), false),
		endpoint(SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), rpc.port), true),
	]
}

/// Where `sc-service`'s own server goes instead: an ephemeral port on the IPv4 loopback, with
/// the first public endpoint's settings but never unsafe methods beyond what that endpoint
/// allows.
pub fn internal_endpoint(public: &[RpcEndpoint]) -> Option<RpcEndpoint> {
	let first = public.first()?;
	let methods = match sc_rpc_server::utils::deny_unsafe(&first.listen_addr, &first.rpc_methods) {
		sc_rpc_api::DenyUnsafe::Yes => RpcMethods::Safe,
		sc_rpc_api::DenyUnsafe::No => first.rpc_methods,
	};
	Some(RpcEndpoint {
		listen_addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
		rpc_methods: methods,
		is_optional: false,
		retry_random_port: true,
		..first.clone()
	})
}

/// `module` with the `rpc_methods` method, which lists every method (itself included).
fn with_rpc_methods(mut module: RpcModule<()>) -> Result<RpcModule<()>, BoxError> {
	let mut names: Vec<&'static str> = module.method_names().collect();
	names.push("rpc_methods");
	names.sort_unstable();
	module
		.register_method("rpc_methods", move |_, _, _| serde_json::json!({ "methods": names }))?;
	Ok(module)
}

/// `--rpc-cors`: the listed origins, or any origin when CORS is not restricted.
fn cors(origins: Option<&[String]>) -> Result<CorsLayer, BoxError> {
	match origins {
		Some(list) => {
			let list = list
				.iter()
				.map(|o| http::HeaderValue::from_str(o))
				.collect::<Result<Vec<_>, _>>()?;
			Ok(CorsLayer::new().allow_origin(AllowOrigin::list(list)))
		},
		None => Ok(CorsLayer::permissive()),
	}
}

/// With a CORS list, requests must name this server as their host (`localhost`, `127.0.0.1`
/// or `[::1]` on its port), as `sc-rpc-server` requires.
fn host_filter(
	cors_restricted: bool,
	addr: SocketAddr,
) -> Result<Option<HostFilterLayer>, BoxError> {
	if !cors_restricted {
		return Ok(None);
	}
	let port = addr.port();
	let hosts = [format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}")];
	Ok(Some(HostFilterLayer::new(hosts)?))
}

/// The client's address as a trusted proxy reports it: `Forwarded`, `X-Forwarded-For`, then
/// `X-Real-Ip`.
fn proxy_ip<B>(req: &http::Request<B>) -> Option<IpAddr> {
	use forwarded_header_value::ForwardedHeaderValue;
	let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
	header("forwarded")
		.and_then(|v| ForwardedHeaderValue::from_forwarded(v).ok())
		.and_then(|v| v.remotest_forwarded_for_ip())
		.or_else(|| {
			header("x-forwarded-for")
				.and_then(|v| ForwardedHeaderValue::from_x_forwarded_for(v).ok())
				.and_then(|v| v.remotest_forwarded_for_ip())
		})
		.or_else(|| header("x-real-ip").and_then(|v| v.parse().ok()))
}

/// Serve `module` on every endpoint (an optional one that cannot be bound is skipped) on the
/// runtime `handle`; connections get `TCP_NODELAY`. Returns the handle that stops the server
/// when dropped, and the addresses bound.
pub async fn start(
	endpoints: Vec<RpcEndpoint>,
	module: RpcModule<()>,
	request_logger_limit: u32,
	handle: tokio::runtime::Handle,
) -> Result<(ServerHandle, Vec<SocketAddr>), BoxError> {
	let methods: Methods = with_rpc_methods(module)?.into();
	let (stop_handle, server_handle) = stop_channel();
	let mut bound = Vec::new();
	for endpoint in endpoints {
		let listener = match tokio::net::TcpListener::bind(endpoint.listen_addr).await {
			Ok(l) => l,
			Err(_) if endpoint.retry_random_port => {
				let mut any = endpoint.listen_addr;
				any.set_port(0);
				match tokio::net::TcpListener::bind(any).await {
					Ok(l) => l,
					Err(e) if endpoint.is_optional => {
						log::debug!(target: "rpc", "optional RPC endpoint {any}: {e}");
						continue;
					},
					Err(e) => return Err(e.into()),
				}
			},
			Err(e) if endpoint.is_optional => {
				log::debug!(target: "rpc", "optional RPC endpoint {}: {e}", endpoint.listen_addr);
				continue;
			},
			Err(e) => return Err(e.into()),
		};
		let local = listener.local_addr()?;
		bound.push(local);

		let http_middleware = tower::ServiceBuilder::new()
			.option_layer(host_filter(endpoint.cors.is_some(), local)?)
			.layer(NodeHealthProxyLayer)
			.layer(cors(endpoint.cors.as_deref())?);
		let service_builder = jsonrpsee::server::Server::builder()
			.max_request_body_size(endpoint.max_payload_in_mb.saturating_mul(MEGABYTE))
			.max_response_body_size(endpoint.max_payload_out_mb.saturating_mul(MEGABYTE))
			.max_connections(endpoint.max_connections)
			.max_subscriptions_per_connection(endpoint.max_subscriptions_per_connection)
			.enable_ws_ping(
				PingConfig::new()
					.ping_interval(Duration::from_secs(30))
					.inactive_limit(Duration::from_secs(60))
					.max_failures(3),
			)
			.set_http_middleware(http_middleware)
			.set_message_buffer_capacity(endpoint.max_buffer_capacity_per_connection)
			.set_batch_request_config(endpoint.batch_config)
			.set_id_provider(RandomStringIdProvider::new(16))
			.custom_tokio_runtime(handle.clone())
			.to_service_builder();
		let deny_unsafe = sc_rpc_server::utils::deny_unsafe(&local, &endpoint.rpc_methods);
		let (methods, stop_handle, spawn) = (methods.clone(), stop_handle.clone(), handle.clone());

		handle.spawn(async move {
			loop {
				let (sock, remote) = tokio::select! {
					accepted = listener.accept() => match accepted {
						Ok(s) => s,
						Err(e) => {
							log::debug!(target: "rpc", "failed to accept a connection: {e}");
							continue;
						},
					},
					_ = stop_handle.clone().shutdown() => break,
				};
				// The point of this server: a response's last frame leaves at once instead of
				// waiting for the client's delayed ACK.
				if let Err(e) = sock.set_nodelay(true) {
					log::debug!(target: "rpc", "TCP_NODELAY on {remote}: {e}");
				}
				let (methods, stop_handle, service_builder) =
					(methods.clone(), stop_handle.clone(), service_builder.clone());
				let (whitelist, rate_limit, trust_proxy) = (
					endpoint.rate_limit_whitelisted_ips.clone(),
					endpoint.rate_limit,
					endpoint.rate_limit_trust_proxy_headers,
				);
				let stopped = stop_handle.clone().shutdown();
				let svc =
					tower::service_fn(move |mut req: http::Request<hyper::body::Incoming>| {
						req.extensions_mut().insert(deny_unsafe);
						let client =
							if trust_proxy { proxy_ip(&req) } else { None }.unwrap_or(remote.ip());
						let limit = if whitelist.iter().any(|n| n.contains(client)) {
							None
						} else {
							rate_limit
						};
						let layer =
							limit.map(|l| MiddlewareLayer::new().with_rate_limit_per_minute(l));
						let rpc_middleware = RpcServiceBuilder::new()
							.rpc_logger(request_logger_limit)
							.option_layer(layer);
						let mut svc = service_builder
							.clone()
							.set_rpc_middleware(rpc_middleware)
							.build(methods.clone(), stop_handle.clone());
						async move { svc.call(req).await }
					});
				spawn.spawn(serve_with_graceful_shutdown(sock, svc, stopped));
			}
		});
	}
	if bound.is_empty() {
		return Err("no RPC endpoint could be bound".into());
	}
	// The format of sc-rpc-server's line (which scripts parse); sc-service's internal server
	// logs its loopback port just before.
	log::info!(
		"Running JSON-RPC server: addr={}",
		bound.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
	);
	Ok((server_handle, bound))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;

	#[test]
	fn the_internal_server_never_allows_what_the_public_one_denies() {
		let mut rpc_public =
			endpoints_for(SocketAddr::from(([0, 0, 0, 0], 9944)), RpcMethods::Auto);
		// External + auto: unsafe denied in public, so the loopback copy is Safe.
		let methods = |e: &[RpcEndpoint]| internal_endpoint(e).unwrap().rpc_methods;
		assert!(matches!(methods(&rpc_public), RpcMethods::Safe));
		rpc_public = endpoints_for(SocketAddr::from(([127, 0, 0, 1], 9944)), RpcMethods::Auto);
		assert!(matches!(methods(&rpc_public), RpcMethods::Auto));
		rpc_public = endpoints_for(SocketAddr::from(([0, 0, 0, 0], 9944)), RpcMethods::Unsafe);
		assert!(matches!(methods(&rpc_public), RpcMethods::Unsafe));
		let internal = internal_endpoint(&rpc_public).unwrap();
		assert_eq!(internal.listen_addr, SocketAddr::from(([127, 0, 0, 1], 0)));
		assert!(!internal.is_optional);
	}

	fn endpoints_for(addr: SocketAddr, methods: RpcMethods) -> Vec<RpcEndpoint> {
		vec![RpcEndpoint {
			batch_config: sc_rpc_server::BatchRequestConfig::Unlimited,
			cors: None,
			listen_addr: addr,
			max_buffer_capacity_per_connection: 64,
			max_connections: 100,
			max_payload_in_mb: 15,
			max_payload_out_mb: 15,
			max_subscriptions_per_connection: 1024,
			rpc_methods: methods,
			rate_limit: None,
			rate_limit_trust_proxy_headers: false,
			rate_limit_whitelisted_ips: vec![],
			retry_random_port: false,
			is_optional: false,
		}]
	}

	#[test]
	fn cors_lists_refuse_other_hosts_and_proxy_headers_name_the_client() {
		assert!(host_filter(false, SocketAddr::from(([127, 0, 0, 1], 9944))).unwrap().is_none());
		assert!(host_filter(true, SocketAddr::from(([127, 0, 0, 1], 9944))).unwrap().is_some());
		assert!(cors(Some(&["http://localhost:3000".to_string()][..])).is_ok());
		assert!(cors(Some(&["bad\nvalue".to_string()][..])).is_err());
		let req = http::Request::builder()
			.header("x-forwarded-for", "203.0.113.7, 10.0.0.1")
			.body(())
			.unwrap();
		assert_eq!(proxy_ip(&req), Some(IpAddr::from([203, 0, 113, 7])));
		let req = http::Request::builder().header("x-real-ip", "198.51.100.2").body(()).unwrap();
		assert_eq!(proxy_ip(&req), Some(IpAddr::from([198, 51, 100, 2])));
		assert_eq!(proxy_ip(&http::Request::builder().body(()).unwrap()), None);
	}
}
