import { useEffect, useState } from 'react';
import type { ServiceSettings } from '../../../shared/contract/serviceSettings';
import { ltcOptions, type LtcOption } from '../../../shared/domain/episodeCodes';
import { createOutcomes, defaultOutcomes, type Outcomes } from '../../../shared/outcomes';
import { api } from './api';

interface Configured {
  outcomes: Outcomes;
  ltcOptions: LtcOption[];
}

let loaded: Promise<Configured> | null = null;
let current: Configured | null = null;

/** Reads the service's settings once per unlock of the page (each read is an audited view), not once per screen. */
function load(): Promise<Configured> {
  loaded ??= api['serviceSettings.get']({}).then(
    (s: ServiceSettings) => (current = { outcomes: createOutcomes(s.outcomes), ltcOptions: ltcOptions(s.ltcCodes) }),
    (err: unknown) => {
      loaded = null; // try again next time, e.g. after an unlock
      throw err;
    },
  );
  return loaded;
}

/** After the service changes its settings, screens read them afresh. */
export function settingsChanged(): void {
  loaded = null;
  current = null;
}

function useConfigured<T>(pick: (c: Configured) => T, fallback: T): T {
  const [value, setValue] = useState<T>(current ? pick(current) : fallback);
  useEffect(() => {
    let live = true;
    load().then(
      (c) => live && setValue(pick(c)),
      () => {},
    );
    return () => {
      live = false;
    };
    // `pick` is one of this module's own selectors, the same for the component's life.
  }, []);
  return value;
}

/**
 * The outcomes engine configured with the service's settings, as the services use it, so what the screen shows
 * while the clinician types is what the store will say. Falls back to the reference defaults until loaded.
 */
export function useOutcomes(): Outcomes {
  return useConfigured((c) => c.outcomes, defaultOutcomes);
}

const DEFAULT_LTC_OPTIONS = ltcOptions();
/** The service's list of long-term conditions (its own codes for the unverified ones), as the referrals service checks them. */
export function useLtcOptions(): LtcOption[] {
  return useConfigured((c) => c.ltcOptions, DEFAULT_LTC_OPTIONS);
}
