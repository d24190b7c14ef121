/** Typed readers for parsed flags, shared by the command handlers. */
import type { CommandInput } from './types.js';

export const flagString = (input: CommandInput, name: string): string | undefined => {
  const v = input.values[name];
  return typeof v === 'string' ? v : undefined;
};

export const flagBool = (input: CommandInput, name: string): boolean => input.values[name] === true;

export const flagList = (input: CommandInput, name: string): string[] => {
  const v = input.values[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
};
