import { useCallback, useEffect, useState } from 'react';
import type { SessionStatus } from '../../../shared/contract/session';
import { api } from '../lib/api';
import { SESSION_CHANGED_EVENT } from '../features/patientMode/handOver';

const POLL_MS = 10_000;
const ACTIVITY_THROTTLE_MS = 30_000;

/**
 * The session as the page knows it: polled so an idle lock in the main process shows at once,
 * and fed with keyboard/mouse activity so the idle timer measures the person.
 */
export function useSession() {
  const [status, setStatus] = useState<SessionStatus | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  /** Told once after an unlock or restore (failed attempts, repairs, what was restored); kept until dismissed. */
  const [notices, setNotices] = useState<string[]>([]);
  const accept = useCallback((next: SessionStatus) => {
    setStatus(next);
    if (next.notices.length > 0) setNotices(next.notices);
    if (next.state !== 'unlocked') setNotices([]);
  }, []);

  const refresh = useCallback(async () => {
    try {
      setStatus(await api['session.status']({}));
      setLoadError(null);
    } catch {
      setLoadError('The caseload store is not responding.');
    }
  }, []);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    // A screen that changed the session itself (handing over to the patient) asks for it afresh.
    const onChanged = () => void refresh();
    window.addEventListener(SESSION_CHANGED_EVENT, onChanged);
    return () => {
      clearInterval(timer);
      window.removeEventListener(SESSION_CHANGED_EVENT, onChanged);
    };
  }, [refresh]);

  // In patient mode the services refuse activity pings; the mode's own calls keep the idle timer fed.
  const unlocked = status?.state === 'unlocked' && !status.patientMode;
  useEffect(() => {
    if (!unlocked) return;
    let last = 0;
    const onActivity = () => {
      const now = Date.now();
      if (now - last < ACTIVITY_THROTTLE_MS) return;
      last = now;
      api['session.activity']({}).catch(() => void refresh());
    };
    const events = ['keydown', 'pointerdown', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, onActivity, { passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, onActivity);
    };
  }, [unlocked, refresh]);

  return { status, setStatus: accept, refresh, loadError, notices, dismissNotices: () => setNotices([]) };
}
