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
 * A signed heartbeat in spec §10.2's shape: `{ provider_id, counter, attest_hash,
 * metrics: {rtt_ms_p50, availability}, load: {leases_active, leases_capacity}, timestamp,
 * signature }`. `metrics` (optional) is written to a file for `--metrics-file`.
 */
export function signHeartbeat(key, genesis, { counter, timestamp, attestHash, metrics } = {}) {
  const args = ['sign', 'heartbeat', '--key', key.file, '--genesis', genesis, '--counter', String(counter)];
  if (timestamp !== undefined) args.push('--timestamp', String(timestamp));
  if (attestHash) args.push('--attest-hash', attestHash);
  // The provider id (it stays the first key's after a rotation).
  if (key.provider_id) args.push('--provider', key.provider_id);
  if (metrics) {
    const mfile = `${key.file}.metrics-${counter}.json`;
    fs.writeFileSync(mfile, JSON.stringify(metrics));
    args.push('--metrics-file', mfile);
  }
  return aicf(args);
}

/** The `heartbeat` call arguments polkadot-js expects, from `signHeartbeat`'s output. */
export function heartbeatArgs(api, signed, id) {
  return api.tx.aicfRegistry.heartbeat(
    {
      provider: id,
      counter: signed.counter,
      timestamp: signed.timestamp,
      attestHash: signed.attest_hash,
      report: {
        rttMsP50: signed.metrics.rtt_ms_p50,
        // A fraction with at most four decimals: exact in basis points.
        availabilityBps: Math.round(signed.metrics.availability * 10000),
        leasesActive: signed.load.leases_active,
        leasesCapacity: signed.load.leases_capacity,
      },
    },
    signed.signature,
  );
}

/**
 * The challenge fresh evidence for `key`'s provider binds now (`aicf attest challenge` against
 * the node at `url`): `{ challenge_block, challenge_hash, key_hash, binding, submit_by_block }`.
 */
export function attestChallenge(url, key) {
  return aicf(['--url', url, 'attest', 'challenge', '--provider', key.provider_id, '--key', key.file]);
}

/**
 * An identity certificate for `key`'s provider from the development quantum facility (pinned
 * only on development chains), bound to `challenge` (from `attestChallenge`):
 * `{ file, der (0x hex), evidence_hash, not_after, challenge_block }`.
 */
export function devQuantumCert(key, challenge, traps = ['clifford']) {
  const file = `${key.file}.cert.der`;
  fs.rmSync(file, { force: true });
  const out = aicf(['attest', 'dev-quantum-cert', '--provider', key.provider_id, '--binding', challenge.binding, '--traps', traps.join(','), '--out', file]);
  return { ...out, file, der: `0x${fs.readFileSync(file).toString('hex')}`, challenge_block: challenge.challenge_block };
}

/**
 * A token from the development Arm CCA platform (pinned only on development chains): a realm
 * bound to `challenge`, the TEE evidence of an `ai` provider, its platform token signed with
 * `alg` (es256, es384 or es512): `{ file, der (0x hex), evidence_hash, challenge_block }`.
 */
export function devCcaToken(key, challenge, alg = 'es384') {
  const file = `${key.file}.cca.cbor`;
  fs.rmSync(file, { force: true });
  const out = aicf(['attest', 'dev-cca-token', '--provider', key.provider_id, '--binding', challenge.binding, '--alg', alg, '--out', file]);
  return { ...out, file, der: `0x${fs.readFileSync(file).toString('hex')}`, challenge_block: challenge.challenge_block };
}

/**
 * `aicf attest workload`: the workload registers of an evidence file (read, not verified) and
 * the rule admitting exactly that image, in the shape `setPolicy` takes: `{ kind, workload, rule }`.
 */
export function workloadOf(kind, file) {
  return aicf(['attest', 'workload', '--kind', kind, '--evidence', file]);
}

/**
 * `aicf provider rotate-key` against the node at `url`, signed by the controller `suri`:
 * the transaction's JSON.
 */
export function rotateKey(url, suri, key, newKey) {
  return aicf(['--url', url, '--suri', suri, '--json', 'provider', 'rotate-key', '--provider', key.provider_id, '--key', key.file, '--new-key', newKey.file]);
}

/**
 * `aicf provider heartbeat` against the node at `url`: one signed heartbeat of `key`'s
 * provider committing to a liveness chain of `length` proofs (its secret in `stateDir`);
 * the transaction's JSON.
 */
export function heartbeatWithChain(url, key, stateDir, length, metricsFile) {
  return aicf(['--url', url, '--json', 'provider', 'heartbeat', '--provider', key.provider_id, '--key', key.file,
    '--state-dir', stateDir, '--liveness-chain', String(length), '--metrics-file', metricsFile]);
}

/**
 * `aicf provider prove` against the node at `url`: the provider's next liveness proof from the
 * secret in `stateDir`. Resolves the transaction's JSON; throws with `.status` (the exit code)
 * and `.stderr` when refused.
 */
export function proveLiveness(url, providerId, stateDir) {
  return aicf(['--url', url, '--json', 'provider', 'prove', '--provider', providerId, '--state-dir', stateDir]);
}
