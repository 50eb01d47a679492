/// <reference types="vite/client" />
import type { RawApi } from '../../shared/contract/client';

declare global {
  interface Window {
    /** Provided by the preload (Electron) or the host's bridge script (tests, demo); the page never sees Node. */
    readonly api: RawApi;
  }
}
