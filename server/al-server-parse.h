/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Everything the server reads from a request before a handler acts on it:
 * paths, the Authorization header, Range, and the JSON bodies. Nothing here
 * touches libmicrohttpd or the store, so the fuzz harnesses
 * (tests/fuzz/fuzz-http-*.c) call these functions directly. */

#include <glib.h>
#include <jansson.h>

G_BEGIN_DECLS

typedef struct
{
  unsigned int status; /* the HTTP status to answer with */
  const char *code;    /* "malformed_json", "too_deep", ... */
  char *message;       /* why, for people; free with g_free */
} AlBodyError;

gboolean al_json_depth_ok (const char *text, gsize length, int max_depth);
/* A request body as a JSON object, or NULL with @err filled in. */
json_t *
al_parse_json_body (const char *content_type, const char *data, gsize length, AlBodyError *err);

/* The URL path as routes see it (no trailing slash), or NULL when it is
 * not a plain path. */
char *al_path_normalize (const char *url);
/* Matches a route pattern ('*' is one non-empty segment); @params gets the
 * unescaped '*' segments. */
gboolean al_path_match (const char *pattern, const char *path, char ***params);
/* A positive decimal number, or -1. */
gint64 al_parse_id (const char *text);

/* The token of "Authorization: Bearer TOKEN", or NULL. */
const char *al_parse_bearer (const char *authorization);
typedef enum
{
  AL_RANGE_WHOLE,          /* no Range, or one to ignore: 200 with the whole file */
  AL_RANGE_PART,           /* 206 with from..to */
  AL_RANGE_UNSATISFIABLE,  /* 416, with the size in Content-Range */
} AlRange;

/* "bytes=FROM-TO", "bytes=FROM-", "bytes=-LAST" against a file of @size
 * bytes; on AL_RANGE_PART, 0 <= from <= to < size. */
AlRange al_parse_range (const char *header, gint64 size, gint64 *from, gint64 *to);

/* Body checks: each returns NULL when the body is usable, or the reason
 * it is not. Strings handed out point into @body. */
/* @voice gets 1 or 0 when the body says "voice", else it is left alone. */
const char *al_parse_lease_body (json_t *body, GPtrArray *exclude, int *voice);
const char *al_parse_result_body (json_t *body,
                                  const char **lease_id,
                                  const char **idempotency_key,
                                  json_t **result,
                                  gint64 *lead_time_ms);
const char *al_parse_broken_body (json_t *body, const char **reason);
const char *al_parse_pass_body (json_t *body, const char **reason);
/* @at_ms is @now_ms when the event has no "at". */
const char *al_parse_event_body (json_t *body, gint64 now_ms, const char **type, gint64 *at_ms);
/* NULL, or why the settings or room rhythm cannot be used, naming the
 * key at fault; free with g_free. */
char *al_check_settings (json_t *settings);
char *al_check_room (json_t *room);

G_END_DECLS
