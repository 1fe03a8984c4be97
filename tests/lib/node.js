// Starting and stopping aicf-node processes for tests: free ports, readiness over JSON-RPC,
// logs in files, and cleanup whatever happens (test failure, exception, signal).
//
// Only Node.js built-ins are imported here.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const TARGET = process.env.CARGO_TARGET_DIR ?? path.join(os.homedir(), '.cache/aicf/target');
/** The aicf-node binary: `$AICF_NODE`, else `$CARGO_TARGET_DIR/release/aicf-node`. */
export const NODE_BIN = process.env.AICF_NODE ?? path.join(TARGET, 'release/aicf-node');
/** The aicf operator tool: `$AICF_CLI`, else `$CARGO_TARGET_DIR/release/aicf`. */
export const CLI_BIN = process.env.AICF_CLI ?? path.join(TARGET, 'release/aicf');

/** Directory for this run's logs and base paths (`$AICF_TEST_DIR` or a new temp dir). */
export function workDir(name) {
  const root = process.env.AICF_TEST_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'aicf-test-'));
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

const live = new Set();

function killAllSync() {
  for (const p of live) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}
process.on('exit', killAllSync);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    killAllSync();
    process.exit(128 + (os.constants.signals[sig] ?? 0));
  });
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** `n` distinct free ports. */
export async function freePorts(n) {
  const ports = new Set();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Poll `fn` until it returns a truthy value; throws naming `what` after `timeout` ms. */
export async function waitFor(fn, { timeout = 60_000, interval = 500, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      if (e.fatal) throw e;
      last = e;
    }
    await sleep(interval);
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
}

/** One JSON-RPC call over HTTP; resolves `result`, rejects with an Error carrying `code`. */
export async function rpcCall(port, method, params = []) {
  const res = await fetch(`http://127.0.0.1:${port}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await res.json();
  if (body.error) {
    const e = new Error(`${method}: ${body.error.code} ${body.error.message}`);
    e.code = body.error.code;
    e.data = body.error.data;
    throw e;
  }
  return body.result;
}

/** Block number of the best (`finalized = false`) or finalized head of the node on `port`. */
export async function headNumber(port, finalized = false) {
  const hash = finalized ? await rpcCall(port, 'chain_getFinalizedHead') : undefined;
  const header = await rpcCall(port, 'chain_getHeader', hash ? [hash] : []);
  return parseInt(header.number, 16);
}

/** Hash of block `n` on the node's best chain (null if unknown). */
export async function blockHash(port, n) {
  return rpcCall(port, 'chain_getBlockHash', [n]);
}

/** Peer id of a hex node key (`aicf-node key inspect-node-key`). */
export function peerIdOf(nodeKeyHex, dir) {
  const file = path.join(dir, `node-key-${nodeKeyHex.slice(-8)}`);
  fs.writeFileSync(file, nodeKeyHex);
  return execFileSync(NODE_BIN, ['key', 'inspect-node-key', '--file', file]).toString().trim();
}

/** The fixed node key `0x…0n` (n = 1, 2, …) as 64 hex characters. */
export function nodeKey(n) {
  return n.toString(16).padStart(64, '0');
}

/**
 * One aicf-node process. `args` are passed as given, after `--rpc-port`, `--port`,
 * `--no-telemetry`, `--no-prometheus`; stdout and stderr go to `<dir>/<name>.log`
 * (appended across restarts).
 */
export class AicfNode {
  constructor(name, { dir, args, rpcPort, p2pPort }) {
    this.name = name;
    this.dir = dir;
    this.args = args;
    this.rpcPort = rpcPort;
    this.p2pPort = p2pPort;
    this.logFile = path.join(dir, `${name}.log`);
    this.proc = null;
    this.starts = 0;
  }

  get wsUrl() {
    return `ws://127.0.0.1:${this.rpcPort}`;
  }

  /** Spawn the process (does not wait for it). */
  start() {
    const log = fs.openSync(this.logFile, 'a');
    fs.writeSync(log, `\n===== start ${++this.starts}: ${NODE_BIN} ${this.args.join(' ')}\n`);
    const proc = spawn(
      NODE_BIN,
      [...this.args, '--rpc-port', String(this.rpcPort), '--port', String(this.p2pPort), '--no-telemetry', '--no-prometheus'],
      { stdio: ['ignore', log, log] },
    );
    fs.closeSync(log);
    live.add(proc);
    if (process.env.AICF_TEST_PIDS) fs.appendFileSync(process.env.AICF_TEST_PIDS, `${proc.pid}\n`);
    proc.exited = new Promise((resolve) => {
      proc.on('exit', (code, signal) => {
        live.delete(proc);
        resolve({ code, signal });
      });
    });
    this.proc = proc;
    return this;
  }

  /** Wait until its JSON-RPC answers and it has imported block `minBest` (default 1). */
  async ready({ timeout = 180_000, minBest = 1 } = {}) {
    await waitFor(
      async () => {
        if (this.proc.exitCode !== null || this.proc.signalCode !== null) {
          const e = new Error(`${this.name} exited (${this.proc.exitCode ?? this.proc.signalCode}); log ${this.logFile}:\n${this.tail(5)}`);
          e.fatal = true;
          throw e;
        }
        return (await headNumber(this.rpcPort)) >= minBest;
      },
      { timeout, what: `${this.name} to serve RPC and import block ${minBest}` },
    );
    return this;
  }

  /** `kill -9`: no shutdown, whatever it was doing. Resolves once the process is gone. */
  async kill9() {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill('SIGKILL');
    await this.proc.exited;
  }

  /** Graceful stop (SIGTERM), `kill -9` after 15 s. */
  async stop() {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 15_000);
    await this.proc.exited;
    clearTimeout(t);
  }

  /** The last `n` lines of its log, for failure messages. */
  tail(n = 30) {
    try {
      return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-n).join('\n');
    } catch {
      return '';
    }
  }
}

/** Start `aicf-node --dev` on free ports (state in `--tmp` unless `basePath` is given). */
export async function startDevNode(name, { dir = workDir(name), basePath, extra = [] } = {}) {
  const [rpcPort, p2pPort] = await freePorts(2);
  const args = ['--dev', ...(basePath ? ['--base-path', basePath] : ['--tmp']), '--no-mdns', ...extra];
  const node = new AicfNode(name, { dir, args, rpcPort, p2pPort }).start();
  await node.ready();
  return node;
}
