import type { UseFormReturnType } from '@mantine/form';
import { useState } from 'react';
import { showSaveError } from './errors';

/**
 * A dialog's form and its save: `submit` clears the last failure, saves, and on success empties the form and
 * hands the saved record on; a refusal lands on the fields it names, or in `failure` for the banner. `close`
 * forgets both, so a dialog opened again starts clean.
 */
export function useSaveForm<Values, Saved>(
  form: UseFormReturnType<Values>,
  save: (values: Values) => Promise<Saved>,
  onSaved: (saved: Saved) => void,
  onClose: () => void,
) {
  const [failure, setFailure] = useState<string | null>(null);
  const close = () => {
    form.reset();
    setFailure(null);
    onClose();
  };
  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    try {
      const saved = await save(values);
      form.reset();
      onSaved(saved);
    } catch (err) {
      showSaveError(err, form.setErrors, setFailure);
    }
  });
  return { failure, setFailure, close, submit };
}
