/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-server"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "al-rhythm.h"
#include "al-server-parse.h"
#include "al-server.h"
#include "al-task.h"

static const char *const event_types[] = {
  "session_start", "block_start", "break_start", "break_end",   "pause_start",
  "pause_end",     "help",        "heartbeat",   "session_end", NULL,
};

/* Nesting is checked before parsing: a deep document is refused without
 * ever being built. Brackets inside strings do not count. */
gboolean
al_json_depth_ok (const char *text, gsize length, int max_depth)
{
  int depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if (c == '}' || c == ']')
        depth--;
    }
  return TRUE;
}

static json_t *
body_error (AlBodyError *err, unsigned int status, const char *code, char *message)
{
  err->status = status;
  err->code = code;
  err->message = message;
  return NULL;
}

json_t *
al_parse_json_body (const char *content_type, const char *data, gsize length, AlBodyError *err)
{
  json_error_t jerr;
  json_t *json;

  if (data == NULL)
    data = "";
  if (content_type == NULL || !g_str_has_prefix (content_type, "application/json"))
    return body_error (err, 415, "unsupported_media_type",
                       g_strdup ("Send the body as application/json"));
  if (!al_json_depth_ok (data, length, AL_SERVER_MAX_DEPTH))
    return body_error (
        err, 400, "too_deep",
        g_strdup_printf ("The JSON nests deeper than %d levels", AL_SERVER_MAX_DEPTH));
  json = json_loadb (data, length, JSON_REJECT_DUPLICATES, &jerr);
  if (json == NULL)
    return body_error (err, 400, "malformed_json",
                       g_strdup_printf ("The body is not valid JSON: %s (line %d, column %d)",
                                        jerr.text, jerr.line, jerr.column));
  if (!json_is_object (json))
    {
      json_decref (json);
      return body_error (err, 400, "invalid", g_strdup ("The body must be a JSON object"));
    }
  return json;
}

/* Paths are matched as sent; anything that is not a plain path fails. */
char *
al_path_normalize (const char *url)
{
  char *path;
  gsize len;

  if (url == NULL || url[0] != '/' || strstr (url, "..") || strchr (url, '\\'))
    return NULL;
  path = g_strdup (url);
  len = strlen (path);
  if (len > 1 && path[len - 1] == '/')
    path[len - 1] = '\0';
  return path;
}

gboolean
al_path_match (const char *pattern, const char *path, char ***params)
{
  g_auto (GStrv) p = g_strsplit (pattern, "/", -1);
  g_auto (GStrv) u = g_strsplit (path, "/", -1);
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  if (g_strv_length (p) != g_strv_length (u))
    return FALSE;
  for (guint i = 0; p[i]; i++)
    {
      if (g_str_equal (p[i], "*") && *u[i] != '\0')
        {
          char *segment = g_uri_unescape_string (u[i], NULL);
          /* Undecodable (or decoding to a NUL): not a segment we serve. */
          if (segment == NULL)
            return FALSE;
          g_ptr_array_add (found, segment);
        }
      else if (!g_str_equal (p[i], u[i]))
        return FALSE;
    }
  g_ptr_array_add (found, NULL);
  *params = (char **)g_ptr_array_free (g_steal_pointer (&found), FALSE);
  return TRUE;
}

gint64
al_parse_id (const char *text)
{
  char *end = NULL;
  gint64 id;

  if (text == NULL || !g_ascii_isdigit (text[0]))
    return -1;
  id = g_ascii_strtoll (text, &end, 10);
  return end && *end == '\0' && id > 0 ? id : -1;
}

