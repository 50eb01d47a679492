import { buildRawApi } from '../../shared/contract/client';
import { METHOD_NAMES } from '../../shared/contract/contract';

/**
 * The host's stand-in for the preload: the same `window.api`, built from the same method list, over fetch to
 * the host on 127.0.0.1 instead of IPC. The per-run token is compiled in when the host serves this script.
 */
declare const __BRIDGE_TOKEN__: string;

const api = buildRawApi(METHOD_NAMES, async (method, input) => {
  const response = await fetch(`/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${__BRIDGE_TOKEN__}` },
    body: JSON.stringify(input),
  });
  return response.json();
});

Object.defineProperty(window, 'api', { value: api, writable: false, configurable: false });
