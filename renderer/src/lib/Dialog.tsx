import { Modal } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * Mantine's Modal with two accessibility fixes: its header is a <div> (a second <header> would be a duplicate
 * banner landmark beside the app shell's) and its close button has a name.
 */
export function Dialog({ opened, onClose, title, children, size = 'md' }: { opened: boolean; onClose: () => void; title: string; children: ReactNode; size?: string }) {
  return (
    <Modal.Root opened={opened} onClose={onClose} size={size} centered>
      <Modal.Overlay />
      <Modal.Content>
        <Modal.Header {...({ component: 'div' } as object)}>
          <Modal.Title fw={700}>{title}</Modal.Title>
          <Modal.CloseButton aria-label="Close" />
        </Modal.Header>
        <Modal.Body>{children}</Modal.Body>
      </Modal.Content>
    </Modal.Root>
  );
}
