const MARKER = /<!-- orchestrator:([A-Za-z0-9:._#-]+) -->\s*$/;

/** Appends the hidden marker by which a comment is found again. */
export function withMarker(body: string, key: string): string {
  return `${body.trimEnd()}\n\n<!-- orchestrator:${key} -->`;
}

/** The key in a comment's marker, or null when it has none. */
export function markerOf(body: string): string | null {
  return MARKER.exec(body)?.[1] ?? null;
}
