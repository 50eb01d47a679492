import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from './errors';

/**
 * What a screen reads when it opens: the value (null while loading), the failure in words, `reload` after a
 * change elsewhere, and `setValue` for a save that answers with the new value. `read` runs again when `key` does.
 */
export function useLoaded<T>(read: () => Promise<T>, key: string) {
  const [value, setValue] = useState<T | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // `key` names everything `read` depends on, so `read` itself (a new closure each render) is not a dependency.
  const reload = useCallback(async () => {
    try {
      setValue(await read());
    } catch (err) {
      setFailure(errorMessage(err));
    }
  }, [key]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { value, setValue, failure, setFailure, reload };
}
