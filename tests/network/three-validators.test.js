// `--chain local`: Alice, Bob and Charlie validate on loopback. A registration sent to one is
// finalized and visible on the others; a validator killed with SIGKILL and restarted on its
// base path catches up and agrees on the finalized chain.
//
// GRANDPA finalizes with more than 2/3 of the voters: with three, all three are needed, so
// while one is down the other two keep producing blocks (Aura) but finality waits, and it
// resumes when the third is back. (tests/network/four-validators.test.js shows finality
// continuing with one of four down.)

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateKey, signRegister } from '../lib/aicf.js';
import { connect, devAccounts } from '../lib/api.js';
import { assertSameFinalized, finalized, localSpecWith, networkReady, validators } from '../lib/network.js';
import { headNumber, waitFor, workDir } from '../lib/node.js';
import { findEvent, sendSigned } from '../lib/tx.js';

describe('three validators on loopback (--chain local)', () => {
  const dir = workDir('net-three');
  const { alice, bob, dave } = devAccounts();
  let nodes;
  const apis = new Map();
  let key;
  let regBlock;

  before(async () => {
    // `--chain local`, as a raw spec so that the genesis state is built once, not per node.
    nodes = await validators(['alice', 'bob', 'charlie'], localSpecWith([], dir), dir);
    nodes.forEach((n) => n.start());
    await networkReady(nodes);
    for (const n of nodes) apis.set(n.name, await connect(n.wsUrl));
  });

  after(async () => {
    for (const api of apis.values()) await api.disconnect().catch(() => {});
    await Promise.all((nodes ?? []).map((n) => n.stop()));
  });

  it('a registration sent to Bob is finalized and the same on Alice and Charlie', async () => {
    const api = apis.get('bob');
    key = generateKey(dir, 'net-provider');
    const pop = signRegister(key, alice.address, api.genesisHash.toHex());
    const tx = api.tx.aicfRegistry.register(
      { alg: 'MlDsa65', bytes: key.public_key },
      pop.pop_signature,
      { ai: { models: ['llama3-8b'], throughputMilliTps: 1000 }, quantum: null },
      'eu-west-1',
      'https://net.provider.example',
      'ops@net.example',
    );
    const res = await sendSigned(api, tx, alice, { finalized: true });
    assert.equal(res.error, null);
    regBlock = res.blockNumber;
    findEvent(res, 'aicfRegistry', 'Registered');

    for (const n of nodes) {
      await waitFor(async () => (await finalized(n)).number >= regBlock, { timeout: 60_000, what: `${n.name} to finalize #${regBlock}` });
      const other = apis.get(n.name);
      const at = await other.at(res.blockHash);
      const record = (await at.query.aicfRegistry.providers(key.id)).unwrap();
      assert.equal(record.controller.toString(), alice.address, n.name);
      assert.equal(record.region.toUtf8(), 'eu-west-1');
      const view = await other._rpcCore.provider.send('aicf_getProvider', [{ provider_id: key.provider_id }, res.blockHash]);
      assert.equal(view.status, 'REGISTERED');
      assert.equal(view.provider_id, key.provider_id);
    }
    await assertSameFinalized(nodes, assert, [regBlock]);
  });

  it('kill -9 Charlie: Alice and Bob keep producing blocks; finality waits for the third voter', async () => {
    const charlie = nodes[2];
    const alicePort = nodes[0].rpcPort;
    await apis.get('charlie').disconnect();
    apis.delete('charlie');
    // Charlie may have voted on everything up to its best block; nothing after it can be final.
    const charlieBest = await headNumber(charlie.rpcPort);
    await charlie.kill9();
    const bestBefore = await headNumber(alicePort);
    // A transfer while Charlie is down gets into a block.
    const api = apis.get('alice');
    const res = await sendSigned(api, api.tx.balances.transferKeepAlive(dave.address, 12_345n), bob);
    assert.equal(res.error, null);
    await waitFor(async () => (await headNumber(alicePort)) >= bestBefore + 3, { timeout: 90_000, what: 'three more blocks without Charlie' });
    const finAfter = (await finalized(nodes[0])).number;
    // A round already under way when Charlie died may still complete, up to what Charlie had.
    assert.ok(finAfter <= Math.max(charlieBest, bestBefore), `finality reached #${finAfter}, past #${charlieBest} with 2 of 3 voters`);
    assert.ok(finAfter < res.blockNumber, 'the transfer is not finalized yet');
    assert.equal((await headNumber(nodes[1].rpcPort)) >= bestBefore + 2, true, 'Bob follows');
  });

  it('Charlie restarted on its base path catches up; finality resumes and all agree', async () => {
    const charlie = nodes[2];
    charlie.start();
    await charlie.ready({ timeout: 90_000 });
    const target = await headNumber(nodes[0].rpcPort);
    await waitFor(async () => (await headNumber(charlie.rpcPort)) >= target, { timeout: 90_000, what: `Charlie to import #${target}` });
    // Finality passes the blocks made while Charlie was down, on all three.
    for (const n of nodes) {
      await waitFor(async () => (await finalized(n)).number >= target, { timeout: 120_000, what: `${n.name} to finalize #${target}` });
    }
    const h = await assertSameFinalized(nodes, assert, [regBlock]);
    assert.ok(h >= target);
    // Charlie kept what it had before the crash and has the transfer made without it.
    const api = await connect(charlie.wsUrl);
    apis.set('charlie', api);
    const fin = await api.rpc.chain.getFinalizedHead();
    const at = await api.at(fin);
    assert.ok((await at.query.aicfRegistry.providers(key.id)).isSome);
    const daveFree = (await at.query.system.account(dave.address)).data.free.toBigInt();
    const onAlice = (await (await apis.get('alice').at(fin)).query.system.account(dave.address)).data.free.toBigInt();
    assert.equal(daveFree, onAlice);
    assert.ok(daveFree >= 1_000_000n * 10n ** 12n + 12_345n, `Dave has the transfer: ${daveFree}`);
  });
});
