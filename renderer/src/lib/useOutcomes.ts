import { useEffect, useState } from 'react';
import { createOutcomes, defaultOutcomes, type Outcomes } from '../../../shared/outcomes';
import { api } from './api';

let cached: { key: string; outcomes: Outcomes } | null = null;

/**
 * The outcomes engine configured with the service's settings, as the services use it, so what the screen shows
 * while the clinician types is what the store will say. Falls back to the reference defaults until loaded.
 */
export function useOutcomes(): Outcomes {
  const [outcomes, setOutcomes] = useState<Outcomes>(cached?.outcomes ?? defaultOutcomes);
  useEffect(() => {
    let live = true;
    void api['serviceSettings.get']({}).then(
      (s) => {
        const key = JSON.stringify(s.outcomes);
        if (cached?.key !== key) cached = { key, outcomes: createOutcomes(s.outcomes) };
        if (live) setOutcomes(cached.outcomes);
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);
  return outcomes;
}
