import { Button, Radio, Stack, Text } from '@mantine/core';
import type { DeviceUser, SessionStatus } from '../../../../shared/contract/session';
import { ROLE_LABELS } from '../../../../shared/domain/people';
import { api } from '../../lib/api';

export function deviceUserLabel(user: DeviceUser): string {
  if (!user.displayName) return 'This laptop’s first caseload';
  return user.role ? `${user.displayName} · ${ROLE_LABELS[user.role]}` : user.displayName;
}

/**
 * "Who is using this laptop?" (issue #10 §9): each person has their own encrypted store here, with their own
 * passphrase. Choosing someone turns the session to their store (the open one is locked first); adding a
 * person makes room for a new store, which the setup screen then creates.
 */
export function DeviceUserPicker({
  status,
  onStatus,
  onFailure,
  canAdd = true,
}: {
  status: SessionStatus;
  onStatus: (s: SessionStatus) => void;
  onFailure: (message: string) => void;
  canAdd?: boolean;
}) {
  const choose = async (key: string) => {
    if (key === status.currentUser) return;
    try {
      onStatus(await api['session.switchUser']({ key: key as DeviceUser['key'] }));
    } catch {
      onFailure('That person’s caseload could not be chosen. Try again, or ask your service’s IT team.');
    }
  };
  const add = async () => onStatus(await api['session.addUser']({}));
  return (
    <Stack gap="xs">
      {status.deviceUsers.length > 0 && (
        <Radio.Group label="Who is using this laptop?" value={status.deviceUsers.some((u) => u.key === status.currentUser) ? status.currentUser : null} onChange={(key) => void choose(key)}>
          <Stack gap={6} mt={6}>
            {status.deviceUsers.map((u) => (
              <Radio key={u.key} value={u.key} label={deviceUserLabel(u)} />
            ))}
          </Stack>
        </Radio.Group>
      )}
      <Text size="xs" c="gray.7">Each person has their own encrypted caseload and passphrase on this laptop.</Text>
      {canAdd && (
        <Button variant="subtle" onClick={() => void add()} w="fit-content" px={0}>
          Add another person to this laptop…
        </Button>
      )}
    </Stack>
  );
}
