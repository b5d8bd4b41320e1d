/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <jansson.h>

G_BEGIN_DECLS

/* Turns a feedback object ({"well": {"code": ...}, "tip": {"code": ...,
 * parameters}}) into one or two plain, kind sentences in @language ("nl"
 * or "en"; others fall back to English when no catalog exists). Unknown
 * codes are skipped. Returns a new string, possibly empty. */
char *al_feedback_render (json_t     *feedback,
                          const char *language);

/* The box task's "differences" (one per box that is not right: missing,
 * too small, too large, shifted, wrong label, extra) as sentences in
 * @language, one a line. Returns a new string, empty when all was right. */
char *al_feedback_render_differences (json_t     *feedback,
                                      const char *language);

G_END_DECLS