const char *
al_parse_bearer (const char *authorization)
{
  if (authorization && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    return authorization + 7;
  return NULL;
}

/* Reads [0-9]+; a number too big for gint64 becomes G_MAXINT64, which
 * lies past the end of any file. */
static gboolean
read_digits (const char **p, gint64 *out)
{
  gint64 n = 0;

  if (!g_ascii_isdigit (**p))
    return FALSE;
  for (; g_ascii_isdigit (**p); (*p)++)
    n = n > (G_MAXINT64 - 9) / 10 ? G_MAXINT64 : n * 10 + (**p - '0');
  *out = n;
  return TRUE;
}

AlRange
al_parse_range (const char *header, gint64 size, gint64 *from, gint64 *to)
{
  const char *p;
  gint64 first, last = G_MAXINT64;

  if (header == NULL || g_ascii_strncasecmp (header, "bytes=", 6) != 0)
    return AL_RANGE_WHOLE;
  p = header + 6;
  /* Several ranges: the whole file is a valid answer (RFC 9110, 14.2) and
   * every player asks for one range only. */
  if (strchr (p, ','))
    return AL_RANGE_WHOLE;
  if (*p == '-')
    {
      p++;
      if (!read_digits (&p, &last) || *p != '\0')
        return AL_RANGE_WHOLE;
      if (last == 0 || size <= 0)
        return AL_RANGE_UNSATISFIABLE;
      *from = MAX (size - last, 0);
      *to = size - 1;
      return AL_RANGE_PART;
    }
  if (!read_digits (&p, &first) || *p++ != '-')
    return AL_RANGE_WHOLE;
  if (*p != '\0' && (!read_digits (&p, &last) || *p != '\0' || last < first))
    return AL_RANGE_WHOLE;
  if (first >= size)
    return AL_RANGE_UNSATISFIABLE;
  *from = first;
  *to = MIN (last, size - 1);
  return AL_RANGE_PART;
}

/* {"exclude": [lease ids]}: the leases this workstation already holds,
 * so a prefetch gets the next task rather than the current one. */
const char *
al_parse_lease_body (json_t *body, GPtrArray *exclude, int *voice_mode)
{
  json_t *list = json_object_get (body, "exclude");
  json_t *voice = json_object_get (body, "voice");
  json_t *item;
  size_t i;

  if (list && (!json_is_array (list) || json_array_size (list) > 16))
    return "\"exclude\" is a short list of lease ids";
  if (voice && !json_is_boolean (voice))
    return "\"voice\" is true or false";
  json_array_foreach (list, i, item) if (json_is_string (item))
      g_ptr_array_add (exclude, (gpointer)json_string_value (item));
  if (voice)
    *voice_mode = json_is_true (voice);
  return NULL;
}

const char *
al_parse_result_body (json_t *body,
                      const char **lease_id,
                      const char **idempotency_key,
                      json_t **result,
                      gint64 *lead_time_ms)
{
  json_t *lead = json_object_get (body, "lead_time_ms");

  *lease_id = json_string_value (json_object_get (body, "lease_id"));
  *idempotency_key = json_string_value (json_object_get (body, "idempotency_key"));
  *result = json_object_get (body, "result");
  if (*lease_id == NULL || *idempotency_key == NULL || **idempotency_key == '\0'
      || strlen (*idempotency_key) > 200 || *result == NULL)
    return "A result needs \"lease_id\", \"idempotency_key\" and \"result\"";
  if (lead && !json_is_integer (lead))
    return "\"lead_time_ms\" must be a whole number";
  *lead_time_ms = lead ? json_integer_value (lead) : 0;
  return NULL;
}

const char *
al_parse_pass_body (json_t *body, const char **reason)
{
  *reason = json_string_value (json_object_get (body, "reason"));
  if (*reason == NULL || strlen (*reason) > 64)
    return "Give the \"reason\": noisy, language, not_for_me or other";
  return NULL;
}

const char *
al_parse_broken_body (json_t *body, const char **reason)
{
  *reason = json_string_value (json_object_get (body, "reason"));
  if (*reason == NULL || strlen (*reason) > 2000)
    return "Give the \"reason\" as a short text";
  return NULL;
}

/* 9999-12-31T23:59:59.999Z */
#define AL_EVENT_MAX_MS G_GINT64_CONSTANT (253402300799999)

/* Absent, not a whole number (then it is ignored), or within [lo, hi]. */
static gboolean
int_or_absent (json_t *obj, const char *key, gint64 lo, gint64 hi)
{
  json_t *v = json_object_get (obj, key);
  return !json_is_integer (v) || (json_integer_value (v) >= lo && json_integer_value (v) <= hi);
}

const char *
al_parse_event_body (json_t *body, gint64 now_ms, const char **type, gint64 *at_ms)
{
  json_t *at = json_object_get (body, "at");

  *type = json_string_value (json_object_get (body, "type"));
  if (*type == NULL || !g_strv_contains (event_types, *type))
    return "\"type\" must be one of session_start, block_start, break_start, break_end, "
           "pause_start, pause_end, help, heartbeat, session_end";
  if (json_is_integer (at))
    *at_ms = json_integer_value (at);
  else if (json_is_string (at))
    {
      g_autoptr (GDateTime) dt = g_date_time_new_from_iso8601 (json_string_value (at), NULL);
      if (dt == NULL)
        return "\"at\" is not an ISO 8601 time";
      *at_ms = g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
    }
  else
    *at_ms = now_ms;
  /* Times are shown as dates and subtracted from now: keep them to what a
   * date can be, and the pacing numbers to what a workstation sends. */
  if (*at_ms < 0 || *at_ms > AL_EVENT_MAX_MS)
    return "\"at\" must lie between 1970 and the year 9999";
  if (!int_or_absent (body, "block", 0, 1000) || !int_or_absent (body, "blocks", 0, 1000)
      || !int_or_absent (body, "ms_left", 0, 7 * 24 * 3600 * 1000LL))
    return "\"block\" and \"blocks\" are whole numbers up to 1000, \"ms_left\" up to a week";
  return NULL;
}

static gboolean
int_in (json_t *obj, const char *key, int lo, int hi)
{
  json_t *v = json_object_get (obj, key);
  return json_is_integer (v) && json_integer_value (v) >= lo && json_integer_value (v) <= hi;
}

/* The first key of @obj that is not in @known, or NULL. */
static const char *
unknown_key (json_t *obj, const char *const *known)
{
  const char *key;
  json_t *v;

  json_object_foreach (obj, key, v)
    if (!g_strv_contains (known, key))
      return key;
  return NULL;
}

/* The first of work_minutes, break_minutes and blocks of @obj that is
 * not a whole number within the rhythm limits, as a message. */
static char *
out_of_limits (json_t     *obj,
               const char *where)
{
  for (const AlRhythmLimit *l = al_rhythm_limits (); l->key; l++)
    if (!int_in (obj, l->key, l->min, l->max))
      return g_strdup_printf ("\"%s\"%s is a whole number from %d to %d", l->key, where, l->min,
                              l->max);
  return NULL;
}

static char *
not_known (const char *what, const char *key, const char *const *known)
{
  g_autofree char *list = g_strjoinv (", ", (char **) known);
  /* Escaped to plain ASCII, so that cutting it short is safe. */
  g_autofree char *shown = g_strescape (key, NULL);

  if (strlen (shown) > 60)
    strcpy (shown + 57, "...");
  return g_strdup_printf ("\"%s\" is not %s; use %s", shown, what, list);
}

char *
al_check_settings (json_t *s)
{
  static const char *const keys[] = { "plan",         "kinds",     "gold_share", "voice",
                                      "voice_images", "verbosity", NULL };
  static const char *const plan_keys[] = { "work_minutes", "break_minutes", "blocks", "rhythm",
                                           NULL };
  json_t *plan = json_object_get (s, "plan");
  json_t *kinds = json_object_get (s, "kinds");
  json_t *gold = json_object_get (s, "gold_share");
  json_t *voice = json_object_get (s, "voice");
  json_t *verbosity = json_object_get (s, "verbosity");
  const char *unknown;
  char *problem;
  json_t *k;
  size_t i;

  if ((unknown = unknown_key (s, keys)) != NULL)
    return not_known ("a setting", unknown, keys);
  if (plan)
    {
      json_t *rhythm = json_object_get (plan, "rhythm");
      if (!json_is_object (plan))
        return g_strdup ("\"plan\" is an object with work_minutes, break_minutes and blocks");
      if ((unknown = unknown_key (plan, plan_keys)) != NULL)
        return not_known ("part of a plan", unknown, plan_keys);
      if ((problem = out_of_limits (plan, " in \"plan\"")) != NULL)
        return problem;
      if (rhythm && g_strcmp0 (json_string_value (rhythm), "personal") != 0
          && g_strcmp0 (json_string_value (rhythm), "room") != 0)
        return g_strdup ("\"rhythm\" in \"plan\" is \"personal\" or \"room\"");
    }
  if (kinds)
    {
      if (!json_is_array (kinds) || json_array_size (kinds) == 0)
        return g_strdup ("\"kinds\" is a non-empty list of bbox, transcribe, classify, subtitle-review and video-boxes");
      json_array_foreach (kinds, i, k)
        {
          AlTaskKind kind;
          if (!al_task_kind_from_string (json_string_value (k), &kind))
            return g_strdup ("\"kinds\" may hold bbox, transcribe, classify, subtitle-review and video-boxes only");
        }
    }
  if (gold
      && (!json_is_number (gold) || json_number_value (gold) < 0 || json_number_value (gold) > 0.5))
    return g_strdup ("\"gold_share\" is a number from 0 to 0.5");
  if (voice && !json_is_boolean (voice))
    return g_strdup ("\"voice\" is true or false");
  if (json_object_get (s, "voice_images") && !json_is_boolean (json_object_get (s, "voice_images")))
    return g_strdup ("\"voice_images\" is true or false");
  if (verbosity && g_strcmp0 (json_string_value (verbosity), "beginner") != 0
      && g_strcmp0 (json_string_value (verbosity), "experienced") != 0)
    return g_strdup ("\"verbosity\" is \"beginner\" or \"experienced\"");
  return NULL;
}

char *
al_check_room (json_t *room)
{
  static const char *const keys[] = { "start", "work_minutes", "break_minutes", "blocks", NULL };
  const char *unknown;

  if ((unknown = unknown_key (room, keys)) != NULL)
    return not_known ("part of a room rhythm", unknown, keys);
  /* Exactly HH:MM: the dashboard and workstations show it as it is. */
  if (!al_clock_time_parse (json_string_value (json_object_get (room, "start")), NULL))
    return g_strdup ("\"start\" is a time as HH:MM, for example \"09:00\"");
  return out_of_limits (room, "");
}
