// Four validators (the `local` spec with Dave added as an Aura and GRANDPA authority): GRANDPA
// needs more than 2/3 of the voters, i.e. 3 of 4, so with one validator killed the other three
// keep finalizing. The killed one, restarted on its base path, catches up and agrees.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, devAccounts } from '../lib/api.js';
import { assertSameFinalized, finalized, localSpecWith, networkReady, validators } from '../lib/network.js';
import { headNumber, waitFor, workDir } from '../lib/node.js';
import { sendSigned } from '../lib/tx.js';

describe('four validators: one down, the other three keep finalizing', () => {
  const dir = workDir('net-four');
  const { alice, eve } = devAccounts();
  let nodes;
  let api;

  before(async () => {
    const spec = localSpecWith(['Dave'], dir);
    nodes = await validators(['alice', 'bob', 'charlie', 'dave'], spec, dir);
    nodes.forEach((n) => n.start());
    await networkReady(nodes);
    api = await connect(nodes[0].wsUrl);
    const grandpa = await api.call.grandpaApi.grandpaAuthorities();
    assert.equal(grandpa.length, 4, 'four GRANDPA voters');
  });

  after(async () => {
    if (api) await api.disconnect().catch(() => {});
    await Promise.all((nodes ?? []).map((n) => n.stop()));
  });

  it('kill -9 Dave: a transfer sent to Alice is finalized by the other three', async () => {
    const dave = nodes[3];
    await dave.kill9();
    const finBefore = (await finalized(nodes[0])).number;
    const res = await sendSigned(api, api.tx.balances.transferKeepAlive(eve.address, 4_242n), alice, { finalized: true });
    assert.equal(res.error, null);
    assert.ok(res.blockNumber > finBefore);
    for (const n of nodes.slice(0, 3)) {
      await waitFor(async () => (await finalized(n)).number >= res.blockNumber + 2, { timeout: 90_000, what: `${n.name} to finalize #${res.blockNumber + 2}` });
    }
    await assertSameFinalized(nodes.slice(0, 3), assert, [res.blockNumber]);
  });

  it('Dave restarted on its base path catches up and agrees on the finalized chain', async () => {
    const dave = nodes[3];
    dave.start();
    await dave.ready({ timeout: 90_000 });
    const target = (await finalized(nodes[0])).number;
    await waitFor(async () => (await finalized(dave)).number >= target, { timeout: 120_000, what: `Dave to finalize #${target}` });
    await assertSameFinalized(nodes, assert, [target]);
    assert.ok((await headNumber(dave.rpcPort)) >= target);
  });
});
