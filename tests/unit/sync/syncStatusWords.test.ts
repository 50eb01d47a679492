import { describe, expect, it } from 'vitest';
import { syncStatusOf } from '../../../electron/services/sync/status';
import { badgeWords } from '../../../renderer/src/features/sync/syncWords';

const now = new Date('2026-11-23T12:00:00Z');
const enrolment = { serverUrl: 'https://sync.example.nhs.uk', token: 't', deviceId: 'd', userId: 'u', teamId: 'x', lastSyncedAt: '2026-11-23T11:55:00Z' };
const counts = { pending: 0, refused: 0, openConflicts: 0 };
const healthy = { running: false, failures: 0, lastError: null, nextAttemptAt: new Date('2026-11-23T12:03:00Z'), lastSuccessAt: new Date('2026-11-23T11:55:00Z') };
const status = (over: Partial<Parameters<typeof syncStatusOf>[0]> = {}) => syncStatusOf({ enrolment, counts, scheduler: healthy, now, staleAfterHours: 24, ...over });

describe('sync status and the badge', () => {
  it('not enrolled: an island, saying so, with what it will send once enrolled', () => {
    const s = status({ enrolment: null, counts: { ...counts, pending: 4 } });
    expect(s).toMatchObject({ enrolled: false, state: 'not-enrolled', serverUrl: null, pendingChanges: 4, lastSyncedAt: null });
    expect(badgeWords(s, now)).toMatchObject({ text: 'Not enrolled', color: 'gray', detail: expect.stringContaining('4 changes will be sent') });
  });

  it('online: when it last synced, by the server time of the last page', () => {
    const s = status();
    expect(s).toMatchObject({ state: 'online', hoursSinceSync: 0, nextAttemptAt: '2026-11-23T12:03:00.000Z' });
    expect(badgeWords(s, now).text).toBe('Online · synced 5 min ago');
  });

  it('offline: what is waiting, and the failure in words', () => {
    const s = status({ counts: { ...counts, pending: 3 }, scheduler: { ...healthy, failures: 2, lastError: { code: 'network', message: 'Offline: the team server could not be reached.' } } });
    expect(s.state).toBe('offline');
    expect(badgeWords(s, now)).toMatchObject({ text: 'Offline · 3 changes waiting', color: 'gray' });
  });

  it('past the threshold the badge warns, in hours', () => {
    const s = status({ enrolment: { ...enrolment, lastSyncedAt: '2026-11-22T10:00:00Z' }, scheduler: { ...healthy, lastError: { code: 'network', message: 'Offline.' } } });
    expect(s.hoursSinceSync).toBe(26);
    expect(badgeWords(s, now)).toMatchObject({ text: 'Not synced for 26 hours', color: 'orange' });
    expect(badgeWords(status({ enrolment: { ...enrolment, lastSyncedAt: '2026-11-22T10:00:00Z' }, staleAfterHours: 48 }), now).color).toBe('teal');
  });

  it('conflicts come first; a refusal only a person can fix says "stopped"', () => {
    expect(badgeWords(status({ counts: { ...counts, openConflicts: 2 } }), now)).toMatchObject({ text: '2 conflicts', color: 'red' });
    const revoked = status({ scheduler: { ...healthy, lastError: { code: 'unauthorized', message: 'This device was signed out by your team (revoked).' } } });
    expect(revoked.state).toBe('refused');
    expect(badgeWords(revoked, now)).toMatchObject({ text: 'Sync stopped', color: 'red', detail: expect.stringContaining('revoked') });
  });

  it('changes the server refused for good are never hidden behind "online"', () => {
    expect(badgeWords(status({ counts: { ...counts, refused: 1 } }), now)).toMatchObject({ text: '1 change refused', color: 'red' });
  });

  it('a round running shows as syncing', () => {
    expect(status({ scheduler: { ...healthy, running: true } }).state).toBe('syncing');
  });
});
