// The `aicf` operator tool, spawned as a user would run it: registry keys and ML-DSA-65
// signatures over the canonical CBOR payloads (docs/payloads.md).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI_BIN } from './node.js';

function aicf(args) {
  return JSON.parse(execFileSync(CLI_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString());
}

/** Generate a registry key in `dir/<name>.pem`; `{ file, alg, provider_id, public_key, id }` (id: 0x hex). */
export function generateKey(dir, name, alg = 'ml-dsa-65') {
  const file = path.join(dir, `${name}.pem`);
  fs.rmSync(file, { force: true });
  const out = aicf(['key', 'generate', '--alg', alg, '--out', file]);
  return { ...out, file, id: `0x${out.provider_id.slice('provider:'.length)}` };
}

/** Proof of possession for `register`: `{ payload, pop_signature, public_key, provider_id, … }`. */
export function signRegister(key, controller, genesis) {
  return aicf(['sign', 'register', '--key', key.file, '--controller', controller, '--genesis', genesis]);
}

/**
 * Heartbeat signature: `{ heartbeat: {provider, counter, timestamp, attest_hash, report}, signature }`.
 * `metrics` (optional) is written to a file for `--metrics-file`.
 */
export function signHeartbeat(key, genesis, { counter, timestamp, attestHash, metrics } = {}) {
  const args = ['sign', 'heartbeat', '--key', key.file, '--genesis', genesis, '--counter', String(counter)];
  if (timestamp !== undefined) args.push('--timestamp', String(timestamp));
  if (attestHash) args.push('--attest-hash', attestHash);
  if (metrics) {
    const mfile = `${key.file}.metrics-${counter}.json`;
    fs.writeFileSync(mfile, JSON.stringify(metrics));
    args.push('--metrics-file', mfile);
  }
  return aicf(args);
}

/** The `heartbeat` call arguments polkadot-js expects, from `signHeartbeat`'s output. */
export function heartbeatArgs(api, signed, id) {
  const h = signed.heartbeat;
  return api.tx.aicfRegistry.heartbeat(
    {
      provider: id,
      counter: h.counter,
      timestamp: h.timestamp,
      attestHash: h.attest_hash,
      report: {
        rttMsP50: h.report.rtt_ms_p50,
        availabilityBps: h.report.availability_bps,
        leasesActive: h.report.leases_active,
        leasesCapacity: h.report.leases_capacity,
      },
    },
    signed.signature,
  );
}

/**
 * An identity certificate for `key`'s provider from the development quantum facility (pinned
 * only on development chains): `{ file, der (0x hex), evidence_hash, not_after }`.
 */
export function devQuantumCert(key, traps = ['clifford']) {
  const file = `${key.file}.cert.der`;
  fs.rmSync(file, { force: true });
  const out = aicf(['attest', 'dev-quantum-cert', '--provider', key.provider_id, '--traps', traps.join(','), '--out', file]);
  return { ...out, file, der: `0x${fs.readFileSync(file).toString('hex')}` };
}
