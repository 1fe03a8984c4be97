// Leases on a live node at the `dev-fast` preset (1-second blocks, 60-block SLA windows),
// through the jobs pallet and polkadot-js, as a matcher's users see them: a lease requested,
// completed, credited (aicf_getBalance shows the pending payout) and claimed (then it does
// not); a provider that abandons leases is not slashed per abandonment but once, when its SLA
// window closes over the threshold — by the node's own on_idle sweep.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AICF, connect, devAccounts, stepper } from '../lib/api.js';
import { attestChallenge, devQuantumCert, generateKey, heartbeatArgs, signHeartbeat, signRegister } from '../lib/aicf.js';
import { sleep, startDevNode, waitFor, workDir } from '../lib/node.js';
import { findEvent, sendRaw, sendSigned } from '../lib/tx.js';

describe('jobs on dev-fast: lease → credit → claim; abandonment slashed when its window closes', () => {
  const dir = workDir('e2e-jobs');
  const { alice, bob, charlie } = devAccounts();
  let node;
  let api;
  let genesis;
  let beating = true;
  let beats = Promise.resolve();
  const providers = {};
  const step = stepper(it);

  before(async () => {
    node = await startDevNode('jobs', { dir, extra: ['--chain', 'dev-fast'] });
    api = await connect(node.wsUrl);
    genesis = api.genesisHash.toHex();
  });

  after(async () => {
    beating = false;
    await beats.catch(() => {});
    if (api) await api.disconnect();
    if (node) await node.stop();
  });

  const head = async () => (await api.rpc.chain.getHeader()).number.toNumber();
  const view = async (p) => (await api.rpc.aicf.getProvider({ provider_id: p.key.provider_id })).toJSON();
  const balance = async (p) => (await api.rpc.aicf.getBalance({ provider_id: p.key.provider_id })).toJSON();

  async function heartbeat(p) {
    p.counter += 1;
    const now = (await api.query.timestamp.now()).toNumber();
    const hb = signHeartbeat(p.key, genesis, {
      counter: p.counter,
      timestamp: Math.floor(now / 1000),
      attestHash: p.attestHash,
      metrics: { rtt_ms_p50: 30, availability: 0.999, leases_active: 0, leases_capacity: 8 },
    });
    const res = await sendRaw(api, heartbeatArgs(api, hb, p.key.id).toHex());
    assert.equal(res.error, null, JSON.stringify(res.error));
  }

  // Each provider heartbeats every ~5 blocks in the background, so it stays ACTIVE; a failure
  // is recorded (and checked at the end), never thrown from the loop.
  const beatErrors = [];
  function keepAlive() {
    beats = (async () => {
      while (beating) {
        for (const [name, p] of Object.entries(providers)) {
          if (!beating) break;
          try {
            await heartbeat(p);
          } catch (e) {
            beatErrors.push(`${name}: ${e.message}`);
          }
        }
        await sleep(4_000);
      }
    })();
  }

  const request = (family) =>
    api.tx.aicfJobs.requestLease(
      { capability: { Quantum: { trapFamily: family, minDepth: 1, minWidth: 1 } }, regions: [], minHealth: 900_000, minStake: 0, maxRttMs: null },
      5n * AICF,
      200,
    );

  step('two quantum providers ACTIVE: a worker (clifford) and a quitter (surface)', async () => {
    const minStake = api.consts.aicfRegistry.minStakeQuantum.toBigInt();
    for (const [name, who, family] of [['worker', alice, 'clifford'], ['quitter', bob, 'surface']]) {
      const key = generateKey(dir, name);
      const pop = signRegister(key, who.address, genesis);
      const reg = await sendSigned(
        api,
        api.tx.aicfRegistry.register(
          { alg: 'MlDsa65', bytes: key.public_key },
          pop.pop_signature,
          { ai: null, quantum: { trapFamilies: [family], maxDepth: 64, maxWidth: 20, shotsPerSec: 100 } },
          'eu-central-1',
          `https://${name}.provider.example`,
          `ops@${name}.example`,
        ),
        who,
      );
      assert.equal(reg.error, null, JSON.stringify(reg.error));
      const staked = await sendSigned(api, api.tx.aicfRegistry.stake(key.id, minStake), who);
      assert.equal(staked.error, null, JSON.stringify(staked.error));
      const cert = devQuantumCert(key, attestChallenge(node.wsUrl, key), [family]);
      const att = await sendSigned(api, api.tx.aicfAttestation.submitAttestation(key.id, 'Quantum', cert.challenge_block, cert.der), who);
      assert.equal(att.error, null, JSON.stringify(att.error));
      providers[name] = { key, who, attestHash: cert.evidence_hash, counter: 0, stake: minStake };
      await heartbeat(providers[name]);
      assert.equal((await view(providers[name])).status, 'ACTIVE');
    }
    keepAlive();
  });

  step('a lease is requested, completed, credited (getBalance shows it) and claimed (then not)', async () => {
    const w = providers.worker;
    const granted = await sendSigned(api, request('clifford'), charlie);
    assert.equal(granted.error, null, JSON.stringify(granted.error));
    const granted_ = findEvent(granted, 'aicfJobs', 'LeaseGranted').data;
    assert.equal(granted_.provider.toHex(), w.key.id);
    const lease = { lease: granted_.lease.toNumber() };
    assert.equal((await view(w)).quotas.in_use, 1);

    // Only the provider's controller can settle it.
    const stranger = await sendSigned(api, api.tx.aicfJobs.complete(lease.lease, `0x${'11'.repeat(32)}`), charlie);
    assert.equal(stranger.error?.name, 'NotProviderController');

    const done = await sendSigned(api, api.tx.aicfJobs.complete(lease.lease, `0x${'11'.repeat(32)}`), w.who);
    assert.equal(done.error, null, JSON.stringify(done.error));
    const completed = { epoch: findEvent(done, 'aicfJobs', 'LeaseCompleted').data.epoch.toNumber() };
    findEvent(done, 'aicfRegistry', 'PayoutCredited');
    assert.equal((await view(w)).quotas.in_use, 0);
    const pending = (await balance(w)).pending_payouts;
    assert.deepEqual(pending, [{ epoch: completed.epoch, amount: (5n * AICF).toString() }]);

    const before = (await api.query.system.account(w.who.address)).data.free.toBigInt();
    const claim = await sendSigned(api, api.tx.sudo.sudo(api.tx.aicfRegistry.claimPayout(w.key.id, completed.epoch)), alice);
    assert.equal(claim.error, null, JSON.stringify(claim.error));
    findEvent(claim, 'aicfRegistry', 'PayoutClaimed');
    assert.deepEqual((await balance(w)).pending_payouts, []);
    const after_ = (await api.query.system.account(w.who.address)).data.free.toBigInt();
    // Alice paid the sudo fee from the same account: she gained the payout less a fee.
    assert.ok(after_ > before + 5n * AICF - AICF / 10n, `${before} → ${after_}`);
  });

  step('three abandoned leases: no slash at each, one when the SLA window closes', async () => {
    const q = providers.quitter;
    const window = api.consts.aicfRegistry.sla.toJSON().windowBlocks;
    assert.equal(window, 60);
    // Start early in a window, so the three land in the same one.
    await waitFor(async () => (await head()) % window < 20 && (await head()) % window > 1, {
      timeout: 90_000,
      interval: 300,
      what: 'the start of an SLA window',
    });
    const start = await head();
    const windowIndex = Math.floor(start / window);
    const bondedBefore = (await balance(q)).bonded;
    for (let i = 0; i < 3; i += 1) {
      const granted = await sendSigned(api, request('surface'), charlie);
      assert.equal(granted.error, null, JSON.stringify(granted.error));
      const ev = findEvent(granted, 'aicfJobs', 'LeaseGranted').data;
      assert.equal(ev.provider.toHex(), q.key.id);
      const lease = ev.lease.toNumber();
      const gone = await sendSigned(api, api.tx.aicfJobs.abandon(lease), q.who);
      assert.equal(gone.error, null, JSON.stringify(gone.error));
      findEvent(gone, 'aicfJobs', 'LeaseAbandoned');
      assert.ok(!gone.events.some((e) => e.method === 'Slashed'), 'no slash per abandonment');
    }
    assert.equal((await balance(q)).bonded, bondedBefore);
    assert.equal((await view(q)).status, 'ACTIVE');
    assert.ok((await head()) < (windowIndex + 1) * window, 'all three inside the window');

    // The node's sweep closes the window in the first blocks of the next one.
    const end = (windowIndex + 1) * window;
    let found = null;
    await waitFor(async () => (await head()) >= end + 3, { timeout: 120_000, interval: 500, what: `block ${end + 3}` });
    for (let n = end; n <= end + 3 && !found; n += 1) {
      const at = await api.at(await api.rpc.chain.getBlockHash(n));
      const events = (await at.query.system.events()).map(({ event }) => event);
      const closed = events.find((e) => api.events.aicfRegistry.SlaWindowClosed.is(e) && e.data.provider.toHex() === q.key.id);
      if (closed) found = { n, closed: closed.data, events };
    }
    assert.ok(found, 'SlaWindowClosed in the first blocks of the next window');
    assert.equal(found.closed.window.toNumber(), windowIndex);
    assert.equal(found.closed.abandoned.toNumber(), 3);
    assert.equal(found.closed.severity.unwrap().toNumber(), 3);
    const slashed = found.events.find((e) => api.events.aicfRegistry.Slashed.is(e) && e.data.provider.toHex() === q.key.id);
    assert.ok(slashed, 'slashed in the same block');
    // 0.5 % × severity 3 of the stake.
    assert.equal(slashed.data.amount.toBigInt(), (q.stake * 15n) / 1000n);
    assert.equal(BigInt((await balance(q)).bonded), q.stake - (q.stake * 15n) / 1000n);
    assert.equal((await view(q)).status, 'JAILED');
    // The worker, which completed its lease, was not touched, and its heartbeats all landed.
    assert.equal((await view(providers.worker)).status, 'ACTIVE');
    assert.deepEqual(beatErrors.filter((e) => e.startsWith('worker')), []);
  });
});
