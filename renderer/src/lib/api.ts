import { createClient } from '../../../shared/contract/client';
import { METHOD_NAMES } from '../../../shared/contract/contract';

/** The typed client: every call goes through the one contract and throws AppError on failure. */
export const api = createClient(window.api, METHOD_NAMES);
