/** A count as the console shows it: 12,345. */
export const formatCount = (value: number) => value.toLocaleString('en-US');
