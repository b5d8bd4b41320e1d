/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-rhythm"

#include "config.h"

#include <string.h>

#include "al-rhythm.h"

static const AlRhythmLimit limits[] = {
  { "work_minutes", AL_RHYTHM_WORK_MINUTES_MIN, AL_RHYTHM_WORK_MINUTES_MAX },
  { "break_minutes", AL_RHYTHM_BREAK_MINUTES_MIN, AL_RHYTHM_BREAK_MINUTES_MAX },
  { "blocks", AL_RHYTHM_BLOCKS_MIN, AL_RHYTHM_BLOCKS_MAX },
  { NULL, 0, 0 },
};

const AlRhythmLimit *
al_rhythm_limits (void)
{
  return limits;
}

gboolean
al_rhythm_within (const char *key,
                  gint64      value)
{
  g_return_val_if_fail (key != NULL, FALSE);

  for (const AlRhythmLimit *l = limits; l->key; l++)
    if (g_str_equal (l->key, key))
      return value >= l->min && value <= l->max;
  g_return_val_if_reached (FALSE);
}

json_t *
al_rhythm_limits_to_json (void)
{
  json_t *json = json_object ();

  for (const AlRhythmLimit *l = limits; l->key; l++)
    json_object_set_new (json, l->key, json_pack ("{s:i,s:i}", "min", l->min, "max", l->max));
  return json;
}

gboolean
al_clock_time_parse (const char *text,
                     int        *minute)
{
  int hh, mm;

  if (text == NULL || strlen (text) != 5 || !g_ascii_isdigit (text[0])
      || !g_ascii_isdigit (text[1]) || text[2] != ':' || !g_ascii_isdigit (text[3])
      || !g_ascii_isdigit (text[4]))
    return FALSE;
  hh = (text[0] - '0') * 10 + (text[1] - '0');
  mm = (text[3] - '0') * 10 + (text[4] - '0');
  if (hh > 23 || mm > 59)
    return FALSE;
  if (minute)
    *minute = hh * 60 + mm;
  return TRUE;
}

char *
al_clock_time_format (int minute)
{
  g_return_val_if_fail (minute >= 0 && minute < 24 * 60, NULL);
  return g_strdup_printf ("%02d:%02d", minute / 60, minute % 60);
}
