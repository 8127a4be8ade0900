/**
 * Files a browser may show as a picture (console thumbnails, a photo opened in a tab, the portal):
 * raster types only, and only as sniffed from the bytes at upload. SVG can carry script: it is
 * never shown inline, whatever a file claims to be.
 */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

export const isInlineImage = (contentType: string): boolean => INLINE_IMAGE_TYPES.has(contentType.split(';')[0]!.trim().toLowerCase());
