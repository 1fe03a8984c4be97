// `aicf provider run`, the daemon an operator leaves running, against a `dev-fast` node (1-second
// blocks, a heartbeat every 10, a grace of 5): it keeps a provider ACTIVE with signed heartbeats
// committing liveness chains and the chains' proofs between them, across a restart of the node
// and a restart of the daemon, never reuses a counter or a proof, re-attests before the
// attestation lapses, names a malformed metrics field without sending, serves its Prometheus
// metrics and stops cleanly on SIGTERM (docs/operator-guide.md, "The daemon").

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AICF, connect, devAccounts, stepper } from '../lib/api.js';
import { attestChallenge, devQuantumCert, generateKey, signRegister } from '../lib/aicf.js';
import { CLI_BIN, freePort, sleep, startDevNode, waitFor, workDir } from '../lib/node.js';
import { sendSigned } from '../lib/tx.js';

describe('aicf provider run: ACTIVE across node and daemon restarts, re-attested before expiry', () => {
  const dir = workDir('e2e-daemon');
  const { alice } = devAccounts();
  let node;
  let api;
  let key;
  let daemon;
  let metricsPort;
  let validity;
  let setupAttestedAt;
  const metricsFile = path.join(dir, 'metrics.json');
  const stateDir = path.join(dir, 'state');
  const statuses = []; // [block, status] seen by the watcher once the first heartbeat is in
  let watching = false;
  const logs = []; // every daemon log line, parsed, across restarts
  const step = stepper(it);

  const goodMetrics = { metrics: { rtt_ms_p50: 42, availability: 0.995 }, load: { leases_active: 1, leases_capacity: 8 } };

  before(async () => {
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.rmSync(path.join(dir, 'chain'), { recursive: true, force: true });
    node = await startDevNode('daemon', { dir, basePath: path.join(dir, 'chain'), extra: ['--chain', 'dev-fast'] });
    api = await connect(node.wsUrl);
  });

  after(async () => {
    watching = false;
    if (daemon && daemon.exitCode === null) daemon.kill('SIGKILL');
    if (api) await api.disconnect();
    if (node) await node.stop();
  });

  const record = async () => (await api.query.aicfRegistry.providers(key.id)).unwrap();
  const counter = async () => (await record()).heartbeat.counter.toNumber();
  const view = async () => (await api.rpc.aicf.getProvider({ provider_id: key.provider_id })).toJSON();

  // `signer`: 'key' (the daemon holds the registry key) or 'command' (an `aicf sign heartbeat`
  // run per heartbeat, as on a machine that keeps the key offline).
  function startDaemon(signer = 'key') {
    const signWith =
      signer === 'key'
        ? ['--key', key.file]
        : ['--sign-command', `'${CLI_BIN}' sign heartbeat --key '${key.file}' --genesis "$AICF_GENESIS" --provider "$AICF_PROVIDER" --counter "$AICF_COUNTER" --timestamp "$AICF_TIMESTAMP" --attest-hash "$AICF_ATTEST_HASH" --metrics-file -`];
    const args = [
      '--url', node.wsUrl, 'provider', 'run', '--provider', key.provider_id, ...signWith,
      '--metrics-file', metricsFile, '--state-dir', stateDir,
      // Chains of two proofs: a signed heartbeat every third interval, proofs between.
      '--liveness-chain', '2',
      '--evidence-kind', 'quantum',
      '--evidence-command', `'${CLI_BIN}' attest dev-quantum-cert --provider "$AICF_PROVIDER" --binding "$AICF_BINDING" --out "$AICF_EVIDENCE_OUT"`,
      // Re-attest 25 blocks after each attestation: several times while the test runs.
      '--reattest-before', String(validity - 25),
      '--prometheus-listen', `127.0.0.1:${metricsPort}`,
    ];
    const proc = spawn(CLI_BIN, args, { env: { ...process.env, AICF_SURI: '//Alice' }, stdio: ['ignore', 'ignore', 'pipe'] });
    const errLog = fs.createWriteStream(path.join(dir, 'aicf-daemon.log'), { flags: 'a' });
    let buf = '';
    proc.stderr.on('data', (chunk) => {
      errLog.write(chunk);
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop();
      for (const l of lines) {
        try {
          logs.push(JSON.parse(l));
        } catch {
          logs.push({ event: 'unparsed', line: l });
        }
      }
    });
    proc.exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    return proc;
  }
  const events = (name) => logs.filter((l) => l.event === name);
  // Every liveness event the daemon had included (signed heartbeats and proofs), in order.
  const liveness = () => logs.filter((l) => l.event === 'heartbeat_included' || l.event === 'proof_included');

  // Records the provider's status (as the chain sees it at the best block) every 500 ms.
  async function watch() {
    while (watching) {
      try {
        const v = await view();
        const n = (await api.rpc.chain.getHeader()).number.toNumber();
        statuses.push([n, v.status]);
      } catch {
        // The node is down: nothing to see.
      }
      await sleep(500);
    }
  }

  step('a quantum provider registered, staked and attested; the daemon sends its first heartbeat', async () => {
    const genesis = api.genesisHash.toHex();
    key = generateKey(dir, 'daemon');
    const pop = signRegister(key, alice.address, genesis);
    const reg = await sendSigned(
      api,
      api.tx.aicfRegistry.register(
        { alg: 'MlDsa65', bytes: key.public_key },
        pop.pop_signature,
        { ai: null, quantum: { trapFamilies: ['clifford'], maxDepth: 64, maxWidth: 20, shotsPerSec: 100 } },
        'eu-central-1',
        'https://daemon.provider.example',
        'ops@daemon.example',
      ),
      alice,
    );
    assert.equal(reg.error, null, JSON.stringify(reg.error));
    const minStake = api.consts.aicfRegistry.minStakeQuantum.toBigInt();
    const staked = await sendSigned(api, api.tx.aicfRegistry.stake(key.id, minStake + 10n * AICF), alice);
    assert.equal(staked.error, null, JSON.stringify(staked.error));
    const cert = devQuantumCert(key, attestChallenge(node.wsUrl, key));
    const att = await sendSigned(api, api.tx.aicfAttestation.submitAttestation(key.id, 'Quantum', cert.challenge_block, cert.der), alice);
    assert.equal(att.error, null, JSON.stringify(att.error));
    const attest = (await view()).attest;
    validity = attest.expires_height - attest.updated_height;
    setupAttestedAt = attest.updated_height;
    assert.ok(validity > 60, `validity ${validity}`);

    fs.writeFileSync(metricsFile, JSON.stringify(goodMetrics));
    metricsPort = await freePort();
    daemon = startDaemon();
    await waitFor(async () => (await counter()) >= 1, { timeout: 30_000, what: 'the first heartbeat' });
    assert.equal((await view()).status, 'ACTIVE');
    watching = true;
    watch();
  });

  step('it keeps liveness on the chain schedule, signed heartbeats committing chains and proofs between, and re-attests before expiry', async () => {
    await waitFor(async () => liveness().length >= 5, { timeout: 90_000, what: 'five heartbeats or proofs' });
    const beats = liveness();
    // A signed heartbeat, two proofs of its chain, the next signed heartbeat, …
    const kinds = beats.map((b) => (b.event === 'proof_included' ? 'p' : 'h')).join('');
    assert.match(kinds, /^hpphp/, kinds);
    assert.deepEqual(events('proof_included').slice(0, 2).map((b) => b.remaining), [1, 0]);
    const interval = api.consts.aicfRegistry.heartbeatInterval.toNumber();
    const grace = api.consts.aicfRegistry.heartbeatGrace.toNumber();
    // Read from the chain: the governance parameters dev-fast writes at genesis.
    assert.deepEqual(
      (({ interval: i, grace: g, source }) => [i, g, source])(events('schedule')[0]),
      [interval, grace, 'governance'],
    );
    const gaps = beats.slice(1).map((b, i) => b.block - beats[i].block);
    // Early by a jitter of at most the grace, never late.
    assert.ok(gaps.every((g) => g >= interval - grace - 1 && g <= interval + 1), `gaps ${gaps}`);
    // 25 blocks after the setup attestation it re-attests with fresh evidence.
    await waitFor(async () => events('reattested').length >= 1, { timeout: 60_000, what: 'a re-attestation' });
    const after = (await view()).attest;
    const start = events('reattest_start')[0];
    // Not before `--reattest-before` blocks are left, and promptly then.
    assert.ok(start.best >= setupAttestedAt + 25 && start.best <= setupAttestedAt + 28, JSON.stringify(start));
    assert.ok(after.updated_height > setupAttestedAt, `updated_height ${setupAttestedAt} → ${after.updated_height}`);
    assert.equal(after.expires_height - after.updated_height, validity);
  });

  step('the node restarts: the daemon reconnects and the provider stays ACTIVE', async () => {
    const l0 = liveness().length;
    // Right after a heartbeat or proof, so the restart falls inside one interval.
    await waitFor(async () => liveness().length > l0, { timeout: 30_000, what: 'a heartbeat or proof' });
    await api.disconnect();
    await node.stop();
    await sleep(2_000);
    node.start();
    await node.ready();
    api = await connect(node.wsUrl);
    const l1 = liveness().length;
    await waitFor(async () => liveness().length >= l1 + 3, { timeout: 90_000, what: 'three heartbeats or proofs after the restart' });
    assert.ok(events('disconnected').length + events('node_unreachable').length >= 1, 'the daemon saw the node go');
    assert.ok(events('connected').length >= 2, 'and reconnected');
  });

  step('SIGTERM stops it cleanly; restarted with the key kept elsewhere (a signer command), it goes on with the next counter', async () => {
    daemon.kill('SIGTERM');
    const { code } = await daemon.exited;
    assert.equal(code, 0);
    assert.equal(logs.at(-1).event, 'stopped');
    const c1 = await counter();
    const p1 = events('proof_included').length;
    await sleep(3_000);
    daemon = startDaemon('command');
    // The signer command commits chains too (`aicf sign heartbeat` reads the commitment from
    // the environment the daemon gives it), and the restarted daemon proves from them.
    await waitFor(async () => (await counter()) >= c1 + 1, { timeout: 60_000, what: 'a signed heartbeat after the daemon restart' });
    await waitFor(async () => events('proof_included').length > p1 + 1, { timeout: 60_000, what: 'proofs after the daemon restart' });
    assert.equal(events('started').at(-1).signer, 'command');
    assert.equal(events('proof_failed').length, 0, JSON.stringify(events('proof_failed')));
    // Every counter it sent was new, across both restarts: strictly increasing, none twice.
    const counters = events('heartbeat_included').map((b) => b.counter);
    assert.ok(counters.every((c, i) => i === 0 || c > counters[i - 1]), `counters ${counters}`);
    assert.equal(events('heartbeat_failed').length, 0, JSON.stringify(events('heartbeat_failed')));
  });

  step('a malformed metrics file is named and nothing is sent for it; a good one resumes', async () => {
    const c1 = await counter();
    fs.writeFileSync(metricsFile, JSON.stringify({ ...goodMetrics, metrics: { rtt_ms_p50: 42, availability: 1.5 } }));
    // Noticed when the next signed heartbeat is due (proofs carry no metrics).
    await waitFor(async () => events('metrics_invalid').length >= 1, { timeout: 60_000, what: 'the metrics refusal' });
    assert.match(events('metrics_invalid')[0].error, /metrics\.availability/);
    assert.equal(await counter(), c1, 'nothing sent with bad metrics');
    watching = false; // the provider may now miss a deadline: that is the operator's alert
    fs.writeFileSync(metricsFile, JSON.stringify(goodMetrics));
    await waitFor(async () => (await counter()) > c1, { timeout: 60_000, what: 'a heartbeat with good metrics' });
  });

  step('the provider was ACTIVE at every block watched; the Prometheus metrics say what happened', async () => {
    const seen = statuses.filter(([, s]) => s !== 'ACTIVE');
    assert.ok(statuses.length > 50, `${statuses.length} observations`);
    assert.deepEqual(seen, [], 'never anything but ACTIVE while the daemon ran');
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const metric = (name) => Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1]);
    assert.ok(metric('aicf_daemon_heartbeats_included_total') >= 1, text);
    assert.ok(metric('aicf_daemon_liveness_proofs_total\\{result="included"\\}') >= 1, text);
    assert.equal(metric('aicf_daemon_node_connected'), 1);
    assert.equal(metric('aicf_daemon_provider_status\\{status="ACTIVE"\\}'), 1);
    assert.ok(metric('aicf_daemon_metrics_errors_total') >= 1);
    assert.ok(metric('aicf_daemon_attestation_expires_in_blocks') > 0);
    assert.ok(metric('aicf_daemon_seconds_since_last_inclusion') >= 0);
    daemon.kill('SIGTERM');
    assert.equal((await daemon.exited).code, 0);
  });
});
