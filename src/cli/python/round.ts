/**
 * Python 3's `round(x)` for a float: nearest integer, exact halves to the even neighbour
 * (banker's rounding), unlike Math.round which sends halves up.
 */
export function pyRound(value: number): number {
  const floor = Math.floor(value);
  // value - floor is exact for the magnitudes a table deals with.
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
