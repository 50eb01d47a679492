import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: resolve(__dirname, '../..'), overrideConfigFile: resolve(__dirname, '../../eslint.config.mjs') });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(__dirname, '../..', filePath) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals').map((m) => m.message);
}

describe('layering lint rule (DESIGN.md §2)', () => {
  it.each([
    ['shared/domain/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;"],
    ['shared/domain/x.ts', "import { CaseloadEngine } from '../../electron/services/engine';\nexport const a = CaseloadEngine;"],
    ['shared/domain/x.ts', "import React from 'react';\nexport const a = React;"],
    ['shared/domain/x.ts', 'export const a = window.location;'],
    ['renderer/src/x.ts', "import { CaseloadEngine } from '../../electron/services/engine';\nexport const a = CaseloadEngine;"],
    ['renderer/src/x.ts', "import { readFileSync } from 'fs';\nexport const a = readFileSync;"],
    ['renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;"],
    ['electron/services/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['electron/host/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['server/x.ts', "import { CaseloadEngine } from '../electron/services/engine';\nexport const a = CaseloadEngine;"],
    ['server/sync/x.ts', "import { openStore } from '../../electron/services/store/open';\nexport const a = openStore;"],
    ['server/x.ts', "import { App } from '../renderer/src/App';\nexport const a = App;"],
    ['server/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['shared/sync/x.ts', "import { applyPush } from '../../server/sync/push';\nexport const a = applyPush;"],
  ])('forbids %s: %s', async (file, code) => {
    expect(await restrictedImports(file, code)).not.toEqual([]);
  });

  it.each([
    ['shared/domain/x.ts', "import { z } from 'zod';\nimport { isIsoDate } from './dates';\nexport const a = [z, isIsoDate];"],
    ['renderer/src/x.ts', "import { contract } from '../../shared/contract/contract';\nexport const a = contract;"],
    ['electron/main/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['electron/preload/x.ts', "import { contextBridge } from 'electron';\nexport const a = contextBridge;"],
    ['server/sync/x.ts', "import { PushRequest } from '../../shared/sync/protocol';\nimport { createHash } from 'node:crypto';\nexport const a = [PushRequest, createHash];"],
  ])('allows %s: %s', async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([]);
  });
});
