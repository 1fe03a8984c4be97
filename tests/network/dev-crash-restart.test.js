// `kill -9` the dev node while it imports blocks and takes transactions, then restart it on the
// same `--base-path`: ParityDB comes back with everything that was finalized (same hash at the
// finalized height), the chain goes on from there, and finalized transfers are still applied.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { connect, devAccounts } from '../lib/api.js';
import { finalized } from '../lib/network.js';
import { AicfNode, blockHash, freePorts, sleep, waitFor, workDir } from '../lib/node.js';
import { sendSigned } from '../lib/tx.js';

describe('dev node killed with SIGKILL while importing, restarted on its base path', () => {
  const dir = workDir('net-dev-crash');
  const basePath = path.join(dir, 'base');
  const { alice, bob, ferdie } = devAccounts();
  let node;
  let api;

  after(async () => {
    if (api) await api.disconnect().catch(() => {});
    if (node) await node.stop();
  });

  it('loses no finalized block and continues the same chain', async () => {
    const [rpcPort, p2pPort] = await freePorts(2);
    node = new AicfNode('dev-crash', { dir, args: ['--dev', '--base-path', basePath, '--no-mdns'], rpcPort, p2pPort }).start();
    await node.ready();
    api = await connect(node.wsUrl);

    // A finalized transfer: its effect must survive the crash.
    const sent = await sendSigned(api, api.tx.balances.transferKeepAlive(ferdie.address, 777_000n), alice, { finalized: true });
    assert.equal(sent.error, null);
    const ferdieAfterTransfer = (await (await api.at(sent.blockHash)).query.system.account(ferdie.address)).data.free.toBigInt();
    // More transactions in flight while the node imports its next blocks.
    for (let i = 0; i < 5; i++) {
      api.tx.system.remark(`0x${i.toString(16).padStart(2, '0')}`).signAndSend(bob, { nonce: -1 }).catch(() => {});
      await sleep(50);
    }
    // Kill right after a block import, while it finalizes and takes transactions.
    const logSize = fs.statSync(node.logFile).size;
    await waitFor(() => /Imported #\d+/.test(fs.readFileSync(node.logFile, 'utf8').slice(logSize)), {
      interval: 20,
      timeout: 30_000,
      what: 'the next block import',
    });
    const before = await finalized(node);
    await api.disconnect();
    api = null;
    await node.kill9();
    assert.equal(node.proc.signalCode, 'SIGKILL');
    assert.ok(before.number >= sent.blockNumber, `finalized #${before.number} includes the transfer at #${sent.blockNumber}`);

    node.start();
    await node.ready({ minBest: before.number });
    const afterRestart = await finalized(node);
    assert.ok(afterRestart.number >= before.number, `finalized head #${afterRestart.number} after restart, #${before.number} before`);
    assert.equal(await blockHash(rpcPort, before.number), before.hash, 'same block at the finalized height');

    // The chain goes on: new blocks on top, finalized.
    await waitFor(async () => (await finalized(node)).number >= before.number + 2, {
      timeout: 60_000,
      what: `finality past #${before.number + 2}`,
    });
    assert.equal(await blockHash(rpcPort, before.number), before.hash);
    api = await connect(node.wsUrl);
    const now = (await api.query.system.account(ferdie.address)).data.free.toBigInt();
    assert.ok(now >= ferdieAfterTransfer, `Ferdie still has the finalized transfer: ${now}`);
    assert.ok((await api.rpc.chain.getBlockHash(sent.blockNumber)).eq(sent.blockHash), 'the transfer block is still on chain');
  });
});
