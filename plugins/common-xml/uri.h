/*
 * uri.h - the URLs presskit's XML writers (xml, xhtml, atom) put in their
 * output: which ones they carry, and RFC 3986 reference resolution.
 *
 * One policy for every writer, an allowlist:
 *
 * - A link target (<a href>, an Atom entry's alternate link) is a
 *   relative reference, or has the scheme http, https, mailto, tel or ftp.
 * - An image source (<img src>) is a non-empty relative reference to a
 *   local file, or an http or https URL (a "//host/..." network path
 *   included); and, where the writer allows them (Atom does, EPUB does
 *   not: pkx_xhtml_options.data_images), a data: URL of a PNG, GIF, JPEG
 *   or WebP image.  Never SVG, which can carry script.
 * - Anything else is refused: javascript:, vbscript:, file:, data: but for
 *   those images, and every scheme not listed.  A refused link keeps its
 *   text, a refused image becomes its description.
 * - Schemes are read the way browsers read them: leading spaces and
 *   controls skipped, tabs and newlines anywhere ignored, in any case, so
 *   " JaVa\tScRiPt:" is javascript:.
 *
 * A URL that passes is written as is, or resolved against a base URL when
 * the writer has one (Atom: the entry's url), with pkx_uri_resolve.
 */
#ifndef PKX_URI_H
#define PKX_URI_H

#include <stdbool.h>

/* Returns true if url may be a link target (see above).  NULL is a
 * relative reference. */
bool pkx_url_is_safe(const char *url);
/* Returns true if url may be an image source (see above): data: images
 * only if data_images. */
bool pkx_url_is_safe_image(const char *url, bool data_images);
/* Returns true if url names a remote resource: http:, https: or a
 * network-path reference ("//host/..."). */
bool pkx_url_is_remote(const char *url);
/* Returns true if url is a relative reference to a local resource: no
 * scheme and not a network path ("images/a.png", "#top"). */
bool pkx_url_is_local(const char *url);
/* Returns true if url is a data: URL of a PNG, GIF, JPEG or WebP image. */
bool pkx_url_is_data_image(const char *url);

/* Returns true if ref starts with an RFC 3986 scheme ("https:",
 * "mailto:"…), strictly: nothing skipped before it. */
bool pkx_uri_has_scheme(const char *ref);
/* Returns ref resolved against base (RFC 3986 section 5.2, with
 * remove_dot_segments; a reference with a scheme is never taken as
 * relative), malloc'd: the caller frees it.  A copy of ref if base is
 * NULL or has no scheme.  NULL on out of memory. */
char *pkx_uri_resolve(const char *base, const char *ref);

#endif
