import type { Page } from '@playwright/test';
import { todayIso } from '../../../shared/domain/dates';

/** Steps many journeys share. */
export const PASSPHRASE = 'clinic room passphrase';

/** The local date n days before today, as the screens' date fields hold it. */
export function daysAgo(n: number): string {
  const d = new Date();
  d.setDate(d.getDate() - n);
  return todayIso(d);
}

/** Picks an option of a labelled Mantine select. */
export async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}
