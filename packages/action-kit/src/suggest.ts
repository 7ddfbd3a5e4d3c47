import leven from 'leven';

/**
 * The known name a mistyped one most likely meant, for "did you mean" hints: the same name but for case, or the
 * nearest one within two edits (a third of the name for long ones). Undefined when nothing is that close.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameButCase = known.find((k) => k.toLowerCase() === lower);
  if (sameButCase) return sameButCase;
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = leven(lower, candidate.toLowerCase(), { maxDistance: limit + 1 });
    if (distance <= limit && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}
