/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-pacing"

#include "config.h"

#include <string.h>

#include "al-plan.h"
#include "al-rhythm.h"

G_DEFINE_QUARK (al-plan-error-quark, al_plan_error)

/* The lab's half day: 4 × (45 minutes work, 15 minutes break), warnings 5
 * and 1 minute before each break, 2 minutes to finish a task. */
void
al_plan_init_default (AlPlan *plan)
{
  memset (plan, 0, sizeof *plan);
  plan->work_ms = 45 * 60000;
  plan->break_ms = 15 * 60000;
  plan->blocks = 4;
  plan->warn_ms[0] = 5 * 60000;
  plan->warn_ms[1] = 1 * 60000;
  plan->n_warn = 2;
  plan->grace_ms = 2 * 60000;
}

/* "90s", "45m", "1h", "1m30s"; a bare number is minutes. */
gboolean
al_duration_parse (const char *text,
                   gint64     *ms,
                   GError    **error)
{
  const char *p = text;
  gint64 total = 0;

  if (text == NULL || *text == '\0')
    goto bad;
  while (*p)
    {
      char *end = NULL;
      double value = g_ascii_strtod (p, &end);
      gint64 unit;

      if (end == p || value < 0)
        goto bad;
      switch (*end)
        {
        case 's':
          unit = 1000;
          end++;
          break;
        case 'm':
        case '\0':
          unit = 60000;
          if (*end)
            end++;
          break;
        case 'h':
          unit = 3600000;
          end++;
          break;
        default:
          goto bad;
        }
      total += (gint64) (value * unit + 0.5);
      p = end;
    }
  if (total < 0 || total > 24 * 3600000)
    goto bad;
  *ms = total;
  return TRUE;

bad:
  g_set_error (error, AL_PLAN_ERROR, AL_PLAN_ERROR_INVALID,
               "\"%s\" is not a duration: write for example 45m, 90s or 1h", text ? text : "");
  return FALSE;
}

/* "WORK/BREAKxBLOCKS", e.g. 45m/15mx4 or 6s/4sx2; without xN, 4 blocks. */
gboolean
al_plan_parse (const char *text,
               AlPlan     *plan,
               GError    **error)
{
  g_auto (GStrv) parts = NULL;
  g_autofree char *work = NULL;
  const char *x;
  char *end = NULL;

  if (text == NULL || (parts = g_strsplit (text, "/", 2))[1] == NULL)
    {
      g_set_error (error, AL_PLAN_ERROR, AL_PLAN_ERROR_INVALID,
                   "\"%s\" is not a plan: write WORK/BREAKxBLOCKS, for example 45m/15mx4",
                   text ? text : "");
      return FALSE;
    }
  if (!al_duration_parse (parts[0], &plan->work_ms, error))
    return FALSE;
  x = strchr (parts[1], 'x');
  work = x ? g_strndup (parts[1], x - parts[1]) : g_strdup (parts[1]);
  if (!al_duration_parse (work, &plan->break_ms, error))
    return FALSE;
  if (plan->work_ms == 0 || plan->break_ms == 0)
    {
      g_set_error (error, AL_PLAN_ERROR, AL_PLAN_ERROR_INVALID,
                   "Work and break in \"%s\" must both be longer than zero", text);
      return FALSE;
    }
  plan->blocks = 4;
  if (x)
    {
      plan->blocks = (int) g_ascii_strtoll (x + 1, &end, 10);
      if (*end || !al_rhythm_within ("blocks", plan->blocks))
        {
          g_set_error (error, AL_PLAN_ERROR, AL_PLAN_ERROR_INVALID,
                       "The number of blocks in \"%s\" must be %d to %d", text,
                       AL_RHYTHM_BLOCKS_MIN, AL_RHYTHM_BLOCKS_MAX);
          return FALSE;
        }
    }
  return TRUE;
}

static int
longest_first (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? 1 : x > y ? -1 : 0;
}

gboolean
al_plan_parse_warnings (const char *text,
                        AlPlan     *plan,
                        GError    **error)
{
  g_auto (GStrv) parts = g_strsplit (text ? text : "", ",", -1);

  plan->n_warn = 0;
  for (char **p = parts; *p; p++)
    {
      gint64 ms;
      if (**p == '\0')
        continue;
      if (plan->n_warn == AL_PLAN_MAX_WARNINGS)
        {
          g_set_error (error, AL_PLAN_ERROR, AL_PLAN_ERROR_INVALID,
                       "At most %d warnings before a break", AL_PLAN_MAX_WARNINGS);
          return FALSE;
        }
      if (!al_duration_parse (g_strstrip (*p), &ms, error))
        return FALSE;
      plan->warn_ms[plan->n_warn++] = ms;
    }
  qsort (plan->warn_ms, plan->n_warn, sizeof (gint64), longest_first);
  return TRUE;
}

gboolean
al_plan_from_json (json_t *json,
                   AlPlan *plan,
                   GError **error)
{
  AlPlan next = *plan;
  json_t *v;

  if (!json_is_object (json))
    goto bad;
  /* What the server sends is inside the limits it checks; anything else
   * leaves the plan as it was. */
  for (const AlRhythmLimit *l = al_rhythm_limits (); l->key; l++)
    if ((v = json_object_get (json, l->key)) != NULL
        && (!json_is_integer (v) || !al_rhythm_within (l->key, json_integer_value (v))))
      goto bad;
  if (json_is_integer (v = json_object_get (json, "work_minutes")))
    next.work_ms = json_integer_value (v) * 60000;
  if (json_is_integer (v = json_object_get (json, "break_minutes")))
    next.break_ms = json_integer_value (v) * 60000;
  if (json_is_integer (v = json_object_get (json, "blocks")))
    next.blocks = json_integer_value (v);
  if (json_is_string (v = json_object_get (json, "rhythm")))
    next.room = g_str_equal (json_string_value (v), "room");
  if ((v = json_object_get (json, "room_start")) != NULL
      && !al_clock_time_parse (json_string_value (v), &next.room_start_minute))
    goto bad;
  if (next.work_ms <= 0 || next.break_ms <= 0 || !al_rhythm_within ("blocks", next.blocks))
    goto bad;
  *plan = next;
  return TRUE;

bad:
  g_set_error (error, AL_PLAN_ERROR, AL_PLAN_ERROR_INVALID,
               "The plan from the lab server is not usable; the current plan stays");
  return FALSE;
}

json_t *
al_plan_to_json (const AlPlan *plan)
{
  json_t *warn = json_array ();
  g_autofree char *start = al_clock_time_format (plan->room_start_minute);

  for (int i = 0; i < plan->n_warn; i++)
    json_array_append_new (warn, json_integer (plan->warn_ms[i]));
  return json_pack ("{s:I,s:I,s:i,s:s,s:s,s:o,s:I}", "work_ms", (json_int_t) plan->work_ms,
                    "break_ms", (json_int_t) plan->break_ms, "blocks", plan->blocks, "rhythm",
                    plan->room ? "room" : "personal", "room_start", start, "warn_ms", warn,
                    "grace_ms", (json_int_t) plan->grace_ms);
}
