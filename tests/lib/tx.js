// Submitting extrinsics through polkadot-js and reading back, per extrinsic, the events and the
// decoded dispatch error as the runtime metadata describes them. Takes the caller's ApiPromise.

import { decodeDispatchError, submitRaw } from '@aicf/polkadot-js';

function summarize(api, records) {
  const events = records.map(({ event }) => ({
    section: event.section,
    method: event.method,
    data: event.data,
    json: event.data.toJSON(),
    docs: event.meta.docs.map(String).join(' ').trim(),
  }));
  let error = null;
  for (const { event } of records) {
    if (api.events.system.ExtrinsicFailed.is(event)) {
      error = decodeDispatchError(api, event.data.dispatchError);
    }
  }
  return { events, error };
}

/**
 * Sign `tx` with `signer` (nonce: explicit or the pool-aware next index), submit it and wait
 * until it is in a block (or, with `{ finalized: true }`, until that block is finalized).
 * Resolves `{ blockHash, blockNumber, events, error }` where `events` are this extrinsic's
 * events and `error` the decoded `ExtrinsicFailed` error (or null). Rejects with the RPC error
 * when the pool refuses it.
 */
export async function sendSigned(api, tx, signer, { nonce = -1, finalized = false } = {}) {
  return new Promise((resolve, reject) => {
    let unsub;
    tx.signAndSend(signer, { nonce }, async (result) => {
      const { status } = result;
      const included = finalized ? status.isFinalized && status.asFinalized : status.isInBlock && status.asInBlock;
      if (included) {
        if (unsub) unsub();
        const blockHash = included.toHex();
        const header = await api.rpc.chain.getHeader(blockHash);
        resolve({ blockHash, blockNumber: header.number.toNumber(), ...summarize(api, result.events) });
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        if (unsub) unsub();
        reject(new Error(`extrinsic ${status.type}`));
      }
    })
      .then((u) => {
        unsub = u;
      })
      .catch(reject);
  });
}

/**
 * Submit an already encoded extrinsic (bare or general, hex) and wait until it is in a block;
 * resolves like `sendSigned`. The extrinsic is located in the block by its exact bytes.
 */
export async function sendRaw(api, hex) {
  const { blockHash } = await submitRaw(api, hex);
  const block = await api._rpcCore.provider.send('chain_getBlock', [blockHash]);
  const index = block.block.extrinsics.indexOf(hex);
  if (index < 0) throw new Error(`extrinsic not found in block ${blockHash}`);
  const at = await api.at(blockHash);
  const all = await at.query.system.events();
  const records = all.filter(({ phase }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.toNumber() === index);
  return { blockHash, blockNumber: parseInt(block.block.header.number, 16), index, ...summarize(api, records) };
}

/** The event `section.method` among `events`, or throws listing what there was. */
export function findEvent(result, section, method) {
  const ev = result.events.find((e) => e.section === section && e.method === method);
  if (!ev) {
    const seen = result.events.map((e) => `${e.section}.${e.method}`).join(', ');
    throw new Error(`no ${section}.${method} event; got [${seen}]${result.error ? `; error ${result.error.name}` : ''}`);
  }
  return ev;
}

/**
 * Send several signed extrinsics at once (`[[tx, signer], …]`), nonces assigned per signer in
 * order, so they land in the same block or the next ones; resolves their results in order.
 */
export async function sendAll(api, items) {
  const next = new Map();
  const withNonce = [];
  for (const [tx, signer] of items) {
    if (!next.has(signer.address)) {
      next.set(signer.address, (await api.rpc.system.accountNextIndex(signer.address)).toNumber());
    }
    const nonce = next.get(signer.address);
    next.set(signer.address, nonce + 1);
    withNonce.push(sendSigned(api, tx, signer, { nonce }));
  }
  return Promise.all(withNonce);
}
