import { useEffect, useState } from 'react';
import { createOutcomes, defaultOutcomes, type Outcomes } from '../../../shared/outcomes';
import { api } from './api';

let loaded: Promise<Outcomes> | null = null;
let current: Outcomes | null = null;

/** Reads the service's settings once per unlock of the page (each read is an audited view), not once per screen. */
function load(): Promise<Outcomes> {
  loaded ??= api['serviceSettings.get']({}).then(
    (s) => (current = createOutcomes(s.outcomes)),
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

/**
 * The outcomes engine configured with the service's settings, as the services use it, so what the screen shows
 * while the clinician types is what the store will say. Falls back to the reference defaults until loaded.
 */
export function useOutcomes(): Outcomes {
  const [outcomes, setOutcomes] = useState<Outcomes>(current ?? defaultOutcomes);
  useEffect(() => {
    let live = true;
    load().then(
      (o) => live && setOutcomes(o),
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);
  return outcomes;
}
