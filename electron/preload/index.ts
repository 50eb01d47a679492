import { contextBridge, ipcRenderer } from 'electron';
import { buildRawApi } from '../../shared/contract/client';
import { METHOD_NAMES } from '../../shared/contract/contract';
import { IPC_CHANNEL } from '../../shared/contract/ipc';

// Exposes only the contract's methods, never ipcRenderer itself.
contextBridge.exposeInMainWorld(
  'api',
  buildRawApi(METHOD_NAMES, (method, input) => ipcRenderer.invoke(IPC_CHANNEL, method, input)),
);
