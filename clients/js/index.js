// polkadot-js definitions and helpers for the AICF provider registry.
//
// Nothing here imports @polkadot/*: the functions take the caller's `ApiPromise`, so this module
// works with whatever polkadot-js copy the application has installed (>= 16.5).

// Written from the runtime's `HeartbeatRejection` (primitives/core/src/heartbeat.rs) by a test of
// aicf-primitives, which fails when this file and the enum differ.
import heartbeatRejections from './heartbeat-rejections.json' with { type: 'json' };

/** Custom RPC methods served by aicf-node (docs/rpc.md), for `ApiPromise.create({ rpc })`. */
export const rpc = {
  aicf: {
    listProviders: {
      description:
        'Providers matching a filter, one page at a time. params: {status?, capability?, region?, minHealth?, limit?, cursor?}; result: {providers: ProviderView[], next_cursor: string | null}.',
      params: [
        { name: 'params', type: 'Json' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
    getProvider: {
      description:
        'The spec §10.1 view of one provider. params: {provider_id: "provider:<24 hex>"}. Error 4001 for an unknown id.',
      params: [
        { name: 'params', type: 'Json' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
    getBalance: {
      description:
        "A provider's funds: controller, free, bonded, unbonding_locked, unbonding_unlocked, withdrawable, liabilities (decimal strings of plancks).",
      params: [
        { name: 'params', type: 'Json' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
  },
};

/** JSON-RPC error codes of the aicf_* methods. */
export const RPC_ERRORS = Object.freeze({
  INVALID_PARAMS: -32602,
  UNKNOWN_PROVIDER: 4001,
  RUNTIME_CALL_FAILED: 5001,
});

/**
 * `InvalidTransaction::Custom` codes with which the transaction pool refuses a heartbeat
 * (`HeartbeatRejection` in primitives/core/src/heartbeat.rs), code → name. A stale counter (a
 * replay) and a bad signature use the standard `Stale` and `BadProof` variants instead.
 */
export const HEARTBEAT_REJECTIONS = Object.freeze(
  Object.fromEntries(Object.entries(heartbeatRejections.customCodes).map(([code, { name }]) => [code, name])),
);

/**
 * Length bounds that SCALE decoding enforces on register/update arguments
 * (primitives/core/src/types.rs). The metadata does not carry them, so polkadot-js cannot check
 * them; a value beyond them is refused by the node as undecodable (RPC error 1002) rather than
 * with a module error. `checkBounds` reports it by name before anything is sent.
 */
export const BOUNDS = Object.freeze({
  region: 32,
  endpoint: 256,
  contact: 128,
  name: 32,
  models: 16,
  trapFamilies: 8,
  publicKey: 1952,
  signature: 7856,
});

/** Thrown by `checkBounds`: `field` is `length` bytes (or entries) long, `max` allowed. */
export class FieldTooLong extends Error {
  constructor(field, length, max) {
    super(`${field} is ${length} long; at most ${max} allowed`);
    this.name = 'FieldTooLong';
    this.field = field;
    this.length = length;
    this.max = max;
  }
}

function byteLength(value) {
  if (typeof value === 'string') {
    return /^0x[0-9a-fA-F]*$/.test(value) ? (value.length - 2) / 2 : new TextEncoder().encode(value).length;
  }
  return value.length;
}

/**
 * Check the SCALE length bounds of `register` arguments (as given to
 * `api.tx.aicfRegistry.register`); throws `FieldTooLong` naming the first field over its bound.
 */
export function checkBounds({ key, popSignature, capabilities, region, endpoint, contact }) {
  const check = (field, length, max) => {
    if (length > max) throw new FieldTooLong(field, length, max);
  };
  if (key) check('key.bytes', byteLength(key.bytes), BOUNDS.publicKey);
  if (popSignature) check('pop_signature', byteLength(popSignature), BOUNDS.signature);
  if (region !== undefined) check('region', byteLength(region), BOUNDS.region);
  if (endpoint !== undefined) check('endpoint', byteLength(endpoint), BOUNDS.endpoint);
  if (contact !== undefined) check('contact', byteLength(contact), BOUNDS.contact);
  const ai = capabilities?.ai;
  if (ai) {
    check('capabilities.ai.models', ai.models.length, BOUNDS.models);
    ai.models.forEach((m, i) => check(`capabilities.ai.models[${i}]`, byteLength(m), BOUNDS.name));
  }
  const q = capabilities?.quantum;
  if (q) {
    const fams = q.trapFamilies ?? q.trap_families ?? [];
    check('capabilities.quantum.trap_families', fams.length, BOUNDS.trapFamilies);
    fams.forEach((m, i) => check(`capabilities.quantum.trap_families[${i}]`, byteLength(m), BOUNDS.name));
  }
}

/** `provider:<24 hex>` → `0x<24 hex>` (the SCALE `ProviderId`, 12 bytes). */
export function providerIdToHex(id) {
  const m = /^provider:([0-9a-f]{24})$/.exec(id);
  if (!m) throw new Error(`not a provider id: ${id}`);
  return `0x${m[1]}`;
}

/** `0x<24 hex>` (or a polkadot-js `[u8; 12]`) → `provider:<24 hex>`. */
export function providerIdFromHex(hex) {
  const h = typeof hex === 'string' ? hex : hex.toHex();
  const m = /^0x([0-9a-fA-F]{24})$/.exec(h);
  if (!m) throw new Error(`not a 12-byte provider id: ${h}`);
  return `provider:${m[1].toLowerCase()}`;
}

/**
 * Build a general (v5, authorized) transaction for `call` — e.g. a heartbeat, which
 * `#[pallet::authorize]` makes valid without any account or signature — and return its hex.
 *
 * The explicit extension data is: immortal era, nonce 0 (`CheckNonce` skips a transaction
 * without a signed origin), tip 0, metadata-hash mode 0. Submit the hex with `submitRaw`:
 * polkadot-js 16.5 re-encodes a general extrinsic passed through `api.rpc.author.*` with a
 * second length prefix, which the node cannot decode.
 */
export function generalTransaction(api, call) {
  const method = call.method ?? call;
  const general = api.registry.createType('GeneralExtrinsic', {
    payload: { era: 0, nonce: 0, tip: 0, mode: 0, method },
    transactionExtensionVersion: 0,
  });
  return general.toHex();
}

/**
 * Submit an encoded extrinsic (hex) as is and watch it: resolves `{ blockHash, index }` once it
 * is in a block (or finalized with `{ finalized: true }`), rejects with the RPC error (see
 * `explainPoolError`) or on a dropped/invalid status.
 */
export function submitRaw(api, hex, { finalized = false } = {}) {
  const provider = api._rpcCore.provider;
  return new Promise((resolve, reject) => {
    let subId;
    const done = (fn, value) => {
      if (subId !== undefined) {
        provider.unsubscribe('author_extrinsicUpdate', 'author_unwatchExtrinsic', subId).catch(() => {});
      }
      fn(value);
    };
    provider
      .subscribe('author_extrinsicUpdate', 'author_submitAndWatchExtrinsic', [hex], (err, status) => {
        if (err) return done(reject, err);
        if (typeof status === 'string') {
          if (['dropped', 'invalid', 'usurped'].includes(status)) done(reject, new Error(`extrinsic ${status}`));
          return;
        }
        const hash = finalized ? status.finalized : status.inBlock ?? status.finalized;
        if (hash) done(resolve, { blockHash: hash });
        else if (status.dropped || status.invalid || status.usurped) {
          done(reject, new Error(`extrinsic ${Object.keys(status)[0]}`));
        }
      })
      .then((id) => {
        subId = id;
      }, reject);
  });
}

/**
 * Name a transaction-pool refusal (an RPC error from author_submit*):
 * `{ code, kind, name }` where `kind` is `'invalid'` (1010), `'unknown'` (1011),
 * `'undecodable'` (1002, e.g. an argument beyond its SCALE bound), `'alreadyImported'` (1013)
 * or `'other'`, and `name` is a specific reason: `Stale`, `BadProof`, a `HEARTBEAT_REJECTIONS`
 * name for `Custom(n)`, …
 */
export function explainPoolError(err) {
  const code = err?.code;
  const text = `${err?.message ?? ''} ${typeof err?.data === 'string' ? err.data : ''}`;
  const custom = /Custom error: (\d+)/.exec(text);
  if (code === 1010) {
    let name = 'Invalid';
    if (custom) name = HEARTBEAT_REJECTIONS[custom[1]] ?? `Custom(${custom[1]})`;
    else if (/outdated/i.test(text)) name = 'Stale';
    else if (/bad signature/i.test(text)) name = 'BadProof';
    else if (/future/i.test(text)) name = 'Future';
    else if (/did not authorize/i.test(text)) name = 'UnknownOrigin';
    else if (/Inability to pay/i.test(text)) name = 'Payment';
    return { code, kind: 'invalid', name };
  }
  if (code === 1011) return { code, kind: 'unknown', name: custom ? `Custom(${custom[1]})` : 'Unknown' };
  if (code === 1002) {
    return { code, kind: 'undecodable', name: /validate_transaction/.test(text) ? 'CannotDecode' : 'Verification' };
  }
  if (code === 1013) return { code, kind: 'alreadyImported', name: 'AlreadyImported' };
  return { code, kind: 'other', name: 'Other' };
}

/**
 * Decode a `DispatchError` with the runtime metadata: `{ section, name, docs }` for a module
 * error (e.g. `aicfRegistry.BadProofOfPossession` with its doc line), else its kind.
 */
export function decodeDispatchError(api, dispatchError) {
  if (dispatchError.isModule) {
    const meta = api.registry.findMetaError(dispatchError.asModule);
    return { section: meta.section, name: meta.name, docs: meta.docs.join(' ').trim() };
  }
  return { section: null, name: dispatchError.type, docs: dispatchError.toString() };
}
