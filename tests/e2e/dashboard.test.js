// The web dashboard (clients/dashboard) in a real headless Chromium (Debian's, driven by
// playwright-core) against a dev node: the page loads, lists the providers this suite
// registered, pages with the cursor, filters by status, capability, region and minimum health,
// shows a provider's detail (stake and unbonding schedule, attestation kind and expiry, health
// with its QoS window), follows new blocks and feeds the registry's events. Screenshots are
// saved beside the suite's logs ($AICF_TEST_DIR/dashboard-*.png).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { AICF, connect, devAccounts, stepper } from '../lib/api.js';
import { attestChallenge, devCcaToken, devQuantumCert, generateKey, heartbeatArgs, signHeartbeat, signRegister } from '../lib/aicf.js';
import { startDevNode, waitFor, workDir } from '../lib/node.js';
import { findEvent, sendRaw, sendSigned } from '../lib/tx.js';

const DASHBOARD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../clients/dashboard');
const CHROMIUM = process.env.AICF_CHROMIUM ?? '/usr/bin/chromium';

describe('dashboard: providers paged and filtered, a provider in detail, live blocks and events, in Chromium', () => {
  const dir = workDir('e2e-dashboard');
  const accounts = devAccounts();
  let node;
  let api;
  let browser;
  let page;
  const providers = []; // { key, who, region, kind }
  const step = stepper(it);
  const shots = process.env.AICF_TEST_DIR ?? dir;

  before(async () => {
    // The page as users get it: built from the locked dependencies.
    if (!fs.existsSync(path.join(DASHBOARD, 'node_modules'))) {
      execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: DASHBOARD, stdio: 'inherit' });
    }
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: DASHBOARD, stdio: 'inherit' });
    // dev-fast: a one-minute stake lock, so an unbonding schedule exists within the test.
    node = await startDevNode('dashboard', { dir, extra: ['--chain', 'dev-fast'] });
    api = await connect(node.wsUrl);
  });

  after(async () => {
    if (browser) await browser.close();
    if (api) await api.disconnect();
    if (node) await node.stop();
  });

  const shot = (name) => page.screenshot({ path: path.join(shots, `dashboard-${name}.png`), fullPage: true });
  const rows = () => page.$$eval('#providers tbody tr[data-provider]', (trs) => trs.map((tr) => tr.dataset.provider));
  // A heartbeat of ai-west (1-second blocks: it stays ACTIVE for an interval and the grace).
  const beat = async (metrics) => {
    const west = providers[0];
    west.counter = (west.counter ?? 0) + 1;
    const now = Math.floor((await api.query.timestamp.now()).toNumber() / 1000);
    const hb = signHeartbeat(west.key, api.genesisHash.toHex(), { counter: west.counter, timestamp: now, attestHash: west.attestHash, metrics });
    const res = await sendRaw(api, heartbeatArgs(api, hb, west.key.id).toHex());
    assert.equal(res.error, null, JSON.stringify(res.error));
    findEvent(res, 'aicfRegistry', 'HeartbeatReceived');
  };

  step('five providers registered: two ai in two regions, one quantum, one ACTIVE with heartbeats, one unbonding', async () => {
    const genesis = api.genesisHash.toHex();
    const specs = [
      { name: 'ai-west', who: accounts.alice, region: 'us-west-2', cap: 'ai' },
      { name: 'ai-east', who: accounts.alice, region: 'us-east-1', cap: 'ai' },
      { name: 'q-eu', who: accounts.bob, region: 'eu-central-1', cap: 'quantum' },
      { name: 'ai-idle', who: accounts.bob, region: 'us-west-2', cap: 'ai' },
      { name: 'ai-unbond', who: accounts.charlie, region: 'ap-south-1', cap: 'ai' },
    ];
    for (const s of specs) {
      const key = generateKey(dir, s.name);
      const pop = signRegister(key, s.who.address, genesis);
      const caps =
        s.cap === 'ai'
          ? { ai: { models: ['llama3-8b'], throughputMilliTps: 2500 }, quantum: null }
          : { ai: null, quantum: { trapFamilies: ['clifford'], maxDepth: 64, maxWidth: 20, shotsPerSec: 100 } };
      const reg = await sendSigned(
        api,
        api.tx.aicfRegistry.register({ alg: 'MlDsa65', bytes: key.public_key }, pop.pop_signature, caps, s.region, `https://${s.name}.example`, `ops@${s.name}.example`),
        s.who,
      );
      assert.equal(reg.error, null, JSON.stringify(reg.error));
      providers.push({ ...s, key });
    }
    // ai-west: staked, attested (CCA), two heartbeats: ACTIVE with a QoS window.
    const west = providers[0];
    const minAi = api.consts.aicfRegistry.minStakeAi.toBigInt();
    assert.equal((await sendSigned(api, api.tx.aicfRegistry.stake(west.key.id, minAi + 5n * AICF), west.who)).error, null);
    const token = devCcaToken(west.key, attestChallenge(node.wsUrl, west.key));
    const att = await sendSigned(api, api.tx.aicfAttestation.submitAttestation(west.key.id, 'Cca', token.challenge_block, token.der), west.who);
    assert.equal(att.error, null, JSON.stringify(att.error));
    west.attestHash = token.evidence_hash;
    await beat({ rtt_ms_p50: 31, availability: 0.998, leases_active: 0, leases_capacity: 4 });
    // ai-unbond: staked, then half of it unstaked: an unbonding chunk on its schedule.
    const unbond = providers[4];
    assert.equal((await sendSigned(api, api.tx.aicfRegistry.stake(unbond.key.id, 200n * AICF), unbond.who)).error, null);
    // q-eu: staked and attested (quantum facility certificate), no heartbeat: REGISTERED.
    const q = providers[2];
    const minQ = api.consts.aicfRegistry.minStakeQuantum.toBigInt();
    assert.equal((await sendSigned(api, api.tx.aicfRegistry.stake(q.key.id, minQ), q.who)).error, null);
    const cert = devQuantumCert(q.key, attestChallenge(node.wsUrl, q.key));
    assert.equal((await sendSigned(api, api.tx.aicfAttestation.submitAttestation(q.key.id, 'Quantum', cert.challenge_block, cert.der), q.who)).error, null);
  });

  step('the page loads in Chromium, connects to the node and lists every provider', async () => {
    assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (scripts/setup.sh installs Debian's)`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${path.join(DASHBOARD, 'dist/index.html')}?rpc=${encodeURIComponent(node.wsUrl)}`);
    await page.waitForSelector('#providers tbody tr[data-provider]', { timeout: 30_000 });
    assert.match(await page.textContent('#conn-status'), /^connected: /);
    const listed = await rows();
    assert.deepEqual([...listed].sort(), providers.map((p) => p.key.provider_id).sort());
    assert.deepEqual(errors, []);
    await shot('list');
  });

  step('new blocks arrive live and the registry events of a new transaction appear in the feed', async () => {
    const best = Number(await page.textContent('#best'));
    await page.waitForFunction((b) => Number(document.querySelector('#best').textContent) > b, best, { timeout: 30_000 });
    // A top-up after the page loaded: its Staked event reaches the feed.
    const idle = providers[3];
    assert.equal((await sendSigned(api, api.tx.aicfRegistry.stake(idle.key.id, 10n * AICF), idle.who)).error, null);
    await page.waitForSelector('#events li[data-event="aicfRegistry.Staked"]', { timeout: 30_000 });
    const text = await page.textContent('#events li[data-event="aicfRegistry.Staked"]');
    assert.ok(text.includes(`provider: ${idle.key.provider_id}`), text);
    assert.ok(text.includes('amount: 10 AICF'), text);
  });

  step('pages of two with the cursor: forward to the end, and back', async () => {
    // Five providers in pages of two (a size the page does not offer: added for the test).
    await page.$eval('#limit', (l) => l.append(new Option('2', '2')));
    await page.selectOption('#limit', '2');
    await page.click('#apply');
    await page.waitForFunction(() => document.querySelectorAll('#providers tbody tr[data-provider]').length === 2);
    const seen = [...(await rows())];
    assert.equal(await page.isDisabled('#prev'), true);
    while (!(await page.isDisabled('#next'))) {
      const info = await page.textContent('#page-info');
      await page.click('#next');
      await page.waitForFunction((i) => document.querySelector('#page-info').textContent !== i, info);
      seen.push(...(await rows()));
    }
    assert.deepEqual([...seen].sort(), providers.map((p) => p.key.provider_id).sort(), 'every provider once');
    const last = await page.textContent('#page-info');
    await page.click('#prev');
    await page.waitForFunction((i) => document.querySelector('#page-info').textContent !== i, last);
    assert.match(await page.textContent('#page-info'), /^page 2 /);
    await page.selectOption('#limit', '25');
  });

  step('filters: status ACTIVE, capability quantum, region us-west-2, min health', async () => {
    const expectRows = async (ids, what) => {
      // Wait for these rows, not for their number: the previous filter's result may have as
      // many rows, and the page shows it until the new query returns.
      const want = ids.map((p) => p.key.provider_id).sort();
      await page.click('#apply');
      await page.waitForFunction(
        (w) => JSON.stringify([...document.querySelectorAll('#providers tbody tr[data-provider]')].map((tr) => tr.dataset.provider).sort()) === w,
        JSON.stringify(want),
        { timeout: 10_000 },
      ).catch(() => {});
      assert.deepEqual([...(await rows())].sort(), want, what);
    };
    await beat({ rtt_ms_p50: 35, availability: 0.996, leases_active: 0, leases_capacity: 4 });
    await page.selectOption('#filter-status', 'ACTIVE');
    await expectRows([providers[0]], 'ACTIVE: the one with a heartbeat');
    await shot('filter-active');
    await page.selectOption('#filter-status', '');
    await page.selectOption('#filter-capability', 'quantum');
    await expectRows([providers[2]], 'quantum');
    await page.selectOption('#filter-capability', '');
    await page.fill('#filter-region', 'us-west-2');
    await expectRows([providers[0], providers[3]], 'us-west-2');
    await page.fill('#filter-region', '');
    await page.fill('#filter-min-health', '0.5');
    await beat({ rtt_ms_p50: 33, availability: 0.997, leases_active: 0, leases_capacity: 4 });
    const healthy = [];
    for (const p of providers) {
      const v = (await api.rpc.aicf.getProvider({ provider_id: p.key.provider_id })).toJSON();
      if (v.health.score >= 0.5) healthy.push(p);
    }
    await expectRows(healthy, 'min health 0.5');
    await page.fill('#filter-min-health', '');
    await expectRows(providers, 'no filter');
  });

  step("a provider's detail: status, stake, attestation kind and expiry, health window; unbonding schedule", async () => {
    const west = providers[0];
    await beat({ rtt_ms_p50: 37, availability: 0.999, leases_active: 1, leases_capacity: 4 });
    await page.click(`#providers tbody tr[data-provider="${west.key.provider_id}"]`);
    await page.waitForSelector('#detail:not([hidden]) .attest-kind');
    const view = (await api.rpc.aicf.getProvider({ provider_id: west.key.provider_id })).toJSON();
    assert.equal(await page.textContent('#detail-id'), west.key.provider_id);
    assert.match(await page.textContent('#detail-status'), /ACTIVE/);
    assert.equal(await page.textContent('#attestations .attest-kind'), 'Cca');
    assert.equal(Number(await page.textContent('#attestations .attest-expires')), view.attest.expires_height);
    assert.match(await page.textContent('#detail-bonded'), /^105 AICF/);
    await page.waitForFunction((n) => document.querySelectorAll('#detail-window tbody tr').length === n, west.counter);
    const window = await page.$$eval('#detail-window tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    // Every report this test sent, oldest first; the RTT shown is their median.
    assert.deepEqual(window, [
      ['1', '31', '99.80 %'],
      ['2', '35', '99.60 %'],
      ['3', '33', '99.70 %'],
      ['4', '37', '99.90 %'],
    ]);
    assert.match(await page.textContent('#detail-rtt'), new RegExp(`^${view.health.rtt_ms_p50} ms`));
    await shot('detail-active');

    // ai-unbond unstakes 100 AICF after the page shows it: the schedule appears live.
    const unbond = providers[4];
    await page.click(`#providers tbody tr[data-provider="${unbond.key.provider_id}"]`);
    await page.waitForFunction((id) => document.querySelector('#detail-id').textContent === id, unbond.key.provider_id);
    assert.equal(await page.textContent('#unbonding tbody td'), 'nothing unbonding');
    const lock = (await api.query.aicfRegistry.ledgers(unbond.key.id)).unwrap().lockUntil.toNumber();
    await waitFor(async () => (await api.rpc.chain.getHeader()).number.toNumber() > lock, { timeout: 120_000, what: 'the stake lock' });
    const res = await sendSigned(api, api.tx.aicfRegistry.unstake(unbond.key.id, 100n * AICF), unbond.who);
    assert.equal(res.error, null, JSON.stringify(res.error));
    await page.waitForFunction(() => document.querySelectorAll('#unbonding tbody tr td').length === 4, null, { timeout: 30_000 });
    const chunk = await page.$$eval('#unbonding tbody tr td', (tds) => tds.map((td) => td.textContent));
    const ledger = (await api.query.aicfRegistry.ledgers(unbond.key.id)).unwrap().unbonding[0];
    assert.deepEqual(chunk, ['100', '0', String(ledger.start.toNumber()), String(ledger.end.toNumber())]);
    await shot('detail-unbonding');
  });

  step('a malformed filter is refused by the node and named on the page, the table left as it was', async () => {
    const before = await rows();
    await page.fill('#filter-region', 'Not A Region!');
    await page.click('#apply');
    await page.waitForSelector('#error:not([hidden])', { timeout: 10_000 });
    assert.match(await page.textContent('#error'), /region/i);
    assert.deepEqual(await rows(), before);
    await shot('bad-filter');
    await page.fill('#filter-region', '');
  });
});
