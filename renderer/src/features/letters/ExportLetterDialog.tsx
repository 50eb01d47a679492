import type { Letter } from '../../../../shared/contract/letters';
import { api } from '../../lib/api';
import { ExportFileDialog } from '../../lib/ExportFileDialog';

/** A letter leaves the encrypted store only as this PDF (files.chooseFolder purpose "letters"). */
export function ExportLetterDialog({ letter, opened, onClose }: { letter: Letter; opened: boolean; onClose: () => void }) {
  return (
    <ExportFileDialog
      opened={opened}
      onClose={onClose}
      title="Export letter as PDF"
      purpose="letters"
      fileKind="PDF"
      warning="The PDF is not encrypted: anyone who can open the folder you choose can read the patient’s name, NHS number and scores. Choose a folder your service approves for patient letters, and delete the file once it has been sent."
      write={async () => (await api['letters.export']({ id: letter.id })).path}
    />
  );
}
