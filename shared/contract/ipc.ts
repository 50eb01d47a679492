/** The single IPC channel: one dispatcher behind it, so the method list stays the only place methods are named. */
export const IPC_CHANNEL = 'caseload:call';
