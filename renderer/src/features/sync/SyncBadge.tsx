import { Badge, Tooltip, UnstyledButton } from '@mantine/core';
import { useEffect, useState } from 'react';
import { badgeWords, readableBadge } from './syncWords';
import { useSyncStatus } from './useSyncStatus';

/**
 * Always in the shell's header: sync state in a few words, the full sentence on hover and for screen readers.
 * It opens the Sync screen, or the conflicts inbox when conflicts wait.
 */
export function SyncBadge({ onOpen }: { onOpen: (tab: 'status' | 'conflicts') => void }) {
  const { status } = useSyncStatus();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  if (!status) return null;
  const words = badgeWords(status, now);
  return (
    <Tooltip label={words.detail} multiline w={320} withArrow withinPortal={false}>
      <UnstyledButton onClick={() => onOpen(status.openConflicts + status.refusedChanges > 0 ? 'conflicts' : 'status')} aria-label={`Sync: ${words.text}. ${words.detail}`} data-testid="sync-badge" style={{ flexShrink: 0 }}>
        <Badge {...readableBadge(words.color)} style={{ cursor: 'pointer' }}>
          {words.text}
        </Badge>
      </UnstyledButton>
    </Tooltip>
  );
}
