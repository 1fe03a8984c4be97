// Liveness on a live node at the `dev-fast` preset (`aicf-node --dev --chain dev-fast`: 1-second
// blocks, a heartbeat every 10 blocks, a grace of 5): a provider that heartbeats every interval
// with jitter stays ACTIVE for 30 intervals, and one that goes silent is ineligible after its
// first missed deadline and jailed by the node's own `on_idle` sweep on schedule — the rules of
// docs/pallet-registry.md, watched block by block.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AICF, connect, devAccounts, stepper } from '../lib/api.js';
import { attestChallenge, devQuantumCert, generateKey, heartbeatArgs, heartbeatWithChain, proveLiveness, rotateKey, signHeartbeat, signRegister } from '../lib/aicf.js';
import { explainPoolError, submitRaw } from '@aicf/polkadot-js';
import fs from 'node:fs';
import path from 'node:path';
import { sleep, startDevNode, waitFor, workDir } from '../lib/node.js';
import { findEvent, sendRaw, sendSigned } from '../lib/tx.js';

const INTERVALS = 30;

describe('dev-fast: 30 punctual intervals ACTIVE, a silent provider jailed on schedule', () => {
  const dir = workDir('e2e-dev-fast');
  const { alice, bob } = devAccounts();
  let node;
  let api;
  let genesis;
  let interval;
  let grace;
  let maxMissed;
  const providers = {};
  const step = stepper(it);

  before(async () => {
    // Archive state: the silent provider's schedule is checked at past blocks at the end.
    node = await startDevNode('dev-fast', { dir, extra: ['--chain', 'dev-fast', '--state-pruning', 'archive'] });
    api = await connect(node.wsUrl);
    genesis = api.genesisHash.toHex();
  });

  after(async () => {
    if (api) await api.disconnect();
    if (node) await node.stop();
  });

  const head = async () => (await api.rpc.chain.getHeader()).number.toNumber();
  // The provider's view at the best block, or at block hash `at`.
  const view = async (key, at) => {
    const query = { provider_id: key.provider_id };
    return (await (at === undefined ? api.rpc.aicf.getProvider(query) : api.rpc.aicf.getProvider(query, at))).toJSON();
  };
  const hashAt = async (n) => (await api.rpc.chain.getBlockHash(n)).toHex();

  async function heartbeat(key, counter, attestHash) {
    const now = (await api.query.timestamp.now()).toNumber();
    const hb = signHeartbeat(key, genesis, {
      counter,
      timestamp: Math.floor(now / 1000),
      attestHash,
      metrics: { rtt_ms_p50: 35, availability: 0.995, leases_active: 1, leases_capacity: 8 },
    });
    const res = await sendRaw(api, heartbeatArgs(api, hb, key.id).toHex());
    assert.equal(res.error, null, JSON.stringify(res.error));
    findEvent(res, 'aicfRegistry', 'HeartbeatReceived');
    return res.blockNumber;
  }

  step('the chain runs the dev-fast parameters: 1 s blocks, 10-block interval', async () => {
    assert.equal(api.consts.aura.slotDuration.toNumber(), 1000);
    interval = api.consts.aicfRegistry.heartbeatInterval.toNumber();
    grace = api.consts.aicfRegistry.heartbeatGrace.toNumber();
    maxMissed = api.consts.aicfRegistry.maxMissedHeartbeats.toNumber();
    assert.deepEqual([interval, grace, maxMissed], [10, 5, 3]);
    // The values live in pallet-parameters' storage, written at genesis.
    const stored = await api.query.parameters.parameters.entries();
    assert.equal(stored.length, 2, 'the registry and consensus parameters');
    // Blocks come once a slot of 1 000 ms, on the chain's own clock (each block's timestamp
    // inherent; its Aura slot is the timestamp divided by the slot duration), whatever the
    // machine's load: consecutive blocks are in later slots, and at least one in the next.
    const n0 = await head();
    await waitFor(async () => (await head()) >= n0 + 3, { timeout: 30_000, what: 'three blocks' });
    const slots = [];
    for (let n = n0; n <= n0 + 3; n += 1) {
      slots.push(Math.floor((await api.query.timestamp.now.at(await hashAt(n))).toNumber() / 1000));
    }
    const steps = slots.slice(1).map((t, i) => t - slots[i]);
    assert.ok(steps.every((k) => k >= 1) && steps.includes(1), `slot steps ${steps}`);
  });

  step('two quantum providers registered, staked, attested, then ACTIVE after one heartbeat each', async () => {
    const minStake = api.consts.aicfRegistry.minStakeQuantum.toBigInt();
    for (const [name, who] of [['punctual', alice], ['silent', bob]]) {
      const key = generateKey(dir, name);
      const pop = signRegister(key, who.address, genesis);
      const reg = await sendSigned(
        api,
        api.tx.aicfRegistry.register(
          { alg: 'MlDsa65', bytes: key.public_key },
          pop.pop_signature,
          { ai: null, quantum: { trapFamilies: ['clifford'], maxDepth: 64, maxWidth: 20, shotsPerSec: 100 } },
          'eu-central-1',
          `https://${name}.provider.example`,
          `ops@${name}.example`,
        ),
        who,
      );
      assert.equal(reg.error, null, JSON.stringify(reg.error));
      const staked = await sendSigned(api, api.tx.aicfRegistry.stake(key.id, minStake + 10n * AICF), who);
      assert.equal(staked.error, null, JSON.stringify(staked.error));
      const challenge = attestChallenge(node.wsUrl, key);
      if (name === 'punctual') {
        // A certificate that does not certify the declared `clifford`: refused by name.
        const partial = devQuantumCert(key, challenge, ['t-depth']);
        const refused = await sendSigned(api, api.tx.aicfAttestation.submitAttestation(key.id, 'Quantum', partial.challenge_block, partial.der), who);
        assert.deepEqual([refused.error?.section, refused.error?.name], ['aicfRegistry', 'TrapFamilyNotCertified']);
        assert.ok((await api.query.aicfRegistry.providers(key.id)).unwrap().attestations.quantum.isNone);
      }
      const cert = devQuantumCert(key, challenge);
      const att = await sendSigned(api, api.tx.aicfAttestation.submitAttestation(key.id, 'Quantum', cert.challenge_block, cert.der), who);
      assert.equal(att.error, null, JSON.stringify(att.error));
      providers[name] = { key, who, cert, attestHash: cert.evidence_hash, counter: 1 };
    }
    // Both first heartbeats back to back, so the punctual schedule starts with the silent one.
    for (const p of Object.values(providers)) {
      p.last = await heartbeat(p.key, 1, p.attestHash);
      p.beats = [p.last];
      const v = await view(p.key);
      assert.equal(v.status, 'ACTIVE');
      p.score = v.health.score;
    }
  });

  step(`the punctual one heartbeats ${INTERVALS} intervals with ±20 % jitter and is ACTIVE at every one; the silent one is jailed on schedule`, async () => {
    const p = providers.punctual;
    const s = providers.silent;
    // The silent provider's schedule (docs/pallet-registry.md): on time up to last + interval
    // + grace; ineligible from the first missed deadline; jailed once its decayed health is
    // below the threshold or more than `maxMissed` deadlines are missed, whichever comes first
    // (here health: 0.995 · 0.7937³ < 0.60 at the third) — on_idle sweeps it in that block.
    const decay = api.consts.aicfRegistry.healthDecayPerInterval.toNumber() / 1e6;
    const threshold = api.consts.aicfRegistry.healthThreshold.toNumber() / 1e6;
    let k = 1;
    while (k <= maxMissed && s.score * decay ** k >= threshold) k += 1;
    const lastOnTime = s.last + interval + grace;
    const jailFrom = s.last + k * interval + grace + 1;
    let seed = 7;
    const jitter = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed % 5) - 2; // −2..+2 blocks: ±20 % of 10
    };
    let lowest = 1;
    let silentJailedAt = null;
    for (let k = 1; k <= INTERVALS; k += 1) {
      const due = p.last + interval + jitter();
      await waitFor(async () => (await head()) >= due - 1, { timeout: 60_000, interval: 200, what: `block ${due - 1}` });
      p.counter += 1;
      p.last = await heartbeat(p.key, p.counter, p.attestHash);
      p.beats.push(p.last);
      const v = await view(p.key);
      assert.equal(v.status, 'ACTIVE', `interval ${k}: ${JSON.stringify(v)}`);
      assert.equal(v.stored_status, undefined);
      lowest = Math.min(lowest, v.health.score);
      if (silentJailedAt === null) {
        const record = (await api.query.aicfRegistry.providers(s.key.id)).unwrap();
        if (record.status.type === 'Jailed') silentJailedAt = await jailedBlock(s.key.id, s.last + 1);
      }
    }
    // Every gap between the punctual provider's heartbeats was inside interval + grace.
    const gaps = p.beats.slice(1).map((b, i) => b - p.beats[i]);
    assert.ok(Math.max(...gaps) <= interval + grace, `gaps ${gaps}`);
    assert.ok(lowest >= 0.95, `lowest health ${lowest}`);
    // Never stored anything but ACTIVE since its first heartbeat.
    const record = (await api.query.aicfRegistry.providers(p.key.id)).unwrap();
    assert.equal(record.status.type, 'Active');
    assert.equal(record.heartbeat.counter.toNumber(), INTERVALS + 1);

    // The silent one, at the blocks of its schedule.
    assert.equal((await view(s.key, await hashAt(lastOnTime))).status, 'ACTIVE', 'on time up to interval + grace');
    const late = await view(s.key, await hashAt(lastOnTime + 1));
    assert.notEqual(late.status, 'ACTIVE', 'ineligible after its first missed deadline');
    assert.equal(late.stored_status, 'ACTIVE', 'stored ACTIVE until something touches it');
    assert.equal((await view(s.key, await hashAt(jailFrom - 1))).stored_status, 'ACTIVE', 'not jailed before its schedule');
    assert.ok(silentJailedAt !== null, 'the silent provider was jailed');
    assert.equal(silentJailedAt, jailFrom, `jailed at block ${silentJailedAt}, schedule ${jailFrom}`);
  });

  step('evidence older than the challenge window is refused: the setup certificate again, ChallengeTooOld', async () => {
    const p = providers.punctual;
    // Keep the punctual provider punctual while this step runs.
    p.counter += 1;
    p.last = await heartbeat(p.key, p.counter, p.attestHash);
    const window = api.consts.aicfAttestation.challengeWindow.toNumber();
    assert.equal(window, 6 * interval, 'six heartbeat intervals');
    assert.ok((await head()) > p.cert.challenge_block + window, 'the setup challenge has left the window');
    const before = (await api.query.aicfRegistry.providers(p.key.id)).unwrap().attestations.quantum.unwrap();
    const res = await sendSigned(api, api.tx.aicfAttestation.submitAttestation(p.key.id, 'Quantum', p.cert.challenge_block, p.cert.der), p.who);
    assert.ok(res.error, 'stale evidence was accepted');
    assert.deepEqual([res.error.section, res.error.name], ['aicfAttestation', 'ChallengeTooOld']);
    const after = (await api.query.aicfRegistry.providers(p.key.id)).unwrap().attestations.quantum.unwrap();
    assert.equal(after.version.toNumber(), before.version.toNumber(), 'nothing recorded');
  });

  step('a key rotation drops eligibility until evidence bound to the new key is accepted', async () => {
    const p = providers.punctual;
    p.counter += 1;
    p.last = await heartbeat(p.key, p.counter, p.attestHash);
    const newKey = generateKey(dir, 'punctual-rotated');
    const rotated = { ...newKey, provider_id: p.key.provider_id, id: p.key.id };
    // Evidence bound to the new key is refused before the rotation (the chain binds the current key).
    const early = devQuantumCert(rotated, attestChallenge(node.wsUrl, rotated));
    const refused = await sendSigned(api, api.tx.aicfAttestation.submitAttestation(p.key.id, 'Quantum', early.challenge_block, early.der), p.who);
    assert.deepEqual([refused.error?.section, refused.error?.name], ['aicfAttestation', 'ReportDataMismatch']);

    const out = rotateKey(node.wsUrl, '//Alice', p.key, newKey);
    assert.ok(JSON.stringify(out).includes('KeyRotated'), JSON.stringify(out));
    let record = (await api.query.aicfRegistry.providers(p.key.id)).unwrap();
    assert.equal(record.status.type, 'Registered');
    assert.ok(record.attestations.quantum.isNone, 'the rotation dropped the attestation');
    assert.equal((await view(p.key)).status, 'REGISTERED');

    const cert = devQuantumCert(rotated, attestChallenge(node.wsUrl, rotated));
    const att = await sendSigned(api, api.tx.aicfAttestation.submitAttestation(p.key.id, 'Quantum', cert.challenge_block, cert.der), p.who);
    assert.equal(att.error, null, JSON.stringify(att.error));
    // Heartbeats start again from counter 1 under the new key, naming the new attestation.
    await heartbeat(rotated, 1, cert.evidence_hash);
    record = (await api.query.aicfRegistry.providers(p.key.id)).unwrap();
    assert.equal(record.status.type, 'Active');
    const v = await view(p.key);
    assert.equal(v.attest.hash, cert.evidence_hash);
    assert.equal(v.attest.capability, 'quantum');
    assert.deepEqual(v.attest.trap_families, ['clifford']);
    p.key = rotated;
    p.counter = 1;
    p.attestHash = cert.evidence_hash;
  });

  step('liveness proofs alone keep it ACTIVE between signed heartbeats; forged and replayed preimages are refused by name', async () => {
    const p = providers.punctual;
    assert.equal(api.consts.aicfRegistry.maxLivenessChain.toNumber(), 23);
    // A chain of 3 (a client may commit any length up to the runtime's 23).
    const chainLen = 3;
    const stateDir = path.join(dir, 'liveness-state');
    const metrics = path.join(dir, 'liveness-metrics.json');
    fs.writeFileSync(metrics, JSON.stringify({ rtt_ms_p50: 35, availability: 0.995, leases_active: 1, leases_capacity: 8 }));
    // The signed heartbeat commits to a chain whose seed comes from the secret in stateDir.
    const h0 = await head();
    await waitFor(async () => (await head()) >= h0 + 2, { what: 'the minimum interval after the last heartbeat' });
    const sent = heartbeatWithChain(node.wsUrl, p.key, stateDir, chainLen, metrics);
    assert.equal(sent.liveness_chain, chainLen);
    const committedAt = sent.block_number;
    const counter = (await api.query.aicfRegistry.providers(p.key.id)).unwrap().heartbeat.counter.toNumber();
    const onChain = async () => (await api.query.aicfRegistry.livenessChains(p.key.id)).unwrap();
    assert.equal((await onChain()).remaining.toNumber(), chainLen);
    assert.ok(fs.existsSync(stateDir), 'the secret is kept in the state directory');

    let last = committedAt;
    const proofBlocks = [];
    for (let i = 1; i <= chainLen; i += 1) {
      // Each proof near the end of its interval: without it the provider would lapse.
      await waitFor(async () => (await head()) >= last + interval - 1, { timeout: 60_000, interval: 200, what: `block ${last + interval - 1}` });
      if (i === 2) {
        // A replayed preimage (the one revealed last, now the anchor) and a forged one: the
        // pool refuses both, named by the registry's rejection codes.
        const anchor = (await onChain()).anchor.toHex();
        for (const [preimage, name] of [[anchor, 'ProofReplayed'], [`0x${'ab'.repeat(32)}`, 'ProofMismatch']]) {
          const hex = api.tx.aicfRegistry.proveLiveness([{ provider: p.key.id, preimage }]).toHex();
          await assert.rejects(submitRaw(api, hex), (err) => {
            assert.equal(explainPoolError(err).name, name, JSON.stringify(err));
            return true;
          });
        }
      }
      const out = proveLiveness(node.wsUrl, p.key.provider_id, stateDir);
      assert.equal(out.remaining, chainLen - i);
      last = out.block_number;
      proofBlocks.push(last);
      const at = await api.at(await hashAt(last));
      const names = (await at.query.system.events()).map(({ event }) => `${event.section}.${event.method}`);
      assert.ok(names.includes('aicfRegistry.LivenessProven'), names.join(', '));
      assert.ok(!names.includes('aicfRegistry.HeartbeatReceived'), 'no signed heartbeat in between');
    }
    // The chain is used up: the tool says so (exit 4); the signed heartbeat that is due
    // commits the next chain, in time.
    await waitFor(async () => (await head()) >= last + interval - 1, { timeout: 60_000, interval: 200, what: `block ${last + interval - 1}` });
    assert.throws(() => proveLiveness(node.wsUrl, p.key.provider_id, stateDir), (err) => {
      assert.equal(err.status, 4, err.stderr?.toString());
      assert.match(err.stderr.toString(), /used up/);
      return true;
    });
    const record = (await api.query.aicfRegistry.providers(p.key.id)).unwrap();
    assert.equal(record.heartbeat.counter.toNumber(), counter, 'no signed heartbeat between');
    assert.equal(record.lastHeartbeat.unwrap().toNumber(), committedAt);
    const again = heartbeatWithChain(node.wsUrl, p.key, stateDir, chainLen, metrics);
    assert.ok(again.block_number <= last + interval + grace, `in time: ${again.block_number}`);
    assert.equal((await onChain()).remaining.toNumber(), chainLen, 'a new chain');
    // ACTIVE at every block from the commitment to the next signed heartbeat, kept so by
    // the proofs alone.
    for (let n = committedAt; n <= again.block_number; n += 1) {
      assert.equal((await view(p.key, await hashAt(n))).status, 'ACTIVE', `block ${n} (proofs at ${proofBlocks})`);
    }
    assert.ok(again.block_number - committedAt > interval + grace, 'longer than one heartbeat covers');
  });

  // The block in [from, head] whose events jail `id` (on_idle: phase Finalization).
  async function jailedBlock(id, from) {
    for (let n = from; n <= (await head()); n += 1) {
      const at = await api.at(await hashAt(n));
      const events = await at.query.system.events();
      const jailed = events.find(({ event }) => api.events.aicfRegistry.Jailed.is(event) && event.data[0].toHex() === id);
      if (jailed) return n;
      await sleep(0);
    }
    return null;
  }
});
