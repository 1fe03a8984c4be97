// Connecting polkadot-js to a node with the AICF RPC definitions, and the dev accounts.

import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { rpc } from '@aicf/polkadot-js';

/** An ApiPromise on `url` with `api.rpc.aicf.*` decorated. */
export async function connect(url) {
  const provider = new WsProvider(url, 1_000, {}, 30_000);
  return ApiPromise.create({ provider, rpc, noInitWarn: true, throwOnConnect: true });
}

/** The well-known sr25519 dev accounts (//Alice … //Ferdie), endowed in both genesis presets. */
export function devAccounts() {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const names = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];
  return Object.fromEntries(names.map((n) => [n.toLowerCase(), keyring.addFromUri(`//${n}`)]));
}

/** 1 AICF in plancks (12 decimals). */
export const AICF = 10n ** 12n;

/**
 * Runs test steps in order; once one fails, the later ones are skipped (reported as skipped,
 * naming the failed step) instead of failing for a reason that is not theirs.
 */
export function stepper(it) {
  let failed = null;
  return (name, fn) =>
    it(name, async (t) => {
      if (failed) {
        t.skip(`skipped: the earlier step "${failed}" failed`);
        return;
      }
      try {
        await fn(t);
      } catch (e) {
        failed = name;
        throw e;
      }
    });
}
