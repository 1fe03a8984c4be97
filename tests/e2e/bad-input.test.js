// Bad input from a polkadot-js client comes back as a specific, decoded error: a module error
// named and documented by the runtime metadata for dispatch failures, a named pool refusal for
// heartbeats (which never reach a block when invalid), a named client-side error for values
// beyond their SCALE bounds. A failed call changes nothing.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { checkBounds, explainPoolError, generalTransaction, FieldTooLong } from '@aicf/polkadot-js';
import { AICF, connect, devAccounts } from '../lib/api.js';
import { attestChallenge, devCcaToken, devQuantumCert, generateKey, heartbeatArgs, signHeartbeat, signRegister, workloadOf } from '../lib/aicf.js';
import { startDevNode, workDir } from '../lib/node.js';
import { findEvent, sendAll, sendSigned } from '../lib/tx.js';

const AI = { ai: { models: ['llama3-8b'], throughputMilliTps: 1000 }, quantum: null };

describe('bad input through polkadot-js', () => {
  const dir = workDir('e2e-bad-input');
  const acc = devAccounts();
  let node;
  let api;
  let genesis;
  let good; // a registered and staked provider (controller Charlie)
  let acceptedToken; // the CCA token `good`'s `ai` attestation was accepted on

  const registerTx = (key, pop, { alg = 'MlDsa65', bytes = key.public_key, region = 'us-west-2', endpoint = 'https://p.example', capabilities = AI } = {}) =>
    api.tx.aicfRegistry.register({ alg, bytes }, pop, capabilities, region, endpoint, 'ops@p.example');

  const send = (hex) => api._rpcCore.provider.send('author_submitExtrinsic', [hex]);
  const refusedAs = (kind, name) => (err) => {
    const why = explainPoolError(err);
    assert.deepEqual([why.kind, why.name], [kind, name], err.message);
    return true;
  };
  const assertModuleError = (res, name) => {
    assert.ok(res.error, `expected ${name}, the call succeeded`);
    assert.deepEqual([res.error.section, res.error.name], ['aicfRegistry', name]);
    assert.ok(res.error.docs.length > 10, `${name} has its documentation: "${res.error.docs}"`);
    findEvent(res, 'system', 'ExtrinsicFailed');
  };

  before(async () => {
    node = await startDevNode('dev-bad-input', { dir });
    api = await connect(node.wsUrl);
    genesis = api.genesisHash.toHex();
    good = generateKey(dir, 'good');
    const pop = signRegister(good, acc.charlie.address, genesis);
    const [r, s] = await sendAll(api, [
      [registerTx(good, pop.pop_signature), acc.charlie],
      [api.tx.aicfRegistry.stake(good.id, 100n * AICF), acc.charlie],
    ]);
    assert.equal(r.error, null, JSON.stringify(r.error));
    assert.equal(s.error, null, JSON.stringify(s.error));
  });

  after(async () => {
    if (api) await api.disconnect();
    if (node) await node.stop();
  });

  it('every registry call, event and error carries its documentation in the metadata', () => {
    const undocumented = [];
    for (const [name, tx] of Object.entries(api.tx.aicfRegistry)) {
      if (!tx.meta.docs.map(String).join('').trim()) undocumented.push(`call ${name}`);
    }
    for (const [name, ev] of Object.entries(api.events.aicfRegistry)) {
      if (!ev.meta.docs.map(String).join('').trim()) undocumented.push(`event ${name}`);
    }
    const errors = Object.entries(api.errors.aicfRegistry);
    assert.ok(errors.length >= 30, `${errors.length} errors`);
    for (const [name, err] of errors) {
      if (!err.meta.docs.map(String).join('').trim()) undocumented.push(`error ${name}`);
    }
    for (const [name, q] of Object.entries(api.query.aicfRegistry)) {
      if (!q.creator.meta.docs.map(String).join('').trim()) undocumented.push(`storage ${name}`);
    }
    assert.deepEqual(undocumented, []);

    // A raw module error (pallet index 10, error index 3) decodes to its name and doc line.
    const raw = api.createType('SpRuntimeModuleError', { index: 10, error: '0x03000000' });
    const meta = api.registry.findMetaError(raw);
    assert.deepEqual([meta.section, meta.name], ['aicfRegistry', 'BadProofOfPossession']);
    assert.equal(meta.docs.join(' '), 'The registration proof of possession does not verify.');
  });

  it('registrations with a wrong proof, a wrong key or bad metadata fail with module errors', async () => {
    const k = [1, 2, 3, 4, 5, 6].map((i) => generateKey(dir, `bad-${i}`));
    // No `alg`: polkadot-js encodes its default, codec index 0 — a module error, not a trap.
    const noAlg = api.tx.aicfRegistry.register({ bytes: k[5].public_key }, signRegister(k[5], acc.bob.address, genesis).pop_signature, AI, 'us-west-2', 'https://p.example', 'ops@p.example');
    assert.equal(noAlg.method.args[0].alg.index, 0, 'the default is index 0');
    const popFor = (key, who) => signRegister(key, who.address, genesis).pop_signature;
    // Alice's proof submitted by Bob: bound to the controller, so it does not verify.
    const stolen = popFor(k[0], acc.alice);
    // A proof with one byte changed.
    const good1 = popFor(k[1], acc.alice);
    const flipped = `${good1.slice(0, 100)}${((parseInt(good1.slice(100, 102), 16) ^ 1) >>> 0).toString(16).padStart(2, '0')}${good1.slice(102)}`;
    const before = (await api.query.aicfRegistry.providerCount()).toNumber();
    const results = await sendAll(api, [
      [registerTx(k[0], stolen), acc.bob],
      [registerTx(k[1], flipped), acc.alice],
      // An ML-DSA-65 key declared as SLH-DSA-SHA2-128s: the length does not match.
      [registerTx(k[2], popFor(k[2], acc.dave), { alg: 'SlhDsaSha2_128s' }), acc.dave],
      [registerTx(k[3], popFor(k[3], acc.eve), { region: 'US West' }), acc.eve],
      [registerTx(k[4], popFor(k[4], acc.ferdie), { endpoint: 'http://plain.example' }), acc.ferdie],
      // The already registered key again.
      [registerTx(good, signRegister(good, acc.alice.address, genesis).pop_signature), acc.alice],
      [registerTx(k[4], popFor(k[4], acc.ferdie), { capabilities: { ai: null, quantum: null } }), acc.ferdie],
      [noAlg, acc.bob],
    ]);
    const names = ['BadProofOfPossession', 'BadProofOfPossession', 'InvalidPublicKey', 'InvalidRegion', 'InvalidEndpoint', 'KeyAlreadyRegistered', 'InvalidCapabilities', 'UnsupportedKeyAlgorithm'];
    results.forEach((res, i) => assertModuleError(res, names[i]));
    assert.equal((await api.query.aicfRegistry.providerCount()).toNumber(), before, 'nothing registered');
    for (const key of k) assert.ok((await api.query.aicfRegistry.providers(key.id)).isNone);
  });

  it('an oversize field is named by the client-side bounds check and refused by the node', async () => {
    const key = generateKey(dir, 'oversize');
    const pop = signRegister(key, acc.alice.address, genesis).pop_signature;
    const region = 'r'.repeat(33);
    assert.throws(
      () => checkBounds({ key: { bytes: key.public_key }, popSignature: pop, capabilities: AI, region, endpoint: 'https://p.example', contact: 'x' }),
      (e) => e instanceof FieldTooLong && e.field === 'region' && e.length === 33 && e.max === 32,
    );
    assert.throws(
      () => checkBounds({ capabilities: { ai: { models: ['m'.repeat(33)] } } }),
      (e) => e instanceof FieldTooLong && e.field === 'capabilities.ai.models[0]',
    );
    // Without the check, polkadot-js encodes it (the metadata has no bound) and the node cannot
    // decode it: refused before the pool, never in a block.
    const tx = await registerTx(key, pop, { region }).signAsync(acc.alice, { nonce: -1 });
    await assert.rejects(send(tx.toHex()), refusedAs('undecodable', 'CannotDecode'));
    // The bound itself is fine.
    checkBounds({ region: 'r'.repeat(32) });
    assert.ok((await api.query.aicfRegistry.providers(key.id)).isNone);
  });

  it('stake and unstake misuse fail with module errors', async () => {
    const results = await sendAll(api, [
      [api.tx.aicfRegistry.stake(good.id, AICF), acc.bob],
      [api.tx.aicfRegistry.stake(good.id, 0), acc.charlie],
      [api.tx.aicfRegistry.stake(good.id, 10n ** 9n * AICF), acc.charlie],
      [api.tx.aicfRegistry.unstake(good.id, 101n * AICF), acc.charlie],
      [api.tx.aicfRegistry.rebond(good.id), acc.charlie],
      [api.tx.aicfRegistry.stake('0x000000000000000000000000', AICF), acc.charlie],
    ]);
    const names = ['NotController', 'ZeroAmount', 'InsufficientBalance', 'InsufficientBonded', 'NothingToRebond', 'UnknownProvider'];
    results.forEach((res, i) => assertModuleError(res, names[i]));
    const ledger = (await api.query.aicfRegistry.ledgers(good.id)).unwrap();
    assert.equal(ledger.bonded.toBigInt(), 100n * AICF, 'ledger unchanged');
  });

  it('bad heartbeats are refused by the pool with a named reason, general or bare', async () => {
    const now = Math.floor((await api.query.timestamp.now()).toNumber() / 1000);
    const other = generateKey(dir, 'other');
    const cases = [
      // Signed by another key than the provider's.
      ['BadProof', (() => {
        const s = signHeartbeat(other, genesis, { counter: 1, timestamp: now });
        return heartbeatArgs(api, s, good.id);
      })()],
      // A provider that does not exist.
      ['UnknownProvider', heartbeatArgs(api, signHeartbeat(other, genesis, { counter: 1, timestamp: now }), other.id)],
      // Ten minutes off chain time (the window is 5).
      ['TimestampOutOfWindow', heartbeatArgs(api, signHeartbeat(good, genesis, { counter: 1, timestamp: now - 600 }), good.id)],
      // More active leases than capacity.
      ['MalformedReport', heartbeatArgs(api, signHeartbeat(good, genesis, {
        counter: 1, timestamp: now, metrics: { rtt_ms_p50: 1, availability: 1, leases_active: 9, leases_capacity: 8 },
      }), good.id)],
      // An attestation hash the provider does not have.
      ['AttestationMismatch', heartbeatArgs(api, signHeartbeat(good, genesis, { counter: 1, timestamp: now, attestHash: `0x${'ab'.repeat(32)}` }), good.id)],
    ];
    for (const [name, call] of cases) {
      await assert.rejects(send(generalTransaction(api, call)), refusedAs('invalid', name), `general: ${name}`);
      await assert.rejects(send(call.toHex()), refusedAs('invalid', name), `bare: ${name}`);
    }
    // A heartbeat signed over another chain's genesis hash does not verify here.
    const foreign = signHeartbeat(good, `0x${'11'.repeat(32)}`, { counter: 1, timestamp: now });
    await assert.rejects(send(heartbeatArgs(api, foreign, good.id).toHex()), refusedAs('invalid', 'BadProof'));
    const record = (await api.query.aicfRegistry.providers(good.id)).unwrap();
    assert.ok(record.lastHeartbeat.isNone, 'no heartbeat was accepted');
  });

  it('garbage or misbound attestation evidence fails with decoded attestation-pallet errors', async (t) => {
    if (!api.tx.aicfAttestation) {
      t.skip('SKIPPED (not passed): the runtime has no aicfAttestation pallet');
      return;
    }
    // Real development-platform evidence, but bound to another provider.
    const challenge = attestChallenge(node.wsUrl, good);
    const other = generateKey(dir, 'cert-owner');
    const foreign = devCcaToken(other, attestChallenge(node.wsUrl, other));
    const block = challenge.challenge_block;
    const submit = (kind, evidence, at = block) => api.tx.aicfAttestation.submitAttestation(good.id, kind, at, evidence);
    const results = await sendAll(api, [
      [submit('Quantum', `0x${'de'.repeat(64)}`), acc.charlie],
      [submit('SgxDcap', `0x${'00'.repeat(48)}`), acc.charlie],
      [submit('Cca', foreign.der), acc.charlie],
      [submit('Cca', devCcaToken(good, challenge).der), acc.bob],
      [submit('Cca', devCcaToken(good, challenge).der, block + 1_000), acc.charlie],
    ]);
    // A DCAP quote that is not one may fail parsing or name an unsupported header.
    const names = [['MalformedEvidence'], ['MalformedEvidence', 'UnsupportedEvidence'], ['ReportDataMismatch'], ['NotController'], ['ChallengeNotPast']];
    results.forEach((res, i) => {
      assert.ok(res.error, `case ${i}: expected ${names[i]}, the call succeeded`);
      assert.equal(res.error.section, 'aicfAttestation', `case ${i}: ${JSON.stringify(res.error)}`);
      assert.ok(names[i].includes(res.error.name), `case ${i}: ${res.error.name}, expected ${names[i]}`);
      assert.ok(res.error.docs.length > 10, `${res.error.name} is documented`);
    });
    const record = (await api.query.aicfRegistry.providers(good.id)).unwrap();
    assert.ok(record.attestations.ai.isNone && record.attestations.quantum.isNone, 'no attestation recorded');
  });

  it('a realm whose image governance has not pinned is refused; the rule `aicf attest workload` prints admits it', async () => {
    const original = (await api.query.aicfAttestation.networkPolicy()).toJSON();
    assert.equal(original.anyWorkload, true, 'the development preset admits any workload');
    const setPolicy = async (policy) => {
      const res = await sendSigned(api, api.tx.sudo.sudo(api.tx.aicfAttestation.setPolicy(policy)), acc.alice);
      assert.equal(findEvent(res, 'sudo', 'Sudid').data.sudoResult.isOk, true, JSON.stringify(policy));
    };
    const token = devCcaToken(good, attestChallenge(node.wsUrl, good));
    const { kind, workload, rule } = workloadOf('cca', token.file);
    assert.equal(kind, 'Cca');
    assert.equal(workload.rim, `0x${'42'.repeat(48)}`);
    // Pinned: the same image with another REM2 (what another initrd measures to).
    const other = { Cca: { ...rule.Cca, rem: rule.Cca.rem.map((m, i) => (i === 2 ? `0x${'77'.repeat(48)}` : m)) } };
    await setPolicy({ ...original, anyWorkload: false, workloads: [other] });
    const stored = (await api.query.aicfAttestation.networkPolicy()).toJSON();
    assert.deepEqual(stored.workloads, [{ cca: { ...other.Cca } }], 'the rule round-trips through SCALE');
    const submit = () => sendSigned(api, api.tx.aicfAttestation.submitAttestation(good.id, 'Cca', token.challenge_block, token.der), acc.charlie);
    const refused = await submit();
    assert.deepEqual([refused.error?.section, refused.error?.name], ['aicfAttestation', 'MeasurementNotAllowed']);
    let record = (await api.query.aicfRegistry.providers(good.id)).unwrap();
    assert.ok(record.attestations.ai.isNone, 'nothing recorded');
    // Pinned as printed: the same evidence is accepted.
    await setPolicy({ ...original, anyWorkload: false, workloads: [other, rule] });
    const accepted = await submit();
    assert.equal(accepted.error, null, JSON.stringify(accepted.error));
    record = (await api.query.aicfRegistry.providers(good.id)).unwrap();
    assert.equal(record.attestations.ai.unwrap().evidenceHash.toHex(), token.evidence_hash);
    await setPolicy(original);
    acceptedToken = token;
  });

  it('recheck verifies stored evidence again: other bytes are refused, valid evidence costs its fee, a removed root revokes it', async () => {
    assert.ok(acceptedToken, 'the previous case recorded an attestation');
    const recheck = (evidence) => sendSigned(api, api.tx.aicfAttestation.recheck(good.id, 'Ai', evidence), acc.bob);
    const mismatch = await recheck(`${acceptedToken.der}00`);
    assert.deepEqual([mismatch.error?.section, mismatch.error?.name], ['aicfAttestation', 'EvidenceMismatch']);
    const still = await recheck(acceptedToken.der);
    assert.deepEqual([still.error?.section, still.error?.name], ['aicfAttestation', 'StillValid']);
    findEvent(still, 'transactionPayment', 'TransactionFeePaid');
    assert.ok((await api.query.aicfRegistry.providers(good.id)).unwrap().attestations.ai.isSome, 'still attested');
    // Governance unpins the development platform's P-384 anchor the token was verified under.
    const sudo = async (call) => {
      const res = await sendSigned(api, api.tx.sudo.sudo(call), acc.alice);
      assert.equal(findEvent(res, 'sudo', 'Sudid').data.sudoResult.isOk, true);
    };
    const anchor = readFileSync(new URL('../../pallets/attestation/dev/cca-anchor-p384.der', import.meta.url));
    const hash = `0x${createHash('sha256').update(anchor).digest('hex')}`;
    await sudo(api.tx.aicfAttestation.removeRoot('ArmCcaPlatform', hash));
    try {
      const revoked = await recheck(acceptedToken.der);
      assert.equal(revoked.error, null, JSON.stringify(revoked.error));
      const failed = findEvent(revoked, 'aicfAttestation', 'RecheckFailed').data;
      const why = api.registry.findMetaError(failed.error.asModule);
      // The other development anchors (P-256, P-521) stay pinned: none is this platform's.
      assert.deepEqual([why.section, why.name], ['aicfAttestation', 'UntrustedChain']);
      assert.equal(findEvent(revoked, 'aicfAttestation', 'AttestationRevoked').data.reason.toString(), 'RecheckFailed');
      assert.ok((await api.query.aicfRegistry.providers(good.id)).unwrap().attestations.ai.isNone, 'revoked');
      const gone = await recheck(acceptedToken.der);
      assert.deepEqual([gone.error?.section, gone.error?.name], ['aicfAttestation', 'NoAttestation']);
    } finally {
      await sudo(api.tx.aicfAttestation.addRoot('ArmCcaPlatform', `0x${anchor.toString('hex')}`));
    }
  });

  it('AMD CRLs: bytes that are not one, a list no pinned ARK issued, and a stale list are refused; a current one is stored', async () => {
    const dev = (f) => readFileSync(new URL(`../../pallets/attestation/dev/${f}`, import.meta.url));
    const list = `0x${dev('amd-crl-seed.der').toString('hex')}`;
    const upload = (crl) => sendSigned(api, api.tx.aicfAttestation.uploadAmdCrl(crl), acc.dave);
    const garbage = await upload(`0x${'30'.repeat(40)}`);
    assert.deepEqual([garbage.error?.section, garbage.error?.name], ['aicfAttestation', 'MalformedEvidence']);
    // Issued by the development ARK, which the development chain does not pin (AMD's ARKs are).
    const stranger = await upload(list);
    assert.deepEqual([stranger.error?.section, stranger.error?.name], ['aicfAttestation', 'UntrustedChain']);
    const res = await sendSigned(api, api.tx.sudo.sudo(api.tx.aicfAttestation.addRoot('AmdArk', `0x${dev('amd-dev-ark.der').toString('hex')}`)), acc.alice);
    assert.equal(findEvent(res, 'sudo', 'Sudid').data.sudoResult.isOk, true);
    const stored = await upload(list);
    assert.equal(stored.error, null, JSON.stringify(stored.error));
    const ev = findEvent(stored, 'aicfAttestation', 'AmdCrlStored').data;
    assert.equal(ev.revoked.toNumber(), 3);
    assert.equal(ev.nextUpdate.toBigInt(), 2_398_377_600n);
    assert.ok((await api.query.aicfAttestation.amdCrls(ev.issuer)).isSome);
    const again = await upload(list);
    assert.deepEqual([again.error?.section, again.error?.name], ['aicfAttestation', 'CrlNotNewer']);
  });
});
