// Validator networks on loopback: chain specs, fixed node keys, bootnodes, free ports, and the
// chain facts (heads, hashes, peers) the tests compare across nodes.

import { Keyring } from '@polkadot/api';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AicfNode, NODE_BIN, blockHash, freePorts, headNumber, nodeKey, peerIdOf, rpcCall, waitFor } from './node.js';

/**
 * The `local` chain (Alice, Bob, Charlie) as a raw chain spec, with the dev keys of `extra`
 * (e.g. ['Dave']) added as Aura and GRANDPA authorities. Raw: the genesis storage is built once
 * here instead of by every node at start (seconds of CPU each). Without `extra` it is the
 * `local` preset's genesis unchanged.
 */
export function localSpecWith(extra, dir) {
  const opts = { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 };
  const spec = JSON.parse(execFileSync(NODE_BIN, ['build-spec', '--chain', 'local'], opts).toString());
  const patch = spec.genesis.runtimeGenesis.patch;
  const sr = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const ed = new Keyring({ type: 'ed25519', ss58Format: 42 });
  for (const name of extra) {
    patch.aura.authorities.push(sr.addFromUri(`//${name}`).address);
    patch.grandpa.authorities.push([ed.addFromUri(`//${name}`).address, 1]);
  }
  if (extra.length) spec.id = `local_${extra.join('_').toLowerCase()}`;
  const plain = path.join(dir, `${spec.id}.plain.json`);
  fs.writeFileSync(plain, JSON.stringify(spec));
  const raw = path.join(dir, `${spec.id}.raw.json`);
  fs.writeFileSync(raw, execFileSync(NODE_BIN, ['build-spec', '--chain', plain, '--raw'], opts));
  return raw;
}

/**
 * Validators `names` (dev key names: 'alice', 'bob', …) of `chain`, each with its own base path
 * under `dir`, fixed node key i+1, and every other one as bootnode. Not started.
 */
export async function validators(names, chain, dir) {
  const ports = await freePorts(names.length * 2);
  const peers = names.map((_, i) => peerIdOf(nodeKey(i + 1), dir));
  return names.map((name, i) => {
    const bootnodes = names
      .map((_, j) => `/ip4/127.0.0.1/tcp/${ports[2 * j + 1]}/p2p/${peers[j]}`)
      .filter((_, j) => j !== i);
    const args = [
      '--chain', chain, `--${name}`, '--base-path', path.join(dir, name), '--node-key', nodeKey(i + 1),
      '--bootnodes', ...bootnodes, '--no-mdns', '--allow-private-ip',
    ];
    return new AicfNode(name, { dir, args, rpcPort: ports[2 * i], p2pPort: ports[2 * i + 1] });
  });
}

/** Wait until every node sees `peers` peers and has finalized block `minFinalized`. */
export async function networkReady(nodes, { peers = nodes.length - 1, minFinalized = 1, timeout = 180_000 } = {}) {
  await Promise.all(nodes.map((n) => n.ready({ timeout })));
  await waitFor(
    async () => {
      for (const n of nodes) {
        const health = await rpcCall(n.rpcPort, 'system_health');
        if (health.peers < peers) return false;
        if ((await headNumber(n.rpcPort, true)) < minFinalized) return false;
      }
      return true;
    },
    { timeout, what: `${nodes.length} nodes with ${peers} peers each and block ${minFinalized} finalized` },
  );
}

/** Finalized number and hash of a node. */
export async function finalized(node) {
  const hash = await rpcCall(node.rpcPort, 'chain_getFinalizedHead');
  const header = await rpcCall(node.rpcPort, 'chain_getHeader', [hash]);
  return { number: parseInt(header.number, 16), hash };
}

/**
 * Every node agrees on the finalized chain up to the lowest finalized height among them: the
 * same hash at that height and at `alsoAt` heights. Returns that height.
 */
export async function assertSameFinalized(nodes, assert, alsoAt = []) {
  const fins = await Promise.all(nodes.map(finalized));
  const h = Math.min(...fins.map((f) => f.number));
  for (const height of [h, ...alsoAt]) {
    const hashes = await Promise.all(nodes.map((n) => blockHash(n.rpcPort, height)));
    assert.ok(hashes[0], `block ${height} known`);
    assert.deepEqual(hashes, nodes.map(() => hashes[0]), `same hash at height ${height} on ${nodes.map((n) => n.name)}`);
  }
  return h;
}
