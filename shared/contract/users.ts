import { z } from 'zod';
import { User, UserInput } from '../domain/people';
import { none } from './schemas';

export const userMethods = {
  'users.list': { input: none, output: z.strictObject({ users: z.array(User) }) },
  'users.create': { input: UserInput, output: User },
} as const;
