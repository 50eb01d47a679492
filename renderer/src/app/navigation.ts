import { createContext, useContext } from 'react';

/** Where the workspace is: a small in-memory route, since the app has no address bar. */
export type Place =
  | { view: 'caseload' }
  | { view: 'settings' }
  | { view: 'reports' }
  | { view: 'exports' }
  | { view: 'users' }
  | { view: 'supervision' }
  | { view: 'patients' }
  | { view: 'sync'; tab: 'status' | 'conflicts' }
  | { view: 'clinicDay' }
  | { view: 'groups' }
  | { view: 'group'; groupId: string }
  | { view: 'patient'; patientId: string }
  | { view: 'episode'; referralId: string }
  | { view: 'letters'; referralId: string }
  | { view: 'formulation'; referralId: string }
  /** `sessionDate`: opened from a session, whose date the goal ratings then take. */
  | { view: 'carePlan'; referralId: string; sessionDate?: string }
  | { view: 'session'; referralId: string; contactId: string };

export interface Navigation {
  place: Place;
  go(place: Place): void;
}

export const NavigationContext = createContext<Navigation>({ place: { view: 'caseload' }, go: () => {} });

export function useNavigation(): Navigation {
  return useContext(NavigationContext);
}
