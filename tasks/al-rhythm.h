/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <jansson.h>

G_BEGIN_DECLS

#ifndef AL_JSON_AUTOPTR_DEFINED
#define AL_JSON_AUTOPTR_DEFINED
G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_t, json_decref)
#endif

/* The bounds of a work rhythm (a participant's plan, a group's room
 * rhythm), kept once: the server checks what a coach sets against them,
 * the workstation's pacing takes only a plan inside them, and the
 * dashboard's forms get them from the server. Plain data: no GTK, no
 * SQLite. */
typedef struct
{
  const char *key;  /* as in the plan's JSON: "work_minutes", ... */
  int min;
  int max;
} AlRhythmLimit;

#define AL_RHYTHM_WORK_MINUTES_MIN  1
#define AL_RHYTHM_WORK_MINUTES_MAX  240
#define AL_RHYTHM_BREAK_MINUTES_MIN 1
#define AL_RHYTHM_BREAK_MINUTES_MAX 120
#define AL_RHYTHM_BLOCKS_MIN        1
#define AL_RHYTHM_BLOCKS_MAX        12

/* work_minutes, break_minutes and blocks, ended by a NULL key. */
const AlRhythmLimit *al_rhythm_limits         (void);
/* Whether @value of the limit @key is within its bounds. */
gboolean             al_rhythm_within         (const char *key,
                                               gint64      value);
/* {"work_minutes": {"min": 1, "max": 240}, ...}, for the dashboard. */
json_t              *al_rhythm_limits_to_json (void);

/* Exactly "HH:MM", 00:00 to 23:59, as the dashboard and the workstations
 * show it; @minute receives the minutes after midnight. */
gboolean             al_clock_time_parse      (const char *text,
                                               int        *minute);
/* "HH:MM" for @minute after midnight (0 to 1439). */
char                *al_clock_time_format     (int         minute);

G_END_DECLS
