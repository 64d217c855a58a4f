// Both backends must hand the same JS values to the rest of the code: int8 as a number
// (bigint only past 2^53), numeric as an exact string, date as 'YYYY-MM-DD' (no timezone shift).
export const INT8_OID = 20;
export const DATE_OID = 1082;

export function parseInt8(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

export function parseDate(text: string): string {
  return text;
}

export const typeParsers: Record<number, (text: string) => unknown> = {
  [INT8_OID]: parseInt8,
  [DATE_OID]: parseDate,
};
