import { buildRawApi } from '../../shared/contract/client';
import { METHOD_NAMES } from '../../shared/contract/contract';

/**
 * The host's stand-in for the preload: the same `window.api`, built from the same method list, over fetch to
 * the host on 127.0.0.1 instead of IPC. It holds no secret: the browser sends the host's HttpOnly session
 * cookie, and the `x-caseload` header (which no other site can send without a CORS preflight) marks the call
 * as the page's own.
 */
const api = buildRawApi(METHOD_NAMES, async (method, input) => {
  const response = await fetch(`/api/${method}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-caseload': '1' },
    body: JSON.stringify(input),
  });
  return response.json();
});

Object.defineProperty(window, 'api', { value: api, writable: false, configurable: false });
