import { api } from '../../lib/api';
import { ExportFileDialog } from '../../lib/ExportFileDialog';

/** A formulation leaves the encrypted store only as this PDF for the patient (files.chooseFolder purpose "formulations"). */
export function ExportFormulationDialog({ id, versionLabel, opened, onClose }: { id: string; versionLabel: string; opened: boolean; onClose: () => void }) {
  return (
    <ExportFileDialog
      opened={opened}
      onClose={onClose}
      title={`Export formulation ${versionLabel} as PDF`}
      purpose="formulations"
      fileKind="PDF"
      warning="The PDF is not encrypted: anyone who can open the folder you choose can read the patient’s name and everything in the formulation. Choose a folder your service approves for sharing with patients, and delete the file once it has been given to them."
      write={async () => (await api['formulation.export']({ id })).path}
    />
  );
}
